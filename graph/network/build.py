"""From a store (or any RDF graph) to a filtered network, with names resolved to nodes.

This is where user-facing choices (names, dates as text, reliability grades by notation) become a
:class:`~graph.network.filters.NetworkFilter`, and where the visibility allow-list is applied
before anything is projected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from graph.errors import CasegraphError
from graph.namespaces import CGV
from graph.network.analysis import neighbourhood, with_links
from graph.network.filters import NetworkFilter, apply_filter
from graph.network.paths import shortest_paths
from graph.network.projection import node_id, predicates_read, project, read_schema
from graph.network.viewdata import MAX_NODES, view_data
from graph.store import CaseStore

__all__ = [
    "NetworkSpec",
    "build_view",
    "network_from_graph",
    "network_from_store",
    "node_for",
    "query_nodes",
    "type_names",
]


@dataclass(frozen=True)
class NetworkSpec:
    """The filters as a researcher states them on the command line."""

    types: tuple[str, ...] = ()
    as_of: str | None = None
    start: str | None = None
    end: str | None = None
    within: str | None = None
    min_reliability: str | None = None
    min_sources: int = 0
    include_restricted: bool = False


def network_from_graph(
    data: Graph, rule: NetworkFilter | None = None, include_restricted: bool = False
) -> nx.MultiDiGraph:
    """Project ``data`` after the public allow-list (unless ``include_restricted``), then filter."""
    if not include_restricted:
        from graph.visibility import public_subgraph

        data = public_subgraph(data)
    network = project(data)
    return apply_filter(network, rule) if rule is not None else network


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CasegraphError(f"{option}: write the date as YYYY-MM-DD, not '{text}'") from None


def type_names(names: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The node types named (in any letter case), checked against the ontology's node classes."""
    known = {str(c).rsplit("#", 1)[-1] for c in read_schema().node_classes}
    by_fold = {k.lower(): k for k in known}
    chosen = set()
    for name in names:
        if name.lower() not in by_fold:
            raise CasegraphError(f"unknown type '{name}'; known types: {', '.join(sorted(known))}")
        chosen.add(by_fold[name.lower()])
    return frozenset(chosen)


def _rank(notation: str | None) -> int:
    if notation is None:
        return 0
    from graph.resources import concept_for, notations, reliability_rank

    concept = concept_for(CGV.Reliability, notation)
    if concept is None:
        grades = ", ".join(notations(CGV.Reliability))
        raise CasegraphError(f"unknown reliability '{notation}'; use one of: {grades}")
    return reliability_rank(concept)


def node_for(store: CaseStore, network: nx.MultiDiGraph, name: str) -> str:
    """The node of the entity called ``name`` (any spelling or record id), if it is in ``network``."""
    from graph.lookup import find_entity

    node = node_id(find_entity(store, name))
    if node not in network:
        raise CasegraphError(f"'{name}' is not in this network: it is filtered out or not public")
    return node


def network_from_store(store: CaseStore, spec: NetworkSpec | None = None) -> nx.MultiDiGraph:
    """The network of a store's public records (or all of them, if the spec says so), filtered.

    The statements are read straight from the store's engine with the same allow-list as
    :func:`network_from_graph` (see :mod:`graph.network.reading`), never copied into rdflib whole.
    """
    from graph.network.reading import store_facts

    spec = spec or NetworkSpec()
    facts = store_facts(store, predicates_read(read_schema()), spec.include_restricted)
    network = project(facts)
    rule = NetworkFilter(
        types=type_names(spec.types),
        as_of=_day(spec.as_of, "--as-of"),
        start=_day(spec.start, "--from"),
        end=_day(spec.end, "--to"),
        within=node_for(store, network, spec.within) if spec.within else None,
        min_rank=_rank(spec.min_reliability),
        min_independent=spec.min_sources,
    )
    # An empty rule keeps every node and edge: skip the copy it would make.
    return network if rule == NetworkFilter() else apply_filter(network, rule)


def query_nodes(store: CaseStore, network: nx.MultiDiGraph, query: str) -> set[str]:
    """The nodes a query names: every IRI of a CONSTRUCT/DESCRIBE result or of a SELECT's cells.

    Only nodes already in ``network`` are returned, so a query cannot bring restricted records
    into a view: what it finds is looked up in the filtered, public projection.
    """
    from graph.queries import prepare

    prepared = prepare(query)
    if prepared.form in ("CONSTRUCT", "DESCRIBE"):
        result = store.construct(prepared.text, prepared.bindings)
        terms = {t for triple in result for t in (triple[0], triple[2])}
    elif prepared.form == "SELECT":
        _, rows = store.select(prepared.text, prepared.bindings)
        terms = {value for row in rows for value in row.values()}
    else:
        raise CasegraphError("a view needs a CONSTRUCT, DESCRIBE or SELECT query")
    found = {node_id(t) for t in terms if isinstance(t, URIRef)} & set(network)
    if not found:
        raise CasegraphError("the query names no entity of this (filtered, public) network")
    return found


def build_view(
    store: CaseStore,
    network: nx.MultiDiGraph,
    focus: str | None = None,
    depth: int = 1,
    between: tuple[str, str] | None = None,
    query: str | None = None,
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    sample: bool = False,
) -> dict[str, Any]:
    """The view data of the whole network, a neighbourhood, the chains between two entities, or
    the entities a query names (with the events that link them); at most one choice at a time."""
    if sum(x is not None for x in (focus, between, query)) > 1:
        raise CasegraphError("choose one of --focus, --path and --query")
    title = "casegraph: the whole network"
    if focus is not None:
        node = node_for(store, network, focus)
        network = network.subgraph(neighbourhood(network, node, depth))
        title = f"casegraph: {depth} hop(s) around {network.nodes[node]['label']}"
    elif between is not None:
        a, b = (node_for(store, network, name) for name in between)
        chains = shortest_paths(network, a, b)
        if not chains:
            raise CasegraphError(
                f"no chain links '{between[0]}' and '{between[1]}' in this network"
            )
        keep = {h.start for c in chains for h in c} | {b}
        network = network.subgraph(keep)
        title = f"casegraph: chains from {network.nodes[a]['label']} to {network.nodes[b]['label']}"
    elif query is not None:
        network = network.subgraph(with_links(network, query_nodes(store, network, query)))
        title = "casegraph: the entities of a query"
    return view_data(network, title, size_by, max_nodes, sample)
