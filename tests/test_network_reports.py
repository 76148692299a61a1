"""The accountability report, explained paths and exports, on the small fixture."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.errors import CasegraphError
from graph.network.accountability import accountability
from graph.network.build import network_from_graph
from graph.network.exports import export_network
from graph.network.paths import shortest_paths
from graph.network.tables import format_paths, format_rows

DATA = Path(__file__).parent / "data" / "network"


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return network_from_graph(Graph().parse(DATA / "small.ttl"))


def test_judge_report(network: nx.MultiDiGraph) -> None:
    rows = {r.node: r for r in accountability(network, "judge")}
    assert set(rows) == {"judge_fictivus", "judge_secundus"}
    fictivus = rows["judge_fictivus"]
    assert fictivus.defendants == ["Casus Alter", "Probus Exemplar", "Testa Personova"]
    # the two contradicting death-sentence claims about Testa count once; the co-defendant's is not his
    assert fictivus.death_sentences == ["Casus Alter", "Testa Personova"]
    assert fictivus.executions == ["Casus Alter"]
    assert fictivus.charges == {
        "assembly and collusion against national security": 1,
        "efsad-e fel-arz (corruption on earth)": 1,
        "moharebeh (enmity against God)": 1,
        "murder (qisas)": 1,
    }
    assert fictivus.supreme_court == {"Supreme Court upheld": 1}
    assert fictivus.contested == 2
    assert (fictivus.sources, fictivus.independent_sources) == (4, 3)
    assert rows["judge_secundus"].death_sentences == []


def test_court_report_folds_in_branches_and_says_so(network: nx.MultiDiGraph) -> None:
    rows = {r.node: r for r in accountability(network, "court")}
    court, branch = rows["exampleton_court"], rows["exampleton_branch3"]
    assert court.includes == ["Exampleton Revolutionary Court, Branch 3"]
    assert branch.includes == []
    assert court.death_sentences == branch.death_sentences == ["Casus Alter", "Testa Personova"]
    assert rows["supreme_court"].defendants == ["Testa Personova"]
    assert [r.node for r in accountability(network)] == [
        "judge_fictivus", "judge_secundus", "exampleton_court", "exampleton_branch3", "supreme_court",
    ]  # fmt: skip


def test_shortest_paths_explain_each_hop(network: nx.MultiDiGraph) -> None:
    chains = shortest_paths(network, "testa_personova", "no_tests_tuesdays")
    assert [[h.end for h in c] for c in chains] == [
        ["case_testa", "probus_exemplar", "no_tests_tuesdays"],
        ["ev_sentence_testa", "probus_exemplar", "no_tests_tuesdays"],
    ]
    hop = chains[1][0]
    assert [(link.relation, link.claim, link.date) for link in hop.links] == [
        ("person", "ev_sentence_testa", "2023-01-05")
    ]
    assert [s["id"] for s in hop.links[0].sources] == ["src_a", "src_c"]
    assert hop.links[0].sources[0]["reliability"] == "high"
    assert hop.links[0].contested is True
    text = format_paths(chains)
    assert "Testa Personova -person-> " not in text
    assert "death sentence 2023-01-05 -person-> Testa Personova [2023-01-05] (contested)" in text
    assert "source: Testa Personova sentenced to death, high" in text


def test_time_ordered_paths_never_go_back(network: nx.MultiDiGraph) -> None:
    # the shortest chains go from a March ruling back to January sentences
    plain = shortest_paths(network, "judge_secundus", "judge_fictivus", limit=10)
    assert len(plain[0]) == 4
    assert [h.earliest for h in plain[0]] == [
        "2023-03-01",
        "2023-03-01",
        "2023-01-05",
        "2023-01-05",
    ]
    chains = shortest_paths(network, "judge_secundus", "judge_fictivus", time_ordered=True)
    assert [h.end for h in chains[0]] == [
        "ev_sc_testa", "case_testa", "exampleton_branch3", "ev_sentence_alter", "judge_fictivus",
    ]  # fmt: skip
    for chain in chains:
        dates = [h.earliest for h in chain if h.earliest]
        assert dates == sorted(dates)
    with pytest.raises(CasegraphError):
        shortest_paths(network, "testa_personova", "hidden_witnessova")


def _edge_keys(network: nx.MultiDiGraph) -> set[tuple[str, str, str, str]]:
    return {(u, v, d["relation"], d["claim"]) for u, v, d in network.edges(data=True)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_load_back_with_the_same_nodes_and_edges(
    network: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"network.{fmt}"
    export_network(network, fmt, target)
    if fmt == "graphml":
        back = nx.read_graphml(target, force_multigraph=True)
    elif fmt == "gexf":
        back = nx.read_gexf(target)
    else:
        back = nx.node_link_graph(json.loads(target.read_text("utf-8")), edges="edges")
    assert set(back) == set(network)
    assert back.number_of_edges() == network.number_of_edges()
    assert _edge_keys(back) == _edge_keys(network)
    assert back.nodes["exampleton_branch3"]["label"] == "Exampleton Revolutionary Court, Branch 3"
    text = target.read_text("utf-8")
    assert "Hidden Witnessova" not in text and "Secret Role Text" not in text


def test_graphml_attributes_are_flattened(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_network(network, "graphml", tmp_path / "n.graphml")
    back = nx.read_graphml(tmp_path / "n.graphml", force_multigraph=True)
    edge = back.edges["ev_sentence_testa", "judge_fictivus", "judge:ev_sentence_testa"]
    assert edge["sources"] == "src_a; src_c"
    assert (edge["reliability"], edge["independent_sources"]) == (4, 1)
    with pytest.raises(CasegraphError):
        export_network(network, "pajek", tmp_path / "n.net")


def test_tables() -> None:
    rows = [{"a": "x", "b": ["1", "2"]}]
    assert format_rows(rows, ["a", "b"], "csv") == "a,b\nx,1; 2"
    assert json.loads(format_rows(rows, ["a", "b"], "json")) == [{"a": "x", "b": ["1", "2"]}]
