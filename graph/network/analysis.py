"""Measures on a projected network: centrality ranked per entity type, communities, components.

Functions here take and return networkx graphs and dicts keyed by node. Measures run on the simple
undirected graph under the projection (parallel edges and direction merged), which is what "who is
connected to whom" means. Betweenness, whose networkx code is pure Python (about a minute for 100
sampled sources on a 64,000-node network), is computed by igraph's C code underneath, with
networkx's definition and networkx's own sample of sources (see :func:`betweenness`).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from graph.errors import CasegraphError

__all__ = [
    "MEASURES",
    "Ranked",
    "betweenness",
    "centrality",
    "communities",
    "component_of",
    "default_k",
    "measure_of",
    "neighbourhood",
    "scores",
    "simple",
    "undirected",
    "with_links",
]

MEASURES = ("degree", "betweenness", "pagerank")
EXACT_LIMIT = 5000  # above this many nodes, exact betweenness takes too long to wait for
SAMPLE_K = 100  # the default sample of betweenness above EXACT_LIMIT


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


def _merged(network: nx.Graph, data: bool) -> nx.Graph:
    plain = nx.Graph()
    plain.add_nodes_from(network.nodes(data=data))
    weights: dict[tuple[Any, Any], int] = {}
    for u, v in network.edges():
        if u != v:
            if (v, u) in weights:
                weights[v, u] += 1
            else:
                weights[u, v] = weights.get((u, v), 0) + 1
    plain.add_edges_from((u, v, {"weight": w}) for (u, v), w in weights.items())
    return plain


def simple(network: nx.Graph) -> nx.Graph:
    """The undirected simple graph under ``network``; ``weight`` counts the merged edges."""
    return _merged(network, data=True)


_CACHE_KEY = "casegraph.simple"


def undirected(network: nx.Graph) -> nx.Graph:
    """:func:`simple` without the node attributes, computed once per network: read it, never
    change it.

    The answer is kept in the network's ``__networkx_cache__``, which networkx empties whenever the
    network's nodes or edges change; node and edge counts are checked too. Views (subgraphs) are
    never cached, since a change to the graph they view would not empty theirs.
    """
    cache = getattr(network, "__networkx_cache__", None)
    if cache is None or nx.is_frozen(network):
        return _merged(network, data=False)
    shape = (network.number_of_nodes(), network.number_of_edges())
    found = cache.get(_CACHE_KEY)
    if found is not None and found[0] == shape:
        return found[1]
    plain = nx.freeze(_merged(network, data=False))
    cache[_CACHE_KEY] = (shape, plain)
    return plain


def scores(
    network: nx.Graph, measure: str, k: int | None = None, seed: int = 0
) -> dict[str, float]:
    """Raw scores: degree counts distinct neighbours; betweenness is normalised; PageRank sums to 1.

    Betweenness is exact unless ``k`` is given: then it is estimated from ``k`` source nodes
    sampled with ``seed`` (all nodes when ``k`` is at least their number, which is exact).
    """
    _check(measure, k)
    return measure_of(undirected(network), measure, k, seed)


def _check(measure: str, k: int | None) -> None:
    if measure not in MEASURES:
        raise CasegraphError(f"unknown measure '{measure}'; choose one of {', '.join(MEASURES)}")
    if k is not None and k < 1:
        raise CasegraphError("k, the number of sampled nodes, must be at least 1")


def default_k(network: nx.Graph) -> int | None:
    """The sample size betweenness uses by default: exact (None) up to :data:`EXACT_LIMIT`
    nodes, :data:`SAMPLE_K` sampled nodes above."""
    return SAMPLE_K if len(network) > EXACT_LIMIT else None


def measure_of(
    plain: nx.Graph, measure: str, k: int | None = None, seed: int = 0
) -> dict[str, float]:
    """:func:`scores` on a graph that is already undirected and simple (see :func:`undirected`)."""
    _check(measure, k)
    if measure == "degree":
        return {n: float(d) for n, d in plain.degree()}
    if measure == "betweenness":
        return betweenness(plain, k, seed)
    return nx.pagerank(plain, weight="weight") if len(plain) else {}


_IGRAPH_KEY = "casegraph.igraph"


def _has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _igraph_of(plain: nx.Graph) -> tuple[Any, list[Any]]:
    """The igraph copy of an undirected simple graph and its nodes (vertex ``i`` is ``nodes[i]``,
    in the graph's own node order), kept in the graph's ``__networkx_cache__`` like
    :func:`undirected`'s answer (networkx empties it when the graph changes)."""
    import igraph

    cache = getattr(plain, "__networkx_cache__", None)
    shape = (plain.number_of_nodes(), plain.number_of_edges())
    found = cache.get(_IGRAPH_KEY) if cache is not None else None
    if found is not None and found[0] == shape:
        return found[1], found[2]
    nodes = list(plain)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in plain.edges() if u != v]
    copy = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    if cache is not None:
        cache[_IGRAPH_KEY] = (shape, copy, nodes)
    return copy, nodes


