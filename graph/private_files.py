"""Files only their owner may read: the store's lock files, its umask and its permissions.

The store names people at risk, so everything under it is owner-only (directories 0700, files
0600) whatever the user's umask, and its locks are taken without waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["make_private", "private_open", "private_umask", "try_lock"]


def try_lock(path: Path, exclusive: bool) -> IO[bytes] | None:
    """Take a lock file (shared or exclusive) without waiting; None when another holds it."""
    handle = private_open(path)
    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def private_open(path: Path) -> IO[bytes]:
    """Open (creating owner-only) a lock file."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    return os.fdopen(descriptor, "a+b")


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files owner-only while inside (the engine creates its files with the umask)."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def make_private(root: Path) -> None:
    """Make ``root`` and everything below it owner-only (0700 directories, 0600 files)."""
    if not root.exists() or root.is_symlink():
        return
    root.chmod(0o700)
    for directory, folders, files in os.walk(root):
        for name, mode in [(n, 0o700) for n in folders] + [(n, 0o600) for n in files]:
            path = Path(directory, name)
            with contextlib.suppress(FileNotFoundError):  # an engine's temporary file, gone
                if not path.is_symlink():
                    path.chmod(mode)
