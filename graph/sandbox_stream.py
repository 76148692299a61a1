"""Rows of a SELECT query streamed out of the query sandbox as the worker finds them, a page at a
time or all of them, without holding the answer in memory.

The worker is the same as :func:`graph.sandbox.run_sandboxed`'s (no network, memory limit,
parent-death signal), but it writes one JSON line per row into a pipe instead of one document into
a memory file. Offset and limit are applied by the worker as it iterates the engine's solutions,
never by editing the query text; it stops after the last row asked for, or counts the rest when
the total is wanted (a table's "showing 50 of N"). The answer-size limit is the number of bytes
read from the pipe; the time limit counts the time spent waiting for the worker, not the time the
reader spends writing rows out (a slow terminal does not use up a query's time).
"""

from __future__ import annotations

import json
import os
import select
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from subprocess import Popen, TimeoutExpired
from typing import IO, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import CasegraphError, QueryInterrupted
from graph.sandbox import (
    _FIX,
    DEFAULT_TIMEOUT,
    _failure,
    _memory_file,
    _size,
    _status,
    _stop,
    start_worker,
    worker_request,
)

__all__ = ["RowStream", "stream_sandboxed"]

_CHUNK = 1 << 16


@lru_cache(maxsize=1 << 16)
def _made(kind: str, text: str, lang: str | None, datatype: str | None) -> Node:
    """One rdflib term, made once for the many rows that repeat it (terms are immutable)."""
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if lang is not None:
        return Literal(text, lang=lang)
    if datatype is not None:
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


def _term(value: dict[str, str] | None) -> Node | None:
    """A SPARQL JSON results term as an rdflib term (None: unbound)."""
    if value is None:
        return None
    return _made(value["type"], value["value"], value.get("xml:lang"), value.get("datatype"))


@dataclass
class RowStream:
    """The columns of a running SELECT and an iterator over its rows (each a dict of bound
    columns, as :func:`graph.rdf_terms.solution_rows` gives); ``total`` is the number of
    solutions once the rows are exhausted, when the worker was asked to count them."""

    columns: list[str]
    process: Popen[bytes]
    pipe: int
    stderr: IO[bytes]
    timeout: float | None
    max_bytes: int
    memory: int
    where: str
    total: int | None = None
    _pending: bytes = b""
    _read: int = 0
    _waited: float = 0.0
    _lines: list[bytes] = field(default_factory=list)
    _done: bool = False

    def _fail(self, message: str) -> CasegraphError:
        _stop(self.process)
        return CasegraphError(f"{self.where}: {message}")

    def _chunk(self) -> bytes:
        """The next bytes from the worker ('' at its end), within the time and size limits."""
        while True:
            left = None if self.timeout is None else max(self.timeout - self._waited, 0.0)
            started = time.monotonic()
            try:
                ready, _, _ = select.select([self.pipe], [], [], left)
            except KeyboardInterrupt:
                _stop(self.process)
                raise QueryInterrupted("interrupted: the query was stopped") from None
            self._waited += time.monotonic() - started
            if ready:
                break
            if self.timeout is not None and self._waited >= self.timeout:
                raise self._fail(
                    f"stopped after the time limit of {self.timeout:g} s; {_FIX}, or give a "
                    "larger --timeout"
                )
        chunk = os.read(self.pipe, _CHUNK)
        self._read += len(chunk)
        if self._read > self.max_bytes:
            raise self._fail(f"the answer is larger than {_size(self.max_bytes)}; {_FIX}")
        return chunk

    def _line(self) -> dict[str, Any] | list[Any] | None:
        """The next JSON line, or None at the end of the pipe."""
        while not self._lines:
            chunk = self._chunk()
            if not chunk:
                if self._pending:
                    raise self._broken()
                return None
            *lines, self._pending = (self._pending + chunk).split(b"\n")
            self._lines = lines[::-1]
        parsed: dict[str, Any] | list[Any] = json.loads(self._lines.pop())
        return parsed

    def _broken(self) -> CasegraphError:
        """The error for a worker whose output stopped before its end line."""
        try:
            code = self.process.wait(timeout=30)
        except TimeoutExpired:
            _stop(self.process)
            code = -9
        status, text = _status(self.stderr)
        limits = {"memory": self.memory, "max_bytes": self.max_bytes}
        if code == 0:
            return CasegraphError(f"{self.where}: the query worker's answer was cut short")
        return _failure(code, status, text, self.where, limits)

    def open(self) -> None:
        """Read the column names (the first line), or raise why the query failed."""
        first = self._line()
        if not isinstance(first, dict) or "vars" not in first:
            raise self._broken()
        self.columns = list(first["vars"])

    def __iter__(self) -> Iterator[dict[str, Node]]:
        columns = self.columns
        while not self._done:
            line = self._line()
            if line is None:
                raise self._broken()
            if isinstance(line, dict):
                self.total, self._done = line.get("total"), True
                return
            yield {c: t for c, v in zip(columns, line, strict=True) if (t := _term(v)) is not None}


@contextmanager
def stream_sandboxed(
    engine_dir: Path | None,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    offset: int = 0,
    limit: int | None = None,
    count: bool = False,
    where: str = "the query",
    memory_mb: int | None = None,
    max_bytes: int | None = None,
    isolation: str | None = None,
) -> Iterator[RowStream]:
    """Run a SELECT in a sandbox worker and give its rows as they come: from ``offset``, at most
    ``limit`` (None: all), and with ``count`` the total number of solutions at the end.

    The worker is stopped when the block ends, however it ends (an early ``break`` included).
    """
    if offset < 0 or (limit is not None and limit < 0):
        raise CasegraphError("offset and limit must be 0 or more")
    request = worker_request(
        engine_dir,
        text,
        bindings,
        timeout,
        memory_mb=memory_mb,
        max_bytes=max_bytes,
        isolation=isolation,
    )
    request |= {"stream": True, "offset": offset, "limit": limit, "count": count}
    request["plain"] = str(XSD.string)
    with ExitStack() as files:
        stdin, stderr = (files.enter_context(_memory_file(n)) for n in ("in", "err"))
        stdin.write(json.dumps(request).encode("utf-8"))
        stdin.seek(0)
        read_end, write_end = os.pipe()
        files.callback(os.close, read_end)
        try:
            process = start_worker(stdin, write_end, stderr)
        finally:
            os.close(write_end)
        files.callback(_stop, process)
        stream = RowStream(
            [],
            process,
            read_end,
            stderr,
            timeout,
            request["max_bytes"],
            request["memory"],
            where,
        )
        stream.open()
        yield stream
