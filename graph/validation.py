"""SHACL validation of compiled files, with each violation traced back to its file, line and record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.errors import Problem
from graph.namespaces import ID
from graph.resources import ontology_graph, shapes_graph
from graph.results import short

if TYPE_CHECKING:
    from graph.reading import CompiledFile
    from graph.store import CaseStore

__all__ = ["shacl_problems"]


def _record_of(node: Node) -> str | None:
    text = str(node)
    if not text.startswith(str(ID)):
        return None
    return text[len(str(ID)) :].split("/", 1)[0]


def _context_types(files: Sequence[CompiledFile], store: CaseStore | None) -> Graph:
    """Types of store records the files point at, so class constraints can see them."""
    context = Graph()
    if store is None or not store.exists:
        return context
    from graph.loading import _engine_types  # shared helper, no cycle at import time

    local = {info.iri for f in files for info in f.records.values()}
    for compiled in files:
        for ref in compiled.references:
            if ref.target not in local:
                for cls in _engine_types(store, ref.target):
                    context.add((ref.target, RDF.type, cls))
    return context


def shacl_problems(files: Sequence[CompiledFile], store: CaseStore | None = None) -> list[Problem]:
    """Validate the union of the files against ``ontology/shapes.ttl``; one Problem per violation."""
    import pyshacl

    data = Graph()
    for compiled in files:
        data += compiled.graph
    data += _context_types(files, store)
    data += ontology_graph()
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    if conforms:
        return []
    where: dict[str, tuple[str, int | None]] = {}
    for compiled in files:
        for rid, info in compiled.records.items():
            where[rid] = (str(compiled.path), info.line)
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        value = report.value(result, SH.value)
        record = _record_of(focus) if focus is not None else None
        if record is None or record not in where:
            continue  # a store record added only as context for class checks: judged at its own load
        file, line = where[record]
        text = str(message) if message is not None else "does not satisfy the shapes"
        if value is not None:
            text += f" (value: {short(value)})"
        field = short(path) if isinstance(path, URIRef) else None
        problems.append(
            Problem(
                file,
                line,
                text,
                record=record,
                field=field.removeprefix("cg:") if field else None,
                severity="error" if severity in (SH.Violation, None) else "warning",
            )
        )
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.message))
