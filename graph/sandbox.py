"""The query sandbox: every user query runs in a worker process with no network, a memory limit,
a size limit on its answer and a time limit, so that no query can reach a server, hang the
command, or crash it.

The CLI (``query``, ``view --query``), the library (:func:`graph.querying.run_query`) and any
later server share :func:`run_sandboxed`. The worker is a fresh interpreter
(:mod:`graph.sandbox_worker`), not a fork: the parent may already run the engine's threads, and a
forked copy of them is unsafe. Request, answer and status travel through anonymous in-memory
files, so nothing of the answer is written to disk and no pipe can fill up and block.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rdflib import Graph
from rdflib.term import Node

from graph.errors import CasegraphError, QueryInterrupted

__all__ = ["DEFAULT_TIMEOUT", "Answer", "run_sandboxed", "start_worker", "worker_request"]

#: Seconds a query may run unless told otherwise (``--timeout``).
DEFAULT_TIMEOUT = 30.0
#: The largest serialised answer accepted, in MB (``CASEGRAPH_QUERY_MAX_MB`` changes it).
DEFAULT_MAX_MB = 256
_WORKER = Path(__file__).resolve().parent / "sandbox_worker.py"
_EXIT_QUERY_FAILED, _EXIT_NOT_ISOLATED = 3, 4
_FIX = "add LIMIT, or narrow the query"


@dataclass
class Answer:
    """What a query answered: solutions (columns and rows), a boolean, or a graph."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool = False
    graph: Graph | None = None
    isolation: str | None = None


