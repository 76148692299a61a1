"""Actor views: what a case, a person, a query or the whole record shows once events are folded.

The scope is chosen on the event network (a case's events and everyone they name, a query's
events and their actors), folded into an actor network (:mod:`graph.network.fold`), and laid
out for its kind: in layers for a case, in rings around a focus, by forces otherwise. The result
is the same plain data as :func:`graph.network.viewdata.view_data`, with the claims behind each
edge, the day each node and edge enters the record, and which nodes carry a label. Knows only
networkx.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.network.analysis import measure_of, undirected
from graph.network.fold import fold_events, placed_day
from graph.network.hubs import is_hub, opened_neighbourhood
from graph.network.layouts import box_of, force, layered, radial
from graph.network.viewdata import MAX_NODES, ViewTooLarge, node_entry, source_entries

__all__ = ["FONT", "actor_scene", "case_scope", "label_lines", "query_scope"]

#: Node label size in pixels at zoom 1 (the page keeps it at 12 px or more on screen).
FONT = 14.0
_LEVELS = {"Case": 0, "Court": 0, "CourtBranch": 1, "Person": 3}
_JUDGE = 2
_OTHER = 4
_LABELLED = 40  # the whole-graph view labels this many of its most central actors
_ALL_WORDED = 16  # a view with up to this many lines writes words on each
_WORDED = 30  # more: only the lines of events, or with more of those only the focus's
Terms = Mapping[str, str]


def label_lines(text: str, width: int = 22, lines: int = 3) -> str:
    """A label wrapped to short lines, so a long name takes height rather than width."""
    wrapped = textwrap.wrap(text, width, break_long_words=True) or [text]
    if len(wrapped) > lines:
        rest = " ".join(wrapped[lines - 1 :])
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(rest, width, placeholder=" \u2026")]
    return "\n".join(wrapped)


def case_scope(network: nx.MultiDiGraph, case: str) -> set[str]:
    """A case, its events, everyone they name, and the courts above the branches named."""
    plain = network.to_undirected(as_view=True)
    events = {n for n in plain[case] if network.nodes[n].get("claim")}
    scope = {case} | set(plain[case]) | {m for e in events for m in plain[e]}
    for node in list(scope):
        if "CourtBranch" in network.nodes[node].get("types", ()):
            scope |= {m for m in network.successors(node) if "Court" in network.nodes[m]["types"]}
    return scope


def query_scope(network: nx.MultiDiGraph, named: set[str]) -> set[str]:
    """What a query names, with the actors its events name (so a sentence has its court)."""
    events = {n for n in named if network.nodes[n].get("claim")}
    return named | {m for e in events for m in network.to_undirected(as_view=True)[e]}


def _levels(actors: nx.MultiDiGraph, kind: str) -> dict[str, int]:
    """Layers of a case or query view: courts, branches, judges, defendants, then the rest (a
    case view puts the case itself at the top)."""
    judges = {v for _, v, a in actors.edges(data=True) if a.get("to") == "judge"}
    judges |= {u for u, _, a in actors.edges(data=True) if a.get("phrase") == "judge at"}
    levels = {**_LEVELS, "Case": 0 if kind == "case" else _OTHER}
    return {
        n: _JUDGE if n in judges else levels.get(a.get("type", ""), _OTHER)
        for n, a in actors.nodes(data=True)
    }


def _node_day(actors: nx.MultiDiGraph, node: str) -> tuple[str | None, bool]:
    """The day a node enters the record (its earliest claim, or its own start) and whether any
    of its claims is undated (time rule 7)."""
    own = placed_day(actors.nodes[node])
    days = [own] if own else []
    undated = False
    for _, _, attrs in actors.edges(node, data=True):
        days += [attrs["earliest"]] if attrs.get("earliest") else []
        undated = undated or bool(attrs.get("undated"))
    for _, _, attrs in actors.in_edges(node, data=True):
        days += [attrs["earliest"]] if attrs.get("earliest") else []
        undated = undated or bool(attrs.get("undated"))
    return (min(days) if days else None), undated or not days


def _unfolded(network: nx.MultiDiGraph, actors: nx.MultiDiGraph, among: set[str]) -> int:
    """How many events naming someone shown (among ``among``) could not be drawn (they name
    one actor only)."""
    subjects = {"person", "actor", "campaign"}
    return sum(
        1
        for e in actors.graph.get("unfolded", ())
        if e in network
        and any(v in among for _, v, r in network.out_edges(e, data="relation") if r in subjects)
    )


def _edge(
    actors: nx.MultiDiGraph, index: int, pair: list[tuple[str, str, dict[str, Any]]], terms: Terms
) -> dict[str, Any]:
    """One drawn line for every claim between two actors: a line of label per kind of claim."""
    u, v = pair[0][0], pair[0][1]
    pair = sorted(  # events before plain links, dated before undated, earliest first
        pair,
        key=lambda e: (
            e[2].get("relation") != "event",
            not e[2].get("earliest"),
            e[2].get("earliest") or "",
        ),
    )
    lines = [(terms.get(a.get("event_type", "")) or a["phrase"]) + a["detail"] for _, _, a in pair]
    claims = [
        {
            **c,
            "phrase": a["phrase"],
            "event": a.get("relation") == "event",
            "sources": source_entries(actors, c["sources"]),
        }
        for _, _, a in pair
        for c in a["claims"]
    ]
    days = [a["earliest"] for _, _, a in pair if a.get("earliest")]
    sources = sorted({s for _, _, a in pair for s in a.get("sources", ())})
    contested = any(a.get("contested") for _, _, a in pair)
    facts = [["relation", line] for line in lines] + [["claims", str(len(claims))]]
    if contested:
        facts.append(["contested", "another claim contradicts one of these"])
    return {
        "id": f"e{index}",
        "from": u,
        "to": v,
        "label": lines[0] + (f" (+{len(lines) - 1})" if len(lines) > 1 else ""),
        "arrows": "to" if all((a, b) == (u, v) for a, b, _ in pair) else "",
        "contested": contested,
        "width": round(1.0 + 1.5 * math.log2(len(claims)), 1) if claims else 1.0,
        "earliest": min(days) if days else None,
        "undated": any(a.get("undated") for _, _, a in pair),
        "facts": facts,
        "sources": source_entries(actors, sources),
        "claims": claims,
    }


def _edges(actors: nx.MultiDiGraph, terms: Terms, centre: str | None) -> list[dict[str, Any]]:
    """The drawn lines; a line's words are written on it in a small view, or when it touches the
    focus (the panel always has them)."""
    pairs: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, attrs in sorted(actors.edges(data=True), key=lambda e: (e[0], e[1], e[2]["phrase"])):
        pairs.setdefault((min(u, v), max(u, v)), []).append((u, v, attrs))
    edges = [_edge(actors, i, pair, terms) for i, (_, pair) in enumerate(sorted(pairs.items()))]
    events = {e["id"] for e in edges if e["claims"] and e["claims"][0]["event"]}
    for edge in edges:
        touches = centre is not None and centre in (edge["from"], edge["to"])
        if len(edges) <= _ALL_WORDED:
            edge["labelled"] = True
        elif len(events) <= _WORDED:  # the events' lines; a plain link's words on hover
            edge["labelled"] = edge["id"] in events
        else:
            edge["labelled"] = touches and edge["id"] in events
    return edges


def _positions(
    kind: str, actors: nx.MultiDiGraph, centre: str | None, boxes: Mapping[str, Any]
) -> dict[str, tuple[float, float]]:
    plain = undirected(actors)
    if kind in ("case", "query"):
        return layered(_levels(actors, kind), boxes, plain)
    if kind == "focus" and centre is not None:
        return radial(plain, centre, boxes)
    return force(plain, boxes)


def actor_scene(
    network: nx.MultiDiGraph,
    kind: str = "whole",
    centre: str | None = None,
    scope: set[str] | None = None,
    depth: int = 1,
    title: str = "casegraph",
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    sample: bool = False,
    names: Mapping[str, str] | None = None,
    terms: Terms | None = None,
    degree: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The view data of an actor view of ``kind`` (whole, focus, case, query or path).

    ``scope`` narrows the event network before folding (a case, a query, chains); ``centre`` is
    the focus, whose ``depth`` hops are kept after folding. ``names`` (node id -> name) and
    ``terms`` (event type notation -> words) draw the labels in another language (``--lang``);
    what they lack stays in English. A focus view does not step through hubs (see
    :mod:`graph.network.hubs`; ``degree``: each record's links in the whole network).
    """
    actors = fold_events(network.subgraph(scope) if scope is not None else network)
    closed: list[str] = []
    opened: set[str] | None = None
    if kind == "focus" and centre is not None:
        counted = degree if degree is not None else dict(network.degree())
        shown, closed = opened_neighbourhood(actors, centre, depth, counted)
        actors = actors.subgraph(shown)
        opened = {n for n in actors if not is_hub(n, centre, counted)}  # a hub's: in its view
    values = measure_of(undirected(actors), size_by)
    notice = ""
    if len(actors) > max_nodes:
        if not sample:
            raise ViewTooLarge(
                f"this view has {len(actors)} actors, more than {max_nodes} can be read; narrow "
                "it with --focus NAME, --type, --within or a date filter, or pass --sample"
            )
        keep = sorted(actors, key=lambda n: (-values[n], n))[:max_nodes]
        notice = f"Showing the {max_nodes} actors with the highest {size_by} of {len(actors)}."
        actors = actors.subgraph(keep)
    ranked = sorted(actors, key=lambda n: (-values[n], n))
    labelled = set(ranked[:_LABELLED]) if kind == "whole" else set(actors)
    top = max(values.values(), default=0.0) or 1.0
    nodes, boxes = [], {}
    for node in sorted(actors):
        entry = node_entry(actors, node, values[node], size_by)
        entry["name"] = (names or {}).get(node) or entry["label"]
        entry["label"] = label_lines(entry["name"]) if node in labelled else ""
        entry["labelled"] = node in labelled
        entry["focus"] = node == centre
        entry["size"] = round(12 + 16 * values[node] / top, 1) + (8 if node == centre else 0)
        entry["earliest"], entry["undated"] = _node_day(actors, node)
        boxes[node] = box_of(entry["label"], entry["size"], FONT + (4 if node == centre else 0))
        nodes.append(entry)
    positions = _positions(kind, actors, centre, boxes)
    for entry in nodes:
        entry["x"], entry["y"] = positions[entry["id"]]
    edges = _edges(actors, terms or {}, centre if kind != "whole" else None)
    return {
        "kind": kind,
        "title": title,
        "notice": notice,
        "size_by": size_by,
        "focus": centre if centre in actors else None,
        "unfolded": _unfolded(network, actors, set(actors) if opened is None else opened),
        "closed": [n for n in closed if n in actors],
        "nodes": nodes,
        "edges": edges,
    }
