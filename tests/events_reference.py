"""The event finder's reference: which events pass a filter, computed in plain rdflib over a
store's triples (tests/test_events_fast.py), and filter combinations drawn from the store."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache, cached_property

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph.namespaces import CG, ID

# --- the independent computation: which events pass a filter, in plain rdflib ----------------


@dataclass(eq=False)
class Plain:
    """The store's triples, and the filters' meaning written out over them."""

    graph: Graph

    def objects(self, subject: Node, *path: URIRef) -> set[Node]:
        """What a sequence of properties reaches from ``subject``."""
        found = {subject}
        for step in path:
            found = {o for s in found for o in self.graph.objects(s, step)}  # type: ignore[arg-type]
        return found

    def up(self, nodes: set[Node], link: URIRef) -> set[Node]:
        """``nodes`` and everything they reach by ``link`` repeated (skos:broader, cg:partOf)."""
        found, todo = set(nodes), list(nodes)
        while todo:
            for parent in self.graph.objects(todo.pop(), link):  # type: ignore[arg-type]
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    @cached_property
    def event_set(self) -> frozenset[Node]:
        return frozenset(self.graph.subjects(CG.eventType, None))

    def events(self) -> frozenset[Node]:
        return self.event_set

    @cached_property
    def reach(self) -> dict[Node, dict[str, set[Node]]]:
        """For every event, what each record or vocabulary filter can match."""
        o, up = self.objects, self.up
        return {
            event: {
                "type": up(o(event, CG.eventType), SKOS.broader),
                "person": o(event, CG.person) | o(event, CG.coDefendant),
                "court": up(o(event, CG.court), CG.partOf),
                "court_type": {
                    t for c in up(o(event, CG.court), CG.partOf) for t in o(c, CG.courtType)
                },
                "judge": o(event, CG.judge),
                "charge": up(o(event, CG.charge), SKOS.broader),
                "sentence": up(
                    o(event, CG.sentenceType) | o(event, CG.sentenceComponent, CG.sentenceType),
                    SKOS.broader,
                ),
                "prison": o(event, CG.place) | o(event, CG.participatingPrison),
                "place": up(o(event, CG.place), CG.partOf) | o(event, CG.participatingPrison),
                "protest": up(o(event, CG.protest) | o(event, CG.case, CG.protest), CG.partOf),
                "campaign": o(event, CG.campaign),
                "documented_by": o(event, CG.documentedBy) | o(event, CG.source, CG.publishedBy),
                "ranks": o(event, CG.source, CG.reliability, CG.rank),
                "people": o(event, CG.person),
                "contradicts": o(event, CG.contradicts)
                | set(self.graph.subjects(CG.contradicts, event)),
            }
            for event in self.events()
        }

    @cache  # noqa: B019 (one Plain per test)
    def ruled(self, outcome: Node) -> set[Node]:
        """The people of the events of type ``outcome`` (or narrower)."""
        return {
            p for facts in self.reach.values() if outcome in facts["type"] for p in facts["people"]
        }

    def passes(self, event: Node, name: str, value: Node) -> bool:
        """Whether ``event`` passes the filter ``name`` (an EventFilters field) of ``value``."""
        mine = self.reach[event]
        if name == "outcome":  # every event of the people who had a ruling of that type
            return bool(mine["people"] & self.ruled(value))
        if name == "min_reliability":
            return any(int(r) >= int(value) for r in mine["ranks"])  # type: ignore[call-overload]
        if name == "contested":
            return bool(mine["contradicts"])
        return value in mine[name]

    @cache  # noqa: B019 (one Plain per test)
    def days(self, event: Node) -> tuple[str | None, str | None]:
        """(first day, last day) of an event, by the rules of the time-semantics decision."""

        def one(prop: URIRef) -> str | None:
            values = {str(v) for v in self.graph.objects(event, prop)}  # type: ignore[arg-type]
            assert len(values) <= 1, f"{event} has several {prop}"
            return values.pop() if values else None

        earliest, latest, reported = (
            one(CG.dateEarliest),
            one(CG.dateLatest),
            one(CG.reportedDate),
        )
        reported_day = reported
        if reported is not None and len(reported) in (4, 7):
            reported_day = reported + ("-12-31" if len(reported) == 4 else "-31")
        dated = earliest is not None or latest is not None
        last = latest if dated else reported_day
        return (earliest if earliest is not None else last), last

    def in_window(self, event: Node, start: str | None, end: str | None, undated: bool) -> bool:
        first, last = self.days(event)
        if first is None:
            return undated or (start is None and end is None)
        after = start is None or last is None or last >= start
        before = end is None or first <= end
        return after and before


# --- filter combinations, drawn from the store itself ------------------------------------------


def _spread(values: Collection[object], count: int) -> list[object]:
    """``count`` of ``values``, spread over their sorted order."""
    ordered = sorted(values, key=str)
    step = max(1, len(ordered) // count)
    return ordered[::step][:count]


def record_id(node: Node) -> str:
    return str(node).removeprefix(str(ID))


def _notation(graph: Graph, concept: Node) -> str | None:
    value = graph.value(concept, SKOS.notation)  # type: ignore[arg-type]
    return None if value is None else str(value)


def filter_values(plain: Plain) -> dict[str, list[object]]:
    """A few values of every filter that some event uses (ids and notations, as typed)."""
    graph, events = plain.graph, plain.events()

    def used(*path: URIRef) -> set[Node]:
        return {v for e in events for v in plain.objects(e, *path)}

    vocab: dict[str, set[Node]] = {
        "type": plain.up(used(CG.eventType), SKOS.broader),
        "charge": plain.up(used(CG.charge), SKOS.broader),
        "sentence": plain.up(
            used(CG.sentenceType) | used(CG.sentenceComponent, CG.sentenceType), SKOS.broader
        ),
        "court_type": {
            t for c in plain.up(used(CG.court), CG.partOf) for t in plain.objects(c, CG.courtType)
        },
        "outcome": used(CG.eventType),
    }
    records: dict[str, set[Node]] = {
        "person": used(CG.person),
        "court": plain.up(used(CG.court), CG.partOf),
        "judge": used(CG.judge),
        "prison": used(CG.participatingPrison) | used(CG.place),
        "place": plain.up(used(CG.place), CG.partOf),
        "protest": plain.up(used(CG.protest) | used(CG.case, CG.protest), CG.partOf),
        "campaign": used(CG.campaign),
        "documented_by": used(CG.documentedBy) | used(CG.source, CG.publishedBy),
    }
    values: dict[str, list[object]] = {}
    for name, concepts in vocab.items():
        notations = {_notation(graph, c) for c in concepts} - {None}
        values[name] = _spread(notations, 4)
    for name, nodes in records.items():  # records the view names (an event may name a hidden one)
        named = {n for n in nodes if (n, CG.recordId, None) in graph}
        values[name] = [record_id(n) for n in _spread(named, 3)]  # type: ignore[arg-type]
    values["min_reliability"] = ["high", "medium"]
    values["contested"] = [True]
    return values


WINDOWS: list[dict[str, object]] = [
    {"start": "2023-01-01", "end": "2023-03-31"},
    {"start": "2022-10", "end": "2023"},
    {"start": "2024-06-01"},
    {"end": "2022-12-31", "include_undated": True},
]


def combinations(values: dict[str, list[object]]) -> Iterator[dict[str, object]]:
    """Each filter alone, each with a type and with a date window, half the pairs, some triples."""
    names = sorted(values)
    for name in names:
        for value in values[name]:
            yield {name: value}
    yield from WINDOWS
    for name in names:
        first = values[name][0] if values[name] else None
        if first is None:
            continue
        for kind in values["type"][:2]:
            if name != "type":
                yield {name: first, "type": kind}
        yield {name: first, **WINDOWS[len(name) % len(WINDOWS)]}
    for a, b in list(itertools.combinations(names, 2))[::2]:
        if values[a] and values[b]:
            yield {a: values[a][-1], b: values[b][-1]}
    for a, b, c in itertools.combinations(["person", "court", "type", "judge", "charge"], 3):
        if values[a] and values[b] and values[c]:
            yield {a: values[a][0], b: values[b][0], c: values[c][0]}
