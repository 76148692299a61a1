"""Who sits behind the sentences: per judge and per court (branch), what the sourced claims add up to.

Defendants are the people an event names as ``person`` or ``coDefendant``; a sentence and its
charges count only for the event's ``person``. Counts are of distinct defendants, not of events, so two contradicting claims about one sentence
count once (and are reported as contested). ``death_sentence_count`` counts death sentences: per
person the largest number any one event gives (a part "three death sentences" gives 3, a sentence
of death plus prison gives 1), summed over the people. A court's row folds in its branches' events and says
so in ``includes``. Knows only networkx; the event-type and sentence notations it looks for are
those of ``ontology/vocabularies.ttl``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from graph.network.filters import evidence

__all__ = ["AccountabilityRow", "accountability"]

DEATH_SENTENCE_EVENTS = frozenset({"death_sentence"})
DEATH_SENTENCES = frozenset({"death"})  # qisas is narrower than death, so it carries "death" too
EXECUTION_EVENTS = frozenset({"execution"})
SUPREME_COURT_EVENTS = frozenset({"supreme_court_upheld", "supreme_court_overturned"})
_DEFENDANT_RELATIONS = frozenset({"person", "coDefendant"})
_SUBJECT = frozenset(
    {"person"}
)  # a sentence and its charges concern the event's person, not co-defendants


@dataclass
class AccountabilityRow:
    """The record of one judge or one court (with its branches), every figure traceable to claims."""

    kind: str
    node: str
    label: str
    includes: list[str] = field(default_factory=list)
    defendants: list[str] = field(default_factory=list)
    death_sentences: list[str] = field(default_factory=list)
    death_sentence_count: int = 0
    executions: list[str] = field(default_factory=list)
    charges: dict[str, int] = field(default_factory=dict)
    supreme_court: dict[str, int] = field(default_factory=dict)
    claims: list[str] = field(default_factory=list)
    contested: int = 0
    sources: int = 0
    independent_sources: int = 0

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for JSON output."""
        return asdict(self)


def _targets(network: nx.MultiDiGraph, node: str, relations: frozenset[str]) -> set[str]:
    return {t for _, t, r in network.out_edges(node, data="relation") if r in relations}


def _events_at(network: nx.MultiDiGraph, node: str, relation: str) -> set[str]:
    return {s for s, _, r in network.in_edges(node, data="relation") if r == relation}


def _branches(parts: nx.DiGraph, network: nx.MultiDiGraph, court: str) -> list[str]:
    """The courts that are (transitively) part of ``court``."""
    below = nx.ancestors(parts, court) if court in parts else set()
    return sorted(p for p in below if "Court" in network.nodes[p].get("types", ()))


def _death_parts(attrs: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        part
        for part in attrs.get("sentence_parts", ())
        if DEATH_SENTENCES.intersection(part.get("sentences", ()))
    ]


def _is_death(attrs: dict[str, Any]) -> bool:
    return (
        attrs.get("event_type") in DEATH_SENTENCE_EVENTS
        or bool(DEATH_SENTENCES.intersection(attrs.get("sentences", ())))
        or bool(_death_parts(attrs))
    )


def _death_count(attrs: dict[str, Any]) -> int:
    """How many death sentences a death-sentence event gives each of its people (at least 1)."""
    return sum(int(part.get("count", 1)) for part in _death_parts(attrs)) or 1


def _row(network: nx.MultiDiGraph, kind: str, node: str, events: set[str]) -> AccountabilityRow:
    label = lambda n: network.nodes[n].get("label", n)  # noqa: E731
    row = AccountabilityRow(kind, node, label(node))
    defendants = {d for e in events for d in _targets(network, e, _DEFENDANT_RELATIONS)}
    row.defendants = sorted(label(d) for d in defendants)
    used = set(events)
    most: dict[str, int] = {}
    for event in events:
        if _is_death(network.nodes[event]):
            for person in _targets(network, event, _SUBJECT):
                most[person] = max(most.get(person, 0), _death_count(network.nodes[event]))
    row.death_sentences = sorted(label(d) for d in most)
    row.death_sentence_count = sum(most.values())
    charged: dict[str, set[str]] = defaultdict(set)
    for event in events:
        for charge in network.nodes[event].get("charges", ()):
            charged[charge] |= _targets(network, event, _SUBJECT)
    row.charges = {c: len(people) for c, people in sorted(charged.items())}
    executed: set[str] = set()
    outcomes: dict[str, set[str]] = defaultdict(set)
    for person in defendants:
        for event in _events_at(network, person, "person"):
            attrs = network.nodes[event]
            if attrs.get("event_type") in EXECUTION_EVENTS:
                executed.add(person)
                used.add(event)
            elif attrs.get("event_type") in SUPREME_COURT_EVENTS:
                outcomes[attrs.get("event_label", attrs["event_type"])].add(person)
                used.add(event)
    row.executions = sorted(label(p) for p in executed)
    row.supreme_court = {k: len(v) for k, v in sorted(outcomes.items())}
    row.claims = sorted(used)
    row.contested = sum(1 for e in used if network.nodes[e].get("contested"))
    sources = sorted({s for e in used for s in network.nodes[e].get("sources", ())})
    row.sources = len(sources)
    row.independent_sources = evidence(network, sources)[1]
    return row


def accountability(network: nx.MultiDiGraph, kind: str = "all") -> list[AccountabilityRow]:
    """Rows for every judge (``kind="judge"``), every court and branch (``"court"``), or both.

    A judge is a person some event names with ``cg:judge``; a court is any node of type Court.
    Rows come most death sentences first, then most defendants, then by label.
    """
    rows = []
    if kind in ("all", "judge"):
        judges = {t for _, t, r in network.edges(data="relation") if r == "judge"}
        rows += [_row(network, "judge", j, _events_at(network, j, "judge")) for j in judges]
    if kind in ("all", "court"):
        parts = nx.DiGraph((u, v) for u, v, r in network.edges(data="relation") if r == "partOf")
        for court, attrs in network.nodes(data=True):
            if "Court" not in attrs.get("types", ()):
                continue
            branches = _branches(parts, network, court)
            events = set().union(*(_events_at(network, c, "court") for c in [court, *branches]))
            row = _row(
                network, "court", court, {e for e in events if network.nodes[e].get("claim")}
            )
            row.includes = [network.nodes[b].get("label", b) for b in branches]
            rows.append(row)
    order = Counter({"judge": 0, "court": 1})
    return sorted(
        rows, key=lambda r: (order[r.kind], -len(r.death_sentences), -len(r.defendants), r.label)
    )
