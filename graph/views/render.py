"""Render view data (plain dicts) into one self-contained, offline, script-safe HTML file via pyvis.

pyvis builds the vis-network node and edge options; the page comes from our own template, because
pyvis's template loads Bootstrap from a CDN and writes some values unescaped. vis-network's JS and
CSS are inlined from the copies shipped inside the pyvis package, and a Content-Security-Policy
forbids every request and every script without the page's nonce. Texts from the data reach the
page only as JSON with ``<``, ``>``, ``&`` escaped, or through Jinja's HTML autoescaping, and the
details panel writes them with ``textContent``: no vis ``title`` (which can be HTML) is ever set.
"""

from __future__ import annotations

import json
import secrets
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

from graph.outputs import write_text_atomic

__all__ = ["STYLES", "render_html", "script_json", "write_html"]

#: Colour and vis-network shape per entity type; unknown types get the fallback.
STYLES: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Court": ("#e15759", "square"),
    "CourtBranch": ("#ff9d9a", "square"),
    "Prison": ("#59595f", "triangle"),
    "Place": ("#9c755f", "triangleDown"),
    "Protest": ("#f28e2b", "star"),
    "Campaign": ("#edc948", "star"),
    "Case": ("#b07aa1", "diamond"),
    "Organisation": ("#76b7b2", "hexagon"),
    "HumanRightsOrganisation": ("#59a14f", "hexagon"),
    "NewsOutlet": ("#8cd17d", "hexagon"),
    "StateBody": ("#d37295", "hexagon"),
    "InternationalBody": ("#499894", "hexagon"),
    "LegalEvent": ("#bab0ac", "dot"),
    "ProtestEvent": ("#ffbe7d", "dot"),
    "CampaignEvent": ("#f1ce63", "dot"),
    "StatementEvent": ("#86bcb6", "dot"),
}
_FALLBACK = ("#cccccc", "dot")
_CONTESTED = "#d62728"
_VIS = "templates/lib/vis-9.1.2"


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` block: no ``</script>``, no ``<!--``.

    >>> script_json({"name": "</script><b>&"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _asset(name: str) -> str:
    text = (files("pyvis") / _VIS / name).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered or "</style" in lowered:
        raise RuntimeError(f"pyvis's {name} cannot be inlined safely")
    return text


def _network(view: dict[str, Any], physics: bool) -> Network:
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    for node in view["nodes"]:
        colour, shape = STYLES.get(node["type"], _FALLBACK)
        border = _CONTESTED if node["contested"] else colour
        net.add_node(
            node["id"],
            label=node["label"][:60] or node["id"],
            shape=shape,
            color={"background": colour, "border": border},
            borderWidth=4 if node["contested"] else 1,
            size=node["size"],
            x=node["x"],
            y=node["y"],
            cgType=node["type"],
        )
    for edge in view["edges"]:
        net.add_edge(
            edge["from"],
            edge["to"],
            id=edge["id"],
            label=edge["label"],
            dashes=edge["contested"],
            color=_CONTESTED if edge["contested"] else "#8a8a8a",
        )
    net.options = {
        "physics": {"enabled": physics, "stabilization": {"enabled": False}},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "edges": {"smooth": False, "font": {"size": 9, "align": "middle"}, "arrows": "to"},
        "nodes": {"font": {"size": 12}},
        "layout": {"improvedLayout": False},
    }
    return net


def _legend(view: dict[str, Any]) -> list[dict[str, Any]]:
    counts: dict[str, tuple[str, int]] = {}
    for node in view["nodes"]:
        label, count = counts.get(node["type"], (node["type_label"], 0))
        counts[node["type"]] = (label, count + 1)
    return [
        {
            "type": t,
            "label": label,
            "count": n,
            "color": STYLES.get(t, _FALLBACK)[0],
            "shape": STYLES.get(t, _FALLBACK)[1],
        }
        for t, (label, n) in sorted(counts.items())
    ]


def render_html(view: dict[str, Any], physics: bool = False) -> str:
    """The HTML page of a view (see :func:`graph.network.viewdata.view_data` for its shape)."""
    net = _network(view, physics)
    nodes, edges, _, _, _, options = net.get_network_data()
    details = {
        "nodes": {
            n["id"]: {k: n[k] for k in ("label", "type_label", "facts", "sources")}
            for n in view["nodes"]
        },
        "edges": {e["id"]: {k: e[k] for k in ("label", "facts", "sources")} for e in view["edges"]},
    }
    env = Environment(
        loader=PackageLoader("graph.views", "."), autoescape=select_autoescape(["html"])
    )
    env.filters["script_json"] = script_json
    return env.get_template("template.html").render(
        title=view.get("title", "casegraph"),
        notice=view.get("notice", ""),
        size_by=view.get("size_by", ""),
        legend=_legend(view),
        contested_colour=_CONTESTED,
        names=sorted({n["label"] for n in view["nodes"]}),
        data={"nodes": nodes, "edges": edges, "options": json.loads(options), "details": details},
        physics=physics,
        nonce=secrets.token_urlsafe(18),
        vis_css=_asset("vis-network.css"),
        vis_js=_asset("vis-network.min.js"),
        page_js=(files("graph.views") / "page.js").read_text(encoding="utf-8"),
    )


def write_html(view: dict[str, Any], path: Path, physics: bool = False) -> Path:
    """Write the page of a view to ``path``, whole or not at all (see
    :func:`graph.outputs.write_text_atomic`); returns the path."""
    return write_text_atomic(Path(path), render_html(view, physics))
