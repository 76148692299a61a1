"""Write a projected network for other tools: GraphML and GEXF (Gephi), node-link JSON.

GraphML and GEXF hold only scalar attributes, so lists become ``"; "``-joined strings and each edge
gains ``source_titles`` and its best ``reliability`` rank; node-link JSON keeps lists and the
source table as they are. Knows only networkx.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import CasegraphError
from graph.network.filters import evidence
from graph.outputs import atomic_output

__all__ = ["FORMATS", "export_network", "flat_copy"]

FORMATS = ("graphml", "gexf", "json")
_HIDDEN = frozenset({"iri"})  # internal keys that other tools have no use for


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def flat_copy(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars (None dropped), with sources summarised on edges."""
    table = network.graph.get("sources", {})
    flat = nx.MultiDiGraph()
    for node, attrs in network.nodes(data=True):
        flat.add_node(
            node, **{k: _scalar(v) for k, v in attrs.items() if v is not None and k not in _HIDDEN}
        )
    for u, v, key, attrs in network.edges(keys=True, data=True):
        ids = list(attrs.get("sources", ()))
        best, independent = evidence(network, ids)
        extra = {
            "source_titles": [table.get(s, {}).get("title", s) for s in ids],
            "reliability": best,
            "independent_sources": independent,
        }
        merged = {**attrs, **extra}
        flat.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in merged.items() if x is not None})
    return flat


def export_network(network: nx.MultiDiGraph, fmt: str, path: Path) -> None:
    """Write ``network`` to ``path`` as ``graphml``, ``gexf`` or ``json`` (node-link), whole or
    not at all (see :func:`graph.outputs.atomic_output`)."""
    if fmt not in FORMATS:
        raise CasegraphError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    with atomic_output(Path(path)) as temporary:
        if fmt == "graphml":
            nx.write_graphml(flat_copy(network), temporary, encoding="utf-8")
        elif fmt == "gexf":
            nx.write_gexf(flat_copy(network), temporary, encoding="utf-8")
        else:
            payload = nx.node_link_data(network, edges="edges")
            payload["graph"] = {"sources": network.graph.get("sources", {})}
            for node in payload["nodes"]:
                node.pop("iri", None)
            text = json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1)
            temporary.write_text(text + "\n", encoding="utf-8")
