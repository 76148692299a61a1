"""Who owns a statement in the store when several loaded files make it: the bookkeeping that lets
a file that extends another file's record be reloaded or unloaded on its own (see
graph.authoring.extensions), and the look-ups that find which files state what."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox
from rdflib import URIRef

from graph.namespaces import CG, LOAD
from graph.rdf_terms import text_of
from graph.statements import Statements
from graph.store import CaseStore, UnitWrite

__all__ = ["extender", "shared_ownership", "units_stating"]


def extender(engine: ox.Store, iri: URIRef, ignored: set[URIRef]) -> URIRef | None:
    """A unit (other than ``ignored``) that makes statements about a record it does not define."""
    for quad in engine.quads_for_pattern(ox.NamedNode(iri), None, None, None):
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and text_of(name).startswith(str(LOAD)):
            unit = URIRef(text_of(name))
            if unit not in ignored and quad.predicate != ox.NamedNode(CG.recordId):
                return unit
    return None


def units_stating(engine: ox.Store, use: ox.Quad) -> list[URIRef]:
    """The load units that state this statement: those whose bookkeeping holds it, else the
    unit that defines its subject (see :func:`shared_ownership`)."""
    holding = _load_graphs(engine, use.triple)
    if holding:
        return [URIRef(g) for g in sorted(holding)]
    record_id = ox.NamedNode(CG.recordId)
    return [
        URIRef(text_of(q.graph_name))
        for q in engine.quads_for_pattern(use.subject, record_id, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and text_of(q.graph_name).startswith(str(LOAD))
    ]


def _triples(data: bytes) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(data, ox.RdfFormat.N_TRIPLES)] if data else []


def shared_ownership(writes: list[UnitWrite], store: CaseStore) -> list[UnitWrite]:
    """Make the store's bookkeeping say who states a statement that two files both make about
    one record (a spelling the defining file and an extension both give, say), so that taking
    either file out keeps what the other still states.

    A file that defines a record also keeps, in its bookkeeping, its statements about it that
    another file states too; a file that restates a statement about another file's record
    already in the store leaves it to that file.
    """
    engine = store.backend.engine if store.exists else None
    replaced = {w.iri for w in writes}
    record_id = ox.NamedNode(CG.recordId)
    booked: dict[URIRef, list[ox.Triple]] = {}
    for write in writes:
        assert isinstance(write.statements, Statements)
        booked[write.iri] = _triples(write.statements.bookkeeping)
    foreign = {iri: {t for t in kept if t.predicate != record_id} for iri, kept in booked.items()}
    # who else states what, by subject: the batch's other files, and the units that stay
    stated: dict[object, dict[ox.Triple, set[URIRef]]] = {}
    for iri, triples in foreign.items():
        for triple in triples:
            stated.setdefault(triple.subject, {}).setdefault(triple, set()).add(iri)
    staying = _held_by_staying_units(engine, replaced) if engine is not None else {}
    result = []
    for write in writes:
        statements = write.statements
        assert isinstance(statements, Statements)
        kept = booked[write.iri]
        own = {t.subject for t in kept if t.predicate == record_id}
        shared = {
            triple
            for subject in own
            for triple, units in stated.get(subject, {}).items()
            if units - {write.iri}
        }
        shared.update(t for subject in own for t in staying.get(subject, ()))
        shared = {t for t in shared if t.predicate != record_id}
        # in the file's own order; the file is parsed again only when something is shared
        extra = [t for t in statements.triples() if t in shared] if shared else []
        dropped: set[ox.Triple] = set()
        for triple in foreign[write.iri]:
            if engine is not None and _defined_elsewhere(engine, triple, replaced):
                dropped.add(triple)
        if extra or dropped:
            kept = [t for t in kept if t not in dropped] + extra
            data = ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES) if kept else b""
            statements = dataclasses.replace(statements, bookkeeping=data or b"")
            write = dataclasses.replace(write, statements=statements)
        result.append(write)
    return result


def _held_by_staying_units(engine: ox.Store, replaced: set[URIRef]) -> dict[object, set[ox.Triple]]:
    """The statements in the bookkeeping of every load unit that this write keeps, by subject."""
    held: dict[object, set[ox.Triple]] = {}
    for name in engine.named_graphs():
        if not isinstance(name, ox.NamedNode) or not text_of(name).startswith(str(LOAD)):
            continue
        if URIRef(text_of(name)) in replaced:
            continue
        for quad in engine.quads_for_pattern(None, None, None, name):
            held.setdefault(quad.subject, set()).add(quad.triple)
    return held


def _load_graphs(engine: ox.Store, triple: ox.Triple) -> set[str]:
    """The load units whose bookkeeping holds this statement."""
    found = engine.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return {
        text_of(q.graph_name)
        for q in found
        if isinstance(q.graph_name, ox.NamedNode) and text_of(q.graph_name).startswith(str(LOAD))
    }


def _defined_elsewhere(engine: ox.Store, triple: ox.Triple, replaced: set[URIRef]) -> bool:
    """Whether the statement is already in the store as the own statement of the unit that
    defines its subject (and that unit stays): that unit owns it."""
    if not isinstance(triple.subject, ox.NamedNode):
        return False
    default = ox.DefaultGraph()
    present = engine.quads_for_pattern(triple.subject, triple.predicate, triple.object, default)
    if next(iter(present), None) is None:
        return False
    owners = {
        text_of(q.graph_name)
        for q in engine.quads_for_pattern(triple.subject, ox.NamedNode(CG.recordId), None, None)
        if isinstance(q.graph_name, ox.NamedNode) and text_of(q.graph_name).startswith(str(LOAD))
    }
    if not owners or any(URIRef(o) in replaced for o in owners):
        return False
    graphs = _load_graphs(engine, triple)
    return not graphs or bool(graphs & owners)  # unmarked, or marked as the owner's too
