"""A network view from a store, finished: the scope asked for, folded or not, laid out, captioned,
with dossiers for the panel and labels in the language asked for, as one HTML page.

:func:`view_page` is the library's one call for "the page of this view"; the CLI's ``view``
and the image export both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.network import hubs
from graph.network.build import NetworkSpec, build_view, drawn_layers, node_for, query_nodes
from graph.network.viewdata import MAX_NODES
from graph.sandbox import DEFAULT_TIMEOUT
from graph.store import CaseStore
from graph.views.captions import caption_of, event_label, node_days
from graph.views.dossiers import abridge, dossiers, embedded
from graph.views.render import render_html
from graph.views.translations import translations

__all__ = ["ViewRequest", "view_data_for", "view_data_of", "view_page"]


@dataclass(frozen=True)
class ViewRequest:
    """What a view shows and how: the choices of ``casegraph view``."""

    focus: str | None = None
    depth: int = 1
    between: tuple[str, str] | None = None
    query: str | None = None
    events: bool = False
    lang: str = "en"
    size_by: str = "degree"
    max_nodes: int = MAX_NODES
    sample: bool = False
    timeout: float | None = DEFAULT_TIMEOUT
    layers: frozenset[str] = field(default_factory=frozenset)
    physics: bool = False


def _query_words(query: str) -> str:
    """How the caption names a query: a shipped named query by its name, anything else not at
    all (its text may hold a name that must not be published)."""
    from graph.resources import queries_dir

    name = query.strip()
    if re.fullmatch(r"[a-z0-9-]{1,80}", name) and (queries_dir() / f"{name}.rq").is_file():
        return f"query {name}"
    return "a query"


def _actor_view(
    store: CaseStore,
    network: nx.MultiDiGraph,
    request: ViewRequest,
    names: Any,
    terms: Any,
    degree: dict[str, int] | None = None,
) -> dict[str, Any]:
    from graph.network.actorview import actor_scene, case_scope, query_scope
    from graph.network.paths import shortest_paths

    common: dict[str, Any] = {
        "size_by": request.size_by,
        "max_nodes": request.max_nodes,
        "sample": request.sample,
        "names": names,
        "terms": terms,
        "degree": degree,
    }
    if request.focus is not None:
        node = node_for(store, network, request.focus, "--focus")
        label = network.nodes[node]["label"]
        if "Case" in network.nodes[node].get("types", ()):
            scope = case_scope(network, node)
            view = actor_scene(network, "case", node, scope, title=f"The case: {label}", **common)
        else:
            title = f"{label}: who and what the record links to them"
            if request.depth > 1:
                title += f" ({request.depth} steps)"
            view = actor_scene(network, "focus", node, None, request.depth, title, **common)
        view["choice"] = f"focus {label}" + (
            f", depth {request.depth}" if request.depth > 1 else ""
        )
        return view
    if request.between is not None:
        a, b = (node_for(store, network, name, "--path") for name in request.between)
        chains = shortest_paths(network, a, b)
        if not chains:
            from graph.errors import CasegraphError

            raise CasegraphError(
                f"no chain links '{request.between[0]}' and '{request.between[1]}'"
            )
        keep = {h.start for c in chains for h in c} | {b}
        keep |= {link.claim for c in chains for h in c for link in h.events}
        ends = f"{network.nodes[a]['label']} to {network.nodes[b]['label']}"
        view = actor_scene(network, "path", a, keep, title=f"Chains from {ends}", **common)
        view["choice"] = f"chains from {ends}"
        return view
    if request.query is not None:
        named = query_nodes(store, network, request.query, request.timeout)
        words = _query_words(request.query)
        scope = query_scope(network, named)
        view = actor_scene(network, "query", None, scope, title=f"The result of {words}", **common)
        view["choice"] = words
        return view
    view = actor_scene(network, "whole", title="The whole record: actors", **common)
    view["choice"] = "the whole network"
    return view


def _event_view(
    store: CaseStore, network: nx.MultiDiGraph, request: ViewRequest, names: dict[str, str]
) -> dict[str, Any]:
    from graph.network.actorview import FONT, label_lines
    from graph.network.layouts import box_of, separate

    shown = (request.focus, request.depth, request.between, request.query, request.size_by)
    view = build_view(
        store, network, *shown, request.max_nodes, request.sample, request.timeout,
        layers=request.layers,
    )  # fmt: skip
    view["kind"] = "events"
    focus = node_for(store, network, request.focus) if request.focus is not None else None
    view["focus"] = focus
    days = node_days(network)
    for node in view["nodes"]:
        attrs = network.nodes[node["id"]]
        node["name"] = names.get(node["id"]) or event_label(network, node["id"], attrs)
        node["label"] = label_lines(node["name"])
        node["labelled"] = True
        node["focus"] = node["id"] == focus
        node["earliest"], node["undated"] = days.get(node["id"], (None, True))
    boxes = {
        n["id"]: box_of(n["label"], n["size"], FONT + (4 if n["focus"] else 0))
        for n in view["nodes"]
    }
    moved = separate({n["id"]: (n["x"], n["y"]) for n in view["nodes"]}, boxes)
    for node in view["nodes"]:
        node["x"], node["y"] = moved[node["id"]]
    view["choice"] = (
        f"focus {network.nodes[focus]['label']}, depth {request.depth}"
        if focus
        else _query_words(request.query)
        if request.query
        else "chains" if request.between else "the whole network"
    )  # fmt: skip
    return view


def view_data_for(
    store: CaseStore,
    network: nx.MultiDiGraph,
    request: ViewRequest,
    spec: NetworkSpec | None = None,
) -> dict[str, Any]:
    """The plain data of a view (see :func:`graph.network.actorview.actor_scene`), with its
    caption, the dossiers of its records and its labels in ``request.lang``."""
    spec = spec or NetworkSpec()
    words = translations(store, request.lang)
    whole = network
    counted = whole.graph.get("record_degree")
    degree = counted or (dict(whole.degree()) if request.focus is not None else None)
    network = drawn_layers(network, request.layers)
    if network is not whole:  # a plain graph folds and lays out faster than nested views
        network = nx.MultiDiGraph(network)
    if request.events:
        view = _event_view(store, network, request, words.names)
    else:
        view = _actor_view(store, network, request, words.names, words.terms, degree)
    view["lang"], view["rtl"] = request.lang, words.rtl
    links = {  # the records (not events) shown, with their number of links in the network
        n["id"]: counted.get(n["id"], 0) if counted else whole.degree(n["id"])
        for n in view["nodes"]
        if n["id"] in whole and not whole.nodes[n["id"]].get("claim")
    }
    chosen = embedded(view, links)
    view["dossiers"] = dossiers(store, chosen)
    left_out = abridge(view, chosen, links)
    closed = hubs.mark_hubs(view, degree or {})
    view["caption"] = caption_of(view, spec, public=store.public)
    if left_out:
        view["caption"]["counts"] += (
            f"; the panel abridges {left_out} of them (casegraph show ID gives the full dossier)"
        )
    if closed:
        view["caption"]["counts"] += (
            f"; {closed} with more than {hubs.HUB_DEGREE} links not stepped through (their cards say)"
        )
    return view


def _network_for(store: CaseStore, spec: NetworkSpec, request: ViewRequest) -> nx.MultiDiGraph:
    """The part of the filtered network a view needs: around the focus only, read locally, when
    the view is of one focus (see :mod:`graph.network.actor_ego`)."""
    from graph.network.actor_ego import actor_ego_network
    from graph.network.build import network_from_store
    from graph.network.local import ego_network

    network = None
    if request.focus is not None and request.between is None and request.query is None:
        if request.events:
            network = ego_network(store, spec, request.focus, request.depth)
        else:
            network = actor_ego_network(store, spec, request.focus, request.depth)
    return network if network is not None else network_from_store(store, spec)


def view_data_of(store: CaseStore, spec: NetworkSpec, request: ViewRequest) -> dict[str, Any]:
    """The view data of ``request`` on the store's network filtered by ``spec``."""
    return view_data_for(store, _network_for(store, spec, request), request, spec)


def view_page(store: CaseStore, spec: NetworkSpec, request: ViewRequest) -> str:
    """The finished, self-contained HTML page of a view: the renderer's one entry point."""
    return render_html(view_data_of(store, spec, request), request.physics)
