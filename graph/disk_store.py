"""The embedded on-disk store: versioned engine directories, locks, and all-or-nothing writes.

Layout of a store directory (owner-only: directories 0700, files 0600, whatever the umask)::

    .casegraph/
      write.lock    held (exclusively) by the one process that is writing
      read.lock     held (shared) by every process reading a version
      current       symlink to the version queries read
      v-<n>/        one engine database per version
      derived/v-<n>/<name>/   what is computed from that version (its public view, caches);
                    deleted with the version, so it can never describe another one

A write (:meth:`DiskStore.write`) copies the current version (a cheap checkpoint), changes the copy, and only when every
step has succeeded swaps the ``current`` link to it in one atomic rename. A failure anywhere, or a
killed process, leaves ``current`` exactly as it was.
"""

from __future__ import annotations

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
from graph.private_files import make_private, private_umask, try_lock

__all__ = ["DiskStore", "default_store_path", "make_private", "private_umask"]

_CURRENT = "current"


def default_store_path() -> Path:
    """The store used when none is named: ``$CASEGRAPH_STORE`` or ``./.casegraph``."""
    return Path(os.environ.get("CASEGRAPH_STORE") or ".casegraph")


def _apply_to_copy(
    current: Path | None, staging: Path, apply: Callable[[ox.Store], bool | None]
) -> BaseException | None:
    """Copy ``current`` to ``staging`` and change it; return the failure instead of raising it.

    When ``apply`` returns True (it removed statements), the copy is rewritten from scratch
    (:func:`_rewrite`), so nothing removed survives in the version's files.

    The engine must be closed before a failed copy is deleted, or it would write its files back:
    every reference to it is dropped (including those held by the failure's traceback) first.
    """
    engine: ox.Store | None = None
    failure: BaseException | None = None
    try:
        if current is not None:
            ox.Store.read_only(str(current)).backup(str(staging))
        engine = ox.Store(str(staging))
        removed = apply(engine)
        engine.flush()
        engine = None
        gc.collect()
        if removed:
            _rewrite(staging)
    except BaseException as error:
        failure = error
    engine = None
    if failure is not None:
        traceback.clear_frames(failure.__traceback__)
    gc.collect()
    return failure


def _rewrite(version: Path) -> None:
    """Replace the engine at ``version`` by a fresh one holding the same statements.

    The engine copies a version by linking its files, marks removed statements instead of erasing
    them, and never forgets a string it has stored: a removed record's text would stay in the
    files of every later version. A fresh engine holds only what is there now.
    """
    fresh = version.with_name(version.name + ".fresh")
    dump = version.with_name(version.name + ".nq")
    try:
        old = ox.Store.read_only(str(version))
        old.dump(str(dump), ox.RdfFormat.N_QUADS)
        del old
        new = ox.Store(str(fresh))
        new.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        new.flush()
        del new
        gc.collect()
        shutil.rmtree(version)
        os.rename(fresh, version)
    finally:
        dump.unlink(missing_ok=True)
        shutil.rmtree(fresh, ignore_errors=True)


def _remove(path: Path) -> None:
    """Delete a file or a directory tree."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _pid_alive(pid: str) -> bool:
    """Whether the process ``pid`` (as written in a scratch name) still runs."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _remove_dead_scratch(folder: Path, name: str) -> None:
    """Delete the half-built copies of ``name`` left by builders that were killed (their process
    is gone): nothing reads them, and the public view's can be hundreds of megabytes."""
    start = f".{name}."
    for path in folder.iterdir():
        if path.name.startswith(start):
            pid = path.name[len(start) :].split(".", 1)[0]
            if not _pid_alive(pid):
                _remove(path)


