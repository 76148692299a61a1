"""A derived build killed mid-way leaves a scratch copy; the next build of the same data deletes
it, and never touches a copy that a living process is still building."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.disk_store import DiskStore


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_a_killed_builders_scratch_copy_is_deleted_and_a_living_ones_is_kept(
    tmp_path: Path,
) -> None:
    disk = DiskStore(tmp_path / "store")
    version = tmp_path / "store" / "v-1"
    folder = disk.derived_dir(version, "part").parent
    folder.mkdir(parents=True)
    dead = folder / f".part.{_dead_pid()}.123"
    living = folder / f".part.{os.getpid()}.456"
    other = folder / f".partner.{_dead_pid()}.789"  # another name's copy: not this build's
    for path in (dead, living, other):
        path.mkdir()
        (path / "data").write_text("half", encoding="utf-8")

    def build(target: Path) -> None:
        target.mkdir()
        (target / "data").write_text("whole", encoding="utf-8")

    built = disk.build_derived(version, "part", build)
    assert (built / "data").read_text(encoding="utf-8") == "whole"
    assert not dead.exists()
    assert living.exists() and other.exists()
