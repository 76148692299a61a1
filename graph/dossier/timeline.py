"""The entity's timeline: every event that names it, in date order, each with its fields."""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef
from rdflib.term import Node

from graph.dossier.dates import shown_date, sort_key
from graph.dossier.model import EventEntry, Mention
from graph.dossier.terms import flag, local, rid, text_of
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["EVENT_FIELDS", "timeline"]

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


def timeline(store: CaseStore, entity: URIRef) -> list[EventEntry]:
    """The events naming ``entity`` (in any field), best-known date first, undated last."""
    _, rows = store.select(internal_query("dossier-events"), {"entity": entity})
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
    return sorted(entries, key=lambda e: (e.sort_key, e.id))
