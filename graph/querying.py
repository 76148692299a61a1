"""Running a user's query on a store, in the query sandbox, and formatting the answer."""

from __future__ import annotations

from itertools import islice
from typing import TextIO

from graph.queries import PreparedQuery, prepare
from graph.results import PREFIXES, format_rows
from graph.sandbox import DEFAULT_TIMEOUT, Answer, run_sandboxed
from graph.store import CaseStore

__all__ = ["TABLE_ROWS", "record_parameters", "run_prepared", "run_query", "write_query"]

#: Rows a table shows when no --limit is given: a screenful, with a note saying how many there are.
TABLE_ROWS = 50


def run_prepared(
    store: CaseStore,
    prepared: PreparedQuery,
    timeout: float | None = DEFAULT_TIMEOUT,
    where: str = "the query",
) -> Answer:
    """Run a checked query on the store's current version in a sandbox worker (no network, time
    and memory limits); the store stays held for the worker while it runs."""
    if prepared.source is not None:
        where = str(prepared.source.path)
    return run_sandboxed(store.engine_dir(), prepared.text, prepared.bindings, timeout, where=where)


def record_parameters(
    store: CaseStore, text_or_name: str, params: dict[str, str]
) -> dict[str, str]:
    """``params`` with the value of each record parameter (``type id``) of a named query made a
    record id: a name in any spelling is looked up as ``show`` does; one that names nothing is a
    usage error naming the parameter, with close matches. Runs before the sandbox (it needs the
    store's lookup), so the query itself only ever receives an id."""
    from graph.errors import CasegraphError
    from graph.lookup import find_entity
    from graph.namespaces import ID
    from graph.options import BadOption
    from graph.queries import is_query_name, named_query

    if not params or not is_query_name(text_or_name):
        return params
    resolved = dict(params)
    for param in named_query(text_or_name).parameters:
        value = params.get(param.name)
        if param.type != "id" or value is None or store.has_record(value):
            continue
        if not value.strip():
            raise BadOption(f"--param {param.name}: the value is empty; give a name or a record id")
        try:
            resolved[param.name] = str(find_entity(store, value)).removeprefix(str(ID))
        except CasegraphError as error:
            raise BadOption(f"--param {param.name}: {error}") from None
    return resolved


def run_query(
    store: CaseStore,
    text_or_name: str,
    params: dict[str, str] | None = None,
    fmt: str = "table",
    timeout: float | None = DEFAULT_TIMEOUT,
) -> str:
    """Check, bind and run a query; SELECT as a table/CSV/TSV/JSON, ASK as true/false, graphs as Turtle.

    The query runs in a worker process without network access, stopped after ``timeout``
    seconds (None: no limit); see :mod:`graph.sandbox`.
    """
    params = record_parameters(store, text_or_name, params or {})
    answer = run_prepared(store, prepare(text_or_name, params), timeout)
    if answer.graph is not None:
        for prefix, namespace in PREFIXES.items():
            answer.graph.bind(prefix, namespace, override=True)
        return answer.graph.serialize(format="turtle")
    if answer.kind == "boolean":
        return "true" if answer.boolean else "false"
    return format_rows(answer.columns, answer.rows, fmt)


def write_query(
    store: CaseStore,
    text_or_name: str,
    params: dict[str, str] | None,
    fmt: str,
    out: TextIO,
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> None:
    """Check, bind and run a query, writing its answer to ``out`` as it comes.

    A SELECT's rows stream out of the sandbox: CSV, TSV and JSON a row at a time (all of them,
    or ``limit`` from ``offset``); a table shows ``limit`` rows (:data:`TABLE_ROWS` unless told),
    as soon as they are found, then a note with how many rows the answer has. Paging is done by
    the worker as it reads the engine's solutions, never by editing the query. ASK answers
    true/false and graphs come as Turtle, whole (they take no ``limit`` or ``offset``). A named
    SELECT's whole answer is kept per store version (:mod:`graph.query_cache`), and pages are
    read from it.
    """
    from graph.errors import QueryInterrupted
    from graph.options import BadOption
    from graph.query_cache import cached_answer
    from graph.result_writers import table_note, write_rows, write_table
    from graph.sandbox_stream import stream_sandboxed

    params = record_parameters(store, text_or_name, params or {})
    prepared = prepare(text_or_name, params)
    if prepared.form != "SELECT":
        if limit is not None or offset:
            raise BadOption(
                f"--limit and --offset page the rows of a SELECT query; this is {prepared.form}"
            )
        out.write(run_query(store, text_or_name, params, fmt, timeout) + "\n")
        return
    where = str(prepared.source.path) if prepared.source is not None else "the query"
    table = fmt == "table"
    page = TABLE_ROWS if table and limit is None else limit
    try:
        with cached_answer(store, prepared, timeout, where) as kept:  # a named query's answer
            if kept is not None:
                if not table:
                    write_rows(kept.columns, kept.rows(offset, limit), fmt, out)
                    return
                rows = list(kept.rows(offset, page))
                write_table(kept.columns, rows, out)
                out.write(table_note(len(rows), offset, kept.total) + "\n")
                return
        with stream_sandboxed(
            store.engine_dir(),
            prepared.text,
            prepared.bindings,
            timeout,
            offset=offset,
            limit=page,
            count=table,
            where=where,
        ) as stream:
            if not table:
                write_rows(stream.columns, stream, fmt, out)
                return
            rows = list(islice(stream, page))
            write_table(stream.columns, rows, out)  # the page is out before the rest is counted
            for _ in stream:
                pass
            out.write(table_note(len(rows), offset, stream.total) + "\n")
    except KeyboardInterrupt:  # while rows were being written out: the worker is stopped
        raise QueryInterrupted("interrupted: the query was stopped") from None
