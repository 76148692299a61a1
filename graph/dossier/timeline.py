"""The entity's timeline: every event that names it, in date order, each with its fields.

A bounded timeline (``limit``, for the dossiers a view embeds) reads every event's day alone,
then the fields of its first ``limit`` events only: a court's thousands of events cost a few
thousand short rows, not every field of each. Its entries are the full timeline's first ones.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef
from rdflib.term import Node

from graph.dossier.dates import shown_date, sort_key
from graph.dossier.model import EventEntry, Mention
from graph.dossier.terms import flag, local, rid, text_of
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["EVENT_FIELDS", "event_count", "timeline"]

#: A bounded timeline of up to this many times its length is read whole, then cut.
_READ_ALL = 3

#: The fields a timeline entry shows, by property local name, with their labels.
EVENT_FIELDS = {
    "person": "people",
    "coDefendant": "co-defendants",
    "court": "court",
    "judge": "judge",
    "charge": "charges",
    "sentenceType": "sentence",
    "sentenceTerm": "term",
    "place": "place",
    "placeText": "place",
    "protest": "protest",
    "campaign": "campaign",
    "case": "case",
    "actor": "actors",
    "documentedBy": "documented by",
    "weekNumber": "week",
    "prisonCount": "prisons",
    "reportedDate": "reported",
}


def _first_events(store: CaseStore, entity: URIRef, limit: int) -> list[Node] | None:
    """The ``limit`` events naming ``entity`` that come first in its timeline; None when it
    has no more than :data:`_READ_ALL` times that (the whole timeline is then read at once,
    faster than one query per event)."""
    _, rows = store.select(internal_query("dossier-event-days"), {"entity": entity})
    if len(rows) <= _READ_ALL * limit:
        return None
    ranked = sorted(rows, key=lambda row: (str(row["day"]), rid(row["event"])))
    return [row["event"] for row in ranked[:limit]]


def event_count(store: CaseStore, entity: URIRef) -> int:
    """How many events name ``entity`` (the length of its full timeline)."""
    _, rows = store.select(internal_query("dossier-event-days"), {"entity": entity})
    return len(rows)


def timeline(store: CaseStore, entity: URIRef, limit: int | None = None) -> list[EventEntry]:
    """The events naming ``entity`` (in any field), best-known date first, undated last; with
    ``limit``, the first ``limit`` of them only."""
    query = internal_query("dossier-events")
    first = _first_events(store, entity, limit) if limit is not None else None
    if first is None:
        _, rows = store.select(query, {"entity": entity})
    else:  # the fields of the first events only, one event at a time
        rows = [r for e in first for r in store.select(query, {"entity": entity, "event": e})[1]]
    by_event: dict[Node, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    links: dict[Node, set[str]] = defaultdict(set)
    mentions: dict[Node, dict[tuple[str, str], Mention]] = defaultdict(dict)
    for row in rows:
        links[row["event"]].add(local(row["link"]))
        prop = local(row["property"])
        cell = by_event[row["event"]][prop]
        text = rid(row["value"]) if prop == "source" else text_of(row)
        if text not in cell:
            cell.append(text)
        ident = rid(row["value"])
        if ident and (prop in EVENT_FIELDS or prop == "contradicts"):
            mention = Mention(EVENT_FIELDS.get(prop, prop), ident, text, flag(row))
            mentions[row["event"]][(mention.field, ident)] = mention
    entries = []
    for event, values in by_event.items():
        entries.append(
            EventEntry(
                id=rid(event),
                type=values["eventType"][0],
                date=shown_date(values),
                sort_key=sort_key(values),
                link=", ".join(sorted(links[event])),
                fields={
                    label: values[key] for key, label in EVENT_FIELDS.items() if values.get(key)
                },
                sources=sorted(values.get("source", [])),
                contradicts=sorted(values.get("contradicts", [])),
                confidence=(values.get("confidence") or [""])[0],
                note=" ".join(values.get("note", [])),
                restricted=not any(v.lower() == "public" for v in values.get("visibility", [])),
                mentions=sorted(mentions[event].values(), key=lambda m: (m.field, m.name)),
            )
        )
    return sorted(entries, key=lambda e: (e.sort_key, e.id))[:limit]
