"""Who may read what: the token that unlocks restricted records, and the store version a request
reads (the public view unless the request carries the token)."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager
from threading import Lock

from starlette.requests import Request

from graph.errors import StoreInUse
from graph.serve.settings import ServeSettings
from graph.store import CaseStore

__all__ = ["is_trusted", "open_version"]

_BEARER = "bearer "
#: How long a request waits while a writer briefly holds the store to clean up old versions.
_RETRIES, _PAUSE = 400, 0.01
_BUILDING = Lock()  # one public view built at a time in this process, not one per request


def is_trusted(request: Request, settings: ServeSettings) -> bool:
    """Whether the request may read restricted records: the server serves them and the request
    carries ``Authorization: Bearer <token>`` (compared in constant time; never logged)."""
    if not settings.include_restricted or settings.token is None:
        return False
    header = request.headers.get("authorization", "")
    if header[: len(_BEARER)].lower() != _BEARER:
        return False
    given = header[len(_BEARER) :].strip().encode("utf-8")
    return hmac.compare_digest(given, settings.token.encode("utf-8"))


@contextmanager
def open_version(settings: ServeSettings, trusted: bool) -> Iterator[CaseStore]:
    """The store as one request reads it: the version current when the request starts, held
    until it ends (a load that publishes meanwhile is seen by the next request), and its public
    view unless ``trusted``. Blocking: call it from a worker thread."""
    for attempt in range(_RETRIES):
        store = CaseStore.open(settings.store, public=not trusted)
        try:
            with _BUILDING:
                store.engine_dir()  # takes the read lock; builds the public view on first use
        except StoreInUse:
            store.close()
            if attempt == _RETRIES - 1:
                raise
            time.sleep(_PAUSE)
            continue
        try:
            yield store
        finally:
            store.close()
        return
