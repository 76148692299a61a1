"""Using the machine's second core for the two slow steps of a big load: compiling and validating.

Work is handed to forked processes, which inherit the compiled statements instead of receiving a
copy through a pipe. A forked child has only the thread that forked it, and could find a lock held
by any other thread of the parent; so forking is only done while no other thread runs here, except
the idle pool threads RocksDB (under the on-disk engine) keeps for the rest of the process once a
store has been opened. The children never touch an on-disk engine, so those threads' locks are of
no concern to them. Where the platform does not fork, or another thread runs, the work runs here,
one step after the other, with the same result. ``CASEGRAPH_JOBS=1`` keeps
everything in one process (and ``CASEGRAPH_JOBS=N`` caps the processes used for compiling).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["Background", "can_fork", "die_with_parent", "jobs", "map_in_processes"]

#: The name prefix of the thread pool RocksDB keeps once a store has been opened.
_ENGINE_THREADS = "rocksdb:"

#: prctl(2) option: the signal a process receives when its parent dies.
_PR_SET_PDEATHSIG = 1

T = TypeVar("T")
R = TypeVar("R")


def jobs() -> int:
    """How many processes may work at once: ``$CASEGRAPH_JOBS``, else the number of cores."""
    cores = os.cpu_count() or 1
    try:
        wanted = int(os.environ.get("CASEGRAPH_JOBS", cores))
    except ValueError:
        return cores
    return max(1, wanted)


def can_fork() -> bool:
    """Whether forking is available and safe now: more than one job allowed, and no other thread
    running here but the engine's idle pool."""
    if "fork" not in multiprocessing.get_all_start_methods() or jobs() < 2:
        return False
    try:
        others = [t for t in os.listdir("/proc/self/task") if int(t) != threading.get_native_id()]
        names = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in others]
    except (OSError, ValueError):  # no /proc: cannot tell which threads are running
        return False
    return all(name.startswith(_ENGINE_THREADS) for name in names)


def die_with_parent(parent: int) -> None:
    """Make this (child) process be killed when ``parent`` dies, even by kill -9: a worker left
    behind would hold the store's write lock for good. Linux only; elsewhere nothing happens."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def map_in_processes(
    work: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    done: Callable[[], None] | None = None,
) -> list[R]:
    """``[work(item) for item in items]``, spread over up to ``workers`` forked processes;
    ``done`` is called in this process as each result arrives, in order (progress)."""
    workers = min(workers, len(items), jobs())
    results: list[R] = []
    if workers < 2 or not can_fork():
        for item in items:
            results.append(work(item))
            if done is not None:
                done()
        return results
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )
    with _frozen_heap(), pool:
        for result in pool.map(work, items):
            results.append(result)
            if done is not None:
                done()
    return results


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Fork with the parent's objects out of the garbage collector's reach: a child collecting
    them would write to every page holding one, and so copy pages it could have shared."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class Background(Generic[R]):
    """One call running in a forked process (or right here when forking is not safe)."""

    def __init__(self, work: Callable[[], R]) -> None:
        self._result: R | None = None
        self._error: BaseException | None = None
        self._process: Any = None
        self._reader: Connection | None = None
        if not can_fork():
            self._run_here(work)
            return
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child, args=(work, writer, os.getpid()), daemon=True
        )
        with _frozen_heap():
            self._process.start()
        writer.close()
        self._reader = reader

    def _run_here(self, work: Callable[[], R]) -> None:
        try:
            self._result = work()
        except Exception as error:  # kept for result(), as the forked path does
            self._error = error

    def result(self) -> R:
        """Wait for the call and return its value (or raise its error)."""
        if self._reader is not None:
            try:
                ok, value = self._reader.recv()
            except EOFError:
                message = (
                    f"the worker process ended without an answer (exit status {self._exit_code()})"
                )
                ok, value = False, RuntimeError(message)
            finally:
                self._reader.close()
                self._reader = None
                self._process.join()
            if ok:
                self._result = value
            else:
                self._error = value
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

    def _exit_code(self) -> object:
        self._process.join()
        return self._process.exitcode

    def cancel(self) -> None:
        """Stop the call if it is still running."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()
        if self._reader is not None:
            self._reader.close()
            self._reader = None


def _child(work: Callable[[], Any], writer: Connection, parent: int) -> None:
    die_with_parent(parent)
    try:
        writer.send((True, work()))
    except BaseException as error:  # sent to the parent, which raises it
        writer.send((False, error))
    finally:
        writer.close()


def file_sizes(paths: Sequence[Path]) -> int:
    """The total size of the files that exist, in bytes."""
    return sum(p.stat().st_size for p in paths if p.is_file())
