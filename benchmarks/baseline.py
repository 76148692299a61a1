"""The plain way, as a user of rdflib, networkx and pyvis would do it without casegraph.

Nothing here imports casegraph: the data comes as the N-Triples the generator compiled, queries as
SPARQL text with rdflib terms as bindings, and views as plain node and edge lists.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network
from rdflib import Graph
from rdflib.extras.external_graph_libs import rdflib_to_networkx_graph
from rdflib.term import Node

__all__ = [
    "betweenness",
    "degree",
    "load",
    "pagerank",
    "project",
    "pyvis_page",
    "select",
    "shortest_path",
]


def load(path: Path) -> Graph:
    """rdflib's in-memory Graph parsing the compiled N-Triples."""
    graph = Graph()
    graph.parse(path, format="nt")
    return graph


def select(graph: Graph, text: str, bindings: Mapping[str, Node] | None = None) -> int:
    """Run a query with rdflib's SPARQL engine; the number of result rows (every row is read)."""
    result = graph.query(text, initBindings=dict(bindings or {}))
    if result.type == "ASK":
        return int(bool(result.askAnswer))
    return sum(1 for _ in result)


def project(graph: Graph) -> nx.Graph:
    """rdflib's own networkx conversion: every subject and object a node, one edge per pair."""
    return rdflib_to_networkx_graph(graph)


def degree(network: nx.Graph) -> dict[Any, float]:
    """networkx degree centrality."""
    return nx.degree_centrality(network)


def pagerank(network: nx.Graph) -> dict[Any, float]:
    """networkx PageRank."""
    return nx.pagerank(network)


def betweenness(network: nx.Graph, k: int = 100, seed: int = 0) -> dict[Any, float]:
    """networkx's approximate betweenness from ``k`` sampled sources."""
    return nx.betweenness_centrality(network, k=min(k, len(network)), seed=seed)


def shortest_path(network: nx.Graph, start: Node, end: Node) -> list[Any]:
    """networkx's shortest path between two nodes of the converted graph."""
    return nx.shortest_path(network, start, end)


def pyvis_page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], path: Path) -> Path:
    """A pyvis page with its default physics, built with ``add_node``/``add_edge``.

    The scripts are inlined (``cdn_resources="in_line"``) so that the page works offline; every
    other option is pyvis's default.
    """
    net = Network(directed=True, cdn_resources="in_line")
    for node in nodes:
        net.add_node(node["id"], label=node["label"])
    for edge in edges:
        net.add_edge(edge["from"], edge["to"], title=edge["label"])
    path.write_text(net.generate_html(), encoding="utf-8")
    return path


def main() -> None:
    """``python -m benchmarks.baseline QUERY.rq DATA.nt``: a first query the plain way, as a process."""
    query, data = Path(sys.argv[1]), Path(sys.argv[2])
    print(select(load(data), query.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
