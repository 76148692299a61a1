"""The dossier of one entity: names, roles, attributes and every event in date order, each fact with
its sources and their reliability, contested facts side by side."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.lookup import find_entity
from graph.namespaces import ID
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = [
    "Dossier",
    "EventEntry",
    "Fact",
    "LinkFact",
    "Mention",
    "Name",
    "SourceRef",
    "dossier",
]


@dataclass
class SourceRef:
    """A cited source, as the dossier lists it."""

    id: str
    title: str
    publisher: str
    date: str = ""
    url: str = ""
    reliability: str = ""
    restricted: bool = False


@dataclass
class Name:
    """Another spelling of the entity's name."""

    name: str
    restricted: bool = False


@dataclass
class Mention:
    """A record an event names (a person, court, place...), as the event's fields show it."""

    field: str
    id: str
    name: str
    restricted: bool = False


@dataclass
class Fact:
    """An attribute or role claim about the entity."""

    kind: str
    label: str
    value: str
    sources: list[str]
    confidence: str = ""
    contested: bool = False
    restricted: bool = False
    #: The records named in the value (organisation, person, case) that are restricted.
    restricted_parts: list[str] = field(default_factory=list)
    #: The claim's id, and the loaded file that made it (full store only; see _add_files).
    claim: str = ""
    file: str = ""


@dataclass
class LinkFact:
    """A link from the entity to another record (a campaign's protest), with the sources that state
    it: the link's own, or, when ``inherited``, its record's ("cited with the record")."""

    label: str
    id: str
    name: str
    sources: list[str]
    inherited: bool = True
    claim: str = ""
    restricted: bool = False
    #: The loaded file that made the link (full store only; see _add_files).
    file: str = ""


@dataclass
class EventEntry:
    """One event naming the entity, with everything the sources say about it."""

    id: str
    type: str
    date: str
    sort_key: str
    link: str
    fields: dict[str, list[str]]
    sources: list[str]
    contradicts: list[str]
    confidence: str = ""
    note: str = ""
    restricted: bool = False
    mentions: list[Mention] = field(default_factory=list)
    #: The loaded file that records the event (full store only; see _add_files).
    file: str = ""


@dataclass
class Dossier:
    """Everything the store says about one entity."""

    iri: str
    record_id: str
    name: str
    types: list[str]
    names: list[Name]
    restricted: bool
    note: str
    facts: list[Fact] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    links: list[LinkFact] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A plain dict, for JSON output."""
        return asdict(self)

    def to_text(self) -> str:
        """The dossier as a researcher reads it in a terminal."""
        from graph.dossier_text import render

        return render(self)


def _rid(node: Node | None) -> str:
    return str(node)[len(str(ID)) :] if node is not None and str(node).startswith(str(ID)) else ""


def _text(row: dict[str, Node]) -> str:
    label = row.get("label")
    value = row["value"]
    if label is not None:
        return str(label)
    if isinstance(value, URIRef):
        return _rid(value) or _local(value)
    return str(value)


def _first(values: dict[str, list[str]], key: str) -> str:
    return (values.get(key) or [""])[0]


def _hidden(row: dict[str, Node]) -> bool:
    """Whether a row's flag (``hidden`` or ``restricted``) is set."""
    flag = row.get("hidden", row.get("restricted"))
    return flag is not None and str(flag).lower() == "true"


def _restricted(values: dict[str, list[str]]) -> bool:
    return not any(v.lower() == "public" for v in values.get("visibility", []))


def _local(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1]


def _basics(store: CaseStore, entity: URIRef) -> Dossier:
    _, rows = store.select(internal_query("dossier-entity"), {"entity": entity})
    values: dict[str, list[str]] = defaultdict(list)
    types: list[str] = []
    names: dict[str, bool] = {}
    for row in rows:
        prop = row["property"]
        if prop == RDF.type:
            types.append(_text(row))
        elif _local(prop) == "altName":
            text = _text(row)
            names[text] = names.get(text, True) and _hidden(row)  # restricted if only so
        else:
            values[_local(prop)].append(_text(row))
    return Dossier(
        iri=str(entity),
        record_id=_rid(entity),
        name=(values.get("name") or values.get("title") or [_rid(entity)])[0],  # a source: title
        types=sorted(set(types)),
        names=[Name(text, hidden) for text, hidden in sorted(names.items())],
        restricted=_restricted(values),
        note=" ".join(values.get("note", [])),
    )


