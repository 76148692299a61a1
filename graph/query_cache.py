"""The full ordered rows of a named query, kept per store version, so that any page of it is read
from disk instead of sorting the whole store again.

A store version never changes, so the answer of a shipped named query to given bindings, in one
visibility, never changes either: it is computed once (in the query sandbox, as ``casegraph
query`` runs it) and kept under ``derived/<version>/query-v1-<scope>-<query>-<all|bound>-<digest>/``
(``DiskStore.build_derived``: built in a scratch directory and renamed into place, deleted with its
version and by ``casegraph cache clear``). The public and the restricted answers are kept apart by
name, and the public one is built from the public view engine, so it cannot hold a restricted
record. ``rows.jsonl`` holds the columns, then one line per row (SPARQL JSON terms, as the sandbox
worker streams them); ``manifest.json`` holds the key (query text, bindings, engine version), the
row count, the size and the SHA-256 of the rows: a file that does not match is deleted and built
again, never trusted. No pickle. At most :data:`MAX_BOUND` binding combinations are kept per query,
visibility and version; past that a query with bindings runs as before, uncached.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.term import Node

from graph.errors import CasegraphError, QueryInterrupted

if TYPE_CHECKING:
    from graph.queries import PreparedQuery
    from graph.store import CaseStore

__all__ = [
    "BUILDS",
    "MAX_BOUND",
    "QUERY_CACHE",
    "CachedAnswer",
    "build_named_query_rows",
    "build_query_cache",
    "cached_answer",
    "clear_query_cache",
    "query_cache_info",
]

QUERY_CACHE = "query-v1"
#: Binding combinations kept per named query, visibility and store version (the unbound form of
#: each query is always kept); a bound query past this runs uncached.
MAX_BOUND = 16
#: What this process built, by derived name: tests count builds with it, never time them.
BUILDS: Counter[str] = Counter()
_CHUNK = 1 << 20


class CorruptQueryCache(CasegraphError):
    """A kept answer that does not match its manifest: it is deleted and built again."""


def _scope(store: CaseStore) -> str:
    """``public`` for a store opened as its public view, else ``restricted`` (it reads all)."""
    return "public" if store.public else "restricted"


def _key(prepared: PreparedQuery) -> str:
    """Everything that makes the answer besides the store version: the query's text, the bindings
    (as SPARQL JSON terms) and the engine's version."""
    import pyoxigraph

    from graph.rdf_terms import json_term

    bindings = {name: json_term(term) for name, term in sorted(prepared.bindings.items())}
    return json.dumps(
        {
            "format": QUERY_CACHE,
            "engine": pyoxigraph.__version__,
            "query": prepared.text,
            "bindings": bindings,
        },
        sort_keys=True,
    )


def _prefix(store: CaseStore, query_name: str, bound: bool) -> str:
    return f"{QUERY_CACHE}-{_scope(store)}-{query_name}-{'bound' if bound else 'all'}"


@dataclass
class CachedAnswer:
    """A kept answer, checked against its manifest: its columns, its row count, and its rows from
    any offset (read from the mapped file as they are asked for)."""

    columns: list[str]
    total: int
    data: mmap.mmap
    start: int  # the byte where the first row's line starts

    def rows(self, offset: int = 0, limit: int | None = None) -> Iterator[dict[str, Node]]:
        """The rows from ``offset`` (at most ``limit``; None: to the end), decoded as the
        sandbox stream decodes them."""
        from graph.sandbox_stream import _term

        data, position, columns = self.data, self.start, self.columns
        for _ in range(min(offset, self.total)):
            position = data.find(b"\n", position) + 1
        left = self.total - min(offset, self.total)
        if limit is not None:
            left = min(left, limit)
        for _ in range(left):
            end = data.find(b"\n", position)
            values = json.loads(data[position:end])
            position = end + 1
            yield {
                c: t for c, v in zip(columns, values, strict=True) if (t := _term(v)) is not None
            }


