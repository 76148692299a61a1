"""Render timeline data (plain dicts, see :mod:`graph.views.timeline_data`) into one self-contained,
offline, script-safe HTML page drawn by vis-timeline.

vis-timeline is vendored (``graph/views/vendor/``, pinned, with its licence) and inlined: the page
makes no request, and a Content-Security-Policy forbids every request and every script without the
page's nonce. Texts from the data reach the page only as JSON with ``<``, ``>``, ``&`` escaped
(:func:`graph.views.render.script_json`) or through Jinja's autoescaping, and the page's script
writes them with ``textContent``: vis-timeline's ``content`` and ``title`` (HTML) are never set.
"""

from __future__ import annotations

import secrets
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from graph.outputs import write_text_atomic

__all__ = ["VIS_TIMELINE_VERSION", "render_timeline", "vendored", "write_timeline"]

#: The pinned version of vis-timeline; its files and their sha256 are listed in vendor/README.md.
VIS_TIMELINE_VERSION = "8.5.4"
_VENDOR = "vendor/vis-timeline"


def vendored(name: str) -> str:
    """A vendored vis-timeline file as text, refused if it could close the tag it is inlined in."""
    text = (files("graph.views") / _VENDOR / name).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered or "</style" in lowered:
        raise RuntimeError(f"the vendored {name} cannot be inlined safely")
    return text


def render_timeline(data: dict[str, Any]) -> str:
    """The HTML page of a timeline."""
    from graph.views.render import script_json

    env = Environment(
        loader=PackageLoader("graph.views", "."), autoescape=select_autoescape(["html"])
    )
    env.filters["script_json"] = script_json
    page = {k: data[k] for k in ("items", "groups", "undated", "subject")}
    return env.get_template("timeline.html").render(
        title=data["title"],
        caption=data["caption"],
        restricted=data["restricted"],
        source_note=data["source_note"],
        undated_count=len(data["undated"]),
        data=page,
        nonce=secrets.token_urlsafe(18),
        vis_css=vendored("vis-timeline-graph2d.min.css"),
        vis_js=vendored("vis-timeline-graph2d.min.js"),
        page_js=(files("graph.views") / "timeline.js").read_text(encoding="utf-8"),
    )


def write_timeline(data: dict[str, Any], path: Path) -> Path:
    """Write the page of a timeline to ``path``, whole or not at all; returns the path."""
    return write_text_atomic(Path(path), render_timeline(data))
