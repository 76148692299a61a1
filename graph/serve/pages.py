"""The pages: home (the store's summary), search, an entity's dossier (and its ego view), the
event finder and the accountability reports. Server-rendered, no script; every table also
downloads as CSV and JSON (``?format=csv`` / ``?format=json``)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from graph.errors import CasegraphError
from graph.serve.rendering import download, off_loop, render, text_cell, wants_download

__all__ = ["entity", "entity_view", "error_page", "events", "home", "report", "search"]

#: The report's columns, as ``casegraph report`` prints them.
REPORT_COLUMNS = (
    "label", "includes", "defendants", "death_sentences", "death_sentence_count", "executions",
    "charges", "supreme_court", "contested", "sources", "independent_sources",
)  # fmt: skip
_REPORTS = {"judge": "Judges", "court": "Courts and their branches"}


async def error_page(request: Request, status: int, message: str) -> Response:
    """A plain page saying what went wrong (the message is escaped like everything else)."""
    return render(request, "error.html", status=status, status_code=status, message=message)


def _refused(request: Request, error: CasegraphError) -> Response:
    text = str(error)
    status = 404 if text.startswith("no entity") else 400
    return render(request, "error.html", status=status, status_code=status, message=text)


async def home(request: Request) -> Response:
    """The store's summary (:func:`graph.stats.stats`)."""
    from graph.stats import stats

    figures = await off_loop(request, stats)
    tables = [("Summary", figures.summary), ("Records by class", figures.classes)]
    tables.append(("Events by type", figures.events))
    fmt = wants_download(request)
    if fmt:
        rows = [(title, label, count) for title, table in tables for label, count in table.items()]
        return download(fmt, "summary", ("table", "label", "count"), rows)
    return render(request, "home.html", tables=tables)


async def search(request: Request) -> Response:
    """Entities by any spelling of a name (Persian letter forms folded), best first."""
    from graph.lookup import search_page

    text = request.query_params.get("q", "").strip()
    if not text:
        return render(request, "search.html", q="", page=None)
    try:
        page = await off_loop(request, lambda store: search_page(store, text, limit=100))
    except CasegraphError as error:
        return _refused(request, error)
    fmt = wants_download(request)
    if fmt:
        rows = [(m.record_id, m.name, m.type) for m in page.matches]
        return download(fmt, "search", ("id", "name", "type"), rows)
    return render(request, "search.html", q=text, page=page)


def _plain(value: Any) -> Any:
    """The dossier model as plain data (whatever its dataclasses are, now or later)."""
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else asdict(value)


async def entity(request: Request) -> Response:
    """The dossier of one record (:func:`graph.dossier.dossier`), rendered from its model."""
    from graph.dossier import dossier

    rid = request.path_params["rid"]
    try:
        found = await off_loop(request, lambda store: dossier(store, rid))
    except CasegraphError as error:
        return _refused(request, error)
    data = _plain(found)
    if request.query_params.get("format") == "json":
        return JSONResponse(data)
    return render(request, "entity.html", rid=rid, data=data, dossier=found)


async def entity_view(request: Request) -> Response:
    """The ego view of a record (one hop), the offline HTML of ``casegraph view --focus``.

    Shown in a sandboxed frame: its own inline script may run there, and nothing else (it
    fetches nothing, and the frame cannot reach the page around it)."""
    from graph.network.build import NetworkSpec
    from graph.serve.access import is_trusted
    from graph.views.page import ViewRequest, view_page

    rid = request.path_params["rid"]
    spec = NetworkSpec(include_restricted=is_trusted(request, request.app.state.settings))
    try:
        html = await off_loop(request, lambda store: view_page(store, spec, ViewRequest(rid)))
    except CasegraphError as error:
        return _refused(request, error)
    policy = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; frame-ancestors 'self'; sandbox allow-scripts"
    )
    return HTMLResponse(html, headers={"content-security-policy": policy})


def _filters(request: Request) -> Any:
    from graph.events import EventFilters

    values: dict[str, Any] = {}
    for item in fields(EventFilters):
        given = request.query_params.get(item.name, "").strip()
        if item.type in (bool, "bool"):
            values[item.name] = given in ("1", "on", "true", "yes")
        elif given:
            values[item.name] = given
    return EventFilters(**values)


async def events(request: Request) -> Response:
    """The event finder: a form of filters (vocabulary ones as lists), the events found, and
    their facets (how many per court, judge, prison, protest, type), each a link that narrows."""
    from graph.events import COLUMNS, find_events
    from graph.serve.facets import facets, form_fields

    filters = _filters(request)
    asked = any(v for k, v in request.query_params.items() if k != "format")
    table = None
    if asked:
        try:
            table = await off_loop(request, lambda store: find_events(store, filters))
        except CasegraphError as error:
            return _refused(request, error)
    fmt = wants_download(request)
    if fmt and table is not None:
        body = table.to_csv() if fmt == "csv" else table.to_json()
        media = "text/csv" if fmt == "csv" else "application/json"
        headers = {"Content-Disposition": f'attachment; filename="events.{fmt}"'}
        return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)
    shown = [c for c in COLUMNS if table and any(row[c] for row in table.rows)]
    rows = [[text_cell(row[c], c == "event") for c in shown] for row in table.rows] if table else []
    return render(
        request,
        "events.html",
        fields=form_fields(filters),
        table=table,
        columns=shown,
        rows=rows,
        facets=facets(request, table) if table else [],
        query=str(request.url.query),
    )


async def report(request: Request) -> Response:
    """The accountability report of judges or of courts (``casegraph report``)."""
    from graph.network.build import NetworkSpec
    from graph.network.results import report_rows
    from graph.serve.access import is_trusted

    kind = request.path_params["kind"]
    if kind not in _REPORTS:
        return await error_page(request, 404, "Reports: /reports/judge or /reports/court.")
    spec = NetworkSpec(include_restricted=is_trusted(request, request.app.state.settings))
    rows = await off_loop(request, lambda store: report_rows(store, spec, kind))

    def shown(value: Any) -> str:
        if isinstance(value, list | tuple | set):
            return "; ".join(str(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        return "" if value is None else str(value)

    table = [[shown(row.get(c)) for c in REPORT_COLUMNS] for row in rows]
    fmt = wants_download(request)
    if fmt:
        return download(fmt, f"report-{kind}", REPORT_COLUMNS, table)
    cells = [[text_cell(v) for v in row] for row in table]
    return render(
        request, "report.html", title=_REPORTS[kind], kind=kind, columns=REPORT_COLUMNS, rows=cells
    )
