"""The benchmark suite runs end to end on its tiny size (no timing is asserted: benchmarks are not tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
