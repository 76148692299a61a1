"""Rendering for the pages: the Jinja2 environment (autoescape always on), table cells that link
to entity pages, CSV/JSON downloads of any table, and running library calls off the event loop."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from graph.serve.access import is_trusted, open_version
from graph.store import CaseStore

__all__ = ["Cell", "download", "off_loop", "render", "term_cell", "text_cell", "wants_download"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Letters of the Arabic script (Persian among them) and Hebrew: such text is shown right to left.
_RTL = re.compile(
    r"[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]"
)
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_RECORD_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
T = TypeVar("T")


def text_dir(text: object) -> str:
    """``rtl`` for text in a right-to-left script (Persian names), else ``ltr``."""
    return "rtl" if _RTL.search(str(text)) else "ltr"


def text_lang(text: object) -> str:
    """``fa`` for text in the Arabic script (the data's Persian spellings), else empty."""
    return "fa" if _ARABIC_SCRIPT.search(str(text)) else ""


@cache
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True)
    environment.filters["textdir"] = text_dir
    environment.filters["textlang"] = text_lang
    environment.tests["record_id"] = lambda value: (
        isinstance(value, str) and bool(_RECORD_ID.match(value))
    )
    return environment


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from ``templates/`` (every value escaped)."""
    page = _environment().get_template(template)
    trusted = is_trusted(request, request.app.state.settings)
    html = page.render(request=request, trusted=trusted, **context)
    return HTMLResponse(html, status_code=status)


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and the entity page it links to (if any)."""

    text: str
    href: str | None = None


def term_cell(term: object) -> Cell:
    """A query result's term as a cell: a record links to its page."""
    from rdflib import URIRef

    from graph.namespaces import ID
    from graph.results import short

    if term is None:
        return Cell("")
    if isinstance(term, URIRef) and str(term).startswith(str(ID)):
        rid = str(term)[len(str(ID)) :]
        return Cell(rid, f"/entity/{rid}")
    return Cell(short(term))  # type: ignore[arg-type]


def text_cell(text: object, link: bool = False) -> Cell:
    """A plain value as a cell; with ``link``, a record id links to its page."""
    value = "" if text is None else str(text)
    if link and _RECORD_ID.match(value):
        return Cell(value, f"/entity/{value}")
    return Cell(value)


def wants_download(request: Request) -> str | None:
    """``csv`` or ``json`` when the request asks for the table as a file."""
    fmt = request.query_params.get("format", "")
    return fmt if fmt in ("csv", "json") else None


def download(
    fmt: str, name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> Response:
    """A table as a CSV file (every cell spreadsheet-safe) or a JSON list of objects."""
    from graph.outputs import csv_text

    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if fmt == "csv":
        body, media = csv_text([list(columns), *cells]), "text/csv"
    else:
        records = [dict(zip(columns, row, strict=True)) for row in cells]
        body, media = json.dumps(records, ensure_ascii=False, indent=2), "application/json"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)


async def off_loop(request: Request, work: Callable[[CaseStore], T]) -> T:
    """``work(store)`` in a worker thread, on the store version (public view unless the request
    carries the token) current when it starts."""
    state = request.app.state
    trusted = is_trusted(request, state.settings)

    def call() -> T:
        with open_version(state.settings, trusted) as store:
            return work(store)

    return await anyio.to_thread.run_sync(call, limiter=state.pages)
