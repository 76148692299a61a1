"""The benchmark suite runs end to end on its tiny size (no timing is asserted: benchmarks are not tests)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from benchmarks.generate import SIZES, generate, shape_for


def test_generator_is_seeded_and_sized(tmp_path: Path) -> None:
    """The same seed writes the same files; every size has a shape."""
    first = generate("tiny", seed=1, folder=tmp_path / "a")
    second = generate("tiny", seed=1, folder=tmp_path / "b")
    assert first["files"] == second["files"]
    for name in first["files"]:
        assert (tmp_path / "a" / "cases" / name).read_text() == (
            tmp_path / "b" / "cases" / name
        ).read_text()
    assert all(shape_for(people).people == people for people in SIZES.values())


def test_generated_files_validate(tmp_path: Path) -> None:
    """The generated case files pass casegraph's own checks (compiler and SHACL)."""
    from graph.loading import check_paths

    generate("tiny", folder=tmp_path)
    checked = check_paths([tmp_path / "cases"])
    assert checked.ok, [str(p) for p in checked.problems[:5]]


@pytest.mark.browser
def test_suite_runs_on_tiny(tmp_path: Path) -> None:
    """``python -m benchmarks.run --size tiny`` writes a result with both sides of every figure."""
    command = [sys.executable, "-m", "benchmarks.run", "--size", "tiny", "--repeat", "1"]
    command += ["--timeout", "0.5", "--output", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    (path,) = tmp_path.glob("tiny-*.json")
    result = json.loads(path.read_text())
    assert result["machine"]["cpu_count"] >= 1
    figures = result["figures"]
    for name in ("load", "dossier", "search", "projection", "pagerank", "judge report"):
        assert figures[name]["casegraph"]["median_s"] is not None, name
        assert figures[name]["baseline"] is not None, name
    for name in ("ego view settle", "cli --help", "query process"):
        assert figures[name]["casegraph"]["median_s"] is not None, name
    assert not [
        n for n, row in figures.items() if "error" in row or "error" in (row["casegraph"] or {})
    ]
    assert {g["goal"] for g in result["goals"]}


def _normal(rows: list[dict]) -> list[tuple]:
    """Rows as sorted tuples; the items of a concatenated cell sorted (their order is undefined)."""

    def cell(value: object) -> object:
        return tuple(sorted(re.split(r"[,;] ", str(value)))) if value is not None else None

    return sorted((tuple(sorted((k, cell(v)) for k, v in row.items())) for row in rows), key=repr)


def test_standard_forms_ask_what_the_lateral_queries_ask(tmp_path: Path) -> None:
    """rdflib's baseline runs the standard form of a query casegraph writes with LATERAL; on a
    generated graph both give the same rows, for each query and its parameters."""
    from benchmarks.tasks import PARAMETERS, STANDARD
    from graph.loading import load_paths
    from graph.namespaces import CG, ID
    from graph.queries import named_query, prepare
    from graph.resources import internal_query
    from graph.store import CaseStore, UnitWrite, unit_for_path

    manifest = generate("tiny", folder=tmp_path / "data")
    sample = manifest["sample"]
    forms = sorted(STANDARD.glob("*.rq"))
    assert forms, "no standard forms"
    dangling = Graph()  # written past the loader's checks, for the violation query to find
    dangling.add((ID[sample["person_id"]], CG.protest, ID["no_such_protest"]))
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([tmp_path / "data" / "cases"], store)
        store.replace_units([UnitWrite(unit_for_path(tmp_path / "x.ttl"), "x", "x", dangling)])
        for form in forms:
            if form.stem.startswith("dossier-"):
                ours = internal_query(form.stem)
                assert "LATERAL" in ours
                entity = {"entity": ID[sample["person_id"]]}
                expected = store.select(form.read_text(encoding="utf-8"), entity)[1]
                assert _normal(store.select(ours, entity)[1]) == _normal(expected), form.stem
                continue
            named = named_query(form.stem)
            assert "LATERAL" in named.text
            params = {
                p.name: sample[PARAMETERS.get(p.name, "person_id")]
                for p in named.parameters
                if p.required
            }
            ours, theirs = prepare(form.stem, params), prepare(str(form), params)
            got = store.select(ours.text, ours.bindings)[1]
            expected = store.select(theirs.text, theirs.bindings)[1]
            assert got, f"{form.stem}: no rows, so the comparison shows nothing"
            assert _normal(got) == _normal(expected), form.stem