class DiskStore:
    """A store directory on disk; hands out read-only engine handles and runs write transactions."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._write_lock: IO[bytes] | None = None

    @property
    def exists(self) -> bool:
        """Whether a version has ever been written here."""
        return (self.path / _CURRENT).exists()

    def current_dir(self) -> Path:
        """The directory of the version queries read."""
        return (self.path / _CURRENT).resolve()

    def _ensure_dir(self) -> None:
        """Create the store directory owner-only, and keep it so."""
        with private_umask():
            self.path.mkdir(parents=True, exist_ok=True)
        if self.path.stat().st_mode & 0o077:
            self.path.chmod(0o700)

    @contextmanager
    def read_lock(self) -> Iterator[Path | None]:
        """Hold a version so no writer deletes it; yields its directory (None for an empty store)."""
        if not self.exists:
            yield None
            return
        self._ensure_dir()
        lock = try_lock(self.path / "read.lock", exclusive=False)
        if lock is None:
            raise StoreInUse(f"the store {self.path} is being cleaned up by another process; retry")
        try:
            yield self.current_dir()
        finally:
            lock.close()

    @contextmanager
    def reading(self) -> Iterator[ox.Store]:
        """A read-only engine handle on the current version (an empty in-memory one if none)."""
        with self.read_lock() as version:
            yield ox.Store() if version is None else ox.Store.read_only(str(version))

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock: the checks a write relies on and the write itself happen
        inside, so no other writer can change the store in between. Re-entrant in one object."""
        if self._write_lock is not None:
            yield
            return
        self._ensure_dir()
        lock = try_lock(self.path / "write.lock", exclusive=True)
        if lock is None:
            raise StoreInUse(
                f"the store {self.path} is in use: another casegraph process is writing to it. "
                "Wait for it to finish, or use another store with --store."
            )
        self._write_lock = lock
        try:
            yield
        finally:
            self._write_lock = None
            lock.close()

    def write(self, apply: Callable[[ox.Store], bool | None]) -> None:
        """Run ``apply`` on a writable copy of the current version; publish it only on success.

        ``apply`` returns True when it removed statements: the version is then rewritten so that
        what was removed is gone from the files, not only from the answers.
        """
        with self.writing(), private_umask():
            staging = self.path / f"v-{time.time_ns()}"
            failure = _apply_to_copy(self.current_dir() if self.exists else None, staging, apply)
            if failure is not None:
                shutil.rmtree(staging, ignore_errors=True)
                raise failure
            make_private(staging)
            self._publish(staging)

    def derived_dir(self, version: Path, name: str) -> Path:
        """Where something computed from ``version`` is kept (it need not exist yet)."""
        return self.path / "derived" / version.name / name

    def build_derived(self, version: Path, name: str, build: Callable[[Path], None]) -> Path:
        """The directory of ``name`` for ``version``, built by ``build(tmp_dir)`` on first use.

        Versions never change, so what is built from one never goes stale. Two processes may
        build at once; each builds in its own directory and the first to finish wins.
        """
        target = self.derived_dir(version, name)
        if target.is_dir():
            return target
        with private_umask():
            target.parent.mkdir(parents=True, exist_ok=True)
            for folder in (self.path / "derived", target.parent):  # not what others are building
                folder.chmod(0o700)
            _remove_dead_scratch(target.parent, name)
            scratch = target.parent / f".{name}.{os.getpid()}.{time.time_ns()}"
            try:
                build(scratch)
                make_private(scratch)
                try:
                    os.rename(scratch, target)
                except OSError:
                    if not target.is_dir():
                        raise
            finally:
                if scratch.exists():
                    shutil.rmtree(scratch, ignore_errors=True)
        return target

    def clear_derived(self, prefixes: tuple[str, ...]) -> list[Path]:
        """Delete, for every version, the derived data whose name starts with one of
        ``prefixes`` (and any half-built copy of it); returns what was deleted. Refused while
        another process reads or writes the store: it may be using that data."""
        derived = self.path / "derived"
        if not derived.is_dir():
            return []
        with self.writing():
            readers = try_lock(self.path / "read.lock", exclusive=True)
            if readers is None:
                raise StoreInUse(f"the store {self.path} is being read by another process; retry")
            try:
                doomed = [
                    path
                    for path in sorted(derived.glob("*/*"))
                    if path.name.lstrip(".").startswith(prefixes)
                ]
                for path in doomed:
                    _remove(path)
            finally:
                readers.close()
        return doomed

    def _publish(self, version: Path) -> None:
        """Point ``current`` at ``version`` atomically, then remove versions no reader holds."""
        link = self.path / f".{_CURRENT}.tmp"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(version.name)
        os.replace(link, self.path / _CURRENT)
        self._collect_garbage(keep=version)

    def _collect_garbage(self, keep: Path) -> None:
        readers = try_lock(self.path / "read.lock", exclusive=True)
        if readers is None:
            return  # someone is reading an old version; a later write cleans up
        try:
            for old in self.path.glob("v-*"):  # old versions, and what a killed write left
                if old.name != keep.name:
                    _remove(old)
            for old in (self.path / "derived").glob("*"):
                if old.name != keep.name:
                    _remove(old)
            for scratch in (self.path / "derived" / keep.name).glob(".*"):
                if not _pid_alive(scratch.name.split(".")[2]):
                    _remove(scratch)  # a build whose process was killed
        finally:
            readers.close()

    def check_writable(self) -> None:
        """Raise a clear error when the store path cannot hold a store."""
        if self.path.exists() and not self.path.is_dir():
            raise CasegraphError(f"the store path {self.path} exists and is not a directory")
