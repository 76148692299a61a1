"""What a record says of itself, as the attributes of its node or edge in the network.

A node's type, label, dates, sources, charges and sentences; a role claim's role; the table of
sources kept once on the network. Only the projection (:mod:`graph.network.projection`) calls this.
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.namespaces import ID
from graph.network.facts import _T, Facts, _order
from graph.network.schema import Schema, _local, _text

__all__ = [
    "node_attributes",
    "node_id",
    "record_dates",
    "record_sources",
    "role_attributes",
    "source_table",
]


_RECORDS = str(ID)
_SKIP = len(_RECORDS)


def node_id(iri: Node) -> str:
    """The node key of a record: its record id (the IRI after the ``cgd:`` namespace)."""
    text = str(iri)
    return text[_SKIP:] if text.startswith(_RECORDS) else text


def _iso(value: Node | None) -> str | None:
    return str(value) if isinstance(value, Literal) else None


_DATE, _EARLIEST, _LATEST = _T.date, _T.dateEarliest, _T.dateLatest
_START, _END, _SOURCE = _T.startDate, _T.endDate, _T.source


def record_dates(data: Facts, record: Node) -> dict[str, str]:
    """A record's dates as ISO text; a plain ``xsd:date`` also bounds its earliest and latest."""
    date = data.value(record, _DATE)
    dates = {
        "date": _iso(date),
        "date_earliest": _iso(data.value(record, _EARLIEST)),
        "date_latest": _iso(data.value(record, _LATEST)),
        "start": _iso(data.value(record, _START)),
        "end": _iso(data.value(record, _END)),
        "reported": _iso(data.value(record, _T.reportedDate)),
    }
    if dates["date_earliest"] is None and isinstance(date, Literal) and date.datatype == XSD.date:
        dates["date_earliest"] = dates["date_latest"] = str(date)
    return {k: v for k, v in dates.items() if v is not None}


def record_sources(data: Facts, record: Node) -> list[str]:
    """The record ids of the sources a record cites, sorted."""
    return sorted(node_id(s) for s in data.objects(record, _SOURCE))


def source_table(data: Facts, schema: Schema) -> dict[str, dict[str, Any]]:
    """Every source once, by record id: title, publisher, url, date, reliability, independence."""
    table = {}
    for source in sorted(set(data.subjects(_T.type, _T.Source)), key=_order):
        grade = data.value(source, _T.reliability)
        entry = {
            "title": _text(data, source, _T.title),
            "publisher": _text(data, source, _T.publisher),
            "url": _text(data, source, _T.url),
            "published": _iso(data.value(source, _T.publishedDate)),
            "reliability": schema.notations(grade)[0] if grade is not None else None,
            "rank": schema.rank(grade),
            "independence": _text(data, source, _T.independenceKey) or node_id(source),
        }
        table[node_id(source)] = {k: v for k, v in entry.items() if v is not None}
    return table


def node_attributes(data: Facts, schema: Schema, record: URIRef, types: list[URIRef]) -> dict:
    """The attributes of a record's node: ids, types, label, dates, sources, sentences."""
    attrs: dict[str, Any] = {
        "iri": str(record),
        "record_id": _text(data, record, _T.recordId) or node_id(record),
        "type": _local(types[0]),
        "type_label": schema.label(types[0]),
        "types": [_local(t) for t in types],
        "sources": record_sources(data, record),
        "contradicts": sorted(node_id(o) for o in data.objects(record, _T.contradicts)),
        **record_dates(data, record),
    }
    attrs["contested"] = bool(attrs["contradicts"])
    kind = data.value(record, _T.eventType)
    if kind is not None:
        attrs["event_type"] = schema.notations(kind)[0] if schema.notations(kind) else _local(kind)
        attrs["event_label"] = schema.label(kind)
    charges = sorted(data.objects(record, _T.charge), key=str)
    if charges:
        attrs["charges"] = [schema.label(c) for c in charges]
    sentences = sorted(data.objects(record, _T.sentenceType), key=str)
    if sentences:
        attrs["sentences"] = sorted({n for s in sentences for n in schema.notations(s)})
        attrs["sentence_labels"] = [schema.label(s) for s in sentences]
    parts = sorted(data.objects(record, _T.sentenceComponent), key=str)
    if parts:
        attrs["sentence_parts"] = [_sentence_part(data, schema, part) for part in parts]
    for key, prop in (("sentence_term", _T.sentenceTerm), ("confidence", _T.confidence)):
        value = _text(data, record, prop)
        if value is not None:
            attrs[key] = value
    name = _text(data, record, _T.name) or _text(data, record, _T.label)
    if name is None and "event_label" in attrs:
        name = " ".join(filter(None, [attrs["event_label"], attrs.get("date")]))
    attrs["label"] = name or attrs["record_id"]
    return attrs


def _sentence_part(data: Facts, schema: Schema, part: Node) -> dict[str, Any]:
    """One part of an event's sentence: its kinds (notations, broader ones too), label, count
    (1 when not given) and term in words."""
    kind = data.value(part, _T.sentenceType)
    count = data.value(part, _T.sentenceCount)
    value = count.toPython() if isinstance(count, Literal) else None
    return {
        "sentences": schema.notations(kind) if kind is not None else [],
        "label": schema.label(kind) if kind is not None else None,
        "count": value if isinstance(value, int) and not isinstance(value, bool) else 1,
        "term": _text(data, part, _T.sentenceTerm),
    }


def role_attributes(data: Facts, schema: Schema, claim: Node) -> dict[str, str]:
    """A role claim's role (its label) and free-text role, where it has them."""
    role = data.value(claim, _T.role)
    found = {"role": schema.label(role) if role is not None else None}
    found["role_text"] = _text(data, claim, _T.roleText)
    return {k: v for k, v in found.items() if v is not None}
