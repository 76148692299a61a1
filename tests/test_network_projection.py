"""The RDF-to-networkx projection on the small fixture: exact nodes, edges, sources, visibility."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from graph.namespaces import CG
from graph.network.build import network_from_graph
from graph.network.projection import project, read_schema
from graph.resources import ontology_graph

DATA = Path(__file__).parent / "data" / "network"

PUBLIC_NODES = {
    "advocata_demo", "case_alter", "case_testa", "casus_alter", "ev_arrest_testa",
    "ev_execution_alter", "ev_sc_testa", "ev_sentence_alter", "ev_sentence_probus",
    "ev_sentence_testa", "ev_sentence_testa_alt", "ev_statement", "ev_week1",
    "exampleton_branch3", "exampleton_court", "exampleton_protests", "judge_fictivus",
    "judge_secundus", "no_tests_tuesdays", "probus_exemplar", "sample_prison", "supreme_court",
    "testa_personova",
}  # fmt: skip

PUBLIC_EDGES = {
    ("advocata_demo", "case_testa", "inCase"),
    ("advocata_demo", "testa_personova", "forPerson"),
    ("case_alter", "casus_alter", "defendant"),
    ("case_alter", "exampleton_branch3", "court"),
    ("case_testa", "exampleton_branch3", "court"),
    ("case_testa", "exampleton_protests", "protest"),
    ("case_testa", "probus_exemplar", "defendant"),
    ("case_testa", "testa_personova", "defendant"),
    ("ev_arrest_testa", "case_testa", "case"),
    ("ev_arrest_testa", "exampleton_protests", "protest"),
    ("ev_arrest_testa", "testa_personova", "person"),
    ("ev_execution_alter", "case_alter", "case"),
    ("ev_execution_alter", "casus_alter", "person"),
    ("ev_execution_alter", "sample_prison", "place"),
    ("ev_sc_testa", "case_testa", "case"),
    ("ev_sc_testa", "judge_secundus", "judge"),
    ("ev_sc_testa", "supreme_court", "court"),
    ("ev_sc_testa", "testa_personova", "person"),
    ("ev_sentence_alter", "case_alter", "case"),
    ("ev_sentence_alter", "casus_alter", "person"),
    ("ev_sentence_alter", "exampleton_branch3", "court"),
    ("ev_sentence_alter", "judge_fictivus", "judge"),
    ("ev_sentence_probus", "case_testa", "case"),
    ("ev_sentence_probus", "exampleton_branch3", "court"),
    ("ev_sentence_probus", "judge_fictivus", "judge"),
    ("ev_sentence_probus", "probus_exemplar", "person"),
    ("ev_sentence_testa", "case_testa", "case"),
    ("ev_sentence_testa", "exampleton_branch3", "court"),
    ("ev_sentence_testa", "judge_fictivus", "judge"),
    ("ev_sentence_testa", "probus_exemplar", "coDefendant"),
    ("ev_sentence_testa", "testa_personova", "person"),
    ("ev_sentence_testa_alt", "case_testa", "case"),
    ("ev_sentence_testa_alt", "exampleton_branch3", "court"),
    ("ev_sentence_testa_alt", "judge_fictivus", "judge"),
    ("ev_sentence_testa_alt", "testa_personova", "person"),
    ("ev_statement", "testa_personova", "person"),
    ("ev_week1", "no_tests_tuesdays", "campaign"),
    ("ev_week1", "sample_prison", "joinedPrison"),
    ("exampleton_branch3", "exampleton_court", "partOf"),
    ("judge_fictivus", "exampleton_branch3", "atOrganisation"),
    ("no_tests_tuesdays", "probus_exemplar", "foundingParticipant"),
    ("no_tests_tuesdays", "sample_prison", "originPrison"),
    ("testa_personova", "exampleton_protests", "protest"),
}


@pytest.fixture(scope="module")
def data() -> Graph:
    return Graph().parse(DATA / "small.ttl")


@pytest.fixture(scope="module")
def network(data: Graph) -> nx.MultiDiGraph:
    return network_from_graph(data)


def _edges(network: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, r) for u, v, r in network.edges(data="relation")}


def test_public_nodes_and_edges_exactly(network: nx.MultiDiGraph) -> None:
    assert set(network) == PUBLIC_NODES
    assert _edges(network) == PUBLIC_EDGES
    assert network.number_of_edges() == len(PUBLIC_EDGES)


def test_restricted_records_never_reach_the_network(network: nx.MultiDiGraph) -> None:
    assert "hidden_witnessova" not in network and "ev_secret_hearing" not in network
    claims = {c for _, _, c in network.edges(data="claim")}
    assert "judge_fictivus/role/2" not in claims
    assert "hidden_witnessova" not in network.nodes["ev_statement"]["contradicts"]
    text = repr(dict(network.nodes(data=True))) + repr(list(network.edges(data=True)))
    assert "Hidden Witnessova" not in text and "Secret Role Text" not in text


def test_including_restricted_adds_exactly_them(data: Graph) -> None:
    full = network_from_graph(data, include_restricted=True)
    assert set(full) - PUBLIC_NODES == {"hidden_witnessova", "ev_secret_hearing"}
    assert ("judge_fictivus", "exampleton_court", "atOrganisation") in _edges(full)
    assert ("ev_statement", "hidden_witnessova", "person") in _edges(full)


def test_node_attributes(network: nx.MultiDiGraph) -> None:
    branch = network.nodes["exampleton_branch3"]
    assert branch["type"] == "CourtBranch"
    assert branch["types"] == [
        "CourtBranch",
        "Court",
        "StateBody",
        "Organisation",
        "Agent",
        "Entity",
    ]
    assert branch["label"] == "Exampleton Revolutionary Court, Branch 3"
    assert branch["claim"] is False
    sentence = network.nodes["ev_sentence_alter"]
    assert sentence["claim"] is True
    assert sentence["label"] == "death sentence 2023-06"
    assert (sentence["date_earliest"], sentence["date_latest"]) == ("2023-06-01", "2023-06-30")
    assert sentence["sentences"] == ["death", "qisas"]  # qisas is narrower than death
    assert sentence["charges"] == ["murder (qisas)"]
    assert network.nodes["exampleton_protests"]["start"] == "2022-09-20"
    assert network.nodes["ev_sentence_testa"]["contested"] is True
    assert network.nodes["ev_sentence_testa"]["contradicts"] == ["ev_sentence_testa_alt"]
    assert network.nodes["ev_sentence_probus"]["contested"] is False


def test_edges_carry_the_claim_and_its_sources(network: nx.MultiDiGraph) -> None:
    edge = network.edges["ev_sentence_testa", "judge_fictivus", "judge:ev_sentence_testa"]
    assert edge["claim"] == "ev_sentence_testa"
    assert edge["sources"] == ["src_a", "src_c"]
    assert edge["contested"] is True
    assert edge["date_earliest"] == "2023-01-05"
    assert network.graph["sources"]["src_c"] == {
        "title": "Testa Personova sentenced to death (mirror)",
        "publisher": "Example Rights Watch (mirror)",
        "reliability": "low",
        "rank": 2,
        "independence": "example rights watch",
    }


def test_role_claims_become_direct_edges(network: nx.MultiDiGraph) -> None:
    role = network.edges[
        "judge_fictivus", "exampleton_branch3", "atOrganisation:judge_fictivus/role/1"
    ]
    assert role["role"] == "judge" and role["role_text"] == "presiding judge"
    assert role["label"] == "judge: at organisation"
    assert role["sources"] == ["src_a", "src_b"]
    assert role["date_earliest"] == "2022-01-01"
    lawyer = network.edges["advocata_demo", "testa_personova", "forPerson:advocata_demo/role/1"]
    assert lawyer["role"] == "lawyer" and lawyer["sources"] == ["src_b"]


def test_a_sub_property_edge_replaces_its_super_property(network: nx.MultiDiGraph) -> None:
    assert [r for r in network["ev_week1"]["sample_prison"].values()] == [
        network.edges["ev_week1", "sample_prison", "joinedPrison:ev_week1"]
    ]


def test_node_classes_and_edges_come_from_the_ontology() -> None:
    schema = read_schema()
    local = {str(c).rsplit("#", 1)[1] for c in schema.node_classes}
    assert {"Person", "CourtBranch", "Prison", "LegalEvent"} <= local
    assert not {"Source", "RoleClaim", "Claim", "Record"} & local
    edges = {str(p).rsplit("#", 1)[1] for p in schema.edge_properties}
    assert {"judge", "joinedPrison", "atOrganisation"} <= edges
    assert not {"source", "contradicts", "charge"} & edges


def test_changing_an_annotation_changes_the_projection(data: Graph) -> None:
    schema = Graph()
    for triple in ontology_graph():
        schema.add(triple)
    schema.set((CG.Prison, CG.networkNode, Literal(False)))
    schema.set((CG.judge, CG.networkEdge, Literal(False)))
    schema.add((CG.judge, RDFS.comment, Literal("not an edge in this test")))
    from graph.visibility import public_subgraph

    network = project(public_subgraph(data), schema)
    assert "sample_prison" not in network
    assert "judge" not in {r for _, _, r in network.edges(data="relation")}
    assert "exampleton_court" in network
