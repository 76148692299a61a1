"""The generic reader of the dossier description: one query for the entity's statements and the
statements naming it, sorted into the sections and fields its class shows (no code per type)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from rdflib import RDFS, URIRef

from graph.dossier.dates import shown_date
from graph.dossier.description import ClassView, FieldSpec
from graph.dossier.model import FieldEntry, Section, Value
from graph.dossier.terms import flag, local, rid, text_of
from graph.resources import internal_query, ontology_graph
from graph.store import CaseStore

__all__ = ["Statements", "described_sections", "files", "read_statements"]


@dataclass
class _Found:
    """One statement (direction, property, value) as the rows give it, sources gathered."""

    value: Value
    classes: set[URIRef] = field(default_factory=set)
    #: The record whose statement it is (the entity, or the one naming it): its file, if no claim.
    maker: str = ""


@dataclass
class Statements:
    """The entity's statements and those naming it, keyed by (direction, property)."""

    found: dict[tuple[str, URIRef], dict[str, _Found]]
    #: The literal values of the entity's own properties, by local name (for computed fields).
    literals: dict[str, list[str]]
    #: Every source id cited, for the source list.
    sources: set[str]


def read_statements(store: CaseStore, entity: URIRef) -> Statements:
    """Run ``dossier-fields`` once for the entity and group its rows by statement."""
    _, rows = store.select(internal_query("dossier-fields"), {"entity": entity})
    found: dict[tuple[str, URIRef], dict[str, _Found]] = defaultdict(dict)
    literals: dict[str, list[str]] = defaultdict(list)
    sources: set[str] = set()
    for row in rows:
        direction, prop, value = str(row["direction"]), row["property"], row["value"]
        if not isinstance(prop, URIRef):
            continue
        about = row.get("about")
        if direction == "in" and about is not None:  # a claim naming it: shown as whose claim
            shown, ident = str(row.get("about_name") or rid(about)), rid(about)
            detail = str(row.get("role") or "")
        else:
            shown, ident = text_of(row), rid(value)
            detail = f"part of {row['parent']}" if "parent" in row else ""
        if "linknote" in row:
            detail = "; ".join(x for x in (detail, str(row["linknote"])) if x)
        cell = found[(direction, prop)]
        key = str(value)
        entry = cell.get(key)
        if entry is None:
            value_entry = Value(shown, ident, detail=detail, restricted=flag(row))
            entry = cell[key] = _Found(value_entry, maker=rid(row.get("link_subject")))
            if direction == "out" and not ident:
                literals[local(prop)].append(shown)
        if "class" in row and isinstance(row["class"], URIRef):
            entry.classes.add(row["class"])
        claim = row.get("link_claim")
        if claim is not None:
            entry.value.claim = rid(claim)
            entry.value.inherited = flag(row, "inherited")
        if "source" in row:
            source = rid(row["source"])
            sources.add(source)
            if source not in entry.value.sources:
                entry.value.sources.append(source)
    for cell in found.values():
        for entry in cell.values():
            entry.value.sources.sort()
    return Statements(dict(found), dict(literals), sources)


def files(statements: Statements, file_of: Callable[[str], str]) -> None:
    """Set each value's file: its link claim's, else that of the record making the statement."""
    for cell in statements.found.values():
        for entry in cell.values():
            entry.value.file = file_of(entry.value.claim or entry.maker)


@cache
def _ancestors(cls: URIRef) -> frozenset[URIRef]:
    graph = ontology_graph()
    return frozenset(
        c for c in graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)
    )


def _admits(spec: FieldSpec, classes: set[URIRef]) -> bool:
    above = set().union(*(_ancestors(c) for c in classes)) if classes else set()
    if spec.only_class is not None and spec.only_class not in above:
        return False
    return spec.not_class is None or spec.not_class not in above


def _values(spec: FieldSpec, statements: Statements, own_sources: list[str]) -> list[Value]:
    if spec.computed == "date":
        shown = shown_date(statements.literals)
        return [Value(shown, sources=list(own_sources))] if shown != "date unknown" else []
    assert spec.property is not None
    cell = statements.found.get(("in" if spec.inverse else "out", spec.property), {})
    chosen = [e.value for e in cell.values() if _admits(spec, e.classes)]
    return sorted(chosen, key=lambda v: (v.text.casefold(), v.id, v.detail))


def described_sections(
    view: ClassView, statements: Statements, own_sources: list[str], contested: set[str]
) -> list[Section]:
    """The sections of ``view`` filled from ``statements``; a field with no value is left out,
    and a field in ``contested`` (by key or property local name) is flagged."""
    sections = []
    for spec in view.sections:
        fields = []
        for f in spec.fields:
            values = _values(f, statements, own_sources)
            if values:
                name = local(f.property) if f.property is not None else f.computed
                flagged = f.key in contested or (not f.inverse and name in contested)
                fields.append(FieldEntry(f.key, f.label, values, flagged))
        if fields:
            sections.append(Section(spec.key, spec.title, fields))
    return sections
