"""The event finder: events that pass any combination of filters, with what each one says.

Every filter is checked and resolved first (names with :func:`graph.lookup.find_entity`,
vocabulary terms by notation, dates with the case files' rules), then passed as bindings, never
as text, to one trusted query (``ontology/queries/internal/events.rq``), cut to the filters given
and started from the events of the most selective one (:mod:`graph.events_query`). Dates follow
``docs/decisions/2026-12-02-time-semantics.md``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import CasegraphError
from graph.namespaces import CGV
from graph.options import BadOption, option_day, option_term
from graph.store import CaseStore

__all__ = [
    "COLUMNS",
    "EventFilters",
    "EventTable",
    "choose_seed",
    "event_view",
    "find_events",
    "finder_rows",
]

#: The columns of the finder's answer, in order.
COLUMNS = (
    "event",
    "date",
    "date_used",
    "type",
    "people",
    "court",
    "branch",
    "judge",
    "charges",
    "sentence",
    "outcome",
    "prison",
    "protest",
    "documented_by",
    "confidence",
    "contradicts",
    "sources",
)

# (field, option, binding) of the filters that name a record, resolved by name or id.
_RECORDS = (
    ("person", "--person", "f_person"),
    ("court", "--court", "f_court"),
    ("judge", "--judge", "f_judge"),
    ("prison", "--prison", "f_prison"),
    ("place", "--place", "f_place"),
    ("protest", "--protest", "f_protest"),
    ("campaign", "--campaign", "f_campaign"),
    ("documented_by", "--documented-by", "f_org"),
)
# (field, option, binding, scheme, name of the scheme for 'casegraph vocab') of vocabulary filters.
_TERMS = (
    ("type", "--type", "f_type", CGV.EventTypes, "events"),
    ("charge", "--charge", "f_charge", CGV.Charges, "charges"),
    ("sentence", "--sentence", "f_sentence", CGV.SentenceTypes, "sentences"),
    ("court_type", "--court-type", "f_court_type", CGV.CourtTypes, "courts"),
    ("outcome", "--outcome", "f_outcome", CGV.EventTypes, "events"),
)


@dataclass(frozen=True)
class EventFilters:
    """The filters as a researcher gives them: names or ids, notations, dates as text."""

    type: str | None = None
    person: str | None = None
    court: str | None = None
    court_type: str | None = None
    judge: str | None = None
    charge: str | None = None
    sentence: str | None = None
    outcome: str | None = None
    prison: str | None = None
    place: str | None = None
    protest: str | None = None
    campaign: str | None = None
    documented_by: str | None = None
    start: str | None = None
    end: str | None = None
    include_undated: bool = False
    min_reliability: str | None = None
    contested: bool = False

    def caption(self) -> str:
        """The filters in words, stated under a table and in a view's title."""
        parts = [
            f"{name.replace('_', ' ')} {value}"
            for name, value in asdict(self).items()
            if isinstance(value, str) and name not in ("start", "end")
        ]
        if self.start or self.end:
            parts.append(f"dates overlapping {self.start or '...'} to {self.end or '...'}")
            undated = "included" if self.include_undated else "left out"
            parts.append(f"undated events {undated}, reported-only ones at their reported date")
        parts += ["contested only"] if self.contested else []
        return "filters: " + ("; ".join(parts) or "none")


@dataclass
class EventTable:
    """The events found, one row each (every value a string), with the filters applied."""

    caption: str
    rows: list[dict[str, str]] = field(default_factory=list)

    def to_csv(self) -> str:
        """CSV with a header line, every cell spreadsheet-safe."""
        from graph.outputs import csv_text

        return csv_text([list(COLUMNS), *[[row[c] for c in COLUMNS] for row in self.rows]])

    def to_json(self) -> str:
        """The filters and rows as JSON, keys sorted."""
        payload = {"filters": self.caption, "events": self.rows}
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)

    def to_text(self) -> str:
        """A table of the columns that have a value in some row, and the caption."""
        from graph.results import format_rows

        shown = [c for c in COLUMNS if any(row[c] for row in self.rows)] or ["event"]
        cells: list[dict[str, Node]] = [{c: Literal(row[c]) for c in shown} for row in self.rows]
        return f"{format_rows(shown, cells, 'table', width=40)}\n{self.caption}"


def _record(store: CaseStore, name: str, option: str) -> URIRef:
    from graph.lookup import find_entity

    if not name.strip():
        raise BadOption(f"{option}: the value is empty; give a name or a record id")
    try:
        return find_entity(store, name)
    except BadOption:
        raise
    except CasegraphError as error:
        raise BadOption(f"{option}: {error} ('casegraph search' finds names)") from None


