"""When casegraph forks worker processes: never beside another thread, except the engine's pool."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graph import parallel

EXAMPLE = Path(__file__).parent / "data" / "example-case.yaml"


def _forkable_here() -> bool:
    return "fork" in __import__("multiprocessing").get_all_start_methods() and os.path.isdir(
        "/proc/self/task"
    )


@pytest.mark.skipif(not _forkable_here(), reason="forking is a Linux (/proc) feature here")
def test_a_running_python_thread_stops_forking() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
    finally:
        release.set()
        thread.join()


_ENGINE_POOL_CHECK = """
import os, sys
from pathlib import Path
from graph import parallel
from graph.loading import load_paths
from graph.store import CaseStore

before = parallel.can_fork()
with CaseStore.open(sys.argv[1]) as store:
    load_paths([sys.argv[2]], store)
    assert store.has_record("testa_personova")  # the engine is open now
names = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in os.listdir("/proc/self/task")]
print(before, any(name.startswith("rocksdb:") for name in names), parallel.can_fork())
"""


@pytest.mark.skipif(not _forkable_here(), reason="forking is a Linux (/proc) feature here")
def test_the_engines_thread_pool_does_not_stop_forking(tmp_path: Path) -> None:
    """RocksDB keeps its pool threads once a store was opened; they must not turn forking off
    for the rest of the process (a benchmark or notebook loads many times in one process).

    Checked in a fresh process: threads other tests leave behind would decide it here."""
    env = {**os.environ, "CASEGRAPH_JOBS": "2"}
    done = subprocess.run(
        [sys.executable, "-c", _ENGINE_POOL_CHECK, str(tmp_path / "store"), str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]


def test_jobs_one_keeps_everything_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEGRAPH_JOBS", "1")
    assert parallel.jobs() == 1 and not parallel.can_fork()
    pids: list[int] = []
    assert parallel.map_in_processes(lambda x: pids.append(os.getpid()) or x, [1, 2, 3], 4) == [
        1,
        2,
        3,
    ]
    assert pids == [os.getpid()] * 3
    background = parallel.Background(lambda: os.getpid())
    assert background.result() == os.getpid()


def test_a_failure_in_the_background_is_raised_where_the_result_is_asked_for() -> None:
    def fail() -> int:
        raise ValueError("a problem in the other process")

    background = parallel.Background(fail)
    with pytest.raises(ValueError, match="a problem in the other process"):
        background.result()


@pytest.mark.skipif(not _forkable_here(), reason="forking is a Linux (/proc) feature here")
def test_a_worker_that_dies_is_an_error_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    background = parallel.Background(lambda: os._exit(7))
    with pytest.raises(RuntimeError, match="exit status 7"):
        background.result()
