"""Turn a projected network into the plain data a view shows: positions, sizes and the facts.

The layout is computed here (seeded, so the same network gives the same picture) so the browser
can draw it at once with physics off. Only what is meant to be shown is copied into the result:
labels, types, dates, charges, sentences, confidence, claims and their sources. Knows only networkx.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from graph.errors import CasegraphError
from graph.network.analysis import measure_of, undirected

__all__ = ["MAX_NODES", "ViewTooLarge", "node_entry", "source_entries", "view_data"]

MAX_NODES = 1000
_NARROW = (
    "narrow it with --focus NAME --depth 1, --type, --within PROTEST_OR_CAMPAIGN, --as-of or "
    "--min-reliability, or pass --sample to draw only the most central nodes"
)
_NODE_FACTS = (
    ("type_label", "type"),
    ("date", "date"),
    ("start", "start"),
    ("end", "end"),
    ("charges", "charges"),
    ("sentence_labels", "sentence"),
    ("sentence_term", "sentence term"),
    ("confidence", "confidence"),
)
_EDGE_FACTS = (("label", "relation"), ("role_text", "role as described"), ("date", "date"))
_SOURCE_FIELDS = ("title", "publisher", "published", "reliability", "url")


class ViewTooLarge(CasegraphError):
    """A view would have too many nodes to read."""


def _text(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _sources(network: nx.MultiDiGraph, ids: list[str]) -> list[dict[str, str]]:
    table = network.graph.get("sources", {})
    found = []
    for source in ids:
        entry = table.get(source, {})
        found.append({"id": source, **{k: str(entry[k]) for k in _SOURCE_FIELDS if k in entry}})
    return found


def _dates(attrs: dict[str, Any]) -> list[list[str]]:
    earliest, latest = attrs.get("date_earliest"), attrs.get("date_latest")
    if earliest and latest and earliest != latest:
        return [["between", f"{earliest} and {latest}"]]
    return []


def _contested(network: nx.MultiDiGraph, attrs: dict[str, Any]) -> list[list[str]]:
    others = [
        network.nodes[o].get("label", o) if o in network else o
        for o in attrs.get("contradicts", ())
    ]
    facts = [["contested by", _text(others)]] if others else []
    table = network.graph.get("sources", {})
    for cited in (c for _, c in sorted(attrs.get("contradicts_cited", {}).items())):
        if cited.get("link_claim") is None:
            continue  # stated by a record: its sources are that record's
        how = "cited with the record" if cited.get("inherited") else "cited for this link"
        titles = [str(table.get(s, {}).get("title", s)) for s in cited.get("sources", ())]
        facts.append([f"contradicts {cited.get('label')}", f"{how}: {'; '.join(titles)}"])
    return facts


def _node(network: nx.MultiDiGraph, node: str, score: float, measure: str) -> dict[str, Any]:
    attrs = network.nodes[node]
    facts = [[name, _text(attrs[key])] for key, name in _NODE_FACTS if attrs.get(key)]
    facts += _dates(attrs) + _contested(network, attrs)
    facts += [["record id", str(attrs.get("record_id", node))], [measure, f"{score:.4g}"]]
    return {
        "id": node,
        "label": str(attrs.get("label", node)),
        "type": str(attrs.get("type", "?")),
        "type_label": str(attrs.get("type_label", attrs.get("type", "?"))),
        "contested": bool(attrs.get("contested")),
        "score": score,
        "facts": facts,
        "sources": _sources(network, list(attrs.get("sources", ()))),
    }


def node_entry(network: nx.MultiDiGraph, node: str, score: float, measure: str) -> dict[str, Any]:
    """A node as a view shows it: label, type, contested, its facts and sources (no position)."""
    return _node(network, node, score, measure)


def source_entries(network: nx.MultiDiGraph, ids: list[str]) -> list[dict[str, str]]:
    """The shown fields (title, publisher, date, reliability, url) of the sources ``ids``."""
    return _sources(network, ids)


def _edge(network: nx.MultiDiGraph, index: int, u: str, v: str, attrs: dict[str, Any]) -> dict:
    facts = [[name, _text(attrs[key])] for key, name in _EDGE_FACTS if attrs.get(key)]
    facts.append(["claim", str(attrs.get("claim", ""))])
    if attrs.get("link_claim"):
        facts.append(["link claim", str(attrs["link_claim"])])
    inherited = bool(attrs.get("sources_inherited"))
    facts.append(["sources", "cited with the record" if inherited else "cited for this link"])
    if attrs.get("contested"):
        facts.append(["contested", "another claim contradicts this one"])
    return {
        "id": f"e{index}",
        "from": u,
        "to": v,
        "label": str(attrs.get("label", attrs.get("relation", ""))),
        "contested": bool(attrs.get("contested")),
        "facts": facts,
        "sources": _sources(network, list(attrs.get("sources", ()))),
    }


# spring_layout's own solver for 500 nodes or more loops over the nodes in Python (or minimises
# with scipy): seconds for a view of a thousand nodes. Up to _DENSE nodes the same
# Fruchterman-Reingold steps run on dense numpy arrays instead (n x n floats: 32 MB at 2,000).
_SMALL = 500
_DENSE = 2000


def _dense_spring(
    plain: nx.Graph, seed: int, iterations: int = 50, threshold: float = 1e-4
) -> dict[Any, Any]:
    """Fruchterman-Reingold positions in the unit square, seeded, nodes taken in sorted order."""
    import numpy as np

    nodes = sorted(plain)
    adjacency = nx.to_numpy_array(plain, nodelist=nodes, weight=None)
    count = len(nodes)
    pos = np.random.RandomState(seed).rand(count, 2)
    k = math.sqrt(1.0 / count)
    t = max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1])) * 0.1
    cooling = t / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, np.newaxis] - pos[np.newaxis, :, 0]
        dy = pos[:, 1, np.newaxis] - pos[np.newaxis, :, 1]
        distance = np.sqrt(dx * dx + dy * dy)
        np.maximum(distance, 0.01, out=distance)
        force = (k * k) / (distance * distance) - adjacency * distance / k
        step = np.stack(((dx * force).sum(axis=1), (dy * force).sum(axis=1)), axis=1)
        length = np.sqrt((step * step).sum(axis=1))
        length = np.where(length < 0.01, 0.1, length)
        step *= (t / length)[:, np.newaxis]
        pos += step
        t -= cooling
        if np.linalg.norm(step) / count < threshold:
            break
    return dict(zip(nodes, pos, strict=True))


def _canonical(plain: nx.Graph) -> nx.Graph:
    """A copy of ``plain`` with its nodes and edges in sorted order.

    The seeded layouts give each node its starting point, and sum forces, in the graph's node
    order; a subgraph (a focus view) lists its nodes in the order of a Python set of strings,
    which changes from run to run with hash randomisation. Sorting makes the same network give
    the same picture, whatever ``PYTHONHASHSEED`` is.
    """
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(plain))
    ordered.add_edges_from(
        sorted((min(u, v), max(u, v), dict(attrs)) for u, v, attrs in plain.edges(data=True))
    )
    return ordered


def _layout(plain: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    if not len(plain):
        return {}
    scale = max(450.0, 110.0 * math.sqrt(len(plain)))
    if _SMALL <= len(plain) <= _DENSE:
        raw = _dense_spring(plain, seed)
        import numpy as np

        order = list(raw)
        scaled = nx.rescale_layout(np.array([raw[n] for n in order]), scale=scale)
        positions = dict(zip(order, scaled, strict=True))
    else:
        positions = nx.spring_layout(plain, seed=seed, scale=scale, weight=None)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in positions.items()}


def view_data(
    network: nx.MultiDiGraph,
    title: str = "casegraph",
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    sample: bool = False,
    seed: int = 7,
) -> dict[str, Any]:
    """The nodes and edges of a view with positions, sizes and facts, as plain dicts and lists.

    Above ``max_nodes`` it refuses (:class:`ViewTooLarge`, saying how to narrow the view), or with
    ``sample`` keeps the ``max_nodes`` most central nodes and says so in ``notice``.
    """
    plain = _canonical(undirected(network))
    values = measure_of(plain, size_by)
    notice = ""
    if len(network) > max_nodes:
        if not sample:
            raise ViewTooLarge(
                f"this view has {len(network)} nodes, more than {max_nodes} can be read; {_NARROW}"
            )
        keep = sorted(network, key=lambda n: (-values[n], n))[:max_nodes]
        notice = (
            f"Showing the {max_nodes} nodes with the highest {size_by} of {len(network)}; "
            "narrow the view to see the rest."
        )
        network = network.subgraph(keep)
        plain = _canonical(undirected(network))
    positions = _layout(plain, seed)
    top = max((values[n] for n in network), default=0.0) or 1.0
    nodes = []
    for node in sorted(network):
        entry = _node(network, node, values[node], size_by)
        entry["x"], entry["y"] = positions[node]
        entry["size"] = round(10 + 30 * values[node] / top, 1)
        nodes.append(entry)
    edges = [
        _edge(network, i, u, v, attrs)
        for i, (u, v, attrs) in enumerate(
            sorted(
                network.edges(data=True),
                key=lambda e: (e[0], e[1], e[2].get("claim", ""), e[2].get("relation", "")),
            )
        )
    ]
    return {"title": title, "notice": notice, "size_by": size_by, "nodes": nodes, "edges": edges}
