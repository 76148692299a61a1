"""Project the RDF case graph into a networkx multigraph, steered by the ontology's annotations.

Which classes become nodes (``cg:networkNode``) and which properties become edges
(``cg:networkEdge``) is read from the ontology, never listed here. Every edge keeps the claim behind
it (the record that states it) and that claim's sources; the sources themselves are kept once, in
``network.graph["sources"]``, keyed by record id.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.namespaces import CG, ID

__all__ = ["Facts", "Schema", "node_id", "paused_gc", "project", "read_schema"]


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


_RECORDS = str(ID)
_SKIP = len(_RECORDS)


def node_id(iri: Node) -> str:
    """The node key of a record: its record id (the IRI after the ``cgd:`` namespace)."""
    text = str(iri)
    return text[_SKIP:] if text.startswith(_RECORDS) else text


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


def _iso(value: Node | None) -> str | None:
    return str(value) if isinstance(value, Literal) else None


_DATE, _EARLIEST, _LATEST = _T.date, _T.dateEarliest, _T.dateLatest
_START, _END, _SOURCE, _CONTRADICTS, _ABOUT = (
    _T.startDate,
    _T.endDate,
    _T.source,
    _T.contradicts,
    _T.about,
)


def _dates(data: Facts, record: Node) -> dict[str, str]:
    date = data.value(record, _DATE)
    dates = {
        "date": _iso(date),
        "date_earliest": _iso(data.value(record, _EARLIEST)),
        "date_latest": _iso(data.value(record, _LATEST)),
        "start": _iso(data.value(record, _START)),
        "end": _iso(data.value(record, _END)),
        "reported": _iso(data.value(record, _T.reportedDate)),
    }
    if dates["date_earliest"] is None and isinstance(date, Literal) and date.datatype == XSD.date:
        dates["date_earliest"] = dates["date_latest"] = str(date)
    return {k: v for k, v in dates.items() if v is not None}


def _sources(data: Facts, record: Node) -> list[str]:
    return sorted(node_id(s) for s in data.objects(record, _SOURCE))


def _source_table(data: Facts, schema: Schema) -> dict[str, dict[str, Any]]:
    table = {}
    for source in sorted(set(data.subjects(_T.type, _T.Source)), key=_order):
        grade = data.value(source, _T.reliability)
        entry = {
            "title": _text(data, source, _T.title),
            "publisher": _text(data, source, _T.publisher),
            "url": _text(data, source, _T.url),
            "published": _iso(data.value(source, _T.publishedDate)),
            "reliability": schema.notations(grade)[0] if grade is not None else None,
            "rank": schema.rank(grade),
            "independence": _text(data, source, _T.independenceKey) or node_id(source),
        }
        table[node_id(source)] = {k: v for k, v in entry.items() if v is not None}
    return table


def _node_attributes(data: Facts, schema: Schema, record: URIRef, types: list[URIRef]) -> dict:
    attrs: dict[str, Any] = {
        "iri": str(record),
        "record_id": _text(data, record, _T.recordId) or node_id(record),
        "type": _local(types[0]),
        "type_label": schema.label(types[0]),
        "types": [_local(t) for t in types],
        "sources": _sources(data, record),
        "contradicts": sorted(node_id(o) for o in data.objects(record, _T.contradicts)),
        **_dates(data, record),
    }
    attrs["contested"] = bool(attrs["contradicts"])
    kind = data.value(record, _T.eventType)
    if kind is not None:
        attrs["event_type"] = schema.notations(kind)[0] if schema.notations(kind) else _local(kind)
        attrs["event_label"] = schema.label(kind)
    charges = sorted(data.objects(record, _T.charge), key=str)
    if charges:
        attrs["charges"] = [schema.label(c) for c in charges]
    sentences = sorted(data.objects(record, _T.sentenceType), key=str)
    if sentences:
        attrs["sentences"] = sorted({n for s in sentences for n in schema.notations(s)})
        attrs["sentence_labels"] = [schema.label(s) for s in sentences]
    for key, prop in (("sentence_term", _T.sentenceTerm), ("confidence", _T.confidence)):
        value = _text(data, record, prop)
        if value is not None:
            attrs[key] = value
    name = _text(data, record, _T.name) or _text(data, record, _T.label)
    if name is None and "event_label" in attrs:
        name = " ".join(filter(None, [attrs["event_label"], attrs.get("date")]))
    attrs["label"] = name or attrs["record_id"]
    return attrs


def _role_attributes(data: Facts, schema: Schema, claim: Node) -> dict[str, str]:
    role = data.value(claim, _T.role)
    found = {"role": schema.label(role) if role is not None else None}
    found["role_text"] = _text(data, claim, _T.roleText)
    return {k: v for k, v in found.items() if v is not None}


def _text_pair(pair: tuple[Node, Node]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


def _sorted_pairs(pairs: Iterable[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """``sorted(pairs)``; when every term is a URIRef (rdflib orders those by their text) without
    calling rdflib's ``__eq__`` and ``__lt__``, which are written in Python."""
    found = list(pairs)
    if all(type(s) is URIRef and type(o) is URIRef for s, o in found):
        return sorted(found, key=_text_pair)
    return sorted(found)


