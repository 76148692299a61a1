"""What a view says about itself: its caption (title, filters, dates, counts, visibility, sources),
and the words and days of event nodes in an event-level view."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.network.build import NetworkSpec
from graph.network.fold import claim_when, placed_day

__all__ = ["caption_of", "event_label", "node_days"]


def _source_ids(view: dict[str, Any]) -> set[str]:
    found = {s["id"] for item in view["nodes"] + view["edges"] for s in item.get("sources", ())}
    found |= {s["id"] for e in view["edges"] for c in e.get("claims", ()) for s in c["sources"]}
    return found


def _dates(view: dict[str, Any]) -> str:
    items = view["nodes"] + view["edges"]
    days = sorted(i["earliest"] for i in items if i.get("earliest"))
    undated = sum(1 for e in view["edges"] if e.get("undated"))
    text = f"dated claims from {days[0]} to {days[-1]}" if days else "no dated claims"
    return text + (f"; {undated} links rest on undated claims" if undated else "")


def caption_of(view: dict[str, Any], spec: NetworkSpec, public: bool) -> dict[str, str]:
    """The caption of a view, as labelled lines a page (or an exported image) prints under it."""
    what = "actors (events folded into labelled links)" if view["kind"] != "events" else "events"
    claims = sum(len(e.get("claims", ())) for e in view["edges"]) or len(view["edges"])
    counts = f"{len(view['nodes'])} nodes, {len(view['edges'])} links"
    counts += f" from {claims} claims" if view["kind"] != "events" else ""
    if view.get("unfolded"):
        alone = view["unfolded"]
        counts += f"; {alone} event{'s' if alone != 1 else ''} naming one actor only: in its panel"
    sources = len(_source_ids(view))
    return {
        "title": str(view["title"]),
        "shows": f"{what}: {view.get('choice', '')}",
        "filters": spec.caption(),
        "dates": _dates(view),
        "counts": counts,
        "visibility": "public records only" if public else "includes restricted records",
        "sources": f"backed by {sources} distinct source{'s' if sources != 1 else ''}",
    }


def event_label(network: nx.MultiDiGraph, node: str, attrs: dict[str, Any]) -> str:
    """An event's label as a reader needs it: what happened, to whom, when (never just a type)."""
    if not attrs.get("claim"):
        return str(attrs.get("label", node))
    what = str(attrs.get("event_label") or attrs.get("label") or node)
    people = sorted(
        str(network.nodes[v].get("label", v))
        for _, v, a in network.out_edges(node, data=True)
        if a.get("relation") == "person"
    )
    who = f" of {people[0]}" if people else ""
    who += f" and {len(people) - 1} more" if len(people) > 1 else ""
    when = claim_when(attrs)
    return what + who + (f", {when}" if when else "")


def node_days(network: nx.MultiDiGraph) -> dict[str, tuple[str | None, bool]]:
    """Node -> (the day it enters the record, whether some claim about it is undated): an event
    at its placed day, an entity at its own start or the earliest claim naming it (time rule 7)."""
    found: dict[str, tuple[str | None, bool]] = {}
    for node, attrs in network.nodes(data=True):
        if attrs.get("claim"):
            day = placed_day(attrs)
            found[node] = (day, day is None)
    for node, attrs in network.nodes(data=True):
        if attrs.get("claim"):
            continue
        own = placed_day(attrs)
        days = [own] if own else []
        undated = False
        for other in set(network.predecessors(node)) | set(network.successors(node)):
            if not network.nodes[other].get("claim"):
                continue
            day, blank = found[other]
            days += [day] if day else []
            undated = undated or blank
        for _, _, edge in list(network.in_edges(node, data=True)) + list(
            network.out_edges(node, data=True)
        ):
            day = placed_day(edge)
            days += [day] if day else []
        found[node] = (min(days) if days else None, undated or not days)
    return found
