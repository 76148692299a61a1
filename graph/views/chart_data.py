"""The series behind ``casegraph chart``, as plain rows read through the event finder and the named
queries (public view by default), each event placed in time by the rules of
``docs/decisions/2026-12-02-time-semantics.md`` (see :func:`graph.views.timeline_data.placement`).

A chart only draws what it can place honestly. An event whose possible days cross a month boundary
(or that has no date) is left out of a monthly count; an event placed "on or before" its day (a
reported date, or ``before X``) is drawn at that day and said to be so. Every series returns what it
left out, so the caption can say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.events import EventFilters, find_events
from graph.resources import internal_query
from graph.store import CaseStore
from graph.views.timeline_data import placement

__all__ = ["Series", "campaign_weeks", "sentences_per_month", "time_to_execution"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BASIS = {
    "exact": "dated",
    "range": "a span of days (its first day)",
    "on-or-before": "on or before",
    "reported": "on or before (reported date)",
    "on-or-after": "on or after",
}


@dataclass
class Series:
    """Rows to draw, what was left out (with why), and the sources behind the rows drawn."""

    rows: list[dict[str, object]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


def _dates(store: CaseStore) -> dict[str, dict[str, str]]:
    _, rows = store.select(internal_query("timeline-dates"))
    return {
        str(row["id"]): {k: str(v) for k, v in row.items() if v is not None and k != "event"}
        for row in rows
    }


def _cited(row: dict[str, str]) -> set[str]:
    return {s for s in row["sources"].split(", ") if s}


def sentences_per_month(store: CaseStore, by: str | None) -> Series:
    """Death sentences and executions, one row per event placed in a known month."""
    dates, series = _dates(store), Series()
    for notation, what in (("death_sentence", "death sentences"), ("execution", "executions")):
        for row in find_events(store, EventFilters(type=notation)).rows:
            place = placement(dates.get(row["event"], {}))
            last = place.get("end", place["start"]) if place else ""
            if place is None or (
                place["kind"] == "range" and _month(last, -1) != place["start"][:7]
            ):
                why = "no date" if place is None else "its possible days span more than a month"
                series.left_out.append(f"{row['event']} ({why})")
                continue
            group = (row[by] or f"{by} not recorded") if by else _BASIS[place["kind"]]
            series.rows.append(
                {
                    "month": place["start"][:7],
                    "what": what,
                    "group": group,
                    "basis": _BASIS[place["kind"]],
                    "event": row["event"],
                    "people": row["people"],
                }
            )
            series.sources |= _cited(row)
    return series


def _month(day: str, shift_days: int) -> str:
    """The month of ``day`` moved by ``shift_days`` (a range's end is the day after its last)."""
    import datetime

    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=shift_days)).isoformat()[:7]


def campaign_weeks(store: CaseStore, campaign: str | None) -> Series:
    """A campaign's weeks (``campaign-prisons-by-week``): the prisons counted and named per week."""
    from graph.queries import bind_parameters, named_query

    query = named_query("campaign-prisons-by-week")
    bindings = bind_parameters(query.parameters, {"campaign": campaign} if campaign else {})
    _, found = store.select(query.text, bindings)
    series = Series()
    for row in found:
        date = str(row.get("date") or "")
        label = f"week {row['week']}" if row.get("week") is not None else "week (no number)"
        if not _DAY.match(date):
            series.left_out.append(f"{row['campaign_name']} {label} (no day: {date or 'undated'})")
            continue
        named = [p for p in str(row.get("prisons") or "").split("; ") if p]
        count = row.get("prison_count")
        measures = (
            ("prisons named in the week's report", len(named) or None),
            ("prisons counted", count),
        )
        for measure, value in measures:  # a week that names no prison is not a week of none
            if value is not None:
                series.rows.append(
                    {
                        "date": date,
                        "campaign": str(row["campaign_name"]),
                        "week": label,
                        "measure": measure,
                        "prisons": int(str(value)),
                        "named": "; ".join(named),
                    }
                )
        series.sources |= {s for s in str(row.get("sources") or "").split(", ") if s}
    return series


def time_to_execution(store: CaseStore) -> Series:
    """Per executed person: the earliest placed arrest, death sentence and execution."""
    dates, series = _dates(store), Series()
    steps: dict[str, dict[str, dict[str, object]]] = {}
    undated: dict[str, list[str]] = {}
    for notation, step in (("arrest", "arrest"), ("death_sentence", "death sentence"), ("execution", "execution")):  # fmt: skip
        for row in find_events(store, EventFilters(type=notation)).rows:
            place = placement(dates.get(row["event"], {}))
            for person in filter(None, row["people"].split("; ")):
                if place is None:
                    undated.setdefault(person, []).append(f"{person}: {step} {row['event']}")
                    continue
                earlier = steps.setdefault(person, {}).get(step)
                if earlier is None or str(earlier["date"]) > place["start"]:
                    steps[person][step] = {
                        "person": person,
                        "step": step,
                        "date": place["start"],
                        "basis": _BASIS[place["kind"]],
                        "contested": "yes" if row["contradicts"] else "no",
                        "event": row["event"],
                        "sources": row["sources"],
                    }
    for person, known in sorted(steps.items()):
        if "execution" not in known:
            continue
        series.left_out += [f"{gap} (no date)" for gap in undated.get(person, [])]
        series.rows += list(known.values())
        series.sources |= {s for r in known.values() for s in str(r["sources"]).split(", ") if s}
    return series
