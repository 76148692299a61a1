"""Running a request's query off the event loop: in a sandbox worker (no network, killable, time
and size limits), on the store version the request reads, with a bound on how many run at once.

Errors become :class:`QueryProblem` with the HTTP status the SPARQL 1.1 Protocol gives them:
400 for a query that is refused or wrong, 403 for an update, 503 for a query stopped by a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio
import anyio.to_thread

from graph.errors import CasegraphError, QueryRefused
from graph.options import BadOption
from graph.sandbox import Answer
from graph.serve.access import open_version
from graph.serve.settings import ServeSettings

__all__ = ["QueryProblem", "run_named", "run_text", "status_of"]

_LIMITS = ("time limit", "is larger than", "of memory")
_SERVER = ("worker failed", "cannot run the query")


@dataclass
class QueryProblem(Exception):
    """A query the server does not answer, with the status and a plain message."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def status_of(error: CasegraphError) -> int:
    """The HTTP status of an error raised while checking or running a query."""
    text = str(error)
    if isinstance(error, QueryRefused):
        read_only = "read-only" in text and not text.startswith("LOAD")
        return 403 if read_only else 400  # LOAD is refused like SERVICE: it would fetch
    if isinstance(error, BadOption):
        return 400
    if any(sign in text for sign in _LIMITS):
        return 503
    if any(sign in text for sign in _SERVER):
        return 500
    return 400


def _text_blocking(settings: ServeSettings, trusted: bool, text: str) -> Answer:
    from graph.queries import PreparedQuery, check_query
    from graph.query_guard import engine_text
    from graph.querying import run_prepared

    form = check_query(text)  # a shipped query's exact text may use the engine's extensions
    prepared = PreparedQuery(engine_text(text), form)  # never read as a query name or a file
    with open_version(settings, trusted) as store:
        return run_prepared(store, prepared, settings.query_timeout)


def _named_blocking(
    settings: ServeSettings, trusted: bool, name: str, params: dict[str, str]
) -> Answer:
    from graph.queries import is_query_name, prepare
    from graph.query_cache import cached_answer
    from graph.querying import record_parameters, run_prepared

    if not is_query_name(name):
        raise CasegraphError(f"no named query '{name}'")
    with open_version(settings, trusted) as store:
        values = record_parameters(store, name, params)  # a name in any spelling becomes an id
        prepared = prepare(name, values)
        # the answer kept for this version (built now if need be), as `casegraph query` reads it
        with cached_answer(store, prepared, settings.query_timeout) as kept:
            if kept is not None:
                return Answer("solutions", list(kept.columns), list(kept.rows()))
        return run_prepared(store, prepared, settings.query_timeout)


async def _off_loop(
    settings: ServeSettings, limiter: anyio.CapacityLimiter, call: object
) -> Answer:
    try:
        return await anyio.to_thread.run_sync(call, limiter=limiter)  # type: ignore[arg-type]
    except CasegraphError as error:
        message = str(error).replace(", or give a larger --timeout", "")  # the server's option
        raise QueryProblem(status_of(error), message) from None


async def run_text(
    settings: ServeSettings, limiter: anyio.CapacityLimiter, trusted: bool, text: str
) -> Answer:
    """A user's SPARQL text, checked (SERVICE, updates, outside FROM, nesting) and run."""
    return await _off_loop(settings, limiter, lambda: _text_blocking(settings, trusted, text))


async def run_named(
    settings: ServeSettings,
    limiter: anyio.CapacityLimiter,
    trusted: bool,
    name: str,
    params: dict[str, str],
) -> Answer:
    """A named query of ``ontology/queries/`` with its parameters (names or ids) as bindings."""
    return await _off_loop(
        settings, limiter, lambda: _named_blocking(settings, trusted, name, params)
    )
