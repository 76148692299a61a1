"""An event's charges and sentence as RDF: charge wording claims and sentence components.

A charge written as a mapping keeps the words a source used beside the vocabulary term
(``cg:ChargeClaim``); a sentence written as a mapping or a list becomes one
``cg:SentenceComponent`` per part (docs/rdf-mapping.md, "Sentences and charges"). The plain forms
(``charges: [moharebeh]``, ``sentence: death``) compile to the same statements as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.authoring.reader import YamlMap
from graph.authoring.records import ChargeEntry, SentenceEntry
from graph.namespaces import CG, CGV, ID

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["charges", "sentence", "term_length", "term_text"]


def term_length(years: int | None, months: int | None, days: int | None) -> str | None:
    """A length as an xsd:duration lexical form, or None when no part above zero is given.

    >>> term_length(5, None, None), term_length(1, 6, 0), term_length(0, 0, None)
    ('P5Y', 'P1Y6M', None)
    """
    parts = [(years, "Y"), (months, "M"), (days, "D")]
    text = "".join(f"{n}{unit}" for n, unit in parts if n)
    return f"P{text}" if text else None


def term_text(entry: SentenceEntry) -> str | None:
    """What a part says beyond its kind, in words: the source's own (``text``), else its length,
    lashes and fine, e.g. '5 years', '74 lashes', '1 year 6 months'.

    >>> term_text(SentenceEntry(term="prison", years=1, months=6))
    '1 year 6 months'
    >>> term_text(SentenceEntry(term="fine", amount=2000000000, currency="tomans"))
    '2,000,000,000 tomans'
    """
    if entry.text is not None:
        return entry.text
    words = [
        f"{n} {unit if n == 1 else unit + 's'}"
        for n, unit in ((entry.years, "year"), (entry.months, "month"), (entry.days, "day"))
        if n
    ]
    if entry.lashes is not None:
        words.append(f"{entry.lashes} lash" if entry.lashes == 1 else f"{entry.lashes} lashes")
    if entry.amount is not None:
        words.append(" ".join(filter(None, (f"{entry.amount:,}", entry.currency))))
    return " ".join(words) or None


def _hidden(c: FileCompiler, r: Any, entry: Any) -> bool:
    """Whether a statement an entry makes on its public event must stay out of the public view."""
    return c.record_visibility(r) == "public" and c.entry_visibility(r, entry) != "public"


def _sources(
    c: FileCompiler, claim: URIRef, entry: Any, r: Any, raw: YamlMap, loc: tuple[int | str, ...]
) -> None:
    """The entry's own sources, else the event's, marked as inherited (as link claims are)."""
    c.graph.add((claim, CG.confidence, Literal(entry.confidence or r.confidence or "reported")))
    if entry.sources:
        c.refs(claim, CG.source, entry.sources, CG.Source, r.id, raw, (*loc, "sources"))
        return
    c.graph.add((claim, CG.sourcesInherited, Literal(True)))
    for source in r.sources:
        c.graph.add((claim, CG.source, ID[source]))


def charges(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap) -> None:
    """``cg:charge`` for each charge; a mapping adds a charge claim with the source's wording."""
    for i, item in enumerate(r.charges):
        entry = item if isinstance(item, ChargeEntry) else None
        loc: tuple[int | str, ...] = ("charges", i, "term") if entry else ("charges", i)
        concept = c.concept(CGV.Charges, entry.term if entry else item, r.id, raw, loc)
        if concept is None:
            continue
        if entry is None:
            c.graph.add((node, CG.charge, concept))
            continue
        hidden = _hidden(c, r, entry)
        c.graph.add((node, CG.charge, concept), hidden)
        claim = c.sub_claim(r, "charge", i + 1, CG.ChargeClaim, entry)
        c.graph.add((node, CG.chargeClaim, claim), hidden)
        c.graph.add((claim, CG.about, node))
        c.graph.add((claim, CG.charge, concept))
        if entry.wording is not None:
            c.graph.add((claim, CG.wording, Literal(entry.wording, lang=entry.lang)))
        elif entry.lang is not None:
            message = "'lang' is the language of 'wording': give the wording too, or leave it out"
            c.problem(raw, ("charges", i, "lang"), message, r.id)
        _sources(c, claim, entry, r, raw, ("charges", i))


