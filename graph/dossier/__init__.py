"""The dossier of one entity: what its class shows (``ontology/dossier.yaml``), the claims about it,
its links and its timeline, each fact with its sources and their reliability, contested facts side
by side. ``dossier(store, name)`` returns the render-neutral model (``graph.dossier.model``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from graph.dossier.claims import basics, claims, links
from graph.dossier.description import Description, load_description
from graph.dossier.fields import described_sections, files, read_statements
from graph.dossier.model import (
    Difference,
    Dossier,
    EventEntry,
    Fact,
    FieldEntry,
    LinkFact,
    Mention,
    Name,
    Section,
    SourceRef,
    Value,
    Version,
)
from graph.dossier.timeline import timeline
from graph.dossier.versions import versions
from graph.lookup import find_entity
from graph.namespaces import ID
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = [
    "Difference",
    "Dossier",
    "EventEntry",
    "Fact",
    "FieldEntry",
    "LinkFact",
    "Mention",
    "Name",
    "Section",
    "SourceRef",
    "Value",
    "Version",
    "dossier",
    "load_description",
]


def dossier(
    store: CaseStore,
    name: str,
    description: Description | None = None,
    max_events: int | None = None,
) -> Dossier:
    """The dossier of the entity called ``name`` (any spelling, or its record id).

    ``description`` says what each class shows (default: the installed ``ontology/dossier.yaml``).
    On a public store (``CaseStore.open(path, public=True)``) it holds only what may be
    published; on a full store every restricted part says so (``restricted``), and each claim,
    link, value and event names the loaded file that made it. ``max_events`` keeps the first
    entries of the timeline only (:func:`graph.dossier.timeline.timeline`).
    """
    described = description or load_description()
    entity = find_entity(store, name)
    result, own = basics(store, entity)
    result.facts = claims(store, entity)
    view = described.view_for(store.types_of(entity))
    if view.timeline:
        result.events = timeline(store, entity, max_events)
    result.links = links(store, entity, own)
    statements = read_statements(store, entity)
    result.contested, cited = versions(store, entity, described)
    # A field is flagged when the entity itself is one of two versions that differ in it.
    contested = {
        d.field for v in result.contested if v.fact == result.record_id for d in v.differences
    }
    result.sections = described_sections(view, statements, own, contested)
    result.record_sources = own
    _claims_as_values(result)
    result.sources = _sources(store, entity, statements.sources | cited)
    if not store.public:
        _add_files(store, result, lambda f: files(statements, f))
    return result


def _claims_as_values(result: Dossier) -> None:
    """Show a value that is a claim about the entity (a sentence component, a charge as worded)
    by what the claim says, with the claim's own sources."""
    said = {fact.claim: fact for fact in result.facts if fact.claim}
    for section in result.sections:
        for entry in section.fields:
            for value in entry.values:
                fact = said.get(value.id)
                if fact is not None:
                    value.claim, value.text = fact.claim, fact.value
                    value.sources = list(fact.sources)
                    value.inherited = fact.sources == result.record_sources
                    value.restricted = value.restricted or fact.restricted


def _source(row: dict[str, Node]) -> SourceRef:
    return SourceRef(
        id=str(row["id"]),
        title=str(row["title"]),
        publisher=str(row["publisher"]),
        date=str(row.get("date", "")),
        url=str(row.get("url", "")),
        reliability=str(row.get("reliability", "")),
        restricted=str(row.get("hidden", "")).lower() == "true",
    )


def _sources(store: CaseStore, entity: URIRef, also: set[str]) -> dict[str, SourceRef]:
    """Every source the dossier cites, with its details: those of the entity, the claims about it
    and its events; those of the records naming it and of conflicting versions; and any other
    one by one."""
    found: dict[str, SourceRef] = {}
    for query in ("dossier-sources", "dossier-more-sources"):
        _, rows = store.select(internal_query(query), {"entity": entity})
        found.update((str(row["id"]), _source(row)) for row in rows)
    for ident in sorted(also - found.keys()):  # none on the shipped data; a guard
        _, more = store.select(internal_query("dossier-source"), {"source": ID[ident]})
        found.update((str(row["id"]), _source(row)) for row in more)
    return dict(sorted(found.items()))


def _shown_path(path: str) -> str:
    """A loaded file's path as the dossier shows it: relative to the current directory when it
    is inside it, else its name alone."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return Path(path).name


def _add_files(
    store: CaseStore, result: Dossier, set_values: Callable[[Callable[[str], str]], None]
) -> None:
    """Which loaded file made the record and each claim, link, value and event (which
    researcher's batch; an ``extends:`` entry's claims name their own file).

    Only on a full store: a public view keeps no load bookkeeping, and never shows local paths.
    """
    paths = {unit.iri: _shown_path(unit.path) for unit in store.units()}

    def file_of(ident: str) -> str:
        unit = store.defining_unit(ID[ident]) if ident else None
        return paths.get(unit, "") if unit is not None else ""

    result.file = file_of(result.record_id)
    for fact in result.facts:
        fact.file = file_of(fact.claim)
    for link in result.links:
        link.file = file_of(link.claim or result.record_id)
    for event in result.events:
        event.file = file_of(event.id)
    set_values(file_of)
