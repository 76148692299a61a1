"""The data of a timeline: the events of one person, case, court, judge, prison, protest or campaign,
each placed on a time axis by the rules of ``docs/decisions/2026-12-02-time-semantics.md``.

Events come from the event finder (:func:`graph.events.find_events`), so a timeline shows exactly
what ``casegraph events`` lists for the same record, from the same (public, by default) store.
A span of possible days becomes a range, an exact day a point; a date open on the left (``before
X``) or known only from its report sits at its last day, marked "on or before"; ``after X`` sits
at its first day, marked "on or after". Events that contradict each other (``contradicts``) each
get a lane of their own, so the versions are drawn side by side, never merged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from graph.errors import CasegraphError
from graph.events import EventFilters, find_events
from graph.namespaces import CG, ID
from graph.options import BadOption
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["KINDS", "Subject", "placement", "subject_for", "timeline_data"]

#: The kind of timeline per class of the record named, and the finder's filters that collect it.
KINDS: dict[URIRef, tuple[str, tuple[str, ...]]] = {
    CG.Person: ("person", ("person", "judge")),
    CG.Case: ("case", ()),
    CG.Court: ("court", ("court",)),
    CG.CourtBranch: ("court", ("court",)),
    CG.Prison: ("prison", ("prison",)),
    CG.Protest: ("protest", ("protest",)),
    CG.Campaign: ("campaign", ("campaign",)),
}
_DETAILS = ("type", "people", "court", "branch", "judge", "charges", "sentence", "outcome")
_MORE = ("prison", "protest", "documented_by", "confidence")


@dataclass(frozen=True)
class Subject:
    """The record a timeline is drawn for."""

    iri: URIRef
    record_id: str
    name: str
    kind: str
    filters: tuple[str, ...]


def subject_for(store: CaseStore, name: str) -> Subject:
    """The record ``name`` (any spelling, or an id) names; :class:`BadOption` if it names none, or a
    record of a kind that has no timeline."""
    from graph.lookup import find_entity

    if not name.strip():
        raise BadOption("NAME: the value is empty; give a name or a record id")
    try:
        iri = find_entity(store, name)
    except CasegraphError as error:
        raise BadOption(f"NAME: {error} ('casegraph search' finds names)") from None
    record_id = str(iri).removeprefix(str(ID))
    for cls in sorted(store.types_of(iri)):
        if cls in KINDS:
            kind, filters = KINDS[cls]
            _, rows = store.select(internal_query("entity-name"), {"entity": iri})
            label = str(rows[0]["name"]) if rows else record_id
            return Subject(iri, record_id, label, kind, filters)
    raise BadOption(
        f"NAME: {name!r} is not a person, case, court, judge, prison, protest or campaign, "
        "so it has no timeline; 'casegraph show' says what it is"
    )


def _rows(
    store: CaseStore, subject: Subject, cases: dict[str, dict[str, str]]
) -> list[dict[str, str]]:
    """The finder's rows for the subject: the union over its filters, each event once."""
    if not subject.filters:  # a case: the events that are steps of it
        return [
            row
            for row in find_events(store, EventFilters()).rows
            if subject.record_id in cases.get(row["event"], {}).get("case", "").split(", ")
        ]
    seen: dict[str, dict[str, str]] = {}
    for name in subject.filters:
        given: dict[str, Any] = {name: subject.record_id}
        filters = EventFilters(**given)
        for row in find_events(store, filters).rows:
            seen.setdefault(row["event"], row)
    return list(seen.values())


def _dates(store: CaseStore) -> dict[str, dict[str, str]]:
    _, rows = store.select(internal_query("timeline-dates"))
    return {
        str(row["id"]): {k: str(v) for k, v in row.items() if v is not None and k != "event"}
        for row in rows
    }


def _sources(store: CaseStore) -> dict[str, list[dict[str, str]]]:
    _, rows = store.select(internal_query("timeline-sources"))
    found: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        event = str(row["event"]).removeprefix(str(ID))
        entry = {k: str(row[k]) if row.get(k) is not None else "" for k in _SOURCE_KEYS}
        if entry not in found.setdefault(event, []):
            found[event].append(entry)
    return found


_SOURCE_KEYS = ("id", "title", "publisher", "date", "url")


def _next_day(day: str) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()


def _last_day(reported: str) -> str:
    """The last day of a reported day, month or year (rule 2 of the time semantics)."""
    if len(reported) == 4:
        return f"{reported}-12-31"
    if len(reported) == 7:
        year, month = int(reported[:4]), int(reported[5:7])
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return (following - datetime.timedelta(days=1)).isoformat()
    return reported[:10]


