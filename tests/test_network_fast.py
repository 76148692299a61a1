"""The fast paths of the network side give the same answers as the plain ones.

The projection read straight from the store's engine must equal the projection of the rdflib copy
of the store after ``public_subgraph`` (same nodes, edges, attributes and sources, same allow-list);
the cached undirected graph must follow changes to the network; sampled betweenness is seeded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import typer
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from graph.namespaces import CG, ID
from graph.network import analysis
from graph.network.build import NetworkSpec, network_from_graph, network_from_store
from graph.network.projection import Facts, predicates_read, project, read_schema
from graph.network.viewdata import view_data
from graph.store import CaseStore, UnitWrite, unit_for_path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "network" / "small.ttl"
OUTSIDER = URIRef("https://example.org/outsider")


def _extra() -> Graph:
    """Statements the allow-list must stop: an outside IRI typed as a person, a blank node, and
    public records pointing at them and at a restricted record."""
    extra = Graph()
    extra.add((OUTSIDER, RDF.type, CG.Person))
    extra.add((OUTSIDER, CG.name, Literal("Outside Person")))
    blank = BNode()
    extra.add((blank, RDF.type, CG.Person))
    extra.add((blank, CG.name, Literal("Blank Person")))
    extra.add((ID["case_testa"], CG.defendant, OUTSIDER))
    extra.add((ID["case_testa"], CG.defendant, blank))
    extra.add((ID["case_testa"], CG.defendant, ID["hidden_witnessova"]))
    return extra


def _write(store: CaseStore, path: Path, graph: Graph) -> None:
    store.replace_units([UnitWrite(unit_for_path(path), str(path), "test", graph)])


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> CaseStore:
    path = tmp_path_factory.mktemp("fast") / ".casegraph"
    store = CaseStore.open(path)
    _write(store, FIXTURE, Graph().parse(FIXTURE))
    _write(store, path.parent / "extra.ttl", _extra())
    yield store  # type: ignore[misc]
    store.close()


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> CaseStore:
    from graph.loading import load_paths

    store = CaseStore.open(tmp_path_factory.mktemp("data") / ".casegraph")
    load_paths([ROOT / "data"], store)
    yield store  # type: ignore[misc]
    store.close()


def _shape(network: nx.MultiDiGraph) -> tuple[Any, ...]:
    nodes = sorted(network.nodes(data=True))
    edges = sorted(
        (u, v, k, sorted(d.items())) for u, v, k, d in network.edges(keys=True, data=True)
    )
    return nodes, edges, network.graph


def _both(store: CaseStore, restricted: bool) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    fast = network_from_store(store, NetworkSpec(include_restricted=restricted))
    plain = network_from_graph(store.graph(include_restricted=True), None, restricted)
    return fast, plain


@pytest.mark.parametrize("restricted", [False, True])
def test_store_projection_equals_the_rdflib_one_on_the_fixture(
    fixture_store: CaseStore, restricted: bool
) -> None:
    fast, plain = _both(fixture_store, restricted)
    assert _shape(fast) == _shape(plain)
    assert len(fast) > 20 and fast.number_of_edges() > 40


def test_the_allow_list_holds_on_the_store_path(fixture_store: CaseStore) -> None:
    fast = network_from_store(fixture_store)
    assert "hidden_witnessova" not in fast and "ev_secret_hearing" not in fast
    assert str(OUTSIDER) not in fast
    assert not any(d.get("label") == "Blank Person" for _, d in fast.nodes(data=True))
    assert {v for _, v in fast.out_edges("case_testa")} == {
        "exampleton_branch3",
        "exampleton_protests",
        "probus_exemplar",
        "testa_personova",
    }
    text = repr(_shape(fast))
    assert "Hidden Witnessova" not in text and "Secret Role Text" not in text
    full = network_from_store(fixture_store, NetworkSpec(include_restricted=True))
    assert {"hidden_witnessova", "ev_secret_hearing", str(OUTSIDER)} <= set(full)


@pytest.mark.parametrize("restricted", [False, True])
def test_store_projection_equals_the_rdflib_one_on_the_data(
    data_store: CaseStore, restricted: bool
) -> None:
    fast, plain = _both(data_store, restricted)
    assert _shape(fast) == _shape(plain)
    assert len(fast) > 50


def test_facts_refuse_a_predicate_they_were_not_built_with() -> None:
    facts = Facts.from_graph(Graph().parse(FIXTURE), predicates_read(read_schema()))
    with pytest.raises(KeyError):
        facts.objects(ID["case_testa"], CG.searchKey)
    assert _shape(project(facts)) == _shape(project(Graph().parse(FIXTURE)))


def test_the_cached_undirected_graph_follows_changes() -> None:
    network = nx.MultiDiGraph()
    network.add_edge("a", "b")
    network.add_edge("b", "a")
    network.add_edge("b", "c")
    network.add_edge("c", "c")
    first = analysis.undirected(network)
    assert analysis.undirected(network) is first
    assert sorted(first.edges(data="weight")) == sorted(
        analysis.simple(network).edges(data="weight")
    )
    assert first["a"]["b"]["weight"] == 2 and not first.has_edge("c", "c")
    network.remove_edge("b", "c")
    network.add_edge("a", "d")
    second = analysis.undirected(network)
    assert second is not first and set(second["a"]) == {"b", "d"} and not second.has_edge("b", "c")
    assert analysis.scores(network, "degree") == {"a": 2.0, "b": 1.0, "c": 0.0, "d": 1.0}
    view = network.subgraph(["a", "b"])
    assert analysis.undirected(view) is not analysis.undirected(view)  # views are never cached


def test_simple_keeps_its_order_and_attributes() -> None:
    network = nx.MultiDiGraph()
    network.add_node("z", label="Z")
    network.add_edges_from([("z", "a"), ("a", "z"), ("m", "a"), ("z", "m")])
    plain = analysis.simple(network)
    assert list(plain) == ["z", "a", "m"] and plain.nodes["z"] == {"label": "Z"}
    assert list(plain["a"]) == ["z", "m"] and plain["z"]["a"]["weight"] == 2


def test_sampled_betweenness_is_seeded_and_exact_when_k_covers_all() -> None:
    network = nx.MultiDiGraph(nx.barabasi_albert_graph(300, 2, seed=1))
    exact = analysis.scores(network, "betweenness")
    assert analysis.scores(network, "betweenness", k=300) == exact
    once = analysis.scores(network, "betweenness", k=40, seed=3)
    assert once == analysis.scores(network, "betweenness", k=40, seed=3)
    assert once != exact
    with pytest.raises(Exception, match="at least 1"):
        analysis.scores(network, "betweenness", k=0)
    assert analysis.default_k(network) is None
    big = nx.empty_graph(analysis.EXACT_LIMIT + 1)
    assert analysis.default_k(big) == analysis.SAMPLE_K


def test_a_large_view_is_laid_out_quickly_and_the_same_each_time() -> None:
    graph = nx.MultiDiGraph()
    for i in range(700):
        graph.add_node(f"n{i:03}", label=f"Node {i}", type="Person")
    for i in range(1, 700):
        graph.add_edge(f"n{i:03}", f"n{(i * 7) % i:03}", relation="r", claim=f"c{i}")
    first, second = view_data(graph), view_data(graph)
    spots = [(n["x"], n["y"]) for n in first["nodes"]]
    assert spots == [(n["x"], n["y"]) for n in second["nodes"]]
    assert len(set(spots)) == 700
    scale = 110.0 * 700**0.5
    assert max(abs(c) for xy in spots for c in xy) <= scale + 1


def test_centrality_cli_takes_k(fixture_store: CaseStore) -> None:
    from graph.cli.analysis import register

    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = {"store": fixture_store.path}

    register(app)
    args = ["centrality", "--measure", "betweenness", "--format", "json", "--top", "3"]
    fixture_store.close()
    exact = CliRunner().invoke(app, args)
    sampled = CliRunner().invoke(app, [*args, "--k", "1000"])
    assert exact.exit_code == 0 and sampled.exit_code == 0, exact.output + sampled.output
    assert json.loads(exact.output) == json.loads(sampled.output)
    few = CliRunner().invoke(app, [*args, "--k", "2"])
    assert few.exit_code == 0 and json.loads(few.output)
    assert CliRunner().invoke(app, [*args, "--k", "0"]).exit_code != 0