def _charge_terms(r: Any) -> set[str]:
    return {item.term if isinstance(item, ChargeEntry) else item for item in r.charges}


def sentence(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap) -> None:
    """The plain form as one ``cg:sentenceType``; a mapping or a list as sentence components."""
    if r.sentence is None or isinstance(r.sentence, str):
        if r.sentence is not None:
            concept = c.concept(CGV.SentenceTypes, r.sentence, r.id, raw, ("sentence",))
            if concept is not None:
                c.graph.add((node, CG.sentenceType, concept))
        if r.sentence_term is not None:
            c.graph.add((node, CG.sentenceTerm, Literal(r.sentence_term)))
        return
    if r.sentence_term is not None:
        message = (
            "'sentence_term' goes with a one-word sentence; a sentence in parts gives each part "
            "its own length (years, months, days), lashes, amount or text"
        )
        c.problem(raw, ("sentence_term",), message, r.id)
    single = isinstance(r.sentence, SentenceEntry)
    parts = [r.sentence] if single else r.sentence
    for i, part in enumerate(parts):
        loc: tuple[int | str, ...] = ("sentence",) if single else ("sentence", i)
        entry = part if isinstance(part, SentenceEntry) else SentenceEntry(term=part)
        _component(c, node, r, raw, entry, i + 1, loc, isinstance(part, str))


def _component(
    c: FileCompiler,
    node: URIRef,
    r: Any,
    raw: YamlMap,
    entry: SentenceEntry,
    number: int,
    loc: tuple[int | str, ...],
    plain: bool,
) -> None:
    """One part of a sentence: ``cgd:<event>/sentence/<number>``."""
    hidden = _hidden(c, r, entry)
    claim = c.sub_claim(r, "sentence", number, CG.SentenceComponent, entry)
    c.graph.add((node, CG.sentenceComponent, claim), hidden)
    c.graph.add((claim, CG.about, node))
    concept = c.concept(CGV.SentenceTypes, entry.term, r.id, raw, loc if plain else (*loc, "term"))
    if concept is not None:
        c.graph.add((node, CG.sentenceType, concept), hidden)  # the event's summary
        c.graph.add((claim, CG.sentenceType, concept))
    c.graph.add((claim, CG.sentenceCount, Literal(entry.count or 1)))
    length = term_length(entry.years, entry.months, entry.days)
    if length is not None:
        c.graph.add((claim, CG.termLength, Literal(length, datatype=XSD.duration)))
    elif any(n is not None for n in (entry.years, entry.months, entry.days)):
        field = next(f for f in ("years", "months", "days") if getattr(entry, f) is not None)
        message = "a length of zero: give the years, months or days of the term, above 0"
        c.problem(raw, (*loc, field), message, r.id)
    for predicate, value in ((CG.lashes, entry.lashes), (CG.amount, entry.amount)):
        if value is not None:
            c.graph.add((claim, predicate, Literal(value)))
    if entry.currency is not None:
        if entry.amount is None:
            message = "'currency' is the unit of 'amount': give the amount too"
            c.problem(raw, (*loc, "currency"), message, r.id)
        c.graph.add((claim, CG.currency, Literal(entry.currency)))
    if entry.place is not None:
        c.ref(claim, CG.place, entry.place, CG.Place, r.id, raw, (*loc, "place"))
    if entry.place_text is not None:
        c.graph.add((claim, CG.placeText, Literal(entry.place_text)))
    if entry.for_charge is not None:
        _for_charge(c, claim, r, raw, entry.for_charge, (*loc, "for_charge"))
    text = term_text(entry)
    if text is not None:
        c.graph.add((claim, CG.sentenceTerm, Literal(text)))
    _sources(c, claim, entry, r, raw, loc)


def _for_charge(
    c: FileCompiler, claim: URIRef, r: Any, raw: YamlMap, term: str, loc: tuple[int | str, ...]
) -> None:
    """The charge a part was handed down for: one of the event's own charges."""
    concept = c.concept(CGV.Charges, term, r.id, raw, loc)
    if concept is None:
        return
    if term not in _charge_terms(r):
        known = ", ".join(sorted(_charge_terms(r))) or "none"
        message = (
            f"for_charge '{term}' is not one of this event's charges ({known}); add it to "
            "'charges' first"
        )
        c.problem(raw, loc, message, r.id)
        return
    c.graph.add((claim, CG.forCharge, concept))