def _rank(notation: str) -> int:
    from graph.resources import reliability_rank

    return reliability_rank(
        option_term(notation, "--min-reliability", CGV.Reliability, "reliability")
    )


def bindings_for(store: CaseStore, filters: EventFilters) -> dict[str, Node]:
    """Every filter given, checked and resolved, as the bindings of the finder's query."""
    bindings: dict[str, Node] = {}
    for name, option, variable, scheme, listing in _TERMS:
        value = getattr(filters, name)
        if value is not None:
            bindings[variable] = option_term(value, option, scheme, listing)
    start = option_day(filters.start, "--from")
    end = option_day(filters.end, "--to", last=True)
    if start is not None and end is not None and start > end:
        raise BadOption(f"--from {filters.start} comes after --to {filters.end}; swap them")
    for variable, day in (("f_from", start), ("f_to", end)):
        if day is not None:
            bindings[variable] = Literal(day.isoformat(), datatype=XSD.date)
    if filters.min_reliability is not None:
        bindings["f_rank"] = Literal(_rank(filters.min_reliability))
    if start is not None or end is not None:
        bindings["f_undated"] = Literal(filters.include_undated)
    if filters.contested:
        bindings["f_contested"] = Literal(True)
    for name, option, variable in _RECORDS:  # last: the store lookups
        value = getattr(filters, name)
        if value is not None:
            bindings[variable] = _record(store, value, option)
    return bindings


_COMMA_LISTS = ("branch", "contradicts", "sources")


def _sorted_cell(column: str, value: Node | None) -> str:
    """A cell as text; the parts of a list in a fixed order (the engine's order is arbitrary)."""
    if value is None:
        return ""
    separator = ", " if column in _COMMA_LISTS else "; "
    return separator.join(sorted(str(value).split(separator)))


def find_events(store: CaseStore, filters: EventFilters | None = None) -> EventTable:
    """The events of ``store`` (its public view, if opened so) that pass every filter, best-known
    date first, undated last; raises :class:`~graph.options.BadOption` for a bad filter value."""
    filters = filters or EventFilters()
    bindings = bindings_for(store, filters)
    if not store.exists:
        raise CasegraphError(f"the store {store.path} is empty: load some files first")
    return EventTable(filters.caption(), finder_rows(store, bindings, choose_seed(store, bindings)))


def choose_seed(store: CaseStore, bindings: dict[str, Node]) -> str | None:
    """The filter to start from: of those given that can start a search, the one with the fewest
    events (counted up to a bound; a tie goes to the template's order), None if there is none."""
    from graph.events_query import seed_probe, seeds_given

    seeds = seeds_given(bindings)
    if len(seeds) < 2:
        return next(iter(seeds), None)
    counts: dict[str, int] = {}
    for seed in seeds:
        _, rows = store.select(seed_probe(seed), {seed: bindings[seed]})
        counts[seed] = int(str(rows[0]["n"])) if rows else 0
        if counts[seed] == 0:
            break  # no event has it: starting there finds nothing, at once
    return min(counts, key=lambda seed: counts[seed]) if counts else None


def finder_rows(
    store: CaseStore, bindings: dict[str, Node], seed: str | None
) -> list[dict[str, str]]:
    """The finder's rows for resolved ``bindings``, the search starting from the events of the
    filter ``seed`` (None: every event); the seed changes the cost, never the rows."""
    from graph.events_query import events_query
    from graph.namespaces import ID

    _, found = store.select(events_query(bindings, seed), bindings)
    rows = []
    for row in found:
        cells = {c: _sorted_cell(c, row.get(c)) for c in COLUMNS}
        cells["event"] = cells["event"].removeprefix(str(ID))
        rows.append(cells)
    return rows


def event_view(
    store: CaseStore,
    table: EventTable,
    include_restricted: bool = False,
    layers: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The view data of the events found and the entities each one names (one hop); the edges of
    optional layers (e.g. ``organisations``) only if named in ``layers``."""
    from graph.network.analysis import neighbourhood
    from graph.network.build import NetworkSpec, drawn_layers, network_from_store
    from graph.network.viewdata import view_data

    network = network_from_store(store, NetworkSpec(include_restricted=include_restricted))
    network = drawn_layers(network, layers)
    events = {row["event"] for row in table.rows} & set(network)
    if not events:
        raise CasegraphError("no event found is in the network: nothing to draw")
    keep: set[str] = set()
    for event in events:
        keep |= neighbourhood(network, event, 1)
    title = f"casegraph: {len(events)} event(s) ({table.caption})"
    return view_data(network.subgraph(keep), title)
