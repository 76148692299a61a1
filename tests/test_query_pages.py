"""Named queries' answers kept per store version (graph.query_cache): every page read from the kept
rows is exactly that slice of the query's own answer, with its header and row count, for every
named query, public and with restricted records, on data/ (plus the canary fixtures) and on a
generated 10k store; the public rows never hold a restricted record; a damaged file is rebuilt;
the number of binding combinations kept is bounded; ``cache info`` and ``cache clear`` see it.

Builds are counted (``BUILDS``), never timed.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from benchmarks.tasks import PARAMETERS
from graph import query_cache
from graph.loading import load_paths
from graph.queries import list_queries, prepare
from graph.query_cache import BUILDS, QUERY_CACHE, build_named_query_rows, build_query_cache
from graph.querying import TABLE_ROWS, write_query
from graph.result_writers import table_note
from graph.results import format_rows, table_lines
from graph.store import CaseStore
from tests.canary_support import CASE_FIXTURES, LINK_FIXTURES, all_canaries, leaks

ROOT = Path(__file__).parent.parent
CASEGRAPH = [sys.executable, "-c", "from graph.cli import main; main()"]
#: Record ids for the required parameters, in data/.
REAL_PARAMETERS = {"entity": "javid_khales", "person": "javid_khales", "judge": "j_salavati"}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of data/ with the canary fixtures beside it (restricted records, some pointing at
    data/'s people): the public answers must leave every canary out."""
    root = tmp_path_factory.mktemp("pages-real")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(CASE_FIXTURES, root / "data" / "zz-canary-case")
    shutil.copytree(LINK_FIXTURES, root / "data" / "zz-canary-links")
    with CaseStore.open(root / "store") as store:
        load_paths([root / "data"], store)
    return root / "store"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A store of the benchmark generator's 10k case files, and the parameters of its queries."""
    root = tmp_path_factory.mktemp("pages-10k")
    sample = generate("10k", folder=root / "data")["sample"]
    with CaseStore.open(root / "store") as store:
        load_paths([root / "data" / "cases"], store)
    return root / "store", {p: sample[PARAMETERS.get(p, "person_id")] for p in REAL_PARAMETERS}


def _params(name: str, values: dict[str, str]) -> dict[str, str]:
    (named,) = [q for q in list_queries() if q.name == name]
    return {p.name: values[p.name] for p in named.parameters if p.required}


def _written(store: CaseStore, name: str, params: dict[str, str], fmt: str, **page: Any) -> str:
    out = io.StringIO()
    write_query(store, name, params, fmt, out, **page)
    return out.getvalue()


def _bindings(text: str) -> list[dict[str, Any]]:
    bindings: list[dict[str, Any]] = json.loads(text)["results"]["bindings"]
    return bindings


def _builds() -> int:
    return sum(BUILDS.values())


def _check_every_page(store: CaseStore, name: str, params: dict[str, str]) -> int:
    """Compare the kept answer of ``name`` with the query's own answer (asked of the engine
    directly): whole, in pages across its ends, and as a table; returns its row count."""
    prepared = prepare(name, params)
    columns, rows = store.select(prepared.text, prepared.bindings)
    whole_text = format_rows(columns, rows, "json") + "\n"
    whole = _bindings(whole_text)
    before = _builds()
    assert _written(store, name, params, "json") == whole_text, name  # built now, then read
    assert _builds() == before + 1, f"{name}: the answer was not kept"
    total = len(rows)
    for offset, limit in ((0, 7), (5, 7), (max(total - 3, 0), 7), (total, 2), (total + 4, 1)):
        page = _bindings(_written(store, name, params, "json", offset=offset, limit=limit))
        assert page == whole[offset : offset + limit], (name, offset, limit)
    assert _bindings(_written(store, name, params, "json", offset=1)) == whole[1:], name
    middle = total // 2
    shown = rows[middle : middle + 5]
    table = _written(store, name, params, "table", offset=middle, limit=5)
    assert (
        table
        == "\n".join(table_lines(columns, shown, 60))
        + "\n"
        + table_note(len(shown), middle, total)
        + "\n"
    ), name
    first = _written(store, name, params, "table").splitlines()
    assert first[0].split() == list(columns), name  # the header, as the query names its columns
    assert len(first) == 3 + min(total, TABLE_ROWS), name
    assert _builds() == before + 1, f"{name}: a page ran the query again"
    return total


