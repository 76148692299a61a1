"""A file's statements on their way to the store: collected while compiling, carried as N-Triples.

Compiling a case file adds its triples to a :class:`TripleSet` (an ordered set, much lighter than
an rdflib Graph, which indexes every triple three ways). :meth:`Statements.of` then converts them
once to the engine's terms and keeps them as N-Triples bytes: compact in memory, cheap to send
between processes, and loaded by the engine's own parser without a Python object per triple.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.namespaces import CG
from graph.rdf_terms import from_engine, to_engine

__all__ = ["Statements", "TripleSet"]

_FORMAT = ox.RdfFormat.N_TRIPLES
_RECORD_ID = ox.NamedNode(str(CG.recordId))
#: Above this many statements the engine's bulk loader is used.
_BULK = 50_000

Triple = tuple[Node, Node, Node]


class TripleSet:
    """The triples a compiler adds, in the order added, each once; and which of them only
    restricted claims made (see :meth:`add`)."""

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}
        self._restricted: dict[Triple, None] = {}

    def add(self, triple: Triple, restricted: bool = False) -> None:
        """Add one triple (a repeat is ignored). A triple added with ``restricted`` stays marked
        restricted only while no public claim has made it too."""
        if restricted:
            if triple not in self._triples:
                self._restricted[triple] = None
        else:
            self._restricted.pop(triple, None)
        self._triples[triple] = None

    def restricted(self) -> list[Triple]:
        """The triples only restricted claims made, in the order added."""
        return list(self._restricted)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples


@dataclass(frozen=True)
class Statements:
    """A file's triples as N-Triples, and the part the store keeps to undo them on a reload.

    ``bookkeeping`` holds each defined node's ``cg:recordId`` statement (the node, and every
    statement about it, belongs to this file) and any statement whose subject the file does not
    define (possible in hand-written RDF), which the store copies so it can take exactly those out.
    ``restricted`` holds the statements that only restricted claims made (a restricted spelling
    of a public person, a key derived from a restricted source): the store keeps them as marks
    that keep those statements out of the public view.
    """

    data: bytes = b""
    count: int = 0
    bookkeeping: bytes = b""
    #: The engine's parser renames blank nodes, so statements with any are added term by term.
    blank_nodes: bool = False
    restricted: bytes = b""

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> Statements:
        """Convert rdflib triples to the engine's terms once, and serialise them (with the
        restricted marks of a :class:`TripleSet`)."""
        convert = _to_engine
        engine = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in triples]  # type: ignore[arg-type]
        defined = {t.subject for t in engine if t.predicate == _RECORD_ID}
        kept = [t for t in engine if t.predicate == _RECORD_ID or t.subject not in defined]
        blank = any(
            isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
            for t in engine
        )
        marks = triples.restricted() if isinstance(triples, TripleSet) else []
        marked = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in marks]  # type: ignore[arg-type]
        return cls(_serialise(engine), len(engine), _serialise(kept), blank, _serialise(marked))

    def triples(self) -> Iterator[ox.Triple]:
        """The statements as engine triples."""
        for quad in ox.parse(self.data, _FORMAT):
            yield quad.triple

    def load_into(
        self, engine: ox.Store, graph_name: ox.NamedNode | None = None, *, bulk: bool = False
    ) -> None:
        """Add the statements to ``engine`` (default graph unless named), with its bulk loader
        when they are many or ``bulk`` is asked: it is not atomic, so it is safe only on a store
        that is thrown away if anything fails, and it takes less than half the CPU time."""
        self._load(engine, self.data, graph_name, bulk)

    def load_bookkeeping_into(
        self, engine: ox.Store, graph_name: ox.NamedNode, *, bulk: bool = False
    ) -> None:
        """Add the bookkeeping statements to ``engine`` in the unit's named graph."""
        self._load(engine, self.bookkeeping, graph_name, bulk)

    def load_restricted_into(
        self, engine: ox.Store, graph_name: ox.NamedNode, *, bulk: bool = False
    ) -> None:
        """Add the restricted marks to ``engine`` in the unit's graph of marks."""
        self._load(engine, self.restricted, graph_name, bulk)

    def restricted_triples(self) -> Iterator[ox.Triple]:
        """The statements marked restricted, as engine triples."""
        if self.restricted:
            for quad in ox.parse(self.restricted, _FORMAT):
                yield quad.triple

    def _load(
        self, engine: ox.Store, data: bytes, graph_name: ox.NamedNode | None, bulk: bool
    ) -> None:
        target = graph_name if graph_name is not None else ox.DefaultGraph()
        if not data:
            return
        if self.blank_nodes:
            parsed = ox.parse(data, _FORMAT)
            engine.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed)
        elif bulk or self.count > _BULK:
            engine.bulk_load(data, _FORMAT, to_graph=target)
        else:
            engine.load(data, _FORMAT, to_graph=target)

    def graph(self) -> Graph:
        """The statements as a new rdflib Graph (for tests, small files and the Python API)."""
        graph = Graph()
        for triple in self.triples():
            graph.add(
                (
                    from_engine(triple.subject),
                    from_engine(triple.predicate),
                    from_engine(triple.object),
                )
            )
        return graph


def _to_engine(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """:func:`to_engine`, with a short cut for IRIs, most of the terms (faster than a cache)."""
    if type(term) is URIRef:
        return ox.NamedNode(term)
    return to_engine(term)


def _serialise(triples: list[ox.Triple]) -> bytes:
    data = ox.serialize(triples, format=_FORMAT) if triples else b""
    assert data is not None  # no output file was given
    return data
