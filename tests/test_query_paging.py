"""`casegraph query --limit/--offset` pages, and CSV, TSV and JSON stream: on a real store (the
benchmark generator's tiny size), through the real query worker and the real command.

A page is exactly that slice of the whole answer, for every named query; a streamed answer is,
byte for byte, what the whole answer formatted at once is; a table shows a screenful and says how
many rows there are; the worker's rows arrive while it is still running, and it is stopped when
the reader stops.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from benchmarks.tasks import PARAMETERS
from graph.errors import CasegraphError
from graph.queries import list_queries, prepare
from graph.querying import TABLE_ROWS, run_query, write_query
from graph.result_writers import table_note
from graph.results import format_rows
from graph.sandbox_stream import stream_sandboxed
from graph.store import CaseStore

CASEGRAPH = [sys.executable, "-c", "from graph.cli import main; main()"]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A store holding the generator's tiny case files, and the manifest's sample ids."""
    from graph.loading import load_paths

    root = tmp_path_factory.mktemp("paging")
    manifest = generate("tiny", folder=root / "data")
    with CaseStore.open(root / "store") as store:
        load_paths([root / "data" / "cases"], store)
    return root / "store", manifest["sample"]


@pytest.fixture()
def store(loaded: tuple[Path, dict[str, Any]]) -> Iterator[CaseStore]:
    with CaseStore.open(loaded[0], public=True) as opened:
        yield opened


def _params(name: str, sample: dict[str, Any]) -> dict[str, str]:
    (named,) = [q for q in list_queries() if q.name == name]
    return {
        p.name: sample[PARAMETERS.get(p.name, "person_id")] for p in named.parameters if p.required
    }


def _written(store: CaseStore, name: str, params: dict[str, str], fmt: str, **page: Any) -> str:
    out = io.StringIO()
    write_query(store, name, params, fmt, out, **page)
    return out.getvalue()


def _bindings(text: str) -> list[dict[str, Any]]:
    payload = json.loads(text)
    return payload["results"]["bindings"]


def _whole(store: CaseStore, name: str, params: dict[str, str]) -> tuple[list[str], list[Any]]:
    """The whole answer, asked of the store directly (not through the worker)."""
    prepared = prepare(name, params)
    return store.select(prepared.text, prepared.bindings)


def test_every_named_query_pages_exactly_its_slice(
    store: CaseStore, loaded: tuple[Path, dict[str, Any]]
) -> None:
    """--limit/--offset give that slice of the whole answer, for every named query."""
    sizes = {}
    for named in list_queries():
        params = _params(named.name, loaded[1])
        columns, rows = _whole(store, named.name, params)
        whole = _bindings(format_rows(columns, rows, "json"))
        sizes[named.name] = len(whole)
        offset = len(whole) // 3
        page = _bindings(_written(store, named.name, params, "json", limit=3, offset=offset))
        assert page == whole[offset : offset + 3], (named.name, offset)
    assert sum(n > 5 for n in sizes.values()) >= 5, sizes  # the slices were not all empty
    name = max(sizes, key=lambda n: sizes[n])
    whole = _bindings(format_rows(*_whole(store, name, {}), "json"))
    for offset, limit in ((0, 2), (len(whole) - 1, 5), (len(whole), 5), (len(whole) + 7, 1)):
        page = _bindings(_written(store, name, {}, "json", limit=limit, offset=offset))
        assert page == whole[offset : offset + limit], (name, offset, limit)
    assert _bindings(_written(store, name, {}, "json", offset=4)) == whole[4:]
    assert _bindings(_written(store, name, {}, "json", limit=0)) == []


def test_streamed_formats_are_the_whole_answer_formatted_at_once(
    store: CaseStore, loaded: tuple[Path, dict[str, Any]]
) -> None:
    """CSV, TSV and JSON written row by row are byte for byte what format_rows makes of the
    whole answer (JSON as the command printed it before, with its final line break)."""
    biggest = []
    for named in list_queries():
        params = _params(named.name, loaded[1])
        columns, rows = _whole(store, named.name, params)
        streamed = _written(store, named.name, params, "json")
        assert streamed == format_rows(columns, rows, "json") + "\n", named.name
        biggest.append((len(rows), named.name, params))
    for _, name, params in sorted(biggest)[-3:] + sorted(biggest)[:1]:
        columns, rows = _whole(store, name, params)
        for fmt in ("csv", "tsv"):
            assert _written(store, name, params, fmt) == format_rows(columns, rows, fmt), name


