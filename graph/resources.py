"""The one place that finds and parses the files in ``ontology/`` (ontology, vocabularies, shapes, queries)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.namespaces import CG

__all__ = [
    "ONTOLOGY_FILES",
    "Added",
    "concept_for",
    "event_class",
    "internal_query",
    "notations",
    "ontology_dir",
    "ontology_graph",
    "queries_dir",
    "reliability_rank",
    "shapes_graph",
]

#: Files whose triples every store holds (loaded under the builtin ontology unit).
ONTOLOGY_FILES = ("casegraph.ttl", "vocabularies.ttl")


def ontology_dir() -> Path:
    """Where the ontology files are: beside the package in a checkout, inside it when installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "ontology", here / "_ontology"):
        if (candidate / "casegraph.ttl").is_file():
            return candidate
    raise FileNotFoundError("cannot find the casegraph ontology files (ontology/casegraph.ttl)")


def queries_dir() -> Path:
    """Where the named SPARQL queries (``*.rq``) live."""
    return ontology_dir() / "queries"


@cache
def internal_query(name: str) -> str:
    """The text of a query the library itself runs (``ontology/queries/internal/NAME.rq``)."""
    return (queries_dir() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


@cache
def ontology_graph() -> Graph:
    """The ontology and vocabularies as one graph (parsed once per process; do not modify)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes that every load is validated against (do not modify)."""
    graph = Graph()
    graph.parse(ontology_dir() / "shapes.ttl", format="turtle")
    return graph


@cache
def _concepts(scheme: URIRef) -> dict[str, URIRef]:
    vocab = ontology_graph()
    found: dict[str, URIRef] = {}
    for concept in vocab.subjects(SKOS.inScheme, scheme):
        for notation in vocab.objects(concept, SKOS.notation):
            found[str(notation)] = URIRef(str(concept))
    return found


#: Concepts added beside the data (by vocabulary files of a batch or of the store), keyed by
#: (scheme IRI, notation): plain strings, so the map can be handed to a compiling process.
Added = Mapping[tuple[str, str], str]


def _added_in(scheme: URIRef, added: Added | None) -> dict[str, URIRef]:
    return {n: URIRef(c) for (s, n), c in (added or {}).items() if s == str(scheme)}


def notations(scheme: URIRef, added: Added | None = None) -> list[str]:
    """The notations a case file may use for a scheme (installed, plus ``added``), sorted.

    >>> from graph.namespaces import CGV
    >>> "moharebeh" in notations(CGV.Charges)
    True
    """
    return sorted(_concepts(scheme).keys() | _added_in(scheme, added).keys())


def concept_for(scheme: URIRef, notation: str, added: Added | None = None) -> URIRef | None:
    """The concept of ``scheme`` whose notation is ``notation`` (installed or ``added``), or None."""
    return _concepts(scheme).get(notation) or _added_in(scheme, added).get(notation)


def event_class(concept: URIRef) -> URIRef:
    """The OWL class that events of an event-type concept belong to (declared in the vocabulary)."""
    value = ontology_graph().value(concept, CG.eventClass)
    return URIRef(str(value)) if value is not None else CG.Event


def reliability_rank(concept: URIRef) -> int:
    """The numeric rank of a reliability grade (higher is more reliable)."""
    value = ontology_graph().value(concept, CG.rank)
    return int(value) if isinstance(value, Literal) else 0