@pytest.mark.parametrize("public", [True, False], ids=["public", "include-restricted"])
def test_every_named_query_pages_from_its_kept_rows_on_data(real: Path, public: bool) -> None:
    """On data/ (with the canary fixtures), every named query's kept answer is its own answer,
    page by page, in both visibilities."""
    sizes = {}
    with CaseStore.open(real, public=public) as store:
        for named in list_queries():
            params = _params(named.name, REAL_PARAMETERS)
            sizes[named.name] = _check_every_page(store, named.name, params)
    assert sum(n > TABLE_ROWS for n in sizes.values()) >= 2, sizes  # tables that page exist
    assert sum(n > 0 for n in sizes.values()) >= 10, sizes


@pytest.mark.parametrize("public", [True, False], ids=["public", "include-restricted"])
def test_every_named_query_pages_from_its_kept_rows_at_10k(
    generated: tuple[Path, dict[str, str]], public: bool
) -> None:
    """The same on a generated 10k store, where the listings have hundreds of rows."""
    path, values = generated
    sizes = {}
    with CaseStore.open(path, public=public) as store:
        for named in list_queries():
            sizes[named.name] = _check_every_page(store, named.name, _params(named.name, values))
    assert sum(n > TABLE_ROWS for n in sizes.values()) >= 5, sizes


def _files(store_path: Path, pattern: str) -> list[Path]:
    return [f for d in store_path.glob(f"derived/*/{pattern}") for f in d.rglob("*") if f.is_file()]


def test_no_canary_in_kept_public_answers(real: Path) -> None:
    """Every named query's kept answer, built in both visibilities (unbound, and with the
    parameters of the fixture's records): the public files hold no canary, the restricted ones
    do (so the grep can find one), and the two are kept under different names."""
    bound = {"entity": "javid_khales", "person": "javid_khales", "judge": "j_salavati"}
    for public in (False, True):  # restricted first: a public name taken by it would show
        with CaseStore.open(real, public=public) as store:
            kept = build_query_cache(store)
            for named in list_queries():
                params = _params(named.name, bound)
                if params:
                    _written(store, named.name, params, "csv")
    required = [q for q in list_queries() if any(p.required for p in q.parameters)]
    assert len(kept) == len(list_queries()) - len(required)
    public_dirs = list(real.glob(f"derived/*/{QUERY_CACHE}-public-*"))
    restricted_dirs = list(real.glob(f"derived/*/{QUERY_CACHE}-restricted-*"))
    assert len(public_dirs) >= len(list_queries()) and len(restricted_dirs) >= len(list_queries())
    canaries = all_canaries()
    public_files = _files(real, f"{QUERY_CACHE}-public-*")
    assert len(public_files) == 2 * len(public_dirs)
    for path in public_files:
        found = leaks(path.read_text(encoding="utf-8"), canaries)
        assert not found, f"{path} holds restricted data: {sorted(found)}"
    restricted = "".join(
        p.read_text(encoding="utf-8") for p in _files(real, f"{QUERY_CACHE}-restricted-*")
    )
    assert len(leaks(restricted, canaries)) >= 5  # the restricted answers do hold them
    with CaseStore.open(real, public=True) as store:
        assert build_named_query_rows(store) is False  # all kept: nothing built again


def _kept_dir(store_path: Path, name: str) -> Path:
    (found,) = store_path.glob(f"derived/*/{QUERY_CACHE}-public-{name}-all-*")
    return found


