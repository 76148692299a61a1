"""The embedded on-disk store: versioned engine directories, locks, and all-or-nothing writes.

Layout of a store directory::

    .casegraph/
      write.lock    held (exclusively) by the one process that is writing
      read.lock     held (shared) by every process reading a version
      current       symlink to the version queries read
      v-<n>/        one engine database per version

A write (:meth:`DiskStore.write`) copies the current version (a cheap checkpoint), changes the copy, and only when every
step has succeeded swaps the ``current`` link to it in one atomic rename. A failure anywhere, or a
killed process, leaves ``current`` exactly as it was.
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graph.errors import CasegraphError, StoreInUse

__all__ = ["DiskStore", "default_store_path"]

_CURRENT = "current"


def default_store_path() -> Path:
    """The store used when none is named: ``$CASEGRAPH_STORE`` or ``./.casegraph``."""
    return Path(os.environ.get("CASEGRAPH_STORE") or ".casegraph")


def _apply_to_copy(
    current: Path | None, staging: Path, apply: Callable[[ox.Store], None]
) -> BaseException | None:
    """Copy ``current`` to ``staging`` and change it; return the failure instead of raising it.

    The engine must be closed before a failed copy is deleted, or it would write its files back:
    every reference to it is dropped (including those held by the failure's traceback) first.
    """
    engine: ox.Store | None = None
    failure: BaseException | None = None
    try:
        if current is not None:
            ox.Store.read_only(str(current)).backup(str(staging))
        engine = ox.Store(str(staging))
        apply(engine)
        engine.flush()
    except BaseException as error:
        failure = error
    engine = None
    if failure is not None:
        traceback.clear_frames(failure.__traceback__)
    gc.collect()
    return failure


def _try_lock(path: Path, exclusive: bool) -> IO[bytes] | None:
    handle = path.open("a+b")
    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


class DiskStore:
    """A store directory on disk; hands out read-only engine handles and runs write transactions."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def exists(self) -> bool:
        """Whether a version has ever been written here."""
        return (self.path / _CURRENT).exists()

    def current_dir(self) -> Path:
        """The directory of the version queries read."""
        return (self.path / _CURRENT).resolve()

    @contextmanager
    def reading(self) -> Iterator[ox.Store]:
        """A read-only engine handle on the current version (an empty in-memory one if none)."""
        if not self.exists:
            yield ox.Store()
            return
        self.path.mkdir(parents=True, exist_ok=True)
        lock = _try_lock(self.path / "read.lock", exclusive=False)
        if lock is None:
            raise StoreInUse(f"the store {self.path} is being cleaned up by another process; retry")
        try:
            yield ox.Store.read_only(str(self.current_dir()))
        finally:
            lock.close()

    def write(self, apply: Callable[[ox.Store], None]) -> None:
        """Run ``apply`` on a writable copy of the current version; publish it only on success."""
        self.path.mkdir(parents=True, exist_ok=True)
        lock = _try_lock(self.path / "write.lock", exclusive=True)
        if lock is None:
            raise StoreInUse(
                f"the store {self.path} is in use: another casegraph process is writing to it. "
                "Wait for it to finish, or use another store with --store."
            )
        try:
            staging = self.path / f"v-{time.time_ns()}"
            failure = _apply_to_copy(self.current_dir() if self.exists else None, staging, apply)
            if failure is not None:
                shutil.rmtree(staging, ignore_errors=True)
                raise failure
            self._publish(staging)
        finally:
            lock.close()

    def _publish(self, version: Path) -> None:
        """Point ``current`` at ``version`` atomically, then remove versions no reader holds."""
        link = self.path / f".{_CURRENT}.tmp"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(version.name)
        os.replace(link, self.path / _CURRENT)
        self._collect_garbage(keep=version)

    def _collect_garbage(self, keep: Path) -> None:
        readers = _try_lock(self.path / "read.lock", exclusive=True)
        if readers is None:
            return  # someone is reading an old version; a later write cleans up
        try:
            for old in self.path.glob("v-*"):
                if old.is_dir() and old.name != keep.name:
                    shutil.rmtree(old, ignore_errors=True)
        finally:
            readers.close()

    def check_writable(self) -> None:
        """Raise a clear error when the store path cannot hold a store."""
        if self.path.exists() and not self.path.is_dir():
            raise CasegraphError(f"the store path {self.path} exists and is not a directory")