def project(data: Graph | Facts, schema: Graph | None = None) -> nx.MultiDiGraph:
    """The network of ``data``: annotated classes as nodes, annotated properties as edges.

    Statements whose subject is not a node but a claim that is ``cg:about`` a node (role claims)
    are re-anchored on that node: ``judge -atOrganisation-> branch``, carrying the claim's role,
    dates and sources. A statement is dropped when a more specific edge property states the same
    link (``cg:joinedPrison`` over ``cg:participatingPrison``). Filtering by visibility is the
    caller's job (see :func:`graph.network.build.network_from_graph`).

    ``data`` is an rdflib graph or the :class:`Facts` read from one (or from a store: see
    :func:`graph.network.reading.store_facts`); both give the same network.
    """
    with paused_gc():
        return _project(data, read_schema(schema))


def _project(data: Graph | Facts, info: Schema) -> nx.MultiDiGraph:
    if not isinstance(data, Facts):
        data = Facts.from_graph(data, predicates_read(info))
    network = nx.MultiDiGraph(sources=_source_table(data, info))
    records = {s for s in data.subjects(_T.type, None) if isinstance(s, URIRef)}
    for record in sorted(records, key=str):  # URIRefs sort as their text (rdflib's __lt__)
        classes = list(data.objects(record, _T.type))
        types = info.node_types(classes)
        if types:
            attrs = _node_attributes(data, info, record, types)
            attrs["claim"] = any(info.is_a(c, _T.Claim) for c in classes)
            network.add_node(node_id(record), **attrs)
    claims: dict[Node, tuple[list[str], bool, dict[str, str]]] = {}
    for prop in sorted(info.edge_properties):
        narrower = info.sub_edges(prop)
        anchored = _anchored(data, info.anchors[prop]) if prop in info.anchors else None
        for subject, target in _sorted_pairs(data.subject_objects(prop)):
            if any((subject, p, target) in data for p in narrower):
                continue
            if anchored is None:
                _add_edge(network, data, info, subject, prop, target, claims)
                continue
            for citing in anchored.get(subject, ()):  # each claim (event) citing the source
                key = node_id(citing)
                if key in network and network.nodes[key].get("claim"):
                    _add_edge(network, data, info, citing, prop, target, claims)
    _cite_links(network, data)
    return network


def _cite_links(network: nx.MultiDiGraph, data: Facts) -> None:
    """Cite on each edge the claim that made it: a link claim's own sources where the link has
    one (``link_claim``), else its record's, marked ``sources_inherited`` when the record is an
    entity (a campaign's plain ``protests`` entry) rather than a claim (an event, a role)."""
    for _, _, attrs in network.edges(data=True):
        claim = attrs.get("claim")
        attrs["sources_inherited"] = claim in network and not network.nodes[claim].get("claim")
    for link in sorted(data.subjects(_T.type, _T.LinkClaim), key=str):
        subject = data.value(link, _ABOUT)
        prop, target = data.value(link, _T.linkProperty), data.value(link, _T.linkTarget)
        if subject is None or prop is None or target is None:
            continue
        start = node_id(subject)
        if start not in network:
            anchor = data.value(subject, _ABOUT)
            start = node_id(anchor) if anchor is not None else start
        key = f"{_local(prop)}:{node_id(subject)}"
        attrs = (network.get_edge_data(start, node_id(target)) or {}).get(key)
        if attrs is None:
            continue
        attrs["sources"] = _sources(data, link)
        attrs["link_claim"] = node_id(link)
        attrs["sources_inherited"] = _flag(data.objects(link, _T.sourcesInherited)) is True
        attrs.update({k: v for k, v in _dates(data, link).items() if k.startswith("date")})


def _anchored(data: Facts, anchor: URIRef) -> dict[Node, list[Node]]:
    """For an anchored edge property: each value of ``anchor`` -> the records that have it."""
    found: dict[Node, list[Node]] = {}
    for record, value in _sorted_pairs(data.subject_objects(anchor)):
        found.setdefault(value, []).append(record)
    return found


def _add_edge(
    network: nx.MultiDiGraph,
    data: Facts,
    info: Schema,
    subject: Node,
    prop: URIRef,
    target: Node,
    claims: dict[Node, tuple[list[str], bool, dict[str, str]]],
) -> None:
    source_key, target_key = node_id(subject), node_id(target)
    if target_key not in network:
        return
    extra: dict[str, str] = {}
    label = info.label(prop)
    if source_key not in network:
        anchor = data.value(subject, _ABOUT)
        if prop == _ABOUT or anchor is None or node_id(anchor) not in network:
            return
        extra = _role_attributes(data, info, subject)
        if "role" in extra:
            label = f"{extra['role']}: {label}"
        source_key = node_id(anchor)
    claim = claims.get(subject)
    if claim is None:  # what the claim says of itself, shared by all its edges
        dates = {
            k: v
            for k, v in _dates(data, subject).items()
            if k.startswith("date") or k == "reported"
        }
        contested = any(True for _ in data.objects(subject, _CONTRADICTS))
        claim = claims[subject] = (_sources(data, subject), contested, dates)
    attrs = {
        "relation": _local(prop),
        "label": label,
        **({"layer": info.layers[prop]} if prop in info.layers else {}),
        "claim": node_id(subject),
        "sources": list(claim[0]),
        "contested": claim[1],
        **claim[2],
        **extra,
    }
    network.add_edge(source_key, target_key, key=f"{attrs['relation']}:{attrs['claim']}", **attrs)
