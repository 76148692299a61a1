"""Narrow a projected network: entity types, a date window, one protest or campaign, evidence.

These filters work on the networkx projection only. Visibility is settled before projecting
(:func:`graph.network.build.network_from_graph` keeps public records only unless asked otherwise).
The date rules are those of ``docs/decisions/2026-12-02-time-semantics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from graph.dates import DateError, parse_date

__all__ = ["DATE_MODES", "NetworkFilter", "apply_filter", "claim_span", "evidence", "scope_of"]

#: How a window (``--from``/``--to``) meets a claim's possible dates.
DATE_MODES = ("overlap", "within")


@dataclass(frozen=True)
class NetworkFilter:
    """What to keep. Empty fields keep everything.

    ``types`` keeps nodes having any of the named types (a class includes its subclasses, so
    ``Court`` keeps branches). Dates apply to claims (events, the nodes whose class is a
    ``cg:Claim``, and all edges), each read as a span of possible days (:func:`claim_span`):
    ``as_of`` keeps claims whose earliest possible day is on or before it; ``start``/``end`` keep
    claims whose span overlaps the window (``dates="overlap"``) or lies inside it
    (``dates="within"``). Undated claims are left out unless ``include_undated``. Under a date
    filter any other node appears only if a kept claim mentions it (or its own start date passes):
    a node exists from its earliest claim. ``within`` is the node id of a protest or campaign
    (see :func:`scope_of`). ``min_rank`` and ``min_independent`` apply to claims: events and
    edges need a source with at least that reliability rank and that many independent sources.
    """

    types: frozenset[str] = field(default_factory=frozenset)
    as_of: date | None = None
    start: date | None = None
    end: date | None = None
    within: str | None = None
    min_rank: int = 0
    min_independent: int = 0
    include_undated: bool = False
    dates: str = "overlap"

    @property
    def timed(self) -> bool:
        """Whether any date filter is set."""
        return any(d is not None for d in (self.as_of, self.start, self.end))


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


def claim_span(attrs: dict[str, Any]) -> tuple[date | None, date | None] | None:
    """The days a claim may have happened on, as (first, last); None when it has no date.

    A side left open (``before X``: no first day; ``after X``: no last day) is None. A claim
    with only a reported date happened on or before it: its span is (None, last day reported).
    """
    first = _bound(attrs.get("date_earliest") or attrs.get("date") or attrs.get("start"), True)
    last = _bound(attrs.get("date_latest") or attrs.get("date") or attrs.get("end"), False)
    if first is None and last is None:
        last = _bound(attrs.get("reported"), False)
        if last is None:
            return None
    return first, last


def _in_time(attrs: dict[str, Any], rule: NetworkFilter) -> bool:
    """Whether a claim passes the date rules (always, when no date filter is set)."""
    if not rule.timed:
        return True
    span = claim_span(attrs)
    if span is None:
        return rule.include_undated
    first, last = span
    # Open on the left (before X, reported only): placed at the day it is known to have happened by.
    placed = first if first is not None else last
    assert placed is not None
    if rule.as_of is not None and placed > rule.as_of:
        return False
    if rule.dates == "within":
        if rule.start is not None and placed < rule.start:
            return False
        return rule.end is None or (last is not None and last <= rule.end)
    if rule.end is not None and placed > rule.end:
        return False
    return rule.start is None or last is None or last >= rule.start


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


def _existing(network: nx.MultiDiGraph, rule: NetworkFilter) -> set[str]:
    """The nodes that exist under the rule: kept claims, and the nodes a kept claim mentions.

    Without a date filter every node that is not a claim exists, as before any filtering.
    """
    claims = {
        n for n, a in network.nodes(data=True) if a.get("claim") and _claim_ok(network, a, rule)
    }
    if not rule.timed:
        return claims | {n for n, a in network.nodes(data=True) if not a.get("claim")}
    alive = set(claims)
    for node, attrs in network.nodes(data=True):
        if not attrs.get("claim") and claim_span(attrs) is not None and _in_time(attrs, rule):
            alive.add(node)  # its own start date (a campaign's, a protest's) is a claim about it
    for u, v, attrs in network.edges(data=True):
        ends = (u, v)
        if any(network.nodes[n].get("claim") and n not in claims for n in ends):
            continue
        if _claim_ok(network, attrs, rule):
            alive.update(ends)
    return alive


def apply_filter(network: nx.MultiDiGraph, rule: NetworkFilter) -> nx.MultiDiGraph:
    """A filtered copy of ``network``."""
    keep = _existing(network, rule)
    if rule.within is not None:
        keep &= scope_of(network, rule.within)
    if rule.types:
        keep = {n for n in keep if rule.types.intersection(network.nodes[n]["types"])}
    result = network.subgraph(keep).copy()
    result.graph = dict(network.graph)
    drop = [
        (u, v, k)
        for u, v, k, attrs in result.edges(keys=True, data=True)
        if not _claim_ok(network, attrs, rule)
    ]
    result.remove_edges_from(drop)
    return result
