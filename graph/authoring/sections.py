"""The triples of each section of a case file (the tables of docs/rdf-mapping.md), one function each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rdflib.namespace as _rdfns
from rdflib import Literal, URIRef

from graph.authoring.reader import YamlMap
from graph.names import fold
from graph.namespaces import CG, CGV, ID
from graph.resources import event_class

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["EMITTERS", "finish"]

_ANY_URI: URIRef = _rdfns.XSD.anyURI

#: The class of an organisation by its ``kind`` (docs/rdf-mapping.md, "Entities").
ORGANISATION_CLASSES = {
    "human_rights": CG.HumanRightsOrganisation,
    "news": CG.NewsOutlet,
    "state": CG.StateBody,
    "international": CG.InternationalBody,
    "other": CG.Organisation,
}


def _text(c: FileCompiler, node: URIRef, predicate: URIRef, value: str | None) -> None:
    if value is not None:
        c.graph.add((node, predicate, Literal(value)))


def _typed_date(
    c: FileCompiler, node: URIRef, predicate: URIRef, r: Any, raw: YamlMap, field: str
) -> None:
    found = c.typed_date(getattr(r, field), r.id, raw, (field,))
    if found is not None:
        c.graph.add((node, predicate, found[0]))


def _claim_fields(
    c: FileCompiler, claim: URIRef, entry: Any, r: Any, raw: YamlMap, loc: tuple
) -> None:
    """Date, confidence and sources: what role and attribute claims share with events."""
    c.full_date(claim, entry.date, r.id, raw, (*loc, "date"))
    c.graph.add((claim, CG.confidence, Literal(entry.confidence or "reported")))
    c.refs(claim, CG.source, entry.sources, CG.Source, r.id, raw, (*loc, "sources"))


def _attributes(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap) -> None:
    for i, entry in enumerate(r.attributes):
        claim = c.sub_claim(r, "attr", i + 1, CG.AttributeClaim, entry)
        c.graph.add((claim, CG.about, node))
        concept = c.concept(
            CGV.Attributes, entry.attribute, r.id, raw, ("attributes", i, "attribute")
        )
        if concept is not None:
            c.graph.add((claim, CG.attribute, concept))
        c.graph.add((claim, CG.value, Literal(entry.value)))
        _claim_fields(c, claim, entry, r, raw, ("attributes", i))


def source(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("sources", r, raw, CG.Source)
    _text(c, node, CG.title, r.title)
    _text(c, node, CG.publisher, r.publisher)
    if r.url is not None:
        _url(c, node, r.url, r.id, raw)
    found = c.typed_date(r.date, r.id, raw, ("date",))
    if found is not None:
        c.graph.add((node, CG.publishedDate, found[0]))
        c.original(node, found[1])
    _text(c, node, CG.dateBasis, r.date_basis)
    _text(c, node, CG.language, r.language)
    grade = c.concept(CGV.Reliability, r.reliability, r.id, raw, ("reliability",))
    if grade is not None:
        c.graph.add((node, CG.reliability, grade))
    if r.mirror_of is not None:
        c.ref(node, CG.mirrorOf, r.mirror_of, CG.Source, r.id, raw, ("mirror_of",))
    if r.published_by is not None:
        c.ref(node, CG.publishedBy, r.published_by, CG.Organisation, r.id, raw, ("published_by",))
    c.source_keys[r.id] = (
        node,
        source_key(r.publisher, r.published_by),
        r.mirror_of,
        r.published_by,
    )


def source_key(publisher: str, published_by: str | None) -> str:
    """A source's own independence key: its organisation's id, else its publisher folded.

    >>> source_key("Example Daily (A. Writer)", None), source_key("Example Daily", "org_x")
    ('example daily', 'org:org_x')
    """
    if published_by is not None:
        return f"org:{published_by}"  # one organisation, however its name is written
    return fold(publisher.split("(", 1)[0]) or fold(publisher)  # the publisher up to any "("


#: A web address: http or https, a host, then no spaces (the shapes' sh:pattern on cg:url says
#: the same, so YAML and RDF files are held to one rule).
_WEB_ADDRESS = re.compile(r"^https?://[^/?#\s]+([/?#]\S*)?$", re.IGNORECASE)


def _url(c: FileCompiler, node: URIRef, url: str, rid: str, raw: YamlMap) -> None:
    """A source's address, typed xsd:anyURI; only a web address (http or https, with a host)."""
    if not _WEB_ADDRESS.match(url) or any(char.isspace() for char in url):
        shown = url if len(url) <= 80 else url[:80] + "…"
        message = (
            f"'{shown}' is not a web address: a url starts with http:// or https:// and a host, "
            "such as https://example.org/page"
        )
        c.problem(raw, ("url",), message, rid)
        return
    c.graph.add((node, CG.url, Literal(url, datatype=_ANY_URI)))