def betweenness(plain: nx.Graph, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    """Normalised betweenness of an undirected simple graph, exactly as
    ``nx.betweenness_centrality(plain, k=k, normalized=True, seed=seed)`` defines it.

    Exact when ``k`` is None or at least the number of nodes. Otherwise the estimate sums the
    shortest paths from ``k`` source nodes to every node and rescales them as networkx 3.5+ does
    (a sampled source is scaled by ``1/((k-1)(n-2))``, any other node by ``1/(k(n-2))``; with
    ``k`` = 1 the source's score is NaN, as in networkx). The sources are the sample networkx
    itself draws, ``random.Random(seed).sample(list(plain), k)``, so the estimate equals
    networkx's for the same graph, ``k`` and ``seed`` (the tests check this against the installed
    networkx; should a later networkx draw its sample differently, the two estimates would differ
    by sampler, not by definition). The shortest paths are counted by igraph's C code; networkx
    counts them when igraph is not importable, or for a directed or multi graph.
    """
    n = len(plain)
    sources = None if k is None or k >= n else random.Random(seed).sample(list(plain), k)
    if plain.is_directed() or plain.is_multigraph() or not _has_igraph():
        if sources is None:
            return nx.betweenness_centrality(plain, normalized=True)
        return nx.betweenness_centrality(plain, k=k, normalized=True, seed=seed)
    if n < 3:
        return dict.fromkeys(plain, 0.0)
    copy, nodes = _igraph_of(plain)
    if sources is None:
        # igraph counts each unordered pair once; networkx counts (s, t) and (t, s).
        raw = copy.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2))
        return {node: value * scale for node, value in zip(nodes, raw, strict=True)}
    index = {node: i for i, node in enumerate(nodes)}
    raw = copy.betweenness(directed=False, sources=[index[s] for s in sources])
    sampled = set(sources)
    count = len(sources)
    on_source = 2.0 / ((count - 1) * (n - 2)) if count > 1 else math.nan
    off_source = 2.0 / (count * (n - 2))
    return {
        node: value * (on_source if node in sampled else off_source)
        for node, value in zip(nodes, raw, strict=True)
    }


def centrality(
    network: nx.Graph,
    measure: str = "degree",
    top: int = 10,
    types: set[str] | None = None,
    k: int | None = None,
    seed: int = 0,
) -> list[Ranked]:
    """The ``top`` entities of each type by ``measure`` (ties broken by label), claims left out.

    ``types`` limits the rows (a type includes its subclasses), not the network measured. ``k``
    and ``seed`` make betweenness an estimate from ``k`` sampled nodes (see :func:`scores`).
    """
    values = scores(network, measure, k, seed)
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
    plain = undirected(network)
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
    return set(nx.node_connected_component(undirected(network), node))


def neighbourhood(network: nx.Graph, node: str, depth: int = 1) -> set[str]:
    """The nodes within ``depth`` hops of ``node``, ignoring direction."""
    if node not in network:
        raise CasegraphError(f"'{node}' is not in this network (check the filters)")
    return set(nx.single_source_shortest_path_length(undirected(network), node, cutoff=depth))


def with_links(network: nx.Graph, nodes: set[str]) -> set[str]:
    """``nodes`` plus the claim nodes (events) that link two or more of them, so they connect."""
    plain = undirected(network)
    linking = {
        n
        for n, attrs in network.nodes(data=True)
        if attrs.get("claim") and n not in nodes and len(nodes & set(plain[n])) >= 2
    }
    return (nodes & set(network)) | linking
