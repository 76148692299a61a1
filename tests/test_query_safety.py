"""Queries are read-only, never reach the network, and take parameters only as bindings."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from graph.errors import CasegraphError, QueryRefused
from graph.namespaces import CG, ID
from graph.queries import bind_parameters, check_query, prepare
from graph.querying import run_query
from graph.store import CaseStore, UnitWrite, unit_for_path


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/x> { ?s ?p ?o } }",
        "PREFIX s: <http://x/> SELECT * WHERE { ?a ?b ?c . SeRvIcE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "LOAD <file:///etc/passwd> INTO GRAPH <urn:x>",
        "DROP ALL",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR DEFAULT",
    ],
)
def test_updates_and_load_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        check_query(text)


def test_keywords_inside_strings_iris_and_names_are_not_mistaken() -> None:
    text = (
        'PREFIX ex: <http://example.org/SERVICE/> SELECT ?service WHERE { ?s ex:LOAD "SERVICE DROP" }'
        " # SERVICE in a comment\n"
    )
    assert check_query(text) == "SELECT"


def test_parameters_are_typed_bindings_not_text() -> None:
    prepared = prepare("SELECT ?x WHERE { BIND(?who AS ?x) }", {"who": '" } ; DROP ALL ; #'})
    assert prepared.bindings == {"who": Literal('" } ; DROP ALL ; #')}
    assert "DROP" not in prepared.text
    assert bind_parameters(None, {"p:id": "testa_personova"}) == {"p": ID["testa_personova"]}
    with pytest.raises(CasegraphError, match="not a record id"):
        bind_parameters(None, {"p:id": "x> } DROP ALL {"})


def test_injection_through_a_parameter_changes_nothing(tmp_path: Path) -> None:
    g = Graph()
    g.add((ID["testa_personova"], RDF.type, CG.Person))
    g.add((ID["testa_personova"], CG.name, Literal("Testa Personova")))
    with CaseStore.open(tmp_path / "s") as store:
        store.replace_units([UnitWrite(unit_for_path(tmp_path / "f.ttl"), "f.ttl", "x", g)])
        query = "PREFIX cg: <https://w3id.org/casegraph/ontology#> SELECT ?p ?name WHERE { ?p cg:name ?name }"
        hostile = 'Testa Personova" } UNION { ?p ?q ?r } #'
        assert "(0 rows)" in run_query(store, query, {"name": hostile})
        assert "cgd:testa_personova" in run_query(store, query, {"name": "Testa Personova"})
        assert len(store.graph(include_restricted=True)) == 2
