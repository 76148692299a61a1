"""Progress on long work (loading, projection, analysis, benchmark runs): rich progress bars on
stderr, only when a person is watching.

Library code reports what it does through :func:`task`, whether or not anyone shows it; the
command line turns the showing on once (:func:`configure`), and only when stderr is a terminal,
the ``CI`` variable is not set and ``--quiet`` was not given. Nothing is ever written to stdout,
so a pipe or a file gets the same answer with or without progress. The bars are redrawn from the
reporting thread itself (no refresh thread), so work that forks worker processes, as a load does,
never forks with a drawing thread running.

    with task("Compiling files", total=len(paths)) as compiling:
        for path in paths:
            ...
            compiling.advance()
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["Task", "configure", "is_on", "should_show", "task"]

#: Seconds between two redraws (a redraw per statement would cost more than the work).
_INTERVAL = 0.1


class Task:
    """One line of progress: ``advance`` it as work is done; a no-op when progress is off."""

    def __init__(self, bars: Any = None, key: Any = None) -> None:
        self._bars, self._key = bars, key
        self._drawn = 0.0

    def advance(self, amount: float = 1) -> None:
        """Count ``amount`` more of the work as done."""
        if self._bars is None:
            return
        self._bars.advance(self._key, amount)
        self._redraw()

    def update(self, *, total: float | None = None, description: str | None = None) -> None:
        """Change the total (once it is known) or the description (a new stage)."""
        if self._bars is None:
            return
        fields: dict[str, Any] = {"total": total} if total is not None else {}
        if description is not None:
            fields["description"] = description
        self._bars.update(self._key, **fields)
        self._redraw(force=True)

    def _redraw(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._drawn >= _INTERVAL:
            self._drawn = now
            self._bars.refresh()


_state: dict[str, Any] = {"on": False, "bars": None, "open": 0, "stream": None}


def should_show(stream: IO[str] | None = None, quiet: bool = False) -> bool:
    """Whether progress should be shown on ``stream`` (stderr): a terminal, not CI, not quiet."""
    stream = stream if stream is not None else sys.stderr
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        terminal = False
    return terminal and not ci and not quiet


def configure(on: bool, stream: IO[str] | None = None) -> None:
    """Show progress from now on (``on``), on ``stream`` (default stderr), or stop showing it."""
    _state["on"], _state["stream"] = on, stream


def is_on() -> bool:
    """Whether progress is being shown."""
    return bool(_state["on"])


def _bars() -> Any:
    """The one set of bars every open task draws into, made when the first task opens."""
    if _state["bars"] is None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        class Count(MofNCompleteColumn):
            """``done/total``, or nothing for a stage whose size is not known."""

            def render(self, task: Any) -> Any:
                return super().render(task) if task.total is not None else ""

        console = Console(file=_state["stream"] or sys.stderr, stderr=True)
        bars = Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            Count(),
            TimeElapsedColumn(),
            console=console,
            auto_refresh=False,  # redrawn by Task, so no thread runs while a load forks
            transient=True,
            redirect_stdout=False,  # what a command prints goes where it would without bars
            redirect_stderr=False,
        )
        bars.start()
        _state["bars"] = bars
    return _state["bars"]


@contextmanager
def task(description: str, total: float | None = None) -> Iterator[Task]:
    """A line of progress for the work inside the block (``total`` None: a count without a bar)."""
    if not _state["on"]:
        yield Task()
        return
    bars = _bars()
    key = bars.add_task(description, total=total)
    _state["open"] += 1
    line = Task(bars, key)
    line._redraw(force=True)
    try:
        yield line
    finally:
        bars.remove_task(key)
        _state["open"] -= 1
        if _state["open"] == 0:
            bars.stop()
            _state["bars"] = None
