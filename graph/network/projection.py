"""Project the RDF case graph into a networkx multigraph, steered by the ontology's annotations.

Which classes become nodes (``cg:networkNode``) and which properties become edges
(``cg:networkEdge``) is read from the ontology, never listed here. Every edge keeps the claim behind
it (the record that states it) and that claim's sources; the sources themselves are kept once, in
``network.graph["sources"]``, keyed by record id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.namespaces import ID
from graph.network.facts import _T, Facts, _order, paused_gc, predicates_read
from graph.network.schema import Schema, _flag, _local, _text, read_schema

__all__ = [
    "Facts",
    "Schema",
    "node_id",
    "paused_gc",
    "predicates_read",
    "project",
    "read_schema",
]


_RECORDS = str(ID)
_SKIP = len(_RECORDS)


def node_id(iri: Node) -> str:
    """The node key of a record: its record id (the IRI after the ``cgd:`` namespace)."""
    text = str(iri)
    return text[_SKIP:] if text.startswith(_RECORDS) else text


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
    parts = sorted(data.objects(record, _T.sentenceComponent), key=str)
    if parts:
        attrs["sentence_parts"] = [_sentence_part(data, schema, part) for part in parts]
    for key, prop in (("sentence_term", _T.sentenceTerm), ("confidence", _T.confidence)):
        value = _text(data, record, prop)
        if value is not None:
            attrs[key] = value
    name = _text(data, record, _T.name) or _text(data, record, _T.label)
    if name is None and "event_label" in attrs:
        name = " ".join(filter(None, [attrs["event_label"], attrs.get("date")]))
    attrs["label"] = name or attrs["record_id"]
    return attrs


def _sentence_part(data: Facts, schema: Schema, part: Node) -> dict[str, Any]:
    """One part of an event's sentence: its kinds (notations, broader ones too), label, count
    (1 when not given) and term in words."""
    kind = data.value(part, _T.sentenceType)
    count = data.value(part, _T.sentenceCount)
    value = count.toPython() if isinstance(count, Literal) else None
    return {
        "sentences": schema.notations(kind) if kind is not None else [],
        "label": schema.label(kind) if kind is not None else None,
        "count": value if isinstance(value, int) and not isinstance(value, bool) else 1,
        "term": _text(data, part, _T.sentenceTerm),
    }


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
    _cite_contradictions(network)
    for link in sorted(data.subjects(_T.type, _T.LinkClaim), key=str):
        subject = data.value(link, _ABOUT)
        prop, target = data.value(link, _T.linkProperty), data.value(link, _T.linkTarget)
        if subject is None or prop is None or target is None:
            continue
        start = node_id(subject)
        if prop == _CONTRADICTS:  # not an edge: cited on both claims it joins
            _cite_contradiction(network, data, link, start, node_id(target))
            continue
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


def _cite_contradictions(network: nx.MultiDiGraph) -> None:
    """On each claim that another contradicts, ``contradicts_cited``: the other claim -> its
    label and the sources of the contradiction, by default the other claim's own ("inherited",
    no ``link_claim``), so that a part of the network explains it without the other node."""
    for _, attrs in network.nodes(data=True):
        for other in attrs.get("contradicts", ()):
            if other in network:
                theirs = network.nodes[other]
                attrs.setdefault("contradicts_cited", {})[other] = {
                    "label": theirs.get("label", other),
                    "sources": list(theirs.get("sources", ())),
                    "inherited": True,
                    "link_claim": None,
                }


def _cite_contradiction(network: nx.MultiDiGraph, data: Facts, link: Node, a: str, b: str) -> None:
    """A ``contradicts`` link claim's own sources (or its record's, marked inherited), kept on
    each of the two claims it joins in place of the default of :func:`_cite_contradictions`."""
    for here, other in ((a, b), (b, a)):
        cited = network.nodes[here].get("contradicts_cited", {}) if here in network else {}
        if other in cited:
            cited[other] = {
                **cited[other],
                "sources": _sources(data, link),
                "inherited": _flag(data.objects(link, _T.sourcesInherited)) is True,
                "link_claim": node_id(link),
            }


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
