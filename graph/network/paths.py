"""Shortest chains between two entities, each hop explained by the claims behind it.

A chain ignores edge direction (``person <-person- sentence -court-> branch`` is a chain of two hops),
and each hop lists every claim that links its two ends, with the sources that state that link: the
link's own (``cited for this link``), or its record's, marked ``inherited`` (``cited with the
record``). Events that name both ends of a hop are listed with it, with their sources. Knows only
networkx.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph.errors import CasegraphError
from graph.network.analysis import undirected

__all__ = ["Hop", "Link", "explain", "shortest_paths"]


@dataclass(frozen=True)
class Link:
    """One claim that joins two nodes: ``subject -relation-> object`` as stated by its sources."""

    subject: str
    relation: str
    object: str
    claim: str
    date: str | None
    contested: bool
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: True when the link gives no sources of its own and cites its record's ("cited with the record").
    inherited: bool = False
    #: The link claim that states this link with its own sources (None: the record states it).
    link_claim: str | None = None
    #: The claims that contradict this one, each with the sources of that contradiction.
    contradicted_by: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Hop:
    """One step of a chain and the claims that support it."""

    start: str
    start_label: str
    end: str
    end_label: str
    links: list[Link]
    #: Events that name both ends of the hop (e.g. a statement naming a campaign and a protest).
    events: list[Link] = field(default_factory=list)

    @property
    def earliest(self) -> str | None:
        """The earliest dated claim of this hop (None when no claim has a date)."""
        dates = [link.date for link in self.links if link.date]
        return min(dates) if dates else None

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for JSON output."""
        return asdict(self)


def explain(network: nx.MultiDiGraph, a: str, b: str) -> Hop:
    """The hop between adjacent nodes ``a`` and ``b``, with every claim linking them."""
    table = network.graph.get("sources", {})
    links = []
    for u, v in ((a, b), (b, a)):
        for attrs in (network.get_edge_data(u, v) or {}).values():
            sources = [{"id": s, **table.get(s, {})} for s in attrs.get("sources", ())]
            links.append(
                Link(
                    network.nodes[u].get("label", u),
                    attrs.get("label", attrs.get("relation", "")),
                    network.nodes[v].get("label", v),
                    attrs.get("claim", ""),
                    attrs.get("date_earliest"),
                    bool(attrs.get("contested")),
                    sources,
                    bool(attrs.get("sources_inherited")),
                    attrs.get("link_claim"),
                    _contradictions(network, attrs.get("claim", "")),
                )
            )
    label = lambda n: network.nodes[n].get("label", n)  # noqa: E731
    return Hop(
        a,
        label(a),
        b,
        label(b),
        sorted(links, key=lambda link: (link.relation, link.claim)),
        _naming_events(network, a, b),
    )


def _contradictions(network: nx.MultiDiGraph, claim: str) -> list[dict[str, Any]]:
    """The claims that contradict ``claim``: each with the sources of the ``contradicts`` link
    (its link claim's own; else, ``inherited``, the other claim's: cited with the record)."""
    if claim not in network:
        return []
    table = network.graph.get("sources", {})
    found = []
    for other, cited in sorted(network.nodes[claim].get("contradicts_cited", {}).items()):
        found.append(
            {
                "claim": other,
                "label": cited.get("label", other),
                "sources": [{"id": s, **table.get(s, {})} for s in cited.get("sources", ())],
                "inherited": bool(cited.get("inherited")),
                "link_claim": cited.get("link_claim"),
            }
        )
    return found


def _naming_events(network: nx.MultiDiGraph, a: str, b: str) -> list[Link]:
    """The events (claim nodes with an event type) linked to both ``a`` and ``b``."""
    table = network.graph.get("sources", {})
    around = lambda n: set(network.successors(n)) | set(network.predecessors(n))  # noqa: E731
    found = []
    for event in sorted((around(a) & around(b)) - {a, b}):
        attrs = network.nodes[event]
        if not attrs.get("claim") or "event_type" not in attrs:
            continue
        found.append(
            Link(
                network.nodes[a].get("label", a),
                attrs.get("event_label", attrs["event_type"]),
                network.nodes[b].get("label", b),
                event,
                attrs.get("date_earliest"),
                bool(attrs.get("contested")),
                [{"id": s, **table.get(s, {})} for s in attrs.get("sources", ())],
            )
        )
    return found


def _time_ordered(hops: list[Hop]) -> bool:
    dates = [h.earliest for h in hops if h.earliest]
    return dates == sorted(dates)


def shortest_paths(
    network: nx.MultiDiGraph,
    start: str,
    end: str,
    limit: int = 5,
    time_ordered: bool = False,
    search: int = 200,
) -> list[list[Hop]]:
    """Up to ``limit`` shortest chains from ``start`` to ``end``, each as a list of hops.

    With ``time_ordered``, only chains whose dated hops never go back in time are kept; they are
    looked for among the ``search`` shortest simple chains, so a longer chain may be returned.
    """
    for node in (start, end):
        if node not in network:
            raise CasegraphError(f"'{node}' is not in this network (check the filters)")
    plain = undirected(network)
    try:
        if time_ordered:
            candidates = list(islice(nx.shortest_simple_paths(plain, start, end), search))
        else:
            candidates = sorted(islice(nx.all_shortest_paths(plain, start, end), search))
        candidates.sort(key=lambda nodes: (len(nodes), nodes))
        found = []
        for nodes in candidates:
            hops = [explain(network, a, b) for a, b in pairwise(nodes)]
            if not time_ordered or _time_ordered(hops):
                found.append(hops)
            if len(found) >= limit:
                break
    except nx.NetworkXNoPath:
        return []
    return found
