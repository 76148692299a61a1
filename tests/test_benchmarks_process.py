"""The "as a process" benchmark group runs every command it names as a user would, and its table
says what it measured: cold, after ``cache build``, warm, and the plain rdflib process.

Nothing here depends on how fast the machine is: the figures are checked for being there and
well formed, never for their size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.processes import PREFIX, commands, markdown_rows

ROOT = Path(__file__).resolve().parent.parent


def _run(root: Path, *extra: str) -> dict[str, Any]:
    """``python -m benchmarks.run --size tiny --groups process``, one run per figure."""
    command = [sys.executable, "-m", "benchmarks.run", "--size", "tiny", "--repeat", "1"]
    command += ["--timeout", "0", "--groups", "process", *extra]
    command += ["--work", str(root / "work"), "--output", str(root / "results")]
    env = os.environ | {"CASEGRAPH_BENCH_DATA": str(root / "data")}
    # the timeout is a hang guard only
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = (root / "results").glob("tiny-*.json")
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def process_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The group with its cold runs."""
    return _run(tmp_path_factory.mktemp("bench-process"))


def _ok(figure: dict[str, Any] | None) -> bool:
    return bool(figure) and not figure.get("error") and figure.get("median_s", 0) > 0  # type: ignore[union-attr]


def test_every_command_has_a_cold_a_prepared_and_a_warm_figure(
    process_run: dict[str, Any], tmp_path: Path
) -> None:
    figures = process_run["figures"]
    names = [name for name, _ in commands(tmp_path, _sample(), tmp_path)]
    assert len(names) >= 10
    for name in names:
        row = figures[PREFIX + name]
        assert _ok(row["cold"]), (name, row["cold"])
        assert _ok(row["prepared"]), (name, row["prepared"])
        assert _ok(row["casegraph"]), (name, row["casegraph"])
        assert isinstance(row["cold"]["load_avg"], float)
    assert _ok(figures[PREFIX + "load"]["cold"])
    assert _ok(figures[PREFIX + "cache build"]["cold"])
    baseline = figures[PREFIX + "query death-sentences-per-branch"]["baseline"]
    assert _ok(baseline)


def test_the_table_has_a_row_per_command_and_says_what_each_column_is(
    process_run: dict[str, Any],
) -> None:
    lines = markdown_rows(process_run)
    header = next(line for line in lines if line.startswith("| command"))
    assert "after `cache build`" in header and "warm" in header and "cold" in header
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| command")]
    rows = [line for line in rows if not line.startswith("| ---")]
    names = {line.split(" | ")[0].removeprefix("| ") for line in rows}
    assert {"load", "cache build", "show", "path", "report --format csv"} <= names
    columns = {line.count("|") for line in rows}
    assert columns == {header.count("|")}


def test_without_cold_runs_the_cache_is_built_once_and_every_command_still_measured(
    tmp_path: Path,
) -> None:
    """``--no-cold`` (for 5M): no cold run per command, the rest as with them."""
    result = _run(tmp_path, "--no-cold")
    assert result["command"].endswith("--no-cold")
    figures = result["figures"]
    assert _ok(figures[PREFIX + "cache build"]["cold"])
    for name, _ in commands(tmp_path, _sample(), tmp_path):
        row = figures[PREFIX + name]
        assert row["cold"] is None
        assert _ok(row["prepared"]), (name, row["prepared"])
        assert _ok(row["casegraph"]), (name, row["casegraph"])
    assert any(line.startswith("| show | - |") for line in markdown_rows(result))


def _sample() -> dict[str, str]:
    """Any sample ids: only the command names are read from :func:`commands` here."""
    return {"person": "p", "search_text": "p", "person_id": "p", "other_person_id": "q"}
