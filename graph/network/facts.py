"""The statements a projection reads, indexed by predicate then subject, and how to read them fast.

A projection looks only at the predicates listed here (and the ontology's edge and anchor
properties); :class:`Facts` holds them with the small part of rdflib's ``Graph`` API it uses.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graph.namespaces import CG
from graph.network.schema import Schema

__all__ = ["READ", "Facts", "paused_gc", "predicates_read"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, then restore its state.

    A projection allocates millions of lists, dicts and tuples and frees almost none, so the
    collector's full passes over them find nothing to free (about a third of the time at a million
    statements). Reference counting still frees everything as usual; what cycles the block leaves
    are collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _T:
    """The terms the projection looks up, made once: ``CG.x`` builds a new URIRef on every use,
    and a dict lookup with an equal but not identical key runs rdflib's ``__eq__`` in Python."""

    Claim = CG.Claim
    LinkClaim = CG.LinkClaim
    Source = CG.Source
    about = CG.about
    charge = CG.charge
    confidence = CG.confidence
    contradicts = CG.contradicts
    date = CG.date
    dateEarliest = CG.dateEarliest
    dateLatest = CG.dateLatest
    endDate = CG.endDate
    eventType = CG.eventType
    independenceKey = CG.independenceKey
    linkProperty = CG.linkProperty
    linkTarget = CG.linkTarget
    name = CG.name
    publishedDate = CG.publishedDate
    publisher = CG.publisher
    recordId = CG.recordId
    reliability = CG.reliability
    reportedDate = CG.reportedDate
    role = CG.role
    roleText = CG.roleText
    sentenceComponent = CG.sentenceComponent
    sentenceCount = CG.sentenceCount
    sentenceTerm = CG.sentenceTerm
    sentenceType = CG.sentenceType
    source = CG.source
    sourcesInherited = CG.sourcesInherited
    startDate = CG.startDate
    title = CG.title
    url = CG.url
    type = RDF.type
    label = RDFS.label


# The statements a projection reads: everything else in the data is never looked at.
READ = (
    _T.type,
    _T.label,
    _T.about,
    _T.charge,
    _T.confidence,
    _T.contradicts,
    _T.date,
    _T.dateEarliest,
    _T.dateLatest,
    _T.endDate,
    _T.eventType,
    _T.independenceKey,
    _T.linkProperty,
    _T.linkTarget,
    _T.name,
    _T.publishedDate,
    _T.publisher,
    _T.recordId,
    _T.reliability,
    _T.reportedDate,
    _T.role,
    _T.roleText,
    _T.sentenceComponent,
    _T.sentenceCount,
    _T.sentenceTerm,
    _T.sentenceType,
    _T.source,
    _T.sourcesInherited,
    _T.startDate,
    _T.title,
    _T.url,
)


def _order(term: Node) -> tuple[str, str]:
    return type(term).__name__, str(term)


class Facts:
    """The statements of some predicates, indexed by predicate then subject.

    A projection reads its data through this small part of rdflib's ``Graph`` API; asking for a
    predicate that was not indexed is an error (a ``KeyError``), never a silent empty answer.
    """

    def __init__(self, predicates: Iterable[URIRef]) -> None:
        self._index: dict[Node, dict[Node, list[Node]]] = {p: {} for p in predicates}

    @property
    def predicates(self) -> frozenset[Node]:
        """The predicates indexed."""
        return frozenset(self._index)

    @classmethod
    def from_graph(cls, data: Graph, predicates: Iterable[URIRef]) -> Facts:
        """The statements of ``data`` with the given predicates."""
        facts = cls(predicates)
        for predicate in facts._index:
            for subject, value in data.subject_objects(predicate):
                facts.add(subject, predicate, value)
        return facts

    def add(self, subject: Node, predicate: Node, value: Node) -> None:
        """Add one statement (a repeated statement is kept once)."""
        by_subject = self._index[predicate]
        values = by_subject.get(subject)
        if values is None:
            by_subject[subject] = [value]
        elif value not in values:
            values.append(value)

    def statements(self, predicate: Node) -> dict[Node, list[Node]]:
        """The index of ``predicate`` itself, subject to values: for a reader that fills it with
        statements it knows to be new, skipping :meth:`add`'s check for repeats."""
        return self._index[predicate]

    def objects(self, subject: Node, predicate: Node) -> Sequence[Node]:
        """The values of ``predicate`` on ``subject``."""
        return self._index[predicate].get(subject, ())

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One value of ``predicate`` on ``subject`` (the first in a fixed order), or None."""
        values = self._index[predicate].get(subject)
        if not values:
            return None
        return values[0] if len(values) == 1 else min(values, key=_order)

    def subjects(self, predicate: Node, value: Node | None = None) -> Iterator[Node]:
        """The subjects having ``predicate`` (with ``value``, if given)."""
        for subject, values in self._index[predicate].items():
            if value is None or value in values:
                yield subject

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """Every (subject, value) pair of ``predicate``."""
        for subject, values in self._index[predicate].items():
            for value in values:
                yield subject, value

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        subject, predicate, value = triple
        return value in self._index[predicate].get(subject, ())


def predicates_read(schema: Schema) -> tuple[URIRef, ...]:
    """The predicates :func:`project` reads with ``schema``."""
    return tuple(
        dict.fromkeys((*READ, *sorted(schema.edge_properties), *sorted(schema.anchors.values())))
    )
