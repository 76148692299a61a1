"""The query pages: the named queries as forms (``/queries``, ``/queries/NAME`` in a browser) and
the ad-hoc SPARQL page (``/query``), with results as tables linking entities. The downloads are
the endpoints' own answers (``?format=csv`` / ``?format=json``)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from graph.serve.rendering import off_loop, render, term_cell
from graph.serve.running import QueryProblem, run_named, run_text
from graph.store import CaseStore

__all__ = ["named_query_page", "query_list", "sparql_page"]

#: The most rows a page shows (the downloads have them all).
MAX_SHOWN = 2000


def _table(answer: object) -> dict[str, object]:
    """What the results template shows of an answer."""
    from graph.serve.formats import Format, graph_body

    kind = getattr(answer, "kind", "")
    if getattr(answer, "graph", None) is not None:
        graph = answer.graph  # type: ignore[attr-defined]
        return {"kind": kind, "turtle": graph_body(graph, Format("turtle", "text/turtle"))}
    if kind == "boolean":
        return {"kind": kind, "boolean": answer.boolean}  # type: ignore[attr-defined]
    columns = answer.columns  # type: ignore[attr-defined]
    rows = answer.rows  # type: ignore[attr-defined]
    cells = [[term_cell(row.get(c)) for c in columns] for row in rows[:MAX_SHOWN]]
    return {"kind": kind, "columns": columns, "rows": cells, "total": len(rows)}


async def query_list(request: Request) -> Response:
    """Every named query, with its purpose and parameters."""
    from graph.queries import list_queries

    return render(request, "queries.html", queries=list_queries())


async def named_query_page(request: Request) -> Response:
    """A named query as a form, one field per parameter (a name in any spelling where a record
    is expected); its results below once asked (``run`` or any parameter given)."""
    from graph.errors import CasegraphError
    from graph.queries import named_query

    name = request.path_params["name"]
    try:
        query = named_query(name)
    except CasegraphError as error:
        return render(request, "error.html", status=404, status_code=404, message=str(error))
    given = {p.name: request.query_params.get(p.name, "").strip() for p in query.parameters}
    params = {k: v for k, v in given.items() if v}
    asked = bool(params) or "run" in request.query_params
    result, problem, status = None, None, 200
    if asked:
        state = request.app.state
        from graph.serve.access import is_trusted

        try:
            trusted = is_trusted(request, state.settings)
            answer = await run_named(state.settings, state.limiter, trusted, name, params)
            result = _table(answer)
        except QueryProblem as error:
            problem, status = error.message, error.status
    names: list[str] = []
    if any(p.type == "id" for p in query.parameters):
        names = await off_loop(request, _entity_names)
    links = {
        fmt: f"/queries/{name}?" + urlencode({**params, "format": fmt, "download": "1"})
        for fmt in ("csv", "json")
    }
    return render(
        request,
        "query.html",
        status=status,
        query=query,
        given=given,
        result=result,
        problem=problem,
        links=links,
        names=names,
    )


def _entity_names(store: CaseStore) -> list[str]:
    """Every entity's name, for the suggestions of a parameter that takes a record."""
    from graph.resources import internal_query

    _, rows = store.select(internal_query("all-keys"))
    return sorted({str(row["name"]) for row in rows})


async def sparql_page(request: Request) -> Response:
    """A SPARQL query typed in a form; its results as a table (``/query?query=...``)."""
    text = request.query_params.get("query", "")
    result, problem, status = None, None, 200
    if text.strip():
        state = request.app.state
        from graph.serve.access import is_trusted

        try:
            trusted = is_trusted(request, state.settings)
            result = _table(await run_text(state.settings, state.limiter, trusted, text))
        except QueryProblem as error:
            problem, status = error.message, error.status
    links = {
        fmt: "/sparql?" + urlencode({"query": text, "format": fmt, "download": "1"})
        for fmt in ("csv", "json")
    }
    return render(
        request,
        "sparql.html",
        status=status,
        text=text,
        result=result,
        problem=problem,
        links=links,
    )
