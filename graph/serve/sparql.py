"""The SPARQL 1.1 Protocol endpoint (``/sparql``) and the named queries (``/queries/NAME``).

Query by GET (``?query=``), by POST of a form (``query=``) or of the query itself
(``application/sparql-query``). Updates are refused with 403 (``update=`` and
``application/sparql-update`` included); a dataset given in the request (``default-graph-uri``,
``named-graph-uri``) with 400: the dataset is the store. GET without a query describes the
service. Parameters named ``format`` pick the answer's format; ``output`` and ``results``, which
some clients repeat, are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from graph.query_guard import MAX_QUERY_CHARS
from graph.sandbox import Answer
from graph.serve.access import is_trusted
from graph.serve.formats import NotAcceptable, choose, graph_body, results_body
from graph.serve.running import QueryProblem, run_named, run_text

__all__ = ["answer_response", "named_endpoint", "problem", "sparql_endpoint", "wants_html"]

_CLIENT_ECHO = {"format", "output", "results"}
_DATASET = ("default-graph-uri", "named-graph-uri")
_MAX_BODY = 4 * MAX_QUERY_CHARS  # UTF-8 bytes of the longest query the guard accepts
_FORM = "application/x-www-form-urlencoded"


def problem(status: int, message: str) -> Response:
    """A refusal or failure as plain text (what SPARQL clients show)."""
    return PlainTextResponse(message + "\n", status_code=status)


def wants_html(request: Request) -> bool:
    """Whether a browser asks (HTML first in Accept, and no ``?format=``)."""
    accept = request.headers.get("accept", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first == "text/html" and "format" not in request.query_params


def answer_response(answer: Answer, request: Request, name: str = "results") -> Response:
    """An answer in the format the request asks for (``?format=`` or Accept)."""
    fmt = choose(answer.kind, request.headers.get("accept"), request.query_params.get("format"))
    body = graph_body(answer.graph, fmt) if answer.graph is not None else results_body(answer, fmt)
    headers = {}
    if "format" in request.query_params and "download" in request.query_params:
        headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt.name}"'
    return Response(body, media_type=f"{fmt.media_type}; charset=utf-8", headers=headers)


async def _body(request: Request) -> str:
    size, parts = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > _MAX_BODY:
            raise QueryProblem(413, f"the request is larger than {_MAX_BODY:,} bytes")
        parts.append(chunk)
    try:
        return b"".join(parts).decode("utf-8")
    except UnicodeDecodeError:
        raise QueryProblem(400, "the request body is not UTF-8 text") from None


async def _request_query(request: Request) -> tuple[str | None, Mapping[str, str]]:
    """The query text of a protocol request and its other parameters."""
    params: dict[str, str] = dict(request.query_params)
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            raise QueryProblem(403, "updates are refused: this endpoint is read-only")
        text = await _body(request)
        if kind == "application/sparql-query":
            return text, params
        if kind != _FORM:
            raise QueryProblem(415, f"POST a form ({_FORM}) or application/sparql-query")
        from urllib.parse import parse_qsl

        params.update(parse_qsl(text, keep_blank_values=True))
    if "update" in params:
        raise QueryProblem(403, "updates are refused: this endpoint is read-only")
    return params.get("query"), params


async def sparql_endpoint(request: Request) -> Response:
    """``/sparql``: the SPARQL 1.1 Protocol, read-only, on what the request may read."""
    from graph.serve.description import service_description

    state = request.app.state
    try:
        text, params = await _request_query(request)
        if any(key in params for key in _DATASET):
            raise QueryProblem(
                400, "default-graph-uri and named-graph-uri are refused: the dataset is the store"
            )
        if text is None:
            if request.method == "GET" and wants_html(request):
                from graph.serve.query_pages import sparql_page

                return await sparql_page(request)
            graph = service_description(
                str(request.url.replace(query="")), not is_trusted(request, state.settings)
            )
            fmt = choose("triples", request.headers.get("accept"), params.get("format"))
            return Response(graph_body(graph, fmt), media_type=f"{fmt.media_type}; charset=utf-8")
        if not text.strip():
            raise QueryProblem(400, "the query is empty")
        trusted = is_trusted(request, state.settings)
        answer = await run_text(state.settings, state.limiter, trusted, text)
        return answer_response(answer, request, "query")
    except QueryProblem as error:
        return problem(error.status, error.message)
    except NotAcceptable as error:
        return problem(406, str(error))


async def named_endpoint(request: Request) -> Response:
    """``/queries/NAME?param=value``: a named query, its parameters by name or record id."""
    name = request.path_params["name"]
    if wants_html(request):
        from graph.serve.query_pages import named_query_page

        return await named_query_page(request)
    state = request.app.state
    skip = _CLIENT_ECHO | {"download"}
    params = {k: v for k, v in request.query_params.items() if k not in skip and v.strip()}
    try:
        trusted = is_trusted(request, state.settings)
        answer = await run_named(state.settings, state.limiter, trusted, name, params)
        return answer_response(answer, request, name)
    except QueryProblem as error:
        status = 404 if error.message.startswith("no named query") else error.status
        return problem(status, error.message)
    except NotAcceptable as error:
        return problem(406, str(error))
