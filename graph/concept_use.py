"""Which loaded records still use the concepts a vocabulary file added: what an unload or a reload
of that file must not take away (see docs/format.md, "Vocabularies").

A vocabulary file's concepts have no ``cg:recordId``, so its load unit keeps every statement in
its bookkeeping graph (see :class:`graph.statements.Statements`); its concepts are the subjects
typed ``skos:Concept`` there. A concept stays while another loaded unit that is not leaving adds
it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from graph.errors import Problem
from graph.namespaces import CG, LOAD
from graph.ownership import units_stating
from graph.rdf_terms import text_of
from graph.reading import CompiledFile
from graph.store import CaseStore, unit_for_path

__all__ = ["ConceptUse", "dropped_concepts_in_use", "unit_concepts", "uses_message", "uses_of"]

_TYPE = ox.NamedNode(str(RDF.type))
_CONCEPT = ox.NamedNode(str(SKOS.Concept))
_NOTATION = ox.NamedNode(str(SKOS.notation))
_RECORD_ID = ox.NamedNode(str(CG.recordId))
#: How many uses a message names before it says how many more there are.
_SHOWN = 10


@dataclass(frozen=True)
class ConceptUse:
    """One statement of a loaded file that uses an added concept."""

    notation: str
    record: str
    path: str


def unit_concepts(engine: ox.Store, unit: URIRef) -> set[ox.NamedNode]:
    """The concepts a load unit adds (typed ``skos:Concept`` in its bookkeeping graph)."""
    quads = engine.quads_for_pattern(None, _TYPE, _CONCEPT, ox.NamedNode(str(unit)))
    return {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}


def _added_elsewhere(engine: ox.Store, concept: ox.NamedNode, leaving: set[URIRef]) -> bool:
    for quad in engine.quads_for_pattern(concept, _TYPE, _CONCEPT, None):
        name = quad.graph_name
        unit = name.value if isinstance(name, ox.NamedNode) else ""
        if unit.startswith(str(LOAD)) and URIRef(unit) not in leaving:
            return True
    return False


def _first_text(engine: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    for quad in engine.quads_for_pattern(subject, predicate, None, ox.DefaultGraph()):
        return text_of(quad.object)
    return None


def uses_of(
    store: CaseStore, concepts: Iterable[ox.NamedNode], leaving: set[URIRef]
) -> list[ConceptUse]:
    """The statements of units that stay (not in ``leaving``) that use one of ``concepts``,
    leaving out concepts that another staying unit adds too."""
    engine = store.backend.engine
    paths = {unit.iri: unit.path for unit in store.units()}
    going = set(concepts)
    found: dict[tuple[str, str, str], None] = {}
    for concept in sorted(going, key=lambda c: c.value):
        if _added_elsewhere(engine, concept, leaving):
            continue
        notation = _first_text(engine, concept, _NOTATION) or concept.value
        for use in engine.quads_for_pattern(None, None, concept, ox.DefaultGraph()):
            subject = use.subject
            if not isinstance(subject, ox.NamedNode) or subject in going:
                continue
            for unit in units_stating(engine, use):
                if unit not in leaving:
                    record = _first_text(engine, subject, _RECORD_ID) or subject.value
                    found[(notation, record, paths.get(unit, str(unit)))] = None
    return [ConceptUse(*key) for key in sorted(found)]


def uses_message(uses: Sequence[ConceptUse]) -> str:
    """The uses, one phrase each (the first few, then how many more)."""
    shown = [f"'{u.notation}' by {u.record} in {u.path}" for u in uses[:_SHOWN]]
    more = f" and {len(uses) - _SHOWN} more" if len(uses) > _SHOWN else ""
    return "; ".join(shown) + more


def dropped_concepts_in_use(files: Sequence[CompiledFile], store: CaseStore) -> list[Problem]:
    """A reload of a vocabulary file that drops a concept loaded records still use: one problem
    per file, naming the records and the files that use what it drops."""
    if not store.exists:
        return []
    engine = store.backend.engine
    reloading = {unit_for_path(f.path) for f in files}
    had = {f.path: unit_concepts(engine, unit_for_path(f.path)) for f in files}
    if not any(had.values()):
        return []  # no file of the batch added concepts before: nothing to parse
    kept = {
        t.subject
        for f in files
        for t in f.statements.triples()
        if t.predicate == _TYPE and t.object == _CONCEPT
    }
    problems = []
    for compiled in files:
        dropped = had[compiled.path] - kept
        uses = uses_of(store, dropped, reloading) if dropped else []
        if uses:
            message = (
                "this file no longer adds concepts that loaded files still use: "
                f"{uses_message(uses)}; change those files first, or keep the concepts"
            )
            problems.append(Problem(str(compiled.path), None, message))
    return problems
