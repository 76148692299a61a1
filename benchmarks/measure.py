"""Timing and memory: medians of repeated runs after a warm-up, a time limit, child processes.

Peak memory is the peak resident set size (``ru_maxrss``) of the child process that ran a group of
figures (its setup, warm-up and every repeat), read with ``resource.getrusage(RUSAGE_SELF)`` by the
child itself at the end; tracemalloc is not used, since it sees neither Oxigraph's (Rust) nor
Chromium's memory and slows Python down. casegraph's load forks processes of its own, which
``ru_maxrss`` of the group does not see, so the parent also samples the proportional set size
(PSS: shared pages counted once, split between the processes sharing them) of the group's whole
process tree every 0.2 s and keeps the largest sum (``peak_tree_pss_mib``). The orchestrating parent imports only the standard library,
so that what a child inherits at its start is small.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = [
    "Timeout",
    "machine",
    "peak_rss_mib",
    "run_child",
    "run_process",
    "time_limit",
    "timed",
]


class Timeout(Exception):
    """A measured call ran past its time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the Python code inside after ``seconds`` (a native call is interrupted on return)."""
    if not seconds:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(
    call: Callable[[], object],
    repeat: int,
    timeout: float | None = None,
    setup: Callable[[], object] | None = None,
    budget: float | None = None,
) -> dict[str, Any]:
    """Run ``call`` once to warm up, then ``repeat`` times; the median and every run, in seconds.
    ``repeat=0`` times the one run there is, with no warm-up (the smoke test's quick mode).

    ``setup`` runs untimed before each run. When a run passes ``timeout`` the figure is reported
    as ``"> N s"`` (``timed_out``) and the remaining runs are skipped; an exception is reported
    as ``error``. When the warm-up takes longer than ``budget`` (for calls that cannot be
    interrupted, such as a query inside Oxigraph) a single timed run follows, and a note says so.
    """
    runs: list[float] = []
    reduced = False
    index = 0
    while index <= repeat:
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        try:
            with time_limit(timeout):
                call()
        except Timeout:
            return {"timed_out": True, "timeout_s": timeout, "runs_s": runs, "median_s": None}
        except Exception as error:  # a failing engine is a result too: report it, go on
            return {"error": f"{type(error).__name__}: {error}"[:300], "median_s": None}
        elapsed = time.perf_counter() - start
        if index or not repeat:
            runs.append(elapsed)
        elif budget is not None and elapsed > budget:
            repeat, reduced = 1, True
        index += 1
    figure = {"timed_out": False, "median_s": statistics.median(runs), "runs_s": runs}
    if reduced:
        figure["note"] = f"warm-up over {budget:g} s: one timed run instead of the median"
    return figure


def watched(
    call: Callable[[], object], limit: float | None, on_overrun: Callable[[], None]
) -> Callable[[], object]:
    """``call``, guarded by a watchdog thread: past ``limit`` seconds it runs ``on_overrun`` and
    ends the process (exit status 3). For native calls SIGALRM cannot interrupt, such as an
    Oxigraph query, which releases the GIL while it runs. No ``limit``: ``call`` itself."""
    if not limit:
        return call

    def guarded() -> object:
        finished = threading.Event()

        def watch() -> None:
            if not finished.wait(limit):
                on_overrun()
                os._exit(3)

        threading.Thread(target=watch, daemon=True).start()
        try:
            return call()
        finally:
            finished.set()

    return guarded


def once(call: Callable[[], object], timeout: float | None = None) -> tuple[object, float | None]:
    """Run ``call`` once; its result and its time (``None`` when it passed ``timeout``)."""
    start = time.perf_counter()
    try:
        with time_limit(timeout):
            result = call()
    except Timeout:
        return None, None
    return result, time.perf_counter() - start


def peak_rss_mib() -> float:
    """The peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_child(task: str, args: dict[str, Any], out: Path, limit: float = 3600) -> dict[str, Any]:
    """Run one task group in a fresh ``python -m benchmarks.tasks`` process; its JSON result.

    A group that a watchdog ended (exit status 3, see :func:`watched`) has written what it had; it
    is started again with those figures as ``done``, and goes on after them.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    done: dict[str, Any] = {}
    peaks: list[float] = []
    tree_peaks: list[float] = []
    while True:
        out.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "benchmarks.tasks",
            task,
            json.dumps(args | {"done": done}),
            str(out),
        ]
        process = subprocess.Popen(command)
        tree_peak = _sample_tree_pss(process, limit)
        if process.returncode not in (0, 3) or not out.exists():
            return {"error": f"task {task} failed with exit status {process.returncode}"}
        result = json.loads(out.read_text(encoding="utf-8"))
        peaks.append(result["peak_rss_mib"])
        tree_peaks.append(tree_peak)
        result["peak_rss_mib"] = max(peaks)
        result["peak_tree_pss_mib"] = max(tree_peaks)
        completed = process
        if completed.returncode == 0:
            return result
        done = result["figures"]


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``; empty when it has ended)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                text = Path(f"/proc/{current}/task/{task}/children").read_text()
                queue += [int(child) for child in text.split()]
        except OSError:
            continue
    return found


def _pss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _sample_tree_pss(process: subprocess.Popen[bytes], limit: float) -> float:
    """Wait for ``process``; the largest PSS sum of it and its descendants seen every 0.2 s."""
    peak = 0.0
    deadline = time.monotonic() + limit
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            break
        peak = max(peak, sum(_pss_mib(pid) for pid in _descendants(process.pid)))
        time.sleep(0.2)
    return round(peak, 1)


def run_process(command: list[str], repeat: int, env: dict[str, str] | None = None) -> dict:
    """Time a whole process, a warm-up then ``repeat`` runs (``0``: one run, no warm-up); also its
    peak memory (``wait4``)."""
    runs: list[float] = []
    peaks: list[float] = []
    for index in range(repeat + 1):
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        if process.returncode != 0:
            return {"error": f"{' '.join(command)} failed: {error.strip()[-500:]}"}
        if index or not repeat:
            runs.append(elapsed)
            peaks.append(usage.ru_maxrss / 1024)
    return {
        "timed_out": False,
        "median_s": statistics.median(runs),
        "runs_s": runs,
        "peak_rss_mib": round(max(peaks), 1),
    }


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """The machine and the versions a result was measured with."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: _version(name)
            for name in (
                "casegraph",
                "rdflib",
                "pyoxigraph",
                "networkx",
                "igraph",
                "pyvis",
                "playwright",
            )
        },
    }
