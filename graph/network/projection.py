"""Project the RDF case graph into a networkx multigraph, steered by the ontology's annotations.

Which classes become nodes (``cg:networkNode``) and which properties become edges
(``cg:networkEdge``) is read from the ontology, never listed here. Every edge keeps the claim behind
it (the record that states it) and that claim's sources; the sources themselves are kept once, in
``network.graph["sources"]``, keyed by record id.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.network.attributes import (
    node_attributes,
    node_id,
    record_dates,
    record_sources,
    role_attributes,
    source_table,
)
from graph.network.citations import cite_links
from graph.network.facts import _T, Facts, paused_gc, predicates_read
from graph.network.schema import Schema, _local, read_schema

__all__ = [
    "Facts",
    "Schema",
    "node_id",
    "paused_gc",
    "predicates_read",
    "project",
    "read_schema",
]

_ABOUT, _CONTRADICTS = _T.about, _T.contradicts


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
    network = nx.MultiDiGraph(sources=source_table(data, info))
    records = {s for s in data.subjects(_T.type, None) if isinstance(s, URIRef)}
    for record in sorted(records, key=str):  # URIRefs sort as their text (rdflib's __lt__)
        classes = list(data.objects(record, _T.type))
        types = info.node_types(classes)
        if types:
            attrs = node_attributes(data, info, record, types)
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
    cite_links(network, data)
    return network


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
        extra = role_attributes(data, info, subject)
        if "role" in extra:
            label = f"{extra['role']}: {label}"
        source_key = node_id(anchor)
    claim = claims.get(subject)
    if claim is None:  # what the claim says of itself, shared by all its edges
        dates = {
            k: v
            for k, v in record_dates(data, subject).items()
            if k.startswith("date") or k == "reported"
        }
        contested = any(True for _ in data.objects(subject, _CONTRADICTS))
        claim = claims[subject] = (record_sources(data, subject), contested, dates)
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