def _env_number(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise CasegraphError(f"{name} must be a positive whole number, not '{value}'")
    return int(value)


def _memory_limit(memory_mb: int | None) -> int:
    """The worker's heap limit: as asked, or ``CASEGRAPH_QUERY_MEMORY_MB``, or half the RAM."""
    if memory_mb is None:
        half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**21
        memory_mb = _env_number("CASEGRAPH_QUERY_MEMORY_MB", max(half, 1024))
    return memory_mb * 2**20


def _isolation(mode: str | None) -> str:
    from graph.sandbox_worker import MODES

    chosen = mode or os.environ.get("CASEGRAPH_QUERY_ISOLATION") or "auto"
    if chosen not in MODES:
        raise CasegraphError(
            f"CASEGRAPH_QUERY_ISOLATION must be one of {', '.join(MODES)}, not '{chosen}'"
        )
    return chosen


def _json_term(term: Node) -> dict[str, str]:
    """A binding as a SPARQL 1.1 JSON results term (how it travels to the worker)."""
    from graph.rdf_terms import json_term

    try:
        return json_term(term)
    except TypeError:
        raise CasegraphError(f"a parameter cannot be bound to {type(term).__name__}") from None


@contextmanager
def _memory_file(name: str) -> Iterator[IO[bytes]]:
    """An anonymous file in memory, gone when closed (the sandbox needs Linux anyway)."""
    with os.fdopen(os.memfd_create(f"casegraph-{name}"), "w+b") as handle:
        yield handle


def _size(count: int) -> str:
    return f"{count // 2**20:,} MB" if count >= 2**20 else f"{count:,} bytes"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the worker and reap it."""
    if process.poll() is None:
        process.kill()
    process.wait()


def _status(stderr: IO[bytes]) -> tuple[dict[str, Any], str]:
    stderr.seek(0)
    text = stderr.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        status = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        status = {}
    return (status if isinstance(status, dict) else {}), text


def _failure(
    code: int, status: dict[str, Any], text: str, where: str, limits: dict[str, Any]
) -> CasegraphError:
    """The plain message for a worker that did not answer."""
    if code == _EXIT_QUERY_FAILED and status.get("errno") == errno.EFBIG:
        return CasegraphError(
            f"{where}: the answer is larger than {_size(limits['max_bytes'])}; {_FIX}"
        )
    if code == _EXIT_QUERY_FAILED and status.get("error") == "MemoryError":
        code = 1  # reported below as memory
    if code == _EXIT_QUERY_FAILED:
        message = status.get("message", "")
        if status.get("error") == "SyntaxError":
            return CasegraphError(f"{where}: the query is not valid SPARQL: {message}")
        if "projection" in message:
            message += " (list every --param variable in the SELECT clause, or use SELECT *)"
        if any(w in message.lower() for w in ("network", "connect", "dns", "resolve", "http")):
            message += " (queries run without network access)"
        return CasegraphError(f"{where}: the query failed: {message}")
    if code == _EXIT_NOT_ISOLATED:
        return CasegraphError(
            "cannot run the query: this system allows neither a private network namespace nor a "
            "seccomp filter, so a query could reach the network. Allow unprivileged user "
            "namespaces, or set CASEGRAPH_QUERY_ISOLATION=off to run queries without isolation "
            "at your own risk."
        )
    if any(sign in text for sign in ("memory allocation", "MemoryError", "bad_alloc")):
        return CasegraphError(
            f"{where}: the query needs more than {_size(limits['memory'])} of memory; {_FIX}"
            " (or set CASEGRAPH_QUERY_MEMORY_MB)"
        )
    if code < 0:
        name = signal.Signals(-code).name
        return CasegraphError(
            f"{where}: the query engine crashed ({name}) on this query, most likely because it is "
            "nested or chained too deeply; the store is unchanged. Simplify the query."
        )
    last = text.strip().splitlines()[-1] if text.strip() else "no message"
    return CasegraphError(f"{where}: the query worker failed (exit {code}): {last}")


def _read_answer(kind: str, stdout: IO[bytes]) -> Answer:
    """Parse the worker's answer straight from its file into rdflib terms."""
    import pyoxigraph as ox

    from graph.rdf_terms import from_engine, solution_rows

    stdout.seek(0)
    if kind == "triples":
        graph = Graph()
        for quad in ox.parse(stdout, ox.RdfFormat.N_TRIPLES):
            graph.add(
                (from_engine(quad.subject), from_engine(quad.predicate), from_engine(quad.object))
            )
        return Answer(kind, graph=graph)
    parsed = ox.parse_query_results(stdout, ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return Answer(kind, boolean=bool(parsed))
    columns, rows = solution_rows(parsed)
    return Answer(kind, columns, rows)


def worker_request(
    engine_dir: Path | None,
    text: str,
    bindings: Mapping[str, Node] | None,
    timeout: float | None,
    *,
    memory_mb: int | None = None,
    max_bytes: int | None = None,
    isolation: str | None = None,
) -> dict[str, Any]:
    """The request a worker reads on stdin (engine, query, bindings, limits); checks the limits."""
    if timeout is not None and timeout <= 0:
        raise CasegraphError(f"--timeout must be a positive number of seconds, not {timeout}")
    return {
        "engine": str(Path(engine_dir).resolve()) if engine_dir is not None else None,
        "query": text,
        "bindings": {name: _json_term(value) for name, value in (bindings or {}).items()},
        "parent": os.getpid(),
        "isolation": _isolation(isolation),
        "memory": _memory_limit(memory_mb),
        "max_bytes": max_bytes or _env_number("CASEGRAPH_QUERY_MAX_MB", DEFAULT_MAX_MB) * 2**20,
    }


def start_worker(
    stdin: IO[bytes], stdout: IO[bytes] | int, stderr: IO[bytes]
) -> subprocess.Popen[bytes]:
    """Start a worker on these files, with Ctrl-C held back while it starts (an interrupt inside
    Popen would leave no process to stop and no message); a held-back Ctrl-C arrives on return."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER)],  # isolated: no PYTHON* variables
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            cwd="/",
            start_new_session=True,  # Ctrl-C reaches the parent, which stops the worker
        )
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a held-back Ctrl-C arrives here
    except BaseException as error:
        _stop(process)
        if isinstance(error, KeyboardInterrupt):
            raise QueryInterrupted("interrupted: the query was stopped") from None
        raise
    return process


def run_sandboxed(
    engine_dir: Path | None,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    where: str = "the query",
    memory_mb: int | None = None,
    max_bytes: int | None = None,
    isolation: str | None = None,
) -> Answer:
    """Run one query on the engine at ``engine_dir`` (None: an empty store) in a worker process.

    ``bindings`` reach the engine as substitutions. The worker has no network; it is killed
    after ``timeout`` seconds (None: no limit), on Ctrl-C (:class:`QueryInterrupted`), and when
    its parent dies. Limits and crashes come back as :class:`CasegraphError` messages.
    """
    request = worker_request(
        engine_dir,
        text,
        bindings,
        timeout,
        memory_mb=memory_mb,
        max_bytes=max_bytes,
        isolation=isolation,
    )
    limits = {"memory": request["memory"], "max_bytes": request["max_bytes"]}
    with ExitStack() as files:
        stdin, stdout, stderr = (files.enter_context(_memory_file(n)) for n in ("in", "out", "err"))
        stdin.write(json.dumps(request).encode("utf-8"))
        stdin.seek(0)
        process = start_worker(stdin, stdout, stderr)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise CasegraphError(
                f"{where}: stopped after the time limit of {timeout:g} s; {_FIX}, or give a "
                "larger --timeout"
            ) from None
        except KeyboardInterrupt:
            _stop(process)
            raise QueryInterrupted("interrupted: the query was stopped") from None
        except BaseException:
            _stop(process)
            raise
        status, stderr_text = _status(stderr)
        if code != 0 or "kind" not in status:
            raise _failure(code, status, stderr_text, where, limits)
        answer = _read_answer(status["kind"], stdout)
        answer.isolation = status.get("isolation")
        return answer