def placement(facts: dict[str, str]) -> dict[str, str] | None:
    """Where an event sits on the axis: start, end (ranges only), kind and the date in words;
    None when it has no date at all."""
    earliest, latest = facts.get("earliest"), facts.get("latest")
    reported, qualifier = facts.get("reported"), facts.get("qualifier", "exact")
    written = facts.get("original") or ""
    if earliest and latest and earliest == latest:
        return {"start": earliest, "kind": "exact", "when": earliest}
    if earliest and latest:
        words = f"{qualifier} {earliest} and {latest}" if qualifier == "between" else qualifier
        when = f"{words}: {earliest} to {latest}" if qualifier != "between" else words
        end = _next_day(latest)
        return {"start": earliest, "end": end, "kind": "range", "when": when + _sh(written)}
    if latest:
        return {"start": latest, "kind": "on-or-before", "when": f"on or before {latest}"}
    if earliest:
        return {"start": earliest, "kind": "on-or-after", "when": f"on or after {earliest}"}
    if reported:
        day = _last_day(reported)
        return {"start": day, "kind": "reported", "when": f"reported {reported}: on or before"}
    return None


def _sh(written: str) -> str:
    return f" (written {written})" if written else ""


def _lanes(rows: list[dict[str, str]]) -> dict[str, int]:
    """The contested events, each with the number of its group of versions (1, 2, ...)."""
    links: dict[str, set[str]] = {}
    for row in rows:
        for other in filter(None, row["contradicts"].split(", ")):
            links.setdefault(row["event"], set()).add(other)
            links.setdefault(other, set()).add(row["event"])
    drawn = {row["event"] for row in rows}
    component: dict[str, int] = {}
    for row in rows:  # rows come in date order, so groups are numbered by their first version
        if row["event"] in links and row["event"] not in component:
            number, todo = len(set(component.values())) + 1, [row["event"]]
            while todo:
                event = todo.pop()
                if event not in component:
                    component[event] = number
                    todo += list(links.get(event, ()))
    return {event: number for event, number in component.items() if event in drawn}


def timeline_data(store: CaseStore, subject: Subject, include_restricted: bool) -> dict[str, Any]:
    """Items (dated events), groups (lanes), undated events and the caption, as plain data."""
    dates, sources = _dates(store), _sources(store)
    rows = _rows(store, subject, dates)
    contested = _lanes(rows)
    groups: list[dict[str, Any]] = [{"id": "record", "text": "the record", "order": 0}]
    items, undated, versions = [], [], dict.fromkeys(set(contested.values()), 0)
    for row in rows:
        event = row["event"]
        details = {k: row[k] for k in (*_DETAILS, *_MORE) if row[k]}
        entry: dict[str, Any] = {
            "id": event,
            "text": _label(row, subject),
            "details": details,
            "date_text": dates.get(event, {}).get("date_text", ""),
            "contradicts": [c for c in row["contradicts"].split(", ") if c],
            "sources": sources.get(event, []),
        }
        group, place = "record", placement(dates.get(event, {}))
        if event in contested:
            number = contested[event]
            versions[number] += 1
            group = f"contested-{number}-{versions[number]}"
            entry["lane"] = (
                f"contested #{number}, version {versions[number]}: {row['type']} ({row['sources']})"
            )
            if place is not None:  # an undated version is listed under the axis, with its lane
                order = number * 100 + versions[number]
                groups.append({"id": group, "text": entry["lane"], "order": order})
        entry["group"] = group
        if place is None:
            undated.append(entry)
        else:
            items.append({**entry, **place})
    cited = {s["id"] for entry in items + undated for s in entry["sources"]}
    spans = sorted(d for item in items for d in (item["start"], item.get("end", item["start"])))
    return {
        "title": f"Timeline of {subject.name} ({subject.kind})",
        "subject": {"id": subject.record_id, "name": subject.name, "kind": subject.kind},
        "items": items,
        "groups": groups,
        "undated": undated,
        "caption": _caption(subject, items, undated, len(contested), len(cited), spans),
        "restricted": include_restricted,
        "source_note": _note(include_restricted, len(cited)),
    }


def _label(row: dict[str, str], subject: Subject) -> str:
    who = row["people"] if subject.kind != "person" else ""
    where = row["prison"] if subject.kind not in ("prison", "person") else ""
    extra = "; ".join(part for part in (who, where) if part)
    return f"{row['type']}: {extra}" if extra else row["type"]


def _caption(
    subject: Subject,
    items: list[dict[str, Any]],
    undated: list[dict[str, Any]],
    contested: int,
    cited: int,
    spans: list[str],
) -> list[str]:
    scope = {
        "court": "events of the court and its branches",
        "person": "events the person went through, or judged",
        "case": "the events that are steps of the case",
    }.get(subject.kind, f"events of the {subject.kind}")
    period = f"from {spans[0]} to {spans[-1]}" if spans else "no dated event"
    return [
        f"filters: {subject.kind} {subject.name} ({subject.record_id}); {scope}",
        f"{len(items)} dated event(s) drawn, {period}; {len(undated)} without a date listed below; "
        f"{contested} contested version(s), each on a lane of its own (an undated one says "
        "its lane in the list)",
        "ranges: a date known only within a span; 'on or before': a date open on the left or "
        "known only from its report",
    ]


def _note(include_restricted: bool, cited: int) -> str:
    scope = (
        "INCLUDES RESTRICTED RECORDS: never share this file"
        if include_restricted
        else "public records only"
    )
    return f"Source: casegraph; {scope}; {cited} source(s) cited, listed with each event."
