"""Which claim and which sources each edge of the network cites, and each contradiction.

Runs once the projection (:mod:`graph.network.projection`) has added every node and edge: a link
claim's own sources replace its record's on the edge it states, and the claims that contradict one
another cite each other.
"""

from __future__ import annotations

import networkx as nx
from rdflib.term import Node

from graph.network.attributes import node_id, record_dates, record_sources
from graph.network.facts import _T, Facts
from graph.network.schema import _flag, _local

__all__ = ["cite_links"]

_ABOUT, _CONTRADICTS = _T.about, _T.contradicts


def cite_links(network: nx.MultiDiGraph, data: Facts) -> None:
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
        attrs["sources"] = record_sources(data, link)
        attrs["link_claim"] = node_id(link)
        attrs["sources_inherited"] = _flag(data.objects(link, _T.sourcesInherited)) is True
        attrs.update({k: v for k, v in record_dates(data, link).items() if k.startswith("date")})


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
                "sources": record_sources(data, link),
                "inherited": _flag(data.objects(link, _T.sourcesInherited)) is True,
                "link_claim": node_id(link),
            }
