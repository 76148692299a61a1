"""Shortest chains between two entities, each hop explained by the claims behind it.

A chain ignores edge direction (``person <-person- sentence -court-> branch`` is a chain of two hops),
and each hop lists every claim that links its two ends, with those claims' sources. Knows only
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


@dataclass(frozen=True)
class Hop:
    """One step of a chain and the claims that support it."""

    start: str
    start_label: str
    end: str
    end_label: str
    links: list[Link]

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
                )
            )
    label = lambda n: network.nodes[n].get("label", n)  # noqa: E731
    return Hop(
        a, label(a), b, label(b), sorted(links, key=lambda link: (link.relation, link.claim))
    )


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
