"""The SHACL shapes, run by pyshacl and by the SPARQL translation: the same exact violations.

Pass example: the complete example case file. Fail example: the same graph with one fault of each
kind the shapes guard against; the expected (focus node, path) pairs are listed by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.namespaces import CG, CGV, ID
from graph.reading import read_file
from graph.resources import concept_for, ontology_graph
from graph.shape_queries import compile_shapes, violations
from graph.validation import pyshacl_violations

EXAMPLE = Path(__file__).parent / "data" / "example-case.yaml"


def _example() -> Graph:
    compiled = read_file(EXAMPLE)
    assert compiled.ok, compiled.problems
    return compiled.graph + ontology_graph()


def _broken() -> Graph:
    g = _example()
    person, source, event = (
        ID["testa_personova"],
        ID["src_example_daily"],
        ID["ev_personova_arrest"],
    )
    g.remove((person, CG.name, None))  # an entity without a name
    g.add((source, CG.title, Literal("A second title")))  # two titles
    g.set(
        (source, CG.reliability, concept_for(CGV.Charges, "baghi"))
    )  # a grade from the wrong scheme
    g.add(
        (event, CG.charge, concept_for(CGV.SentenceTypes, "death"))
    )  # a charge from the wrong scheme
    g.add((event, CG.court, person))  # a court that is a person
    g.set((event, CG.dateEarliest, Literal("2026-02-01", datatype=XSD.date)))  # after dateLatest
    g.add((event, CG.weekNumber, Literal(0)))  # week numbers start at 1
    g.add((event, CG.confidence, Literal("certain")))  # not a confidence level
    g.remove((ID["ev_personova_denial"], CG.source, None))  # a claim without a source
    g.set((ID["court_exampleton_rev"], CG.courtType, concept_for(CGV.Roles, "judge")))
    return g


EXPECTED = {
    ("testa_personova", CG.name),
    ("src_example_daily", CG.title),
    ("src_example_daily", CG.reliability),
    ("ev_personova_arrest", CG.charge),
    ("ev_personova_arrest", CG.court),
    ("ev_personova_arrest", CG.dateEarliest),
    ("ev_personova_arrest", CG.weekNumber),
    ("ev_personova_arrest", CG.confidence),
    ("ev_personova_denial", CG.source),
    ("court_exampleton_rev", CG.courtType),
}


def _pairs(found: list) -> set[tuple[str, URIRef]]:  # type: ignore[type-arg]
    """(record id, path) of the violations about records (pyshacl also details nested shapes)."""
    return {
        (str(v.focus)[len(str(ID)) :], v.path) for v in found if str(v.focus).startswith(str(ID))
    }


def test_the_shipped_shapes_translate_to_sparql() -> None:
    assert len(compile_shapes()) > 50


@pytest.mark.parametrize("engine", [violations, pyshacl_violations], ids=["sparql", "pyshacl"])
def test_the_example_conforms(engine: object) -> None:
    assert engine(_example()) == []  # type: ignore[operator]


@pytest.mark.parametrize("engine", [violations, pyshacl_violations], ids=["sparql", "pyshacl"])
def test_each_fault_is_found_exactly(engine: object) -> None:
    assert _pairs(engine(_broken())) == EXPECTED  # type: ignore[operator]


def test_both_engines_give_the_same_messages() -> None:
    def keyed(found: list) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
        return {
            (str(v.focus), str(v.path), v.message)
            for v in found
            if str(v.focus).startswith(str(ID))
        }

    assert keyed(violations(_broken())) == keyed(pyshacl_violations(_broken()))
