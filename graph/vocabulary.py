"""The vocabulary notations case files may use: installed ones, and concepts added beside the data.

A data folder may carry its own vocabulary additions: an RDF file whose every subject is a
``skos:Concept`` (see ``docs/format.md``, "Vocabularies"). Each added concept must name one
casegraph scheme, a notation not used in that scheme with another meaning, an English
``skos:prefLabel`` and a ``skos:definition``; a concept that would have no effect is a problem,
never silence. Added concepts are loaded as their own load unit, like any file, and so are listed,
validated against and exported from the store.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.errors import CasegraphError, Problem
from graph.namespaces import CGV
from graph.resources import Added, concept_for, internal_query, notations, ontology_graph

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = [
    "SCHEMES",
    "additions",
    "describe",
    "is_vocabulary",
    "store_concepts",
    "suggestions",
    "vocabulary_problems",
]

#: Short names for the concept schemes, as the ``vocab`` command takes them.
SCHEMES = {
    "charges": CGV.Charges,
    "sentences": CGV.SentenceTypes,
    "events": CGV.EventTypes,
    "roles": CGV.Roles,
    "attributes": CGV.Attributes,
    "courts": CGV.CourtTypes,
    "reliability": CGV.Reliability,
}
_NOTATION = re.compile(r"[a-z][a-z0-9_]*")
_ADD = "(see docs/format.md, 'Vocabularies')"
_SKOS_PROPERTIES = (
    SKOS.inScheme,
    SKOS.notation,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.definition,
    SKOS.broader,
    SKOS.narrower,
    SKOS.topConceptOf,
)


def is_vocabulary(graph: Graph, scan: bool = True) -> bool:
    """Whether an RDF file speaks of SKOS concepts (a concept, a SKOS property or, with ``scan``,
    a subject in the vocabulary namespace), so that its concepts must be checked as added ones.

    Without ``scan`` only the graph's indexes are asked, so a big data file costs nothing here.
    """
    if (None, RDF.type, SKOS.Concept) in graph or any(
        (None, p, None) in graph for p in _SKOS_PROPERTIES
    ):
        return True
    concepts = str(CGV._NS)
    return scan and any(str(s).startswith(concepts) for s in graph.subjects(unique=True))


def _line(text: str, concept: URIRef) -> int | None:
    """The first line of ``text`` that names the concept (by full IRI or by its local name)."""
    local = re.split(r"[#/]", str(concept))[-1]
    for number, line in enumerate(text.splitlines(), start=1):
        if str(concept) in line or re.search(rf":{re.escape(local)}(?![\w-])", line):
            return number
    return None


def _english(graph: Graph, concept: URIRef, predicate: URIRef) -> str | None:
    for value in graph.objects(concept, predicate):
        if isinstance(value, Literal) and value.language in ("en", None) and str(value).strip():
            return str(value)
    return None


def vocabulary_problems(graph: Graph, name: str, text: str, known: Added) -> list[Problem]:
    """Why the concepts of a vocabulary file would not work as added notations (empty if they do).

    ``known`` holds concepts already added (by the store or other files of the batch): a notation
    of theirs may be repeated only by the same concept.
    """
    installed = set(ontology_graph().subjects(RDF.type, SKOS.Concept))
    schemes = {str(iri): short for short, iri in SCHEMES.items()}
    concepts = set(graph.subjects(RDF.type, SKOS.Concept)) | set(
        graph.subjects(SKOS.inScheme, None)
    )
    problems = []
    for subject in sorted(set(graph.subjects()) - concepts, key=str):
        problems.append(
            Problem(
                name,
                _line(text, subject) if isinstance(subject, URIRef) else None,
                f"{subject} is an installed concept; a vocabulary file cannot change it, only "
                f"add concepts with IRIs of their own {_ADD}"
                if subject in installed
                else f"{subject} is not a skos:Concept; a vocabulary file holds only concepts {_ADD}",
            )
        )
    for concept in sorted(concepts, key=str):
        if not isinstance(concept, URIRef):
            problems.append(
                Problem(name, None, "a concept needs an IRI (cgv:...), not a blank node")
            )
            continue

        def say(what: str, concept: URIRef = concept) -> None:
            problems.append(
                Problem(name, _line(text, concept), f"concept {concept}: {what} {_ADD}")
            )

        if concept in installed:
            say("is an installed concept; added concepts need an IRI of their own")
            continue
        in_schemes = list(graph.objects(concept, SKOS.inScheme))
        found = list(graph.objects(concept, SKOS.notation))
        if not in_schemes:
            say(
                "has no skos:inScheme, so no case file could use it; add one of the schemes cgv:"
                + ", cgv:".join(iri.split("#")[-1] for iri in SCHEMES.values())
            )
        elif len(in_schemes) > 1 or str(in_schemes[0]) not in schemes:
            say(
                f"skos:inScheme must be one casegraph scheme (one of {', '.join(SCHEMES)}), "
                f"not {', '.join(map(str, in_schemes))}"
            )
        if len(found) != 1 or not _NOTATION.fullmatch(str(found[0])):
            say('needs exactly one skos:notation, lower case, such as "prison_protest"')
        if (concept, RDF.type, SKOS.Concept) not in graph:
            say("needs 'a skos:Concept'")
        if _english(graph, concept, SKOS.prefLabel) is None:
            say("needs an English skos:prefLabel")
        if _english(graph, concept, SKOS.definition) is None:
            say("needs a skos:definition that says, in plain words, when to use it")
        if len(in_schemes) == 1 and len(found) == 1:
            scheme, notation = URIRef(str(in_schemes[0])), str(found[0])
            other = concept_for(scheme, notation, known)
            if other is not None and other != concept:
                say(
                    f"the notation '{notation}' already means {other} in this scheme; "
                    "choose another notation"
                )
    return problems


def additions(graph: Graph) -> dict[tuple[str, str], str]:
    """The (scheme, notation) → concept map of the added concepts of a graph (not installed ones)."""
    installed = set(ontology_graph().subjects(RDF.type, SKOS.Concept))
    found = {}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        if concept in installed or not isinstance(concept, URIRef):
            continue
        for notation in graph.objects(concept, SKOS.notation):
            found[(str(scheme), str(notation))] = str(concept)
    return found


def store_concepts(store: CaseStore | None) -> Graph:
    """The concepts a store holds beyond the installed ones (empty without a store)."""
    if store is None or not store.exists:
        return Graph()
    concepts = store.construct(internal_query("vocabulary-concepts"))
    installed = set(ontology_graph().subjects(RDF.type, SKOS.Concept))
    for concept in installed & set(concepts.subjects()):
        concepts.remove((concept, None, None))
    return concepts


def describe(scheme: str | None = None, store: CaseStore | None = None) -> str:
    """The notations of one scheme (or all), each with its labels and its definition; with a
    store, the concepts added beside the data too.

    >>> "moharebeh" in describe("charges")
    True
    """
    if scheme is not None and scheme not in SCHEMES:
        raise CasegraphError(f"unknown vocabulary '{scheme}'; choose one of {', '.join(SCHEMES)}")
    added = store_concepts(store)
    vocab = ontology_graph() + added
    extra: Mapping[tuple[str, str], str] = additions(added)
    lines: list[str] = []
    for name, iri in SCHEMES.items():
        if scheme is not None and name != scheme:
            continue
        lines.append(f"{name} ({vocab.value(iri, RDFS.comment)})")
        for notation in notations(iri, extra):
            concept = concept_for(iri, notation, extra)
            labels = {
                lit.language: str(lit)
                for lit in vocab.objects(concept, SKOS.prefLabel)
                if isinstance(lit, Literal)
            }
            persian = f"  {labels['fa']}" if "fa" in labels else ""
            origin = "  (added beside the data)" if (str(iri), notation) in extra else ""
            lines.append(f"  {notation:<28} {labels.get('en', '')}{persian}{origin}")
            definition = _english(vocab, concept, SKOS.definition)  # type: ignore[arg-type]
            if definition:
                lines.append(f"  {'':<28}   {definition}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _words(notation: str) -> set[str]:
    return set(notation.split("_"))


def _written(word: str, typed: set[str]) -> bool:
    """Whether the user wrote ``word`` (or a misspelling of it)."""
    return any(difflib.SequenceMatcher(None, word, t).ratio() >= 0.75 for t in typed)


def suggestions(
    scheme: URIRef, typed: str, added: Added | None = None
) -> tuple[list[str], list[str]]:
    """Notations to offer for a misspelt ``typed`` (closest first), and the more specific ones
    withheld because they would add a fact the user did not write.

    A concept is more specific than what was typed when it narrows a neutral term (a broader
    concept, or a notation made of part of its words) by words the user did not type: for
    ``supreme_court``, ``supreme_court_upheld`` adds an outcome, so the neutral
    ``supreme_court_ruling`` is offered instead.
    """
    known = notations(scheme, added)
    vocab = ontology_graph()
    words = _words(typed)
    offered: list[str] = []
    withheld: list[str] = []
    for candidate in difflib.get_close_matches(typed, known, n=6, cutoff=0.6):
        concept = concept_for(scheme, candidate, added)
        # the neutral terms this one narrows: its broader concepts, and the notations made of a
        # part of its words (``protest`` for ``protest_start``)
        parents = [
            str(n)
            for broader in vocab.objects(concept, SKOS.broader)
            for n in vocab.objects(broader, SKOS.notation)
            if (broader, SKOS.inScheme, scheme) in vocab
        ] + [n for n in known if _words(n) < _words(candidate)]
        adds = [
            p for p in parents if not all(_written(w, words) for w in _words(candidate) - _words(p))
        ]
        if adds:
            withheld.append(candidate)
            offered += [p for p in adds if p not in withheld]
        else:
            offered.append(candidate)
    unique = list(dict.fromkeys(o for o in offered if o not in withheld))
    return unique[:3], sorted(withheld)
