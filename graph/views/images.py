"""PNG, SVG and PDF of the HTML pages casegraph writes (network views, timelines), drawn in headless
Chromium with every request blocked.

The page is written to a private temporary folder and opened from there; every request other than
that one file is aborted (the pages need none: their scripts are inlined). Once the page's own
"ready" test passes and two animation frames have gone by (the layout has settled), a PNG is a
full-page screenshot and a PDF is Chromium's print of the page, caption and source note included.
An SVG is written in Python from what the page reports (see :mod:`graph.views.svg`): the nodes and
edges of a network view with their positions, or the boxes and texts of a timeline.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from graph.errors import CasegraphError
from graph.options import BadOption
from graph.outputs import atomic_output, write_text_atomic

__all__ = [
    "CHROMIUM",
    "IMAGE_SUFFIXES",
    "PAGE_SUFFIXES",
    "page_suffix",
    "view_note",
    "write_page",
    "write_view",
]

CHROMIUM = Path("/usr/bin/chromium")
IMAGE_SUFFIXES = frozenset({".png", ".svg", ".pdf"})
#: What a page (view or timeline) can be written as.
PAGE_SUFFIXES = frozenset({".html", ".htm"}) | IMAGE_SUFFIXES
_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: The test each kind of page passes once it has drawn.
READY = {
    "view": "() => window.cgNetwork !== undefined",
    "timeline": "() => window.cgTimelineReady === true",
}
#: How many times (every 50 ms) the test is tried before giving up: a hang guard of 60 s.
_TRIES = 1200
_SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))"


def page_suffix(path: Path, option: str = "--output") -> str:
    """The suffix of ``path`` if a page can be written as it; :class:`BadOption` otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in PAGE_SUFFIXES:
        raise BadOption(
            f"{option} {path}: cannot tell what to write from '{suffix or 'no suffix'}'; "
            "end the name in .html, .png, .svg or .pdf"
        )
    return suffix


def _playwright() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        raise CasegraphError(
            "PNG, SVG and PDF output draws the page in headless Chromium through Playwright, "
            "which is not installed: Playwright is a development extra (pip install -e '.[dev]'), "
            "and 'make browser' installs Debian's chromium; or write .html and print it yourself"
        ) from None
    if not CHROMIUM.exists():
        raise CasegraphError(
            f"PNG, SVG and PDF output needs Debian's chromium at {CHROMIUM}: run 'make browser'"
        )
    return sync_api


_NOTE = """note => {
  const footer = document.createElement("footer");
  footer.id = "cg-export-note";
  footer.textContent = note;
  footer.style.padding = ".3em .8em";
  footer.style.fontSize = "12px";
  footer.style.borderTop = "1px solid #ddd";
  document.body.appendChild(footer);
}"""


def _render(html: str, kind: str, target: Path, suffix: str, note: str = "") -> None:
    sync_api = _playwright()
    with tempfile.TemporaryDirectory(prefix="casegraph-page-") as folder:
        page_file = Path(folder) / "page.html"
        page_file.write_text(html, encoding="utf-8")
        url = page_file.as_uri()
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=_ARGS
            )
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url == url else route.abort(),
                )
                page.goto(url)
                _wait(page, READY[kind])
                if note:
                    page.evaluate(_NOTE, note)
                page.evaluate(_SETTLED)
                _save(page, kind, target, suffix)
            finally:
                browser.close()


def _wait(page: Any, ready: str) -> None:
    """Poll the page's ready test from outside (``wait_for_function`` would ``eval`` inside the
    page, which its Content-Security-Policy forbids)."""
    for _ in range(_TRIES):
        if page.evaluate(ready):
            return
        page.wait_for_timeout(50)
    raise CasegraphError("the page did not finish drawing in headless Chromium within 60 s")


def _save(page: Any, kind: str, target: Path, suffix: str) -> None:
    if suffix == ".svg":
        from graph.views.svg import network_svg, timeline_svg

        draw = network_svg if kind == "view" else timeline_svg
        write_text_atomic(target, draw(page))
        return
    with atomic_output(target) as temporary:
        if suffix == ".png":
            page.screenshot(path=str(temporary), type="png", full_page=True)
        else:
            page.emulate_media(media="screen")
            page.pdf(path=str(temporary), print_background=True, landscape=True, format="A4")


def write_page(html: str, kind: str, target: Path) -> Path:
    """Write a page as its HTML, or as PNG, SVG or PDF drawn in Chromium, by ``target``'s suffix."""
    suffix = page_suffix(target)
    if suffix in IMAGE_SUFFIXES:
        _render(html, kind, Path(target), suffix)
    else:
        write_text_atomic(Path(target), html)
    return Path(target)


def view_note(view: dict[str, Any]) -> str:
    """The source note of a network view: what it reads, and how many sources back what it shows."""
    cited = {
        str(source.get("id") or source.get("title"))
        for entry in [*view.get("nodes", []), *view.get("edges", [])]
        for source in entry.get("sources", [])
        if isinstance(source, dict)
    }
    return f"Source: casegraph network view; public records only; {len(cited)} source(s) cited."


def write_view(view: dict[str, Any], target: Path, physics: bool = False) -> Path:
    """A network view as HTML, or (``.png``, ``.svg``, ``.pdf``) as an image drawn in Chromium;
    any other suffix writes HTML, as ``view -o`` always has."""
    from graph.views.render import render_html

    html = render_html(view, physics)
    if Path(target).suffix.lower() in IMAGE_SUFFIXES:
        _render(html, "view", Path(target), Path(target).suffix.lower(), view_note(view))
        return Path(target)
    return write_text_atomic(Path(target), html)
