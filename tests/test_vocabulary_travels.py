"""Vocabularies that travel with the data, the general terms, "did you mean", and RDF literals.

A data folder's vocabulary file (tests/data/vocab/folder, the example of docs/format.md) is used by
the case files of the same batch and, once loaded, of later batches; ``casegraph vocab`` lists it
with definitions; a concept that would have no effect is a problem with file and line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from graph import reading
from graph.loading import check_paths, load_paths
from graph.namespaces import CG, CGV, ID
from graph.reading import read_files
from graph.resources import concept_for, ontology_graph
from graph.store import CaseStore
from graph.vocabulary import SCHEMES, describe

FOLDER = Path(__file__).parent / "data" / "vocab" / "folder"
CASE = FOLDER / "case.yaml"
VOCAB = FOLDER / "vocabulary.ttl"
SUMMONS = CGV._NS["event_summons"]  # an added concept: not in the closed namespace
HEADER = (
    "PREFIX cgv: <https://w3id.org/casegraph/vocab#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n\n"
)


def _errors(checked: object) -> list[str]:
    return [f"{p.file}:{p.line}: {p.message}" for p in checked.problems if p.severity == "error"]  # type: ignore[attr-defined]


def test_a_folder_validates_with_its_own_vocabulary() -> None:
    checked = check_paths([FOLDER])
    assert _errors(checked) == []
    case = next(f for f in checked.files if f.path.name == "case.yaml")
    assert (ID["ev_vocabova_summons"], CG.eventType, SUMMONS) in case.graph


def test_without_the_vocabulary_file_the_notations_are_unknown() -> None:
    errors = _errors(check_paths([CASE]))
    assert any("'summons' is not in the vocabulary" in e for e in errors)
    assert any("'interpreter' is not in the vocabulary" in e for e in errors)


def test_the_store_vocabulary_serves_later_loads_and_vocab(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    shutil.copytree(FOLDER, folder)
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([folder / "vocabulary.ttl"], store)
        # a later batch: the case file alone, its notations from the store's vocabulary
        assert _errors(check_paths([folder / "case.yaml"], store)) == []
        load_paths([folder / "case.yaml"], store)
        listed = describe("roles", store)
        assert "interpreter" in listed and "translates for a defendant" in listed
        assert "interpreter" not in describe("roles")  # without the store: installed only
    run = subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(tmp_path / "store"), "vocab", "events"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "summons" in run.stdout and "orders a person to appear" in run.stdout


def test_files_compiled_in_forked_processes_see_the_batch_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):  # three case files, so the batch is spread over processes
        text = CASE.read_text(encoding="utf-8").replace("vocabova", f"vocabova{i}")
        (tmp_path / f"case{i}.yaml").write_text(text.replace("src_vocab_", f"src_vocab{i}_"))
    shutil.copy(VOCAB, tmp_path / "vocabulary.ttl")
    monkeypatch.setattr(reading, "PARALLEL_BYTES", 0)
    monkeypatch.setenv("CASEGRAPH_JOBS", "2")
    files = read_files(sorted(tmp_path.iterdir()))
    assert [p for f in files for p in f.problems] == []
    assert sum((None, CG.eventType, SUMMONS) in f.graph for f in files) == 3


BAD = {
    "no_scheme": (
        'cgv:event_x a skos:Concept ;\n  skos:notation "x_event" ;\n'
        '  skos:prefLabel "x"@en ;\n  skos:definition "d"@en .\n',
        "has no skos:inScheme",
    ),
    "unknown_scheme": (
        'cgv:event_x a skos:Concept ;\n  skos:inScheme cgv:Weather ;\n  skos:notation "x_event" ;\n'
        '  skos:prefLabel "x"@en ;\n  skos:definition "d"@en .\n',
        "must be one casegraph scheme",
    ),
    "no_notation": (
        "cgv:event_x a skos:Concept ;\n  skos:inScheme cgv:EventTypes ;\n"
        '  skos:prefLabel "x"@en ;\n  skos:definition "d"@en .\n',
        "needs exactly one skos:notation",
    ),
    "no_definition": (
        'cgv:event_x a skos:Concept ;\n  skos:inScheme cgv:EventTypes ;\n  skos:notation "x_event" ;\n'
        '  skos:prefLabel "x"@en .\n',
        "needs a skos:definition",
    ),
    "clash_with_installed": (
        'cgv:event_x a skos:Concept ;\n  skos:inScheme cgv:EventTypes ;\n  skos:notation "appeal" ;\n'
        '  skos:prefLabel "x"@en ;\n  skos:definition "d"@en .\n',
        "already means https://w3id.org/casegraph/vocab#event_appeal",
    ),
    "redefines_installed": (
        'cgv:event_appeal skos:altLabel "objection"@en .\n',
        "is an installed concept",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_concept_without_effect_is_an_error_with_file_and_line(tmp_path: Path, name: str) -> None:
    body, expected = BAD[name]
    path = tmp_path / f"{name}.ttl"
    path.write_text(HEADER + "\n" + body, encoding="utf-8")
    errors = _errors(check_paths([path]))
    assert any(e.startswith(f"{path}:6: ") and expected in e for e in errors), errors


def test_two_files_cannot_give_one_notation_two_meanings(tmp_path: Path) -> None:
    shutil.copy(VOCAB, tmp_path / "a.ttl")
    other = VOCAB.read_text(encoding="utf-8").replace("cgv:event_summons", "cgv:event_summons2")
    (tmp_path / "b.ttl").write_text(other, encoding="utf-8")
    errors = _errors(check_paths([tmp_path]))
    assert any("'summons'" in e and "one notation has one meaning" in e for e in errors), errors


def test_every_installed_concept_has_a_definition() -> None:
    vocab = ontology_graph()
    missing = [
        c for c in vocab.subjects(RDF.type, SKOS.Concept) if vocab.value(c, SKOS.definition) is None
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("scheme", "notation"),
    [
        *[
            (SCHEMES[s], "not_stated")
            for s in ("charges", "sentences", "events", "roles", "courts")
        ],
        (CGV.Attributes, "religion"),
        (CGV.EventTypes, "supreme_court_ruling"),
        (CGV.EventTypes, "prison_protest"),
        (CGV.EventTypes, "protest"),
    ],
)
def test_the_general_terms_exist(scheme: URIRef, notation: str) -> None:
    assert concept_for(scheme, notation) is not None


def test_did_you_mean_offers_no_term_that_adds_a_fact(tmp_path: Path) -> None:
    case = tmp_path / "ruling.yaml"
    text = CASE.read_text(encoding="utf-8").replace("type: summons", "type: supreme_court")
    case.write_text(text, encoding="utf-8")
    errors = [e for e in _errors(check_paths([case])) if "'supreme_court' is not" in e]
    assert len(errors) == 1, errors
    offered = errors[0].split("the closest are: ", 1)[1].split(";", 1)[0]
    assert offered == "supreme_court_ruling"
    assert "supreme_court_upheld" in errors[0] and "only when a source states" in errors[0]


LITERALS = [
    ("xsd:date", "2026-02-30"),
    ("xsd:date", "2026-13-01"),
    ("xsd:gYear", "20x6"),
    ("xsd:gYearMonth", "2026-13"),
    ("xsd:integer", "1.5"),
    ("xsd:anyURI", "http://exa mple.org/"),
    ("xsd:dateTime", "2026-02-30T10:00:00"),
]


@pytest.mark.parametrize(("datatype", "text"), LITERALS)
def test_an_ill_formed_typed_literal_is_refused_with_its_line(
    tmp_path: Path, datatype: str, text: str
) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        HEADER + "PREFIX cg: <https://w3id.org/casegraph/ontology#>\n"
        f'<https://w3id.org/casegraph/id/x> cg:note\n  "{text}"^^{datatype} .\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "graph", "validate", "--no-store", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "CASEGRAPH_STORE": str(tmp_path / "store")},
    )
    assert run.returncode == 1
    assert f"{path}:7: '{text}' is not a valid {datatype}" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_the_documented_example_is_the_file_the_tests_load() -> None:
    from rdflib import Graph

    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    section = text.split("## Vocabularies", 1)[1].split("\n## ", 1)[0]
    block = section.split("```turtle\n", 1)[1].split("```", 1)[0]
    documented = Graph().parse(data=block, format="turtle")
    loaded = Graph().parse(VOCAB, format="turtle")
    assert len(documented) > 0 and set(documented) <= set(loaded)


def test_the_added_concepts_are_exported_with_the_data(tmp_path: Path) -> None:
    from graph.export import export

    with CaseStore.open(tmp_path / "store") as store:
        load_paths([FOLDER], store)
        text = export(store, "turtle", include_restricted=True, with_ontology=True)
    assert "orders a person to appear before it" in text
