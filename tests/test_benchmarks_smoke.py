"""The benchmark suite runs end to end on its tiny size, with no time limit that could lose a figure
on a busy machine (no timing is asserted: benchmarks are not tests)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from benchmarks.generate import SIZES, generate, shape_for

ROOT = Path(__file__).resolve().parent.parent


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


#: The groups the smoke run measures: every casegraph group, and the one baseline group that takes
#: seconds on the tiny size (rdflib's queries take minutes there with no time limit, and the
#: browser and start-up groups are timed processes that add nothing to the machinery tested).
SMOKE_GROUPS = ("load-casegraph", "load-plain", "queries-casegraph", "network-casegraph")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """``python -m benchmarks.run`` on the tiny size, one run per figure (``--repeat 0``) with no
    time limit (``--timeout 0``), its data, work and result in a temporary folder; the result and
    the data folder."""
    root = tmp_path_factory.mktemp("bench")
    command = [sys.executable, "-m", "benchmarks.run", "--size", "tiny", "--repeat", "0"]
    command += ["--timeout", "0", "--groups", ",".join(SMOKE_GROUPS)]
    command += ["--work", str(root / "work"), "--output", str(root / "results")]
    env = os.environ | {"CASEGRAPH_BENCH_DATA": str(root / "data")}
    # the timeout is a hang guard only: nothing here depends on how fast the machine is
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = (root / "results").glob("tiny-*.json")
    return json.loads(path.read_text(encoding="utf-8")), root / "data" / "tiny"


def test_smoke_run_measures_every_figure_of_its_groups(smoke: tuple[dict[str, Any], Path]) -> None:
    """With no time limit, every casegraph figure of the groups run has a median, none is lost."""
    from graph.queries import list_queries

    result, _ = smoke
    figures = result["figures"]
    expected = {"load", "load, one process", "validate", "dossier", "search", "projection"}
    expected |= {"ego view data", "ego view html", "degree", "pagerank", "betweenness exact"}
    expected |= {"betweenness k=100", "judge report", "shortest path"}
    expected |= {f"query {q.name}" for q in list_queries()}
    expected |= {f"bench-query {p.stem}" for p in (ROOT / "benchmarks" / "queries").glob("*.rq")}
    assert set(figures) == expected
    for name, row in figures.items():
        ours = row["casegraph"]
        assert "error" not in row and "error" not in ours, (name, row)
        assert ours["timed_out"] is False, name
        assert isinstance(ours["median_s"], float) and ours["median_s"] >= 0, name
        assert len(ours["runs_s"]) >= 1, name
    assert result["timeout_s"] == 0 and result["groups"] == list(SMOKE_GROUPS)
    assert result["machine"]["cpu_count"] >= 1
    assert result["peak_rss_mib"]["load"]["casegraph"] > 0


def test_smoke_run_figures_are_right(smoke: tuple[dict[str, Any], Path]) -> None:
    """What the figures count agrees with the data: triples, violations, search hits, views."""
    result, data = smoke
    figures = result["figures"]
    lines = (data / "compiled.nt").read_text(encoding="utf-8").splitlines()
    triples = len([line for line in lines if line.strip()])
    assert result["triples"] == triples
    assert figures["load"]["casegraph"]["triples"] == triples  # the store holds every statement
    assert figures["load"]["baseline"]["triples"] == triples
    assert figures["load"]["speedup"] > 0
    for name, row in figures.items():
        if name.startswith("query ") and name.endswith("-violation"):
            assert row["casegraph"]["rows"] == 0, name  # generated data breaks no rule
        elif name.startswith(("query ", "bench-query ")):
            assert row["casegraph"]["joins"] >= 0 and row["casegraph"]["rows"] >= 0, name
    assert figures["query death-sentences"]["casegraph"]["rows"] > 0
    assert figures["search"]["casegraph"]["rows"] >= 1
    projection, ego = figures["projection"]["casegraph"], figures["ego view data"]["casegraph"]
    assert 1 < ego["nodes"] <= projection["nodes"] and ego["edges"] <= projection["edges"]


def test_smoke_run_goals_and_table(smoke: tuple[dict[str, Any], Path]) -> None:
    """Every goal is reported, judged on the figure it names; the Markdown table has every row."""
    from benchmarks.run import GOALS, markdown

    result, _ = smoke
    figures = result["figures"]
    goals = {g["goal"]: g for g in result["goals"]}
    assert list(goals) == [text for text, _, _ in GOALS]
    assert goals["PageRank under 10 s"]["value"] == figures["pagerank"]["casegraph"]["median_s"]
    assert goals["load 1M triples in under 30 s"]["met"] is None  # judged at 1M only
    assert goals["`casegraph --help` under 0.3 s"]["met"] is None  # start-up group not run
    table = markdown(result)
    assert all(f"| {name} |" in table for name in figures)


def test_runner_refuses_unknown_groups_and_negative_timeouts() -> None:
    for bad in (["--groups", "load-casegraph,nope"], ["--timeout", "-1"]):
        command = [sys.executable, "-m", "benchmarks.run", "--size", "tiny", *bad]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr


def test_measure_without_a_limit_and_with_one() -> None:
    """No limit: the call itself, never cut short. A limit far below the call: timed out."""
    from benchmarks.measure import run_process, timed, watched

    def call() -> None:
        time.sleep(0.05)

    assert watched(call, None, lambda: None) is call
    figure = timed(call, 2, timeout=None)
    assert figure["timed_out"] is False and len(figure["runs_s"]) == 2
    assert figure["median_s"] >= 0.05
    assert len(timed(call, 0)["runs_s"]) == 1  # --repeat 0: the one run, no warm-up
    cut = timed(lambda: time.sleep(5), 1, timeout=0.05)  # always past 0.05 s, however busy
    assert cut["timed_out"] is True and cut["median_s"] is None
    process = run_process([sys.executable, "-c", "pass"], 1)
    assert process["median_s"] > 0 and process["peak_rss_mib"] > 0
    failed = run_process([sys.executable, "-c", "raise SystemExit(4)"], 1)
    assert "error" in failed and "median_s" not in failed


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
                lateral = internal_query(form.stem)
                assert "LATERAL" in lateral
                entity = {"entity": ID[sample["person_id"]]}
                expected = store.select(form.read_text(encoding="utf-8"), entity)[1]
                assert _normal(store.select(lateral, entity)[1]) == _normal(expected), form.stem
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