@pytest.mark.parametrize("damage", ["flip", "truncate", "manifest", "rows-count", "missing"])
def test_a_damaged_answer_is_rebuilt_never_trusted(
    generated: tuple[Path, dict[str, str]], damage: str
) -> None:
    """A kept answer whose rows or manifest changed is deleted and built again: the page is
    still the query's own."""
    path, _ = generated
    name = "single-source-facts"
    with CaseStore.open(path, public=True) as store:
        good = _written(store, name, {}, "csv")
        directory = _kept_dir(path, name)
        rows, manifest = directory / "rows.jsonl", directory / "manifest.json"
        if damage == "flip":
            data = bytearray(rows.read_bytes())
            data[len(data) // 2] ^= 0x01
            rows.write_bytes(bytes(data))
        elif damage == "truncate":
            rows.write_bytes(rows.read_bytes()[:-40])
        elif damage == "manifest":
            manifest.write_text("{not json", encoding="utf-8")
        elif damage == "rows-count":
            fields = json.loads(manifest.read_text(encoding="utf-8"))
            manifest.write_text(json.dumps(fields | {"rows": fields["rows"] - 1}))
        else:
            rows.unlink()
        before = _builds()
        assert _written(store, name, {}, "csv") == good
        assert _builds() == before + 1
        assert _written(store, name, {}, "csv") == good
        assert _builds() == before + 1


def test_binding_combinations_kept_are_bounded(real: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_BOUND binding combinations of one query, a bound query runs uncached (and
    answers the same); its unbound form is kept regardless."""
    monkeypatch.setattr(query_cache, "MAX_BOUND", 2)
    name = "corroborated-facts"
    with CaseStore.open(real, public=True) as store:
        answers = {}
        for value in ("1", "2", "3", "4"):
            prepared = prepare(name, {"min": value})
            columns, rows = store.select(prepared.text, prepared.bindings)
            answers[value] = _written(store, name, {"min": value}, "json")
            assert answers[value] == format_rows(columns, rows, "json") + "\n"
        kept = list(real.glob(f"derived/*/{QUERY_CACHE}-public-{name}-bound-*"))
        assert len(kept) == 2
        assert answers["1"] != answers["3"]  # the bindings mattered
        _written(store, name, {}, "json")
        assert len(list(real.glob(f"derived/*/{QUERY_CACHE}-public-{name}-all-*"))) == 1


def test_an_unwritable_store_answers_uncached(
    generated: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the answer cannot be kept (no space, no permission), the query runs as before."""
    path, _ = generated
    name = "supreme-court-outcomes"
    with CaseStore.open(path, public=False) as store:
        expected = _written(store, name, {}, "tsv", offset=3, limit=9)

        def refuse(*_: object, **__: object) -> Path:
            raise PermissionError("read-only file system")

        monkeypatch.setattr(store.disk, "build_derived", refuse)
        monkeypatch.setattr(query_cache, "MAX_BOUND", 0)
        assert _written(store, name, {}, "tsv", offset=3, limit=9) == expected


def test_only_shipped_named_queries_are_kept(real: Path, tmp_path: Path) -> None:
    """A user's own query, text or a .rq file (even a copy of a shipped one, under its name),
    runs uncached: only the shipped named queries' answers are kept."""
    copy = tmp_path / "single-source-facts.rq"
    shutil.copyfile(ROOT / "ontology" / "queries" / "single-source-facts.rq", copy)
    with CaseStore.open(real, public=True) as store:
        before = _builds()
        for query in (str(copy), "SELECT ?s WHERE { ?s a ?o } ORDER BY ?s LIMIT 3"):
            assert _written(store, query, {}, "csv").count("\n") >= 2
        assert _builds() == before


def _run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CASEGRAPH, "--quiet", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_command_pages_from_kept_rows_and_cache_commands_see_them(
    tmp_path: Path, generated: tuple[Path, dict[str, str]]
) -> None:
    """As a user runs it: ``query NAME --limit/--offset`` gives the query's own slice and
    header, ``cache info`` lists the kept answer by scope, ``cache clear`` removes it."""
    store_path = tmp_path / "store"
    shutil.copytree(generated[0], store_path, symlinks=True)
    shutil.rmtree(store_path / "derived", ignore_errors=True)
    name = "corroborated-facts"
    with CaseStore.open(store_path, public=True) as store:
        prepared = prepare(name)
        columns, rows = store.select(prepared.text, prepared.bindings)
    assert len(rows) > 60
    whole = format_rows(columns, rows, "csv").splitlines()
    page = _run(store_path, "query", name, "--format", "csv", "--offset", "48", "--limit", "5")
    assert page.returncode == 0, page.stderr
    assert page.stdout.splitlines() == [whole[0], *whole[49:54]]
    table = _run(store_path, "query", name)
    assert table.stdout.splitlines()[-1] == table_note(TABLE_ROWS, 0, len(rows))
    restricted = _run(store_path, "query", name, "--include-restricted", "--limit", "2")
    assert restricted.returncode == 0, restricted.stderr
    info = _run(store_path, "cache", "info", "--format", "json")
    kept = [r for r in json.loads(info.stdout) if r["name"].startswith(QUERY_CACHE)]
    assert sorted(r["scope"] for r in kept) == ["public", "restricted"]
    assert all(r["files"] == 2 and r["bytes"] > 0 for r in kept)
    cleared = _run(store_path, "cache", "clear")
    assert cleared.returncode == 0, cleared.stderr
    assert not list(store_path.glob(f"derived/*/{QUERY_CACHE}-*"))


@pytest.fixture(autouse=True)
def _no_leftover_scratch(real: Path) -> Iterator[None]:
    """No half-built answer is left behind by any test."""
    yield
    assert not list(real.glob(f"derived/*/.{QUERY_CACHE}-*"))
