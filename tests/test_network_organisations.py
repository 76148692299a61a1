"""Organisations in the network: ``cg:documentedBy`` and source publishers (``cg:publishedBy``)
become edges, declared in the ontology (``cg:networkEdge``, ``cg:networkAnchor``,
``cg:networkLayer``); analysis counts them, views draw them only when asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.loading import load_paths
from graph.namespaces import CG
from graph.network.build import build_view, drawn_layers, network_from_store
from graph.network.projection import project, read_schema
from graph.resources import ontology_graph
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "events" / "events-case.yaml"
CITING_WATCH = {  # the events whose sources include src_fict_watch (published by the Watch)
    "ev_testa_death_sentence",
    "ev_testa_overturned",
    "ev_testa_retrial",
    "ev_probus_execution",
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("orgs") / ".casegraph"
    with CaseStore.open(path) as store:
        load_paths([FIXTURE], store)
    return path


@pytest.fixture(scope="module")
def network(store_path: Path) -> nx.MultiDiGraph:
    with CaseStore.open(store_path, public=True) as store:
        return network_from_store(store)


def _edges(network: nx.MultiDiGraph, relation: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, r in network.edges(data="relation") if r == relation}


def test_the_edges_are_declared_in_the_ontology() -> None:
    schema = read_schema()
    assert {CG.documentedBy, CG.publishedBy} <= schema.edge_properties
    assert schema.anchors == {CG.publishedBy: CG.source}
    assert schema.layers == {CG.documentedBy: "organisations", CG.publishedBy: "organisations"}


def test_documented_by_and_publisher_edges(network: nx.MultiDiGraph) -> None:
    assert _edges(network, "documentedBy") == {
        ("ev_testa_death_sentence", "org_fict_monitor"),
        ("ev_probus_execution", "org_fict_watch"),
    }
    assert _edges(network, "publishedBy") == {(e, "org_fict_watch") for e in CITING_WATCH}
    for _, _, attrs in network.edges(data=True):
        if attrs["relation"] in ("documentedBy", "publishedBy"):
            assert attrs["layer"] == "organisations"
    published = network.get_edge_data("ev_testa_retrial", "org_fict_watch")
    (attrs,) = published.values()
    # The edge carries the claim behind it: the event, its sources and its (reported) date.
    assert attrs["claim"] == "ev_testa_retrial" and attrs["sources"] == ["src_fict_watch"]
    assert attrs["reported"] == "2026-04-10"


def test_without_the_annotations_there_are_no_such_edges(store_path: Path) -> None:
    """The projection reads the edges from the ontology: take the annotation away, they go."""
    schema = Graph()
    for triple in ontology_graph():
        schema.add(triple)
    schema.remove((CG.documentedBy, CG.networkEdge, None))
    schema.remove((CG.publishedBy, CG.networkEdge, None))
    with CaseStore.open(store_path) as store:
        data = store.graph()
    plain = project(data, schema)
    assert not _edges(plain, "documentedBy") and not _edges(plain, "publishedBy")
    full = project(data)
    assert _edges(full, "publishedBy") == {(e, "org_fict_watch") for e in CITING_WATCH}


def test_views_draw_organisations_only_when_asked(
    store_path: Path, network: nx.MultiDiGraph
) -> None:
    bare = drawn_layers(network, frozenset())
    assert "org_fict_watch" not in bare and "org_fict_monitor" not in bare
    assert not _edges(bare, "publishedBy") and not _edges(bare, "documentedBy")
    assert drawn_layers(network, frozenset({"organisations"})) is network
    with CaseStore.open(store_path, public=True) as store:
        plain = build_view(store, network, focus="Probus Exemplar", depth=2)
        shown = build_view(
            store, network, focus="Probus Exemplar", depth=2, layers=frozenset({"organisations"})
        )
    assert "org_fict_watch" not in {n["id"] for n in plain["nodes"]}
    assert "org_fict_watch" in {n["id"] for n in shown["nodes"]}


def test_centrality_says_who_documents_the_most(store_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store_path), "centrality", "--type",
         "HumanRightsOrganisation", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["node"] for row in rows] == ["org_fict_watch", "org_fict_monitor"]
    # Degree counts neighbours: the four events the Watch published a source on or documented.
    assert rows[0]["score"] == 4.0 and rows[1]["score"] == 1.0


def test_who_documents_the_most_on_data(tmp_path: Path) -> None:
    """On data/: the human-rights organisation ranked first by degree is the one a plain query
    links to the most events (documentedBy or a source it published)."""
    path = tmp_path / ".casegraph"
    with CaseStore.open(path) as store:
        load_paths([ROOT / "data"], store)
    with CaseStore.open(path, public=True) as store:
        network = network_from_store(store)
        _, rows = store.select(
            "PREFIX cg: <https://w3id.org/casegraph/ontology#> "
            "SELECT ?org (COUNT(DISTINCT ?e) AS ?n) WHERE { ?org a cg:HumanRightsOrganisation . "
            "?e cg:eventType ?t ; cg:documentedBy|cg:source/cg:publishedBy ?org } "
            "GROUP BY ?org ORDER BY DESC(?n)"
        )
    orgs = [n for n, t in network.nodes(data="type") if t == "HumanRightsOrganisation"]
    top = max(orgs, key=lambda n: len(set(nx.all_neighbors(network, n))))
    assert rows and str(rows[0]["org"]).endswith("/" + top)
    linked = {
        v for _, v, r in network.edges(data="relation") if r in ("documentedBy", "publishedBy")
    }
    assert len(linked & set(orgs)) >= 5  # several organisations are in the network through them
