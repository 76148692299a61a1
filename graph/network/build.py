"""From a store (or any RDF graph) to a filtered network, with names resolved to nodes.

This is where user-facing choices (names, dates as text, reliability grades by notation) become a
:class:`~graph.network.filters.NetworkFilter`, and where the visibility allow-list is applied
before anything is projected.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from graph.errors import CasegraphError
from graph.namespaces import CGV
from graph.network.analysis import neighbourhood, with_links
from graph.network.filters import DATE_MODES, NetworkFilter, apply_filter
from graph.network.paths import shortest_paths
from graph.network.projection import node_id, project, read_schema
from graph.network.viewdata import MAX_NODES, view_data
from graph.options import BadOption, option_day
from graph.sandbox import DEFAULT_TIMEOUT
from graph.store import CaseStore

__all__ = [
    "NetworkSpec",
    "build_view",
    "drawn_layers",
    "filter_for",
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
    include_undated: bool = False
    dates: str = "overlap"

    def caption(self) -> str:
        """The filters in words, as a caption line above a table (see the time-semantics record)."""
        parts = [f"as of {self.as_of}"] if self.as_of else []
        if self.start or self.end:
            how = "inside" if self.dates == "within" else "overlapping"
            parts.append(f"dates {how} {self.start or '...'} to {self.end or '...'}")
        if self.as_of or self.start or self.end:
            undated = "included" if self.include_undated else "left out"
            parts.append(f"undated claims {undated}, reported-only ones at their reported date")
        parts += [f"type {', '.join(self.types)}"] if self.types else []
        parts += [f"within {self.within}"] if self.within else []
        parts += [f"reliability >= {self.min_reliability}"] if self.min_reliability else []
        parts += [f">= {self.min_sources} independent sources"] if self.min_sources else []
        parts += ["restricted records included"] if self.include_restricted else []
        return "filters: " + ("; ".join(parts) or "none")


def network_from_graph(
    data: Graph, rule: NetworkFilter | None = None, include_restricted: bool = False
) -> nx.MultiDiGraph:
    """Project ``data`` after the public allow-list (unless ``include_restricted``), then filter."""
    if not include_restricted:
        from graph.visibility import public_subgraph

        data = public_subgraph(data)
    network = project(data)
    return apply_filter(network, rule) if rule is not None else network


def _day(text: str | None, option: str, last: bool = False) -> date | None:
    """An option's date, read with the case files' rules (a month or year: its first day, or its
    last with ``last``; Solar Hijri with ' SH'); a bad one is a usage error naming the option."""
    return option_day(text, option, last=last)


def _mode(text: str) -> str:
    if text not in DATE_MODES:
        raise BadOption(f"--dates: use one of {', '.join(DATE_MODES)}, not '{text}'")
    return text


def type_names(names: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The node types named (in any letter case), checked against the ontology's node classes."""
    if not names:  # nothing to check: the ontology is not read (a view's start-up)
        return frozenset()
    known = {str(c).rsplit("#", 1)[-1] for c in read_schema().node_classes}
    by_fold = {k.lower(): k for k in known}
    chosen = set()
    for name in names:
        if name.lower() not in by_fold:
            raise BadOption(
                f"--type: unknown type '{name}'; known types: {', '.join(sorted(known))}"
            )
        chosen.add(by_fold[name.lower()])
    return frozenset(chosen)


def _rank(notation: str | None) -> int:
    if notation is None:
        return 0
    from graph.resources import concept_for, notations, reliability_rank

    concept = concept_for(CGV.Reliability, notation)
    if concept is None:
        grades = ", ".join(notations(CGV.Reliability))
        raise BadOption(f"--min-reliability: unknown grade '{notation}'; use one of: {grades}")
    return reliability_rank(concept)


def node_for(
    store: CaseStore, network: Container[str], name: str, option: str | None = None
) -> str:
    """The node of the entity called ``name`` (any spelling or record id), if it is in ``network``.

    With ``option`` (the command-line option that gave the name), a name that names nothing is a
    usage error (exit 2) whose message starts with the option.
    """
    from graph.lookup import find_entity

    prefix = f"{option}: " if option else ""
    try:
        node = node_id(find_entity(store, name))
    except CasegraphError as error:
        if option is None:
            raise
        raise BadOption(f"{prefix}{error}") from None
    if node not in network:
        raise CasegraphError(
            f"{prefix}'{name}' is not in this network: it is filtered out or not public (under a date "
            "filter an entity exists from its earliest dated claim; --include-undated keeps "
            "undated ones)"
        )
    return node


