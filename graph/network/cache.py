"""Whole-graph work kept per store version: the projection and the analysis results, built once.

A store version never changes, so what is computed from it is kept under its name, beside it
(``DiskStore.build_derived``), built on first use and deleted with the version. The public and the
restricted projection are kept apart (``network-v1-public-*``, ``network-v1-restricted-*``), and
every analysis result's name holds its scope and a digest of everything that changes the answer
(the filters as given, the measure and its parameters). Every name ends with
:func:`fingerprint`, a digest of the code and ontology that computed it. See
``docs/decisions/2026-12-02-derived-data-per-version.md``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.network.stored_network import CorruptCache, StoredNetwork, write_network

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.build import NetworkSpec
    from graph.store import CaseStore

__all__ = [
    "BUILDS",
    "CACHE_PREFIXES",
    "cached_rows",
    "holding",
    "projected",
    "scope",
    "stored_network",
]

NETWORK = "network-v1"
ANALYSIS = "analysis-v1"
#: The derived data that ``casegraph cache clear`` removes (the public view engine stays).
CACHE_PREFIXES = (NETWORK, ANALYSIS)
#: What this process built, by derived name: tests count builds with it, never time them.
BUILDS: Counter[str] = Counter()
#: Projections handed out again while :func:`holding` is open, by version and derived name.
_HELD: list[dict[str, nx.MultiDiGraph]] = []


@contextmanager
def holding() -> Iterator[None]:
    """Inside the block, :func:`projected` keeps in memory the network it built or read and
    hands it out again, so work that runs several analyses in one process (``casegraph cache
    build``) reads it once; the analyses never change the network they are given."""
    _HELD.append({})
    try:
        yield
    finally:
        _HELD.pop()


@cache
def fingerprint() -> str:
    """A digest of what makes the answers besides the data: the network code (every module of
    :mod:`graph.network`, the public view's allow-list) and the ontology files. Kept data is
    named with it, so an upgrade never reads what an older casegraph computed."""
    from graph import public_view
    from graph.resources import ONTOLOGY_FILES, ontology_dir

    digest = hashlib.sha256()
    here = Path(__file__).parent
    files = [*sorted(here.glob("*.py")), Path(public_view.__file__)]
    files += [ontology_dir() / name for name in ONTOLOGY_FILES]
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _network_name(store: CaseStore, include_restricted: bool) -> str:
    return f"{NETWORK}-{scope(store, include_restricted)}-{fingerprint()}"


def scope(store: CaseStore, include_restricted: bool) -> str:
    """``restricted`` when the answer may hold restricted records, else ``public``: a store
    opened as its public view reads public records whatever is asked."""
    return "restricted" if include_restricted and not store.public else "public"


def _project(store: CaseStore, include_restricted: bool) -> nx.MultiDiGraph:
    from graph.network.projection import predicates_read, project, read_schema
    from graph.network.reading import store_facts
    from graph.progress import task

    with task("Reading the statements the network needs"):
        facts = store_facts(store, predicates_read(read_schema()), include_restricted)
    with task("Projecting the network (kept for this store version)"):
        return project(facts)


def _derived(
    store: CaseStore, name: str, build: Callable[[Path], None], read: Callable[[Path], Any]
) -> Any:
    """``read`` of the derived ``name`` of the store's version, built first if need be; a
    directory that does not read back (truncated, changed) is deleted and built again once."""
    version = store.version_dir()
    assert version is not None
    for attempt in (1, 2):
        directory = store.disk.build_derived(version, name, build)
        try:
            return read(directory)
        except CorruptCache:
            if attempt == 2:
                raise
            shutil.rmtree(directory, ignore_errors=True)
    raise AssertionError("unreachable")


def stored_network(store: CaseStore, include_restricted: bool) -> StoredNetwork | None:
    """The projection of the store's version kept on disk (built now if need be); None for an
    empty store."""
    if store.version_dir() is None:
        return None
    name = _network_name(store, include_restricted)

    def build(target: Path) -> None:
        BUILDS[name] += 1
        write_network(_project(store, include_restricted), target)

    found: StoredNetwork = _derived(store, name, build, StoredNetwork)
    return found


def projected(store: CaseStore, include_restricted: bool) -> nx.MultiDiGraph:
    """The whole (unfiltered) projection of the store: public records only unless
    ``include_restricted``; read from the version's cache, which is built on first use."""
    if store.version_dir() is None:
        return _project(store, include_restricted)
    name = _network_name(store, include_restricted)
    held = f"{store.version_dir()}/{name}"
    if _HELD and held in _HELD[-1]:
        return _HELD[-1][held]
    fresh: list[nx.MultiDiGraph] = []

    def build(target: Path) -> None:
        BUILDS[name] += 1
        fresh.append(_project(store, include_restricted))
        write_network(fresh[0], target)

    stored: StoredNetwork = _derived(store, name, build, StoredNetwork)
    network = fresh[0] if fresh else stored.network()  # the network just built, not read back
    if _HELD:
        _HELD[-1][held] = network
    return network


def _key(spec: NetworkSpec, what: str, params: dict[str, Any]) -> str:
    return json.dumps({"what": what, "spec": asdict(spec), "params": params}, sort_keys=True)


def _read_rows(key: str) -> Callable[[Path], list[dict[str, Any]]]:
    def read(directory: Path) -> list[dict[str, Any]]:
        try:
            data = (directory / "rows.json").read_bytes()
            manifest = json.loads((directory / "manifest.json").read_text())
            if (
                manifest.get("key") != key
                or manifest.get("sha256") != hashlib.sha256(data).hexdigest()
            ):
                raise CorruptCache(f"{directory}: does not match its manifest")
            rows = json.loads(data)
        except (OSError, ValueError) as error:
            raise CorruptCache(f"{directory}: unreadable cache ({error})") from None
        if not isinstance(rows, list):
            raise CorruptCache(f"{directory}: rows.json is not a list")
        return rows

    return read


def cached_rows(
    store: CaseStore,
    spec: NetworkSpec,
    what: str,
    params: dict[str, Any],
    compute: Callable[[], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The rows ``compute()`` gives for ``spec`` and ``params`` (plain JSON values), computed
    once per store version and kept; computed every time for an empty store."""
    if store.version_dir() is None:
        return compute()
    key = _key(spec, what, params)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    name = f"{ANALYSIS}-{scope(store, spec.include_restricted)}-{what}-{digest}-{fingerprint()}"
    fresh: list[list[dict[str, Any]]] = []

    def build(target: Path) -> None:
        from graph.progress import task

        BUILDS[name] += 1
        with task(f"Computing {what} (kept for this store version)"):
            rows = compute()
        fresh.append(rows)
        data = json.dumps(rows, ensure_ascii=False).encode("utf-8")
        target.mkdir(parents=True)
        (target / "rows.json").write_bytes(data)
        manifest = {"key": key, "sha256": hashlib.sha256(data).hexdigest()}
        (target / "manifest.json").write_text(json.dumps(manifest, sort_keys=True))

    rows: list[dict[str, Any]] = _derived(store, name, build, _read_rows(key))
    return rows


def clear_cache(store: CaseStore) -> list[Path]:
    """Delete the kept projections and analysis results of every version of ``store`` (the
    public view engine stays); they are built again when next needed."""
    store.close()
    return store.disk.clear_derived(CACHE_PREFIXES)


def cache_info(store: CaseStore) -> list[dict[str, Any]]:
    """What is kept for each version of ``store``: name, version, scope, files and bytes."""
    rows = []
    for directory in sorted(store.path.glob("derived/*/*")):
        if directory.name.startswith(".") or not directory.name.startswith(CACHE_PREFIXES):
            continue
        files = [f for f in directory.rglob("*") if f.is_file()]
        name = directory.name
        rows.append(
            {
                "version": directory.parent.name,
                "name": name,
                "scope": "restricted" if "-restricted" in name else "public",
                "files": len(files),
                "bytes": sum(f.stat().st_size for f in files),
            }
        )
    return rows
