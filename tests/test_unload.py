"""``casegraph unload``: taking files out of the store removes exactly what they contributed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from graph.errors import CasegraphError
from graph.loading import load_paths, unload_paths
from graph.store import CaseStore

ROOT = Path(__file__).parent.parent
DATA = ROOT / "data"
TEAM = ROOT / "docs" / "examples" / "team"
BASE = TEAM / "base"
SECOND = TEAM / "second-researcher"


def _graph(path: Path):  # type: ignore[no-untyped-def]
    with CaseStore.open(path) as fresh:
        return fresh.graph(include_restricted=True)


def _units(path: Path) -> set[str]:
    with CaseStore.open(path) as fresh:
        return {unit.path for unit in fresh.units()}


def test_unloading_a_folder_of_extensions_restores_the_store_exactly(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with CaseStore.open(path) as store:
        load_paths([DATA, BASE], store)
    before, units = _graph(path), _units(path)
    with CaseStore.open(path) as store:
        load_paths([SECOND], store)
    assert len(_graph(path)) > len(before)
    with CaseStore.open(path) as store:
        removed = unload_paths([SECOND], store)
    assert [Path(p).name for p in removed] == ["teamova-notes.yaml"]
    assert isomorphic(_graph(path), before)
    assert _units(path) == units


def test_unloading_the_base_and_its_extensions_together_leaves_data_alone(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with CaseStore.open(path) as store:
        load_paths([DATA], store)
    before = _graph(path)
    with CaseStore.open(path) as store:
        load_paths([BASE, SECOND], store)
        unload_paths([TEAM], store)  # a folder: every loaded file under it
    assert isomorphic(_graph(path), before)


def test_unload_is_refused_while_another_file_refers_to_its_records(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with CaseStore.open(path) as store:
        load_paths([BASE, SECOND], store)
        before = _graph(path)
        with pytest.raises(CasegraphError, match=r"teamova-notes\.yaml still refers to"):
            unload_paths([BASE], store)
    assert isomorphic(_graph(path), before)


def test_a_file_never_loaded_is_a_clear_error(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([BASE], store)
        with pytest.raises(CasegraphError, match="never loaded"):
            unload_paths([SECOND / "teamova-notes.yaml"], store)


def test_the_cli_unloads_and_reports_errors_without_a_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}
    store = str(tmp_path / "store")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "graph", "--store", store, *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    assert run("load", str(BASE), str(SECOND)).returncode == 0
    refused = run("unload", str(BASE))
    assert refused.returncode != 0
    assert "teamova-notes.yaml" in refused.stderr and "Traceback" not in refused.stderr
    done = run("unload", str(SECOND), str(BASE))
    assert done.returncode == 0, done.stderr
    assert "2 file(s) removed" in done.stdout
    again = run("unload", str(BASE))
    assert again.returncode != 0 and "never loaded" in again.stderr
    assert "Traceback" not in again.stderr