def test_a_table_shows_a_screenful_and_says_how_many(store: CaseStore) -> None:
    """Past TABLE_ROWS rows, a table shows the first ones and the total; a short one is whole."""
    text = "SELECT ?s ?o WHERE { ?s a ?o } ORDER BY ?s ?o"
    total = len(store.select(text)[1])
    assert total > TABLE_ROWS
    lines = _written(store, text, {}, "table").splitlines()
    assert len(lines) == 2 + TABLE_ROWS + 1
    assert lines[-1] == (
        f"showing {TABLE_ROWS} of {total:,} rows; use --limit/--offset or --format csv for all"
    )
    paged = _written(store, text, {}, "table", limit=4, offset=10).splitlines()
    assert paged[-1].startswith(f"showing rows 11-14 of {total:,};") and len(paged) == 2 + 4 + 1
    first = _written(store, text, {}, "table").splitlines()
    assert [line.split() for line in paged[2:6]] == [line.split() for line in first[12:16]]
    short = _written(store, text, {}, "table", limit=3, offset=total - 3).splitlines()
    assert short[-1] == f"showing rows {total - 2:,}-{total:,} of {total:,}; " + (
        "use --limit/--offset or --format csv for all"
    )
    whole = _written(store, "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", {}, "table")
    assert whole.splitlines()[-1] == "(3 rows)"
    assert table_note(0, 9, 5).startswith("showing no rows: the answer has 5")


def test_rows_arrive_while_the_worker_runs_and_it_stops_with_the_reader(
    store: CaseStore,
) -> None:
    """The first row is read while the worker is still writing (its answer is far larger than a
    pipe holds); leaving the block early stops it."""
    prepared = prepare("SELECT * WHERE { ?s ?p ?o }")
    with stream_sandboxed(store.engine_dir(), prepared.text, timeout=120) as stream:
        first = next(iter(stream))
        assert set(first) <= set(stream.columns) and first
        assert stream.process.poll() is None  # blocked on the full pipe: not done yet
        process = stream.process
    assert process.poll() is not None


def test_stream_limits_are_messages(store: CaseStore) -> None:
    """The answer-size and time limits hold while streaming, as plain messages."""
    engine = store.engine_dir()
    cases: tuple[tuple[str, dict[str, Any], str], ...] = (
        ("SELECT * WHERE { ?s ?p ?o }", {"max_bytes": 10_000}, "larger than 10,000 bytes"),
        (CARTESIAN, {"timeout": 1}, "time limit of 1 s"),
        ("SELECT * WHERE { ?s ?p ", {}, "the query is not valid SPARQL"),
    )
    for text, limits, message in cases:
        with (
            pytest.raises(CasegraphError, match=message),
            stream_sandboxed(engine, text, **limits) as stream,
        ):
            list(stream)


def _cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CASEGRAPH, "--store", str(store), "query", *args],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only
    )


def test_the_command_pages_streams_and_refuses_bad_values(
    loaded: tuple[Path, dict[str, Any]],
) -> None:
    """The real command: a CSV page, the whole JSON, the table note, and bad values exit 2."""
    path = loaded[0]
    with CaseStore.open(path, public=True) as opened:
        whole = run_query(opened, "single-source-facts", {}, "csv").splitlines()
    assert len(whole) > TABLE_ROWS + 1
    page = _cli(path, "single-source-facts", "-f", "csv", "--limit", "5", "--offset", "3")
    assert page.returncode == 0, page.stderr
    assert page.stdout.splitlines() == [whole[0], *whole[4:9]]
    table = _cli(path, "single-source-facts")
    assert table.returncode == 0, table.stderr
    assert f"showing {TABLE_ROWS} of {len(whole) - 1:,} rows" in table.stdout.splitlines()[-1]
    for bad, option in (
        (["--limit", "-1"], "--limit"),
        (["--offset", "-3"], "--offset"),
        (["--limit", "ten"], "--limit"),
        (["--offset", "1.5"], "--offset"),
    ):
        done = _cli(path, "single-source-facts", *bad)
        assert done.returncode == 2, (bad, done.stderr)
        assert option in done.stderr and "Traceback" not in done.stderr, done.stderr
    ask = _cli(path, "ASK { ?s ?p ?o }", "--limit", "2")
    assert ask.returncode == 2 and "--limit and --offset page the rows of a SELECT" in ask.stderr
    assert _cli(path, "ASK { ?s ?p ?o }").stdout == "true\n"
