"""What the ontology says about the network: which classes are nodes, which properties edges.

Read from the ontology's annotations (``cg:networkNode``, ``cg:networkEdge``, ``cg:networkAnchor``,
``cg:networkLayer``), never listed in code; answers about a term are worked out once per schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from graph.namespaces import CG

if TYPE_CHECKING:
    from graph.network.facts import Facts

__all__ = ["Schema", "read_schema"]


def _local(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(graph: Graph | Facts, subject: Node, predicate: URIRef) -> str | None:
    values = list(graph.objects(subject, predicate))
    if not values:
        return None
    english = [v for v in values if isinstance(v, Literal) and v.language in (None, "en")]
    return str(sorted(english or values, key=str)[0])


def _flag(values: Iterable[Node]) -> bool | None:
    for value in values:
        if isinstance(value, Literal):
            return bool(value.toPython())
    return None


def _annotated(schema: Graph, annotation: URIRef, parent: URIRef) -> frozenset[URIRef]:
    """Terms whose nearest explicit annotation (on themselves or an ancestor) is true."""
    terms = {s for s in schema.subjects(parent, None) if isinstance(s, URIRef)}
    terms |= {s for s in schema.subjects(annotation, None) if isinstance(s, URIRef)}
    chosen = set()
    for term in terms:
        frontier, seen = [term], set()
        while frontier:
            flags = [
                f for f in (_flag(schema.objects(t, annotation)) for t in frontier) if f is not None
            ]
            if flags:
                if any(flags):
                    chosen.add(term)
                break
            seen.update(frontier)
            frontier = [
                p
                for t in frontier
                for p in schema.objects(t, parent)
                if isinstance(p, URIRef) and p not in seen
            ]
    return frozenset(chosen)


def _ancestors(schema: Graph, term: URIRef, parent: URIRef) -> list[URIRef]:
    """The term and its ancestors, nearest first."""
    order, frontier = [term], [term]
    while frontier:
        frontier = [p for t in frontier for p in schema.objects(t, parent) if isinstance(p, URIRef)]
        frontier = [p for p in frontier if p not in order]
        order.extend(frontier)
    return order


@dataclass(frozen=True)
class Schema:
    """What the ontology says about the network: node classes, edge properties and their labels.

    Answers about a term (its ancestors, label, notations, node types) are worked out once per
    Schema and remembered: the ontology graph must not change while the Schema is in use.
    """

    graph: Graph
    node_classes: frozenset[URIRef]
    edge_properties: frozenset[URIRef]
    #: Edge property -> the property that links a node to its subjects (``cg:networkAnchor``).
    anchors: dict[URIRef, URIRef] = field(default_factory=dict, compare=False)
    #: Edge property -> the optional layer its edges belong to (``cg:networkLayer``).
    layers: dict[URIRef, str] = field(default_factory=dict, compare=False)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _ancestors(self, term: URIRef, parent: URIRef) -> list[URIRef]:
        key = ("ancestors", term, parent)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = _ancestors(self.graph, term, parent)
        return found

    def label(self, term: Node) -> str:
        """The English label of a class, property or concept, else its local name."""
        key = ("label", term)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = (
                _text(self.graph, term, SKOS.prefLabel)
                or _text(self.graph, term, RDFS.label)
                or _local(term)
            )
        return found

    def node_types(self, classes: Iterable[Node]) -> list[URIRef]:
        """The node classes of an instance of ``classes``, most specific first; empty if the
        instance is no node (none of its own classes is a node class, e.g. one annotated false)."""
        own = frozenset(c for c in classes if isinstance(c, URIRef) and c in self.node_classes)
        key = ("node_types", own)
        cached = self._memo.get(key)
        if cached is None:
            found: list[URIRef] = []
            for cls in sorted(own):
                for ancestor in self._ancestors(cls, RDFS.subClassOf):
                    if ancestor in self.node_classes and ancestor not in found:
                        found.append(ancestor)
            depth = {c: len(self._ancestors(c, RDFS.subClassOf)) for c in found}
            cached = self._memo[key] = tuple(sorted(found, key=lambda c: (-depth[c], str(c))))
        return list(cached)

    def is_a(self, cls: Node, ancestor: URIRef) -> bool:
        """Whether ``cls`` is ``ancestor`` or one of its subclasses."""
        return isinstance(cls, URIRef) and ancestor in self._ancestors(cls, RDFS.subClassOf)

    def sub_edges(self, prop: URIRef) -> list[URIRef]:
        """Edge properties declared (directly or not) as sub-properties of ``prop``."""
        return [
            p
            for p in self.edge_properties
            if p != prop and prop in self._ancestors(p, RDFS.subPropertyOf)
        ]

    def notations(self, concept: Node) -> list[str]:
        """The concept's notation followed by those of its broader concepts."""
        key = ("notations", concept)
        found = self._memo.get(key)
        if found is None:
            chain = self._ancestors(concept, SKOS.broader) if isinstance(concept, URIRef) else []
            found = self._memo[key] = tuple(
                str(n) for c in chain for n in self.graph.objects(c, SKOS.notation)
            )
        return list(found)

    def rank(self, concept: Node | None) -> int:
        """The cg:rank of a reliability grade (0 when unknown)."""
        value = self.graph.value(concept, CG.rank) if concept is not None else None
        return int(value) if isinstance(value, Literal) else 0


def read_schema(schema: Graph | None = None) -> Schema:
    """Read node classes and edge properties from ``schema`` (default: the shipped ontology, read
    once per process)."""
    if schema is None:
        return _shipped_schema()
    nodes = _annotated(schema, CG.networkNode, RDFS.subClassOf)
    edges = _annotated(schema, CG.networkEdge, RDFS.subPropertyOf)
    anchors = {p: a for p in edges if isinstance(a := schema.value(p, CG.networkAnchor), URIRef)}
    layers = {p: str(v) for p in edges if (v := schema.value(p, CG.networkLayer)) is not None}
    return Schema(schema, nodes, edges, anchors, layers)


@cache
def _shipped_schema() -> Schema:
    from graph.resources import ontology_graph

    return read_schema(ontology_graph())
