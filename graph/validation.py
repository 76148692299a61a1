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
from graph.shape_queries import Unsupported, Violation, compile_shapes, violations
from graph.statements import Statements
from graph.vocabulary import store_concepts

if TYPE_CHECKING:
    from graph.reading import CompiledFile
    from graph.store import CaseStore

__all__ = ["context_types", "problems_in_context", "pyshacl_violations", "shacl_problems"]


def _record_of(node: Node) -> str | None:
    text = str(node)
    if not text.startswith(str(ID)):
        return None
    return text[len(str(ID)) :].split("/", 1)[0]


def context_types(files: Sequence[CompiledFile], store: CaseStore | None) -> Graph:
    """Types of store records the files point at, and the concepts the store's vocabulary files
    added, so class and scheme constraints can see them."""
    context = Graph()
    if store is None or not store.exists:
        return context
    context += store_concepts(store)

    local = {info.iri for f in files for info in f.records.values()}
    for compiled in files:
        for ref in compiled.references:
            if ref.target not in local:
                for cls in store.types_of(ref.target):
                    context.add((ref.target, RDF.type, cls))
    return context


def pyshacl_violations(data: Graph) -> list[Violation]:
    """Validate with pyshacl (the reference implementation; slower, but covers all of SHACL)."""
    import pyshacl

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
    found = []
    # top-level results only: those under sh:detail explain a nested shape's failure, which is
    # already reported once, at the focus node that uses the nested shape
    top = {
        r
        for rep in report.subjects(RDF.type, SH.ValidationReport)
        for r in report.objects(rep, SH.result)
    }
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if result not in top:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        if focus is None or not isinstance(path, URIRef):
            continue
        text = str(message) if message is not None else "does not satisfy the shapes"
        component = report.value(result, SH.sourceConstraintComponent)
        found.append(
            Violation(
                focus,
                path,
                text,
                report.value(result, SH.value),
                component if isinstance(component, URIRef) else None,
            )
        )
    return found


def _violations(sources: list[Graph | Statements]) -> list[Violation]:
    """The shapes as SPARQL on the engine when they can be translated, else pyshacl."""
    try:
        compile_shapes()
    except Unsupported:
        union = Graph()
        for source in sources:
            union += source.graph() if isinstance(source, Statements) else source
        return pyshacl_violations(union)
    return violations(*sources)


def shacl_problems(files: Sequence[CompiledFile], store: CaseStore | None = None) -> list[Problem]:
    """Validate the union of the files against ``ontology/shapes.ttl``; one Problem per violation."""
    return problems_in_context(files, context_types(files, store))


def problems_in_context(files: Sequence[CompiledFile], context: Graph) -> list[Problem]:
    """:func:`shacl_problems` with the store's part (``context``) already looked up, so it can
    run in another process while the store is being written."""
    sources: list[Graph | Statements] = [f.statements for f in files]
    sources += [context, ontology_graph()]
    where: dict[str, tuple[str, int | None]] = {}
    for compiled in files:
        for rid, info in compiled.records.items():
            where[rid] = (str(compiled.path), info.line)
    problems = []
    for found in _violations(sources):
        record = _record_of(found.focus)
        if record is None or record not in where:
            continue  # a store record added only as context for class checks: judged at its own load
        file, line = where[record]
        text = found.message
        if found.value is not None:
            text += f" (value: {short(found.value)})"
        field = short(found.path)
        problems.append(Problem(file, line, text, record=record, field=field.removeprefix("cg:")))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
