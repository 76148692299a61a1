"""Narrow a projected network: entity types, a date window, one protest or campaign, evidence.

These filters work on the networkx projection only. Visibility is settled before projecting
(:func:`graph.network.build.network_from_graph` keeps public records only unless asked otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from graph.dates import DateError, parse_date

__all__ = ["NetworkFilter", "apply_filter", "evidence", "scope_of"]


@dataclass(frozen=True)
class NetworkFilter:
    """What to keep. Empty fields keep everything.

    ``types`` keeps nodes having any of the named types (a class includes its subclasses, so
    ``Court`` keeps branches). ``as_of`` keeps claims that may have happened by that day;
    ``start``/``end`` keep claims whose possible dates overlap the window; claims without any date
    are kept, since they cannot be placed in time. Claims are the nodes whose class is a ``cg:Claim``
    (events) and all edges. ``within`` is the node id of a protest or
    campaign (see :func:`scope_of`). ``min_rank`` and ``min_independent`` apply to claims: events
    and edges need a source with at least that reliability rank and that many independent sources.
    """

    types: frozenset[str] = field(default_factory=frozenset)
    as_of: date | None = None
    start: date | None = None
    end: date | None = None
    within: str | None = None
    min_rank: int = 0
    min_independent: int = 0


def evidence(network: nx.MultiDiGraph, source_ids: list[str]) -> tuple[int, int]:
    """The best reliability rank and the number of independent sources among ``source_ids``."""
    table = network.graph.get("sources", {})
    known = [table[s] for s in source_ids if s in table]
    best = max((s.get("rank", 0) for s in known), default=0)
    return best, len({s.get("independence", "") for s in known})


def _bound(text: str | None, first: bool) -> date | None:
    """The first or last day a stored date (a day, a month or a year) may stand for."""
    if not text:
        return None
    try:
        parsed = parse_date(text)
    except DateError:
        return None
    return parsed.earliest if first else parsed.latest


def _window(attrs: dict[str, Any]) -> tuple[date | None, date | None]:
    earliest = _bound(attrs.get("date_earliest") or attrs.get("start"), first=True)
    latest = _bound(attrs.get("date_latest") or attrs.get("end"), first=False)
    return earliest, latest


def _in_time(attrs: dict[str, Any], rule: NetworkFilter) -> bool:
    earliest, latest = _window(attrs)
    if rule.as_of and earliest and earliest > rule.as_of:
        return False
    if rule.end and earliest and earliest > rule.end:
        return False
    return not (rule.start and (latest or earliest) and (latest or earliest) < rule.start)  # type: ignore[operator]


def _claim_ok(network: nx.MultiDiGraph, attrs: dict[str, Any], rule: NetworkFilter) -> bool:
    if not _in_time(attrs, rule):
        return False
    if rule.min_rank or rule.min_independent:
        best, independent = evidence(network, attrs.get("sources", []))
        return best >= rule.min_rank and independent >= rule.min_independent
    return True


def scope_of(network: nx.MultiDiGraph, centre: str) -> set[str]:
    """The part of the network that belongs to one protest or campaign.

    Its members are the nodes linked directly to it (people, cases, events); then the events linked
    to those members, and every node those events and member cases link to (courts, judges,
    prisons, co-defendants).
    """
    plain = network.to_undirected(as_view=True)
    members = set(plain.neighbors(centre))
    events = {n for n in members if network.nodes[n].get("claim")}
    events |= {m for n in members for m in plain.neighbors(n) if network.nodes[m].get("claim")}
    hubs = events | {n for n in members if "Case" in network.nodes[n]["types"]}
    return {centre} | members | events | {m for n in hubs for m in plain.neighbors(n)}


def apply_filter(network: nx.MultiDiGraph, rule: NetworkFilter) -> nx.MultiDiGraph:
    """A filtered copy of ``network``."""
    keep = set(network)
    if rule.within is not None:
        keep &= scope_of(network, rule.within)
    if rule.types:
        keep = {n for n in keep if rule.types.intersection(network.nodes[n]["types"])}
    keep = {
        n
        for n in keep
        if not network.nodes[n].get("claim") or _claim_ok(network, network.nodes[n], rule)
    }
    keep = {n for n in keep if _in_time(network.nodes[n], rule)}
    result = network.subgraph(keep).copy()
    result.graph = dict(network.graph)
    drop = [
        (u, v, k)
        for u, v, k, attrs in result.edges(keys=True, data=True)
        if not _claim_ok(network, attrs, rule)
    ]
    result.remove_edges_from(drop)
    return result