def _write(
    store: CaseStore,
    prepared: PreparedQuery,
    key: str,
    timeout: float | None,
    where: str,
    target: Path,
) -> None:
    """Run the query in the sandbox and write all its rows, in order, with their manifest."""
    from graph.rdf_terms import json_term
    from graph.sandbox_stream import stream_sandboxed

    target.mkdir(parents=True)
    digest, size, total = hashlib.sha256(), 0, 0
    with (
        stream_sandboxed(
            store.engine_dir(), prepared.text, prepared.bindings, timeout, where=where
        ) as stream,
        (target / "rows.jsonl").open("wb") as out,
    ):
        columns = stream.columns
        rows = ([json_term(row[c]) if c in row else None for c in columns] for row in stream)
        for number, values in enumerate(chain([{"vars": columns}], rows)):
            line = json.dumps(values, ensure_ascii=False).encode("utf-8") + b"\n"
            digest.update(line)
            size += len(line)
            total = number
            out.write(line)
    manifest = {"key": key, "rows": total, "bytes": size, "sha256": digest.hexdigest()}
    (target / "manifest.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


@contextmanager
def _read(directory: Path, key: str) -> Iterator[CachedAnswer]:
    """The kept answer in ``directory``, or :class:`CorruptQueryCache` when any byte of it does
    not match its manifest (checked before the first row is given)."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        handle = (directory / "rows.jsonl").open("rb")
    except (OSError, ValueError) as error:
        raise CorruptQueryCache(f"{directory}: unreadable cache ({error})") from None
    with handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as error:  # an empty file cannot be mapped
            raise CorruptQueryCache(f"{directory}: unreadable rows ({error})") from None
        with data:
            digest, lines = hashlib.sha256(), 0
            for at in range(0, len(data), _CHUNK):
                chunk = data[at : at + _CHUNK]
                digest.update(chunk)
                lines += chunk.count(b"\n")
            if (
                not isinstance(manifest, dict)
                or manifest.get("key") != key
                or manifest.get("bytes") != len(data)
                or manifest.get("sha256") != digest.hexdigest()
                or manifest.get("rows") != lines - 1
            ):
                raise CorruptQueryCache(f"{directory}: does not match its manifest")
            start = data.find(b"\n") + 1
            try:
                head = json.loads(data[:start])
                columns = [str(c) for c in head["vars"]]
            except (ValueError, KeyError, TypeError) as error:
                raise CorruptQueryCache(f"{directory}: no column line ({error})") from None
            yield CachedAnswer(columns, manifest["rows"], data, start)


def _entry(store: CaseStore, prepared: PreparedQuery) -> tuple[str, str] | None:
    """The name under which the answer of ``prepared`` is (or would be) kept, and its key; None
    when it is not kept: not a shipped named SELECT, an empty store, or past :data:`MAX_BOUND`."""
    from graph.queries import is_query_name
    from graph.resources import queries_dir

    source = prepared.source
    if prepared.form != "SELECT" or source is None or not is_query_name(source.name):
        return None
    shipped = queries_dir() / f"{source.name}.rq"
    if source.text != prepared.text or source.path.resolve() != shipped.resolve():
        return None  # a user's own .rq file (even one named like a shipped query) is not kept
    version = store.version_dir()
    if version is None:
        return None
    key = _key(prepared)
    prefix = _prefix(store, source.name, bool(prepared.bindings))
    name = f"{prefix}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}"
    directory = store.disk.derived_dir(version, name)
    if prepared.bindings and not directory.is_dir():
        kept = [p for p in directory.parent.glob(f"{prefix}-*") if p.is_dir()]
        if len(kept) >= MAX_BOUND:
            return None
    return name, key


@contextmanager
def cached_answer(
    store: CaseStore, prepared: PreparedQuery, timeout: float | None, where: str = "the query"
) -> Iterator[CachedAnswer | None]:
    """The kept answer of a named SELECT on the store's version, built now (with ``timeout``)
    if need be; None when it is not kept (see :func:`_entry`) or could not be built (too slow,
    too large, an unwritable store): the caller then runs the query itself."""
    entry = _entry(store, prepared)
    if entry is None:
        yield None
        return
    name, key = entry
    version = store.version_dir()
    assert version is not None

    def build(target: Path) -> None:
        BUILDS[name] += 1
        _write(store, prepared, key, timeout, where, target)

    for attempt in (1, 2):
        try:
            built = store.disk.build_derived(version, name, build)
        except QueryInterrupted:
            raise
        except (CasegraphError, OSError):
            yield None
            return
        try:
            with _read(built, key) as answer:
                yield answer
                return
        except CorruptQueryCache:
            shutil.rmtree(built, ignore_errors=True)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def build_query_cache(
    store: CaseStore, names: list[str] | None = None, timeout: float | None = None
) -> list[str]:
    """Keep the unbound answer of every named SELECT query (or of ``names``) for the store's
    version, in the store's visibility (open it with ``public=True`` for the public answers);
    returns the names of the queries kept. For ``load --prepare``; queries build lazily anyway."""
    from graph.queries import list_queries, prepare

    kept = []
    for named in list_queries():
        if names is not None and named.name not in names:
            continue
        if any(p.required for p in named.parameters):
            continue
        prepared = prepare(named.name)
        with cached_answer(store, prepared, timeout, str(named.path)) as answer:
            if answer is not None:
                kept.append(named.name)
    return kept


def clear_query_cache(store: CaseStore) -> list[Path]:
    """Delete the kept query answers of every version of ``store``."""
    store.close()
    return store.disk.clear_derived((QUERY_CACHE,))


def query_cache_info(store: CaseStore) -> list[dict[str, Any]]:
    """The kept query answers of every version: version, name, scope, files and bytes."""
    rows = []
    for directory in sorted(store.path.glob(f"derived/*/{QUERY_CACHE}-*")):
        files = [f for f in directory.rglob("*") if f.is_file()]
        rows.append(
            {
                "version": directory.parent.name,
                "name": directory.name,
                "scope": "restricted"
                if directory.name.startswith(f"{QUERY_CACHE}-restricted")
                else "public",
                "files": len(files),
                "bytes": sum(f.stat().st_size for f in files),
            }
        )
    return rows


def build_named_query_rows(store: CaseStore) -> bool:
    """:func:`build_query_cache` for every named query, as a ``load --prepare`` builder: whether
    anything was built (False: all were already kept)."""
    before = sum(BUILDS.values())
    build_query_cache(store)
    return sum(BUILDS.values()) > before