def _claims(store: CaseStore, entity: URIRef) -> list[Fact]:
    _, rows = store.select(internal_query("dossier-claims"), {"entity": entity})
    by_claim: dict[Node, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    kinds: dict[Node, str] = {}
    single: set[str] = set()
    hidden: dict[Node, set[str]] = defaultdict(set)
    for row in rows:
        kinds[row["claim"]] = _local(row["kind"])
        if _hidden(row):
            hidden[row["claim"]].add(_text(row))
        if str(row.get("single", "")).lower() == "true":
            single.add(_text(row))
        by_claim[row["claim"]][_local(row["property"])].append(_text(row))
    facts = []
    for claim, values in by_claim.items():
        kind = kinds[claim]
        if kind == "NameClaim":
            continue
        if kind == "AttributeClaim":
            label, value = values["attribute"][0], values["value"][0]
        else:
            label = values["role"][0]

            def marked(x: str, claim: Node = claim) -> str:
                return f"{x} [restricted]" if x in hidden[claim] else x

            detail = [*values.get("roleText", [])]
            detail += [f"at {marked(x)}" for x in values.get("atOrganisation", [])]
            detail += [f"for {marked(x)}" for x in values.get("forPerson", [])]
            detail += [f"in {marked(x)}" for x in values.get("inCase", [])]
            value = "; ".join(detail)
        facts.append(
            Fact(
                kind="attribute" if kind == "AttributeClaim" else "role",
                label=label,
                value=value,
                sources=sorted(values.get("source", [])),
                confidence=(values.get("confidence") or [""])[0],
                restricted=_restricted(values),
                restricted_parts=sorted(hidden[claim]),
                claim=_rid(claim),
            )
        )
    values_by_label: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if fact.kind == "attribute":
            values_by_label[fact.label].add(fact.value)
    for fact in facts:
        fact.contested = (
            fact.kind == "attribute"
            and fact.label in single
            and len(values_by_label[fact.label]) > 1
        )
    return sorted(facts, key=lambda f: (f.kind != "role", f.label, f.value))


_EVENT_FIELDS = {
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


def _events(store: CaseStore, entity: URIRef) -> list[EventEntry]:
    _, rows = store.select(internal_query("dossier-events"), {"entity": entity})
    by_event: dict[Node, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    links: dict[Node, set[str]] = defaultdict(set)
    mentions: dict[Node, dict[tuple[str, str], Mention]] = defaultdict(dict)
    for row in rows:
        links[row["event"]].add(_local(row["link"]))
        prop = _local(row["property"])
        cell = by_event[row["event"]][prop]
        text = _text(row)
        if text not in cell:
            cell.append(text)
        rid = _rid(row["value"])
        if rid and (prop in _EVENT_FIELDS or prop == "contradicts"):
            mention = Mention(_EVENT_FIELDS.get(prop, prop), rid, text, _hidden(row))
            mentions[row["event"]][(mention.field, rid)] = mention
    entries = []
    for event, values in by_event.items():
        date = (values.get("date") or [""])[0]
        qualifier = (values.get("dateQualifier") or ["exact"])[0]
        earliest = (values.get("dateEarliest") or [""])[0]
        latest = (values.get("dateLatest") or [""])[0]
        shown = (
            date if qualifier == "exact" else f"{qualifier} {date or earliest or latest}".strip()
        )
        if not date and qualifier == "between":
            shown = f"between {earliest} and {latest}"
        if values.get("dateText"):
            shown = f"{shown} ({values['dateText'][0]})" if shown else values["dateText"][0]
        entries.append(
            EventEntry(
                id=_rid(event),
                type=values["eventType"][0],
                date=shown or "date unknown",
                sort_key=earliest or latest or date or _first(values, "reportedDate") or "9999",
                link=", ".join(sorted(links[event])),
                fields={
                    label: values[key] for key, label in _EVENT_FIELDS.items() if values.get(key)
                },
                sources=sorted(values.get("source", [])),
                contradicts=sorted(values.get("contradicts", [])),
                confidence=(values.get("confidence") or [""])[0],
                note=" ".join(values.get("note", [])),
                restricted=_restricted(values),
                mentions=sorted(mentions[event].values(), key=lambda m: (m.field, m.name)),
            )
        )
    return sorted(entries, key=lambda e: (e.sort_key, e.id))


def _links(store: CaseStore, entity: URIRef) -> list[LinkFact]:
    """The entity's links, each with its link claim's sources, else the record's (inherited)."""
    _, rows = store.select(internal_query("dossier-links"), {"entity": entity})
    _, basics = store.select(internal_query("dossier-entity"), {"entity": entity})
    own = sorted({_rid(row["value"]) for row in basics if _local(row["property"]) == "source"})
    found: dict[tuple[str, str], LinkFact] = {}
    for row in rows:
        key = (_local(row["property"]), _rid(row["value"]))
        fact = found.get(key)
        if fact is None:
            label = str(row.get("plabel") or key[0])
            fact = found[key] = LinkFact(label, key[1], _text(row), [], True, "", _hidden(row))
        claim = row.get("claim")
        if claim is not None and "source" in row:
            fact.claim = _rid(claim)
            fact.inherited = str(row.get("inherited", "")).lower() == "true"
            if _rid(row["source"]) not in fact.sources:
                fact.sources.append(_rid(row["source"]))
    for fact in found.values():
        fact.sources = sorted(fact.sources) if fact.claim else list(own)
    return sorted(found.values(), key=lambda f: (f.label, f.name, f.id))


def _sources(store: CaseStore, entity: URIRef) -> dict[str, SourceRef]:
    _, rows = store.select(internal_query("dossier-sources"), {"entity": entity})
    found = {}
    for row in rows:
        rid = str(row["id"])
        found[rid] = SourceRef(
            id=rid,
            title=str(row["title"]),
            publisher=str(row["publisher"]),
            date=str(row.get("date", "")),
            url=str(row.get("url", "")),
            reliability=str(row.get("reliability", "")),
            restricted=_hidden(row),
        )
    return dict(sorted(found.items()))


def dossier(store: CaseStore, name: str) -> Dossier:
    """The dossier of the entity called ``name`` (any spelling, or its record id).

    On a public store (``CaseStore.open(path, public=True)``) it holds only what may be
    published; on a full store every restricted part says so (``restricted``).
    """
    entity = find_entity(store, name)
    result = _basics(store, entity)
    result.facts = _claims(store, entity)
    result.events = _events(store, entity)
    result.sources = _sources(store, entity)
    result.links = _links(store, entity)
    _add_files(store, result)
    return result


def _shown_path(path: str) -> str:
    """A loaded file's path as the dossier shows it: relative to the current directory when it
    is inside it, else its name alone."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return Path(path).name


def _add_files(store: CaseStore, result: Dossier) -> None:
    """Which loaded file made each claim, link and event (which researcher's batch).

    Only on a full store: a public view keeps no load bookkeeping, and never shows local paths.
    """
    if store.public:
        return
    paths = {unit.iri: _shown_path(unit.path) for unit in store.units()}

    def file_of(rid: str) -> str:
        unit = store.defining_unit(ID[rid]) if rid else None
        return paths.get(unit, "") if unit is not None else ""

    for fact in result.facts:
        fact.file = file_of(fact.claim)
    for link in result.links:
        link.file = file_of(link.claim or result.record_id)
    for event in result.events:
        event.file = file_of(event.id)
