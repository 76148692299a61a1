"""How one load unit's statements go into an engine and come out of it again.

A unit (one loaded file) puts its statements in the default graph, its bookkeeping in its own
named graph and its restricted marks in another (see :class:`graph.statements.Statements`); its
metadata goes to the meta graph. These functions run on the writable copy of a version that
:meth:`graph.disk_store.DiskStore.write` hands out.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import CG, LOAD, META_GRAPH, RESTRICTED
from graph.rdf_terms import text_of, to_engine_quads
from graph.statements import Statements

if TYPE_CHECKING:
    from graph.store import UnitWrite

__all__ = ["add_unit", "drop_unit", "restricted_marks", "vanished"]


def restricted_marks(unit: URIRef) -> URIRef:
    """The named graph of a load unit's restricted marks (see :class:`Statements`)."""
    return RESTRICTED[str(unit)[len(str(LOAD)) :]]


def drop_unit(engine: ox.Store, iri: URIRef) -> list[ox.Quad]:
    """Take a unit's statements out of the default graph (unless another unit also has them);
    returns those removed.

    The unit owns every statement about a node it gave a ``cg:recordId``, and every statement it
    copied into its named graph (which older stores did for all of them). Its restricted marks
    (see :func:`restricted_marks`) go with it.
    """
    unit = ox.NamedNode(iri)
    default = ox.DefaultGraph()
    meta = ox.NamedNode(META_GRAPH)
    record_id = ox.NamedNode(CG.recordId)
    marks = str(RESTRICTED)

    def shared(quad: ox.Quad) -> bool:  # another unit's marks are no claim to the statement
        return any(
            other.graph_name not in (unit, default, meta)
            and not text_of(other.graph_name).startswith(marks)
            for other in engine.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        )

    kept = list(engine.quads_for_pattern(None, None, None, unit))
    owned = [quad.subject for quad in kept if quad.predicate == record_id]
    doomed = [q for s in owned for q in engine.quads_for_pattern(s, None, None, default)]
    doomed += [ox.Quad(q.subject, q.predicate, q.object, default) for q in kept]
    gone = []
    for quad in doomed:
        if not shared(quad):
            engine.remove(quad)
            gone.append(quad)
    engine.remove_graph(unit)
    engine.remove_graph(ox.NamedNode(restricted_marks(iri)))
    for quad in list(engine.quads_for_pattern(unit, None, None, meta)):
        engine.remove(quad)
    return gone


def vanished(engine: ox.Store, removed: list[ox.Quad]) -> bool:
    """Whether a removed statement named a term (an IRI or a text) the store no longer holds
    anywhere: the engine would keep its string in its files for good."""
    seen: set[object] = set()
    for quad in removed:
        for term in (quad.subject, quad.object):
            if term in seen or isinstance(term, ox.BlankNode):
                continue
            seen.add(term)
            used = engine.quads_for_pattern(None, None, term, None)
            if isinstance(term, ox.NamedNode):
                used = itertools.chain(used, engine.quads_for_pattern(term, None, None, None))
            if next(iter(used), None) is None:
                return True
    return False


def add_unit(engine: ox.Store, write: UnitWrite) -> None:
    """Add a unit's statements to the default graph and its bookkeeping to its named graph."""
    statements = write.statements
    if not isinstance(statements, Statements):
        statements = Statements.of(statements)
    # the bulk loader is not atomic: safe here, because a write changes a copy of the version
    # that is thrown away unless every unit went in (see DiskStore.write)
    statements.load_into(engine, bulk=True)
    statements.load_bookkeeping_into(engine, ox.NamedNode(write.iri), bulk=True)
    statements.load_restricted_into(engine, ox.NamedNode(restricted_marks(write.iri)), bulk=True)
    meta = Graph()
    meta.add((write.iri, RDF.type, CG.LoadUnit))
    meta.add((write.iri, CG.loadPath, Literal(write.path)))
    meta.add((write.iri, CG.checksum, Literal(write.checksum)))
    meta.add(
        (write.iri, CG.loadedAt, Literal(datetime.now(UTC).isoformat(), datatype=XSD.dateTime))
    )
    meta.add((write.iri, CG.tripleCount, Literal(statements.count)))
    engine.extend(to_engine_quads(meta, META_GRAPH))
