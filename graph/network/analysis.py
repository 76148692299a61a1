"""Measures on a projected network: centrality ranked per entity type, communities, components.

Everything here knows only networkx. Measures run on the simple undirected graph under the
projection (parallel edges and direction merged), which is what "who is connected to whom" means.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from graph.errors import CasegraphError

__all__ = [
    "MEASURES",
    "Ranked",
    "centrality",
    "communities",
    "component_of",
    "neighbourhood",
    "scores",
    "with_links",
]

MEASURES = ("degree", "betweenness", "pagerank")


@dataclass(frozen=True)
class Ranked:
    """One entity's score and its rank among entities of the same type (1 is the highest)."""

    type: str
    rank: int
    node: str
    label: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for CSV and JSON output."""
        return asdict(self)


def simple(network: nx.Graph) -> nx.Graph:
    """The undirected simple graph under ``network``; ``weight`` counts the merged edges."""
    plain = nx.Graph()
    plain.add_nodes_from(network.nodes(data=True))
    for u, v in network.edges():
        if u != v:
            weight = plain[u][v]["weight"] + 1 if plain.has_edge(u, v) else 1
            plain.add_edge(u, v, weight=weight)
    return plain


def scores(network: nx.Graph, measure: str) -> dict[str, float]:
    """Raw scores: degree counts distinct neighbours; betweenness is normalised; PageRank sums to 1."""
    plain = simple(network)
    if measure == "degree":
        return {n: float(d) for n, d in plain.degree()}
    if measure == "betweenness":
        return nx.betweenness_centrality(plain, normalized=True)
    if measure == "pagerank":
        return nx.pagerank(plain, weight="weight") if len(plain) else {}
    raise CasegraphError(f"unknown measure '{measure}'; choose one of {', '.join(MEASURES)}")


def centrality(
    network: nx.Graph, measure: str = "degree", top: int = 10, types: set[str] | None = None
) -> list[Ranked]:
    """The ``top`` entities of each type by ``measure`` (ties broken by label), claims left out.

    ``types`` limits the rows (a type includes its subclasses), not the network measured.
    """
    values = scores(network, measure)
    groups: dict[str, list[str]] = defaultdict(list)
    for node, attrs in network.nodes(data=True):
        if attrs.get("claim") or (types and not types.intersection(attrs.get("types", ()))):
            continue
        groups[attrs.get("type", "?")].append(node)
    ranked: list[Ranked] = []
    for kind in sorted(groups):
        order = sorted(
            groups[kind], key=lambda n: (-values[n], network.nodes[n].get("label", n), n)
        )
        for position, node in enumerate(order[:top], start=1):
            label = network.nodes[node].get("label", node)
            ranked.append(Ranked(kind, position, node, label, round(values[node], 6)))
    return ranked


def communities(network: nx.Graph, seed: int = 0, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities of the undirected graph, largest first (seeded: same input, same answer)."""
    plain = simple(network)
    if not len(plain):
        return []
    found = nx.community.louvain_communities(
        plain, weight="weight", resolution=resolution, seed=seed
    )
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def component_of(network: nx.Graph, node: str) -> set[str]:
    """The connected component (ignoring direction) that holds ``node``."""
    if node not in network:
        raise CasegraphError(f"'{node}' is not in this network (check the filters)")
    return set(nx.node_connected_component(simple(network), node))


def neighbourhood(network: nx.Graph, node: str, depth: int = 1) -> set[str]:
    """The nodes within ``depth`` hops of ``node``, ignoring direction."""
    if node not in network:
        raise CasegraphError(f"'{node}' is not in this network (check the filters)")
    return set(nx.single_source_shortest_path_length(simple(network), node, cutoff=depth))


def with_links(network: nx.Graph, nodes: set[str]) -> set[str]:
    """``nodes`` plus the claim nodes (events) that link two or more of them, so they connect."""
    plain = simple(network)
    linking = {
        n
        for n, attrs in network.nodes(data=True)
        if attrs.get("claim") and n not in nodes and len(nodes & set(plain[n])) >= 2
    }
    return (nodes & set(network)) | linking