def network_from_store(store: CaseStore, spec: NetworkSpec | None = None) -> nx.MultiDiGraph:
    """The network of a store's public records (or all of them, if the spec says so), filtered.

    The statements are read straight from the store's engine with the same allow-list as
    :func:`network_from_graph` (see :mod:`graph.network.reading`), never copied into rdflib whole,
    and projected once per store version (see :mod:`graph.network.cache`).
    """
    from graph.network.cache import projected

    spec = spec or NetworkSpec()
    network = projected(store, spec.include_restricted)
    rule = filter_for(store, spec, network)
    # An empty rule keeps every node and edge: skip the copy it would make.
    return network if rule == NetworkFilter() else apply_filter(network, rule)


def filter_for(
    store: CaseStore, spec: NetworkSpec, network: Container[str] | None = None
) -> NetworkFilter:
    """The filter a spec states, options checked (exit 2); ``--within`` names a node of
    ``network``, which only a spec with ``within`` needs."""
    within = None
    if spec.within is not None:
        if network is None:
            raise ValueError("a spec with 'within' needs the network to look the name up in")
        within = node_for(store, network, spec.within, "--within")
    return NetworkFilter(
        types=type_names(spec.types),
        as_of=_day(spec.as_of, "--as-of", last=True),
        start=_day(spec.start, "--from"),
        end=_day(spec.end, "--to", last=True),
        within=within,
        min_rank=_rank(spec.min_reliability),
        min_independent=spec.min_sources,
        include_undated=spec.include_undated,
        dates=_mode(spec.dates),
    )


def query_nodes(
    store: CaseStore, network: nx.MultiDiGraph, query: str, timeout: float | None = DEFAULT_TIMEOUT
) -> set[str]:
    """The nodes a query names: every IRI of a CONSTRUCT/DESCRIBE result or of a SELECT's cells.

    Only nodes already in ``network`` are returned, so a query cannot bring restricted records
    into a view: what it finds is looked up in the filtered, public projection. The query runs
    in the query sandbox (no network; stopped after ``timeout`` seconds, None: no limit).
    """
    from graph.queries import prepare
    from graph.querying import run_prepared

    if not query.strip():
        raise BadOption("--query: the query is empty; give SPARQL text, a .rq file or a name")
    # A query's own errors (syntax, SERVICE, updates) exit 1, as in 'casegraph query'.
    prepared = prepare(query, where="--query")
    if prepared.form not in ("CONSTRUCT", "DESCRIBE", "SELECT"):
        raise CasegraphError("a view needs a CONSTRUCT, DESCRIBE or SELECT query")
    answer = run_prepared(store, prepared, timeout, where="--query")
    if answer.graph is not None:
        terms = {t for triple in answer.graph for t in (triple[0], triple[2])}
    else:
        terms = {value for row in answer.rows for value in row.values()}
    found = {node_id(t) for t in terms if isinstance(t, URIRef)} & set(network)
    if not found:
        raise CasegraphError("the query names no entity of this (filtered, public) network")
    return found


def drawn_layers(network: nx.MultiDiGraph, layers: frozenset[str]) -> nx.MultiDiGraph:
    """``network`` without the edges of optional layers (``cg:networkLayer``) not in ``layers``,
    nor the nodes only those edges linked: views stay readable, analysis counts everything."""
    hidden = [
        (u, v, k) for u, v, k, layer in network.edges(keys=True, data="layer")
        if layer is not None and layer not in layers
    ]  # fmt: skip
    if not hidden:
        return network
    linked = {n for n in network if network.degree(n)}
    kept = nx.restricted_view(network, [], hidden)
    return kept.subgraph(n for n in kept if kept.degree(n) or n not in linked)


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
    timeout: float | None = DEFAULT_TIMEOUT,
    caption: str | None = None,
    layers: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The view data of the whole network, a neighbourhood, the chains between two entities, or
    the entities a query names (with the events that link them); at most one choice at a time.
    A query runs in the query sandbox, stopped after ``timeout`` seconds (None: no limit)."""
    if sum(x is not None for x in (focus, between, query)) > 1:
        raise CasegraphError("choose one of --focus, --path and --query")
    network = drawn_layers(network, layers)
    title = "casegraph: the whole network"
    if focus is not None:
        node = node_for(store, network, focus, "--focus")
        network = network.subgraph(neighbourhood(network, node, depth))
        title = f"casegraph: {depth} hop(s) around {network.nodes[node]['label']}"
    elif between is not None:
        a, b = (node_for(store, network, name, "--path") for name in between)
        chains = shortest_paths(network, a, b)
        if not chains:
            raise CasegraphError(
                f"no chain links '{between[0]}' and '{between[1]}' in this network"
            )
        keep = {h.start for c in chains for h in c} | {b}
        network = network.subgraph(keep)
        title = f"casegraph: chains from {network.nodes[a]['label']} to {network.nodes[b]['label']}"
    elif query is not None:
        network = network.subgraph(with_links(network, query_nodes(store, network, query, timeout)))
        title = "casegraph: the entities of a query"
    if caption:  # the filters applied (NetworkSpec.caption), stated in the title
        title = f"{title} ({caption})"
    return view_data(network, title, size_by, max_nodes, sample)
