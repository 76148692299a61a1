"""Filters, centrality, communities, components and collapsed views on the small fixture."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.errors import CasegraphError
from graph.network import analysis, collapse
from graph.network.build import network_from_graph
from graph.network.filters import NetworkFilter, apply_filter

DATA = Path(__file__).parent / "data" / "network"


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return network_from_graph(Graph().parse(DATA / "small.ttl"))


def _claims(network: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, claim in network.nodes(data="claim") if claim)


def test_as_of_keeps_what_may_have_happened_by_then(network: nx.MultiDiGraph) -> None:
    kept = apply_filter(network, NetworkFilter(as_of=date(2023, 1, 6)))
    assert _claims(kept) == ["ev_arrest_testa", "ev_sentence_probus", "ev_sentence_testa"]
    assert "no_tests_tuesdays" not in kept  # the campaign started in 2024
    assert "exampleton_protests" in kept and "testa_personova" in kept


def test_a_window_keeps_overlapping_claims(network: nx.MultiDiGraph) -> None:
    kept = apply_filter(network, NetworkFilter(start=date(2023, 2, 1), end=date(2023, 6, 15)))
    assert _claims(kept) == ["ev_sc_testa", "ev_sentence_alter", "ev_statement"]
    # the judge's role claim (2022) is outside the window, so its edge goes
    assert not kept.has_edge("judge_fictivus", "exampleton_branch3")


def test_types_include_subclasses(network: nx.MultiDiGraph) -> None:
    kept = apply_filter(network, NetworkFilter(types=frozenset({"Court"})))
    assert set(kept) == {"exampleton_branch3", "exampleton_court", "supreme_court"}


def test_within_a_protest(network: nx.MultiDiGraph) -> None:
    kept = apply_filter(network, NetworkFilter(within="exampleton_protests"))
    assert set(kept) == {
        "advocata_demo", "case_testa", "ev_arrest_testa", "ev_sc_testa", "ev_sentence_probus",
        "ev_sentence_testa", "ev_sentence_testa_alt", "ev_statement", "exampleton_branch3",
        "exampleton_protests", "judge_fictivus", "judge_secundus", "probus_exemplar",
        "supreme_court", "testa_personova",
    }  # fmt: skip


def test_corroboration_counts_independent_sources_only(network: nx.MultiDiGraph) -> None:
    kept = apply_filter(network, NetworkFilter(min_independent=2))
    # ev_sentence_testa has two sources, but one mirrors the other
    assert _claims(kept) == ["ev_execution_alter", "ev_sc_testa"]
    assert {(u, v) for u, v in kept.edges()} == {
        ("ev_execution_alter", "case_alter"), ("ev_execution_alter", "casus_alter"),
        ("ev_execution_alter", "sample_prison"), ("ev_sc_testa", "case_testa"),
        ("ev_sc_testa", "judge_secundus"), ("ev_sc_testa", "supreme_court"),
        ("ev_sc_testa", "testa_personova"), ("judge_fictivus", "exampleton_branch3"),
    }  # fmt: skip


def test_minimum_reliability(network: nx.MultiDiGraph) -> None:
    kept = apply_filter(network, NetworkFilter(min_rank=4))
    assert _claims(kept) == [
        "ev_execution_alter",
        "ev_sc_testa",
        "ev_sentence_testa",
        "ev_statement",
    ]
    assert kept.number_of_edges() == 15


def test_degree_ranked_per_type(network: nx.MultiDiGraph) -> None:
    ranked = [(r.type, r.rank, r.node, r.score) for r in analysis.centrality(network, "degree", 2)]
    assert ranked == [
        ("Campaign", 1, "no_tests_tuesdays", 3.0),
        ("Case", 1, "case_testa", 10.0),
        ("Case", 2, "case_alter", 4.0),
        ("Court", 1, "exampleton_court", 1.0),
        ("Court", 2, "supreme_court", 1.0),
        ("CourtBranch", 1, "exampleton_branch3", 8.0),
        ("Person", 1, "testa_personova", 8.0),
        ("Person", 2, "judge_fictivus", 5.0),
        ("Prison", 1, "sample_prison", 3.0),
        ("Protest", 1, "exampleton_protests", 3.0),
    ]


def test_betweenness_and_pagerank(network: nx.MultiDiGraph) -> None:
    top = {r.type: r.node for r in analysis.centrality(network, "betweenness", 1)}
    assert top["Person"] == "probus_exemplar"  # the bridge to the campaign
    pagerank = analysis.scores(network, "pagerank")
    assert sum(pagerank.values()) == pytest.approx(1.0)
    assert max(pagerank, key=pagerank.__getitem__) == "case_testa"
    with pytest.raises(CasegraphError):
        analysis.scores(network, "fame")


def test_communities_partition_the_graph(network: nx.MultiDiGraph) -> None:
    found = analysis.communities(network, seed=0)
    assert found == analysis.communities(network, seed=0)
    assert set().union(*found) == set(network)
    assert sum(len(c) for c in found) == len(network)
    home = {n: i for i, c in enumerate(found) for n in c}
    assert home["judge_fictivus"] == home["exampleton_branch3"]
    assert home["casus_alter"] == home["case_alter"]


def test_component_neighbourhood_and_links(network: nx.MultiDiGraph) -> None:
    assert analysis.component_of(network, "no_tests_tuesdays") == set(network)
    assert analysis.neighbourhood(network, "judge_fictivus", 1) == {
        "ev_sentence_alter", "ev_sentence_probus", "ev_sentence_testa", "ev_sentence_testa_alt",
        "exampleton_branch3", "judge_fictivus",
    }  # fmt: skip
    assert analysis.with_links(network, {"testa_personova", "judge_fictivus"}) == {
        "ev_sentence_testa", "ev_sentence_testa_alt", "judge_fictivus", "testa_personova",
    }  # fmt: skip
    with pytest.raises(CasegraphError):
        analysis.component_of(network, "hidden_witnessova")


def test_person_network_through_shared_contexts(network: nx.MultiDiGraph) -> None:
    people = collapse.person_network(network)
    edges = {
        (u, v) if u < v else (v, u): (d["weight"], sorted(d["via"]))
        for u, v, d in people.edges(data=True)
    }
    assert edges == {
        ("advocata_demo", "probus_exemplar"): (1, ["case_testa"]),
        ("advocata_demo", "testa_personova"): (1, ["case_testa"]),
        ("casus_alter", "judge_fictivus"): (1, ["exampleton_branch3"]),
        ("casus_alter", "probus_exemplar"): (2, ["exampleton_branch3", "judge_fictivus"]),
        ("casus_alter", "testa_personova"): (2, ["exampleton_branch3", "judge_fictivus"]),
        ("judge_fictivus", "probus_exemplar"): (1, ["exampleton_branch3"]),
        ("judge_fictivus", "testa_personova"): (1, ["exampleton_branch3"]),
        ("probus_exemplar", "testa_personova"): (
            3,
            ["case_testa", "exampleton_branch3", "judge_fictivus"],
        ),
    }
    only_cases = collapse.person_network(network, ["case"])
    assert only_cases.number_of_edges() == 3
    with pytest.raises(CasegraphError):
        collapse.person_network(network, ["religion"])


def test_judge_network_through_shared_defendants(network: nx.MultiDiGraph) -> None:
    judges = collapse.judge_network(network)
    assert set(judges) == {"judge_fictivus", "judge_secundus"}
    assert dict(judges.edges[("judge_fictivus", "judge_secundus")]) == {
        "weight": 1,
        "via": ["testa_personova"],
    }