def finish(c: FileCompiler) -> None:
    """What needs the whole file: ``cg:independenceKey`` of each source, following its mirrors.

    A mirror takes the key of the source it mirrors when that source is in the same file. A key
    that comes from a restricted record of the file (a mirrored source, or the organisation that
    published the source the key is taken from) is marked restricted: it names that record.
    """
    for rid, (node, key, mirror_of, published_by) in c.source_keys.items():
        seen = {rid}
        hidden = False
        while mirror_of is not None and mirror_of in c.source_keys and mirror_of not in seen:
            seen.add(mirror_of)
            hidden = hidden or mirror_of not in c.public_ids
            _, key, mirror_of, published_by = c.source_keys[mirror_of]
        if published_by is not None and published_by in c.records:
            hidden = hidden or published_by not in c.public_ids
        c.graph.add((node, CG.independenceKey, Literal(key)), hidden and rid in c.public_ids)


def organisation(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("organisations", r, raw, ORGANISATION_CLASSES[r.kind])
    c.names(node, r, raw)
    _text(c, node, CG.basedIn, r.based_in)


def court(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("courts", r, raw, CG.CourtBranch if r.branch is not None else CG.Court)
    c.names(node, r, raw)
    concept = c.concept(CGV.CourtTypes, r.type, r.id, raw, ("type",))
    if concept is not None:
        c.graph.add((node, CG.courtType, concept))
    _text(c, node, CG.branchNumber, r.branch)
    if r.part_of is not None:
        c.ref(node, CG.partOf, r.part_of, CG.Court, r.id, raw, ("part_of",))
    _text(c, node, CG.city, r.city)


def _place(section: str, cls: URIRef) -> Callable[[FileCompiler, Any, YamlMap], None]:
    def emit(c: FileCompiler, r: Any, raw: YamlMap) -> None:
        node = c.start(section, r, raw, cls)
        c.names(node, r, raw)
        _text(c, node, CG.city, r.city)

    return emit


def protest(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("protests", r, raw, CG.Protest)
    c.names(node, r, raw)
    _typed_date(c, node, CG.startDate, r, raw, "start")
    _typed_date(c, node, CG.endDate, r, raw, "end")
    _text(c, node, CG.placeText, r.place)
    if r.part_of is not None:
        c.ref(node, CG.partOf, r.part_of, CG.Protest, r.id, raw, ("part_of",))


def campaign(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("campaigns", r, raw, CG.Campaign)
    c.names(node, r, raw)
    _typed_date(c, node, CG.startDate, r, raw, "start")
    if r.origin_prison is not None:
        c.ref(node, CG.originPrison, r.origin_prison, CG.Prison, r.id, raw, ("origin_prison",))
    c.refs(
        node,
        CG.foundingParticipant,
        r.founding_participants,
        CG.Person,
        r.id,
        raw,
        ("founding_participants",),
    )
    c.refs(
        node,
        CG.participatingPrison,
        r.participating_prisons,
        CG.Prison,
        r.id,
        raw,
        ("participating_prisons",),
    )
    c.refs(node, CG.protest, r.protests, CG.Protest, r.id, raw, ("protests",))
    _attributes(c, node, r, raw)


def person(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("people", r, raw, CG.Person)
    c.names(node, r, raw)
    for i, entry in enumerate(r.roles):
        claim = c.sub_claim(r, "role", i + 1, CG.RoleClaim, entry)
        c.graph.add((claim, CG.about, node))
        concept = c.concept(CGV.Roles, entry.role, r.id, raw, ("roles", i, "role"))
        if concept is not None:
            c.graph.add((claim, CG.role, concept))
        _text(c, claim, CG.roleText, entry.text)
        if entry.at is not None:
            c.ref(
                claim, CG.atOrganisation, entry.at, CG.Organisation, r.id, raw, ("roles", i, "at")
            )
        c.refs(claim, CG.forPerson, entry.for_, CG.Person, r.id, raw, ("roles", i, "for"))
        if entry.case is not None:
            c.ref(claim, CG.inCase, entry.case, CG.Case, r.id, raw, ("roles", i, "case"))
        _claim_fields(c, claim, entry, r, raw, ("roles", i))
    _attributes(c, node, r, raw)
    c.refs(node, CG.protest, r.protests, CG.Protest, r.id, raw, ("protests",))


def case(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("cases", r, raw, CG.Case)
    c.names(node, r, raw)
    c.refs(node, CG.defendant, r.defendants, CG.Person, r.id, raw, ("defendants",))
    c.refs(node, CG.victim, r.victims, CG.Person, r.id, raw, ("victims",))
    if r.court is not None:
        c.ref(node, CG.court, r.court, CG.Court, r.id, raw, ("court",))
    _text(c, node, CG.allegedIncident, r.incident)
    c.refs(node, CG.protest, r.protests, CG.Protest, r.id, raw, ("protests",))


_EVENT_LINKS = (  # (field, property, class of the target) for the event fields that name records
    ("people", CG.person, CG.Person),
    ("co_defendants", CG.coDefendant, CG.Person),
    ("actors", CG.actor, CG.Agent),
    ("court", CG.court, CG.Court),
    ("judge", CG.judge, CG.Person),
    ("place", CG.place, CG.Place),
    ("protest", CG.protest, CG.Protest),
    ("campaign", CG.campaign, CG.Campaign),
    ("case", CG.case, CG.Case),
    ("prisons", CG.participatingPrison, CG.Prison),
    ("joined_prisons", CG.joinedPrison, CG.Prison),
    ("documented_by", CG.documentedBy, CG.Organisation),
    ("contradicts", CG.contradicts, CG.Event),
)


def event(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    concept = c.concept(CGV.EventTypes, r.type, r.id, raw, ("type",))
    node = c.start("events", r, raw, event_class(concept) if concept is not None else CG.Event)
    if concept is not None:
        c.graph.add((node, CG.eventType, concept))
    c.full_date(node, r.date, r.id, raw, ("date",))
    _text(c, node, CG.dateText, r.date_text)
    _typed_date(c, node, CG.reportedDate, r, raw, "reported")
    for field, predicate, expected in _EVENT_LINKS:
        value = getattr(r, field)
        if isinstance(value, str):
            c.ref(node, predicate, value, expected, r.id, raw, (field,))
        elif value:
            c.refs(node, predicate, value, expected, r.id, raw, (field,))
    for target in r.joined_prisons:
        c.graph.add((node, CG.participatingPrison, ID[target]))
    for target in r.contradicts:
        c.graph.add((ID[target], CG.contradicts, node))
    for i, notation in enumerate(r.charges):
        charge = c.concept(CGV.Charges, notation, r.id, raw, ("charges", i))
        if charge is not None:
            c.graph.add((node, CG.charge, charge))
    if r.sentence is not None:
        sentence = c.concept(CGV.SentenceTypes, r.sentence, r.id, raw, ("sentence",))
        if sentence is not None:
            c.graph.add((node, CG.sentenceType, sentence))
    _text(c, node, CG.sentenceTerm, r.sentence_term)
    _text(c, node, CG.placeText, r.place_text)
    for field, predicate in (("week", CG.weekNumber), ("prison_count", CG.prisonCount)):
        if getattr(r, field) is not None:
            c.graph.add((node, predicate, Literal(getattr(r, field))))
    c.graph.add((node, CG.confidence, Literal(r.confidence or "reported")))


#: The function that writes each section's records.
EMITTERS: dict[str, Callable[[FileCompiler, Any, YamlMap], None]] = {
    "sources": source,
    "organisations": organisation,
    "courts": court,
    "prisons": _place("prisons", CG.Prison),
    "places": _place("places", CG.Place),
    "protests": protest,
    "campaigns": campaign,
    "people": person,
    "cases": case,
    "events": event,
}
