"""Read the statements a projection needs straight from the store's engine, allow-list applied.

Copying the whole store into an rdflib graph (``CaseStore.graph``) and filtering it with
:func:`graph.visibility.public_subgraph` costs more than the projection itself. Here only the
predicates the projection reads are fetched, each through the engine's own index, and the same
allow-list is applied statement by statement: a statement about a record passes only when that
record is public, any record it points at must be public too, and a statement about anything else
passes only when the shipped ontology or vocabularies state it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from graph.namespaces import CG, ID
from graph.network.projection import Facts, paused_gc
from graph.rdf_terms import from_engine
from graph.store import CaseStore

__all__ = ["store_facts"]


def predicates_of(facts: Facts) -> list[URIRef]:
    """The predicates a projection reads, in a fixed order (the facts' own term objects)."""
    return sorted((p for p in facts.predicates if isinstance(p, URIRef)), key=str)


def store_facts(
    store: CaseStore, predicates: Iterable[URIRef], include_restricted: bool = False
) -> Facts:
    """The statements of ``predicates`` in the store's default graph, as :class:`Facts`: those
    that may be published only (read from the store's public view), unless ``include_restricted``."""
    with paused_gc():
        if include_restricted or store.public:
            return _store_facts(store, predicates, include_restricted)
        from graph.public_view import public_reading

        with public_reading(store) as view:
            return _store_facts(view, predicates, include_restricted)


def _store_facts(store: CaseStore, predicates: Iterable[URIRef], include_restricted: bool) -> Facts:
    engine = store.backend.engine
    default = ox.DefaultGraph()
    records = str(ID)
    facts = Facts(predicates)
    # Each engine term is converted once, into (rdflib term, is it a record?). Equal rdflib terms
    # share one object, so a statement read twice (two engine terms that rdflib takes as equal,
    # e.g. literals it normalises alike) is caught by identity; only then is ``add``'s check
    # needed: the statements of one predicate in one graph are otherwise all distinct.
    terms: dict[object, tuple[Node, bool]] = {}
    canonical: dict[Node, Node] = {}
    shared: set[Node] = set()

    def term(value: object) -> tuple[Node, bool]:
        found = terms.get(value)
        if found is None:
            node = from_engine(value)
            first = canonical.setdefault(node, node)
            if first is not node:
                shared.add(first)
            record = isinstance(value, ox.NamedNode) and value.value.startswith(records)
            found = terms[value] = (first, record)
        return found

    allowed: set[Node] = set()  # the public records, as (canonical) rdflib terms
    shipped = None
    if not include_restricted:
        from graph.resources import ontology_graph

        shipped = ontology_graph()
        public = engine.quads_for_pattern(
            None, ox.NamedNode(str(CG.visibility)), ox.NamedNode(str(CG.Public)), default
        )
        allowed = {node for node, record in (term(q.subject) for q in public) if record}
    for prop in predicates_of(facts):
        values = facts.statements(prop)
        for quad in engine.quads_for_pattern(None, ox.NamedNode(str(prop)), None, default):
            subject, value = quad.subject, quad.object
            (s, s_record), (o, o_record) = term(subject), term(value)
            if shipped is not None:
                if s_record:
                    if s not in allowed:
                        continue
                elif (s, prop, o) not in shipped:
                    continue
                if o_record and o not in allowed:
                    continue
            if shared and (s in shared or o in shared):
                facts.add(s, prop, o)
                continue
            found = values.get(s)
            if found is None:
                values[s] = [o]
            else:
                found.append(o)
    return facts
