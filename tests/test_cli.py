"""The casegraph command as a user runs it: a real process, a real store on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-case.yaml"
CASEGRAPH = [sys.executable, "-m", "graph"]


def run(*args: str | Path, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}
    prefix = ["--store", str(store)] if store else []
    return subprocess.run(
        [*CASEGRAPH, *prefix, *map(str, args)], capture_output=True, text=True, env=env, timeout=120
    )


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; sys.argv = ['casegraph', '--help']\n"
        "from graph.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rdflib', 'pyoxigraph', 'networkx', 'pyvis', 'pyshacl') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_validate_load_show_query_export(tmp_path: Path) -> None:
    store = tmp_path / "store"
    checked = run("validate", EXAMPLE, store=store)
    assert checked.returncode == 0, checked.stderr
    assert "OK: 1 file(s) valid" in checked.stdout
    assert not store.exists(), "validate must not create or change the store"

    loaded = run("load", EXAMPLE, store=store)
    assert loaded.returncode == 0, loaded.stderr

    shown = run("show", "تستا پرسونوا", store=store)
    assert shown.returncode == 0, shown.stderr
    assert "Testa Personova" in shown.stdout
    assert "CONTESTED" in shown.stdout
    timeline = shown.stdout[shown.stdout.index("\nTimeline") :]  # events in date order
    assert timeline.index("ev_personova_arrest") < timeline.index("ev_personova_death_sentence")

    as_json = json.loads(run("show", "testa personova", "--format", "json", store=store).stdout)
    assert as_json["record_id"] == "testa_personova"

    listed = run("query", "--list", store=store)
    assert listed.returncode == 0 and "entity-facts" in listed.stdout

    csv = run(
        "query",
        "SELECT ?n ?who WHERE { ?who <https://w3id.org/casegraph/ontology#name> ?n }",
        "--format",
        "csv",
        store=store,
    )
    assert csv.returncode == 0, csv.stderr
    assert "Testa Personova" in csv.stdout.splitlines()[1:][0] or "Testa Personova" in csv.stdout

    refused = run(
        "query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", store=store
    )
    assert refused.returncode == 1 and "SERVICE is refused" in refused.stderr

    exported = run("export", "--format", "nquads", store=store)
    assert exported.returncode == 0 and "Testa Personova" in exported.stdout

    found = run("search", "persono", store=store)
    assert "testa_personova" in found.stdout


def test_validate_reports_problems_and_exits_non_zero(tmp_path: Path) -> None:
    result = run(
        "validate",
        DATA / "loading" / "undefined-reference.yaml",
        "--no-store",
        store=tmp_path / "s",
    )
    assert result.returncode == 1
    assert "undefined-reference.yaml:8" in result.stderr
    assert "nobody_by_this_id" in result.stderr


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("load", tmp_path / "no-such-file.yaml", store=tmp_path / "s")
    assert result.returncode == 1
    assert "no-such-file.yaml" in result.stderr
    assert "Traceback" not in result.stderr
