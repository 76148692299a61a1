"""Betweenness counted by igraph equals networkx's: exact, sampled, and without igraph at all.

``analysis.betweenness`` keeps networkx's definition (normalised, undirected, endpoints left out)
and draws the same sample of sources networkx draws for a ``k`` and ``seed``, so every answer is
compared with the installed networkx's own ``betweenness_centrality``.
"""

from __future__ import annotations

import math
import sys

# The extra casegraph[fast], which `make test` installs: a missing igraph fails here, not skips.
import igraph  # noqa: F401
import networkx as nx
import pytest

from graph.network import analysis


def _graphs() -> list[nx.Graph]:
    split = nx.Graph(nx.gnm_random_graph(120, 260, seed=5))
    split.add_edges_from([("x", "y"), ("y", "z")])  # a second component, other node kinds
    split.add_node("alone")
    tied = nx.grid_2d_graph(6, 7)  # many equally short paths
    return [split, nx.karate_club_graph(), tied, nx.barabasi_albert_graph(300, 2, seed=1)]


def _close(ours: dict, theirs: dict, tolerance: float = 1e-9) -> bool:
    assert list(ours) == list(theirs)
    return all(
        (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tolerance
        for a, b in ((ours[n], theirs[n]) for n in theirs)
    )


@pytest.mark.parametrize("graph", _graphs(), ids=["split", "karate", "grid", "ba300"])
def test_exact_when_every_node_is_a_source(graph: nx.Graph) -> None:
    exact = nx.betweenness_centrality(graph, normalized=True)
    assert _close(analysis.betweenness(graph), exact)
    for k in (len(graph), len(graph) + 10):
        assert _close(analysis.betweenness(graph, k=k, seed=3), exact)
        assert _close(analysis.measure_of(graph, "betweenness", k=k, seed=3), exact)


@pytest.mark.parametrize("graph", _graphs(), ids=["split", "karate", "grid", "ba300"])
def test_a_sample_is_networkx_own_sample_and_estimate(graph: nx.Graph) -> None:
    for k in (2, 7, len(graph) // 2, len(graph) - 1):
        for seed in (0, 1, 42):
            ours = analysis.betweenness(graph, k=k, seed=seed)
            assert _close(ours, nx.betweenness_centrality(graph, k=k, seed=seed))


def test_a_sample_of_one_is_nan_on_the_source_as_in_networkx() -> None:
    graph = nx.karate_club_graph()
    ours = analysis.betweenness(graph, k=1, seed=2)
    assert _close(ours, nx.betweenness_centrality(graph, k=1, seed=2))
    assert sum(math.isnan(v) for v in ours.values()) == 1


def test_tiny_graphs() -> None:
    for graph in (nx.empty_graph(0), nx.empty_graph(1), nx.path_graph(2), nx.path_graph(3)):
        assert _close(analysis.betweenness(graph), nx.betweenness_centrality(graph))


def test_the_network_scores_use_the_cached_undirected_graph() -> None:
    network = nx.MultiDiGraph(nx.barabasi_albert_graph(200, 2, seed=4))
    network.add_edge(0, 1)  # a parallel edge and a reversed one merge into one
    network.add_edge(1, 0)
    plain = nx.Graph(network.to_undirected())
    assert _close(
        analysis.scores(network, "betweenness", k=30, seed=9),
        nx.betweenness_centrality(plain, k=30, seed=9),
    )
    network.remove_node(5)  # the igraph copy follows the change
    plain.remove_node(5)
    assert _close(analysis.scores(network, "betweenness"), nx.betweenness_centrality(plain))


def test_a_changed_graph_is_copied_to_igraph_again() -> None:
    graph = nx.path_graph(6)
    before = analysis.betweenness(graph)
    graph.add_edge(0, 5)  # now a cycle: every node alike
    after = analysis.betweenness(graph)
    assert after != before and len(set(after.values())) == 1
    assert _close(after, nx.betweenness_centrality(graph))


def test_directed_and_multi_graphs_are_left_to_networkx() -> None:
    directed = nx.gnp_random_graph(40, 0.1, seed=2, directed=True)
    assert analysis.betweenness(directed) == nx.betweenness_centrality(directed)
    multi = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    assert analysis.betweenness(multi) == nx.betweenness_centrality(multi)


def test_without_igraph_networkx_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.barabasi_albert_graph(150, 2, seed=6)
    fast = analysis.betweenness(graph, k=20, seed=1)
    exact = analysis.betweenness(graph)
    monkeypatch.setitem(sys.modules, "igraph", None)  # import igraph now raises ImportError
    assert _close(analysis.betweenness(graph, k=20, seed=1), fast)
    assert _close(analysis.betweenness(nx.Graph(graph)), exact)
