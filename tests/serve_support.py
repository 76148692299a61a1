"""Helpers of the server tests: load a store, start ``casegraph serve`` on a free loopback port as
a real process, and stop it by its PID."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_URL = re.compile(r"http://127\.0\.0\.1:(\d+)/")
_TOKEN = re.compile(r"Authorization: Bearer ([A-Za-z0-9_-]+)")


@dataclass
class Server:
    """A running ``casegraph serve``: its address, its token (if any), its output so far."""

    url: str
    process: subprocess.Popen[str]
    token: str | None
    announced: str
    log: Path

    def logged(self) -> str:
        """Everything the server logged on standard error so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def casegraph(
    *words: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real command line (a hang guard only as timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "graph", *words],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def load(store: Path, *paths: Path) -> None:
    """Load ``paths`` into ``store`` with ``casegraph load``."""
    done = casegraph("--store", str(store), "load", *map(str, paths))
    assert done.returncode == 0, done.stdout + done.stderr


@contextmanager
def running(store: Path, *options: str) -> Iterator[Server]:
    """``casegraph serve --store STORE --port 0 OPTIONS`` until the block ends (SIGTERM by PID).

    Its log goes to a file beside the store (a pipe nobody reads would fill up and stop it)."""
    log = store.parent / f"serve-{store.name}.log"
    log_file = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", "0", *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines = []
    try:
        for _ in range(2):  # the address, then the token line (or "public records only")
            lines.append(process.stdout.readline())
        announced = "".join(lines)
        found = _URL.search(announced)
        assert found, announced + log.read_text(encoding="utf-8", errors="replace")
        token = _TOKEN.search(announced)
        yield Server(
            f"http://127.0.0.1:{found.group(1)}",
            process,
            token.group(1) if token else None,
            announced,
            log,
        )
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)  # a hang guard only
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        log_file.close()
