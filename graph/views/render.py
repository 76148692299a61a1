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

#: Colour and vis-network shape per entity type; unknown types get the fallback. The colours are
#: Okabe and Ito's palette, told apart by colour-blind readers; the shape tells apart the types
#: that share one. "Contested" is no colour: a dashed border or line.
STYLES: dict[str, tuple[str, str]] = {
    "Person": ("#0072B2", "dot"),
    "Court": ("#D55E00", "square"),
    "CourtBranch": ("#E69F00", "square"),
    "Prison": ("#000000", "triangle"),
    "Place": ("#999999", "triangleDown"),
    "Protest": ("#F0E442", "star"),
    "Campaign": ("#CC79A7", "star"),
    "Case": ("#009E73", "diamond"),
    "Organisation": ("#56B4E9", "hexagon"),
    "HumanRightsOrganisation": ("#009E73", "hexagon"),
    "NewsOutlet": ("#F0E442", "hexagon"),
    "StateBody": ("#D55E00", "hexagon"),
    "InternationalBody": ("#CC79A7", "hexagon"),
    "LegalEvent": ("#999999", "dot"),
    "ProtestEvent": ("#E69F00", "dot"),
    "CampaignEvent": ("#CC79A7", "dot"),
    "StatementEvent": ("#56B4E9", "dot"),
}
_FALLBACK = ("#BBBBBB", "dot")
_BORDER = "#000000"
_EDGE = "#6b6b6b"
_FOCUS = "#000000"
_DASHES = [8, 6]
_FONT = {"size": 14, "face": "DejaVu Sans, Arial, sans-serif", "strokeWidth": 3,
         "strokeColor": "#ffffff"}  # fmt: skip
_EDGE_FONT = {"size": 12, "align": "horizontal", "face": _FONT["face"], "color": "#333333",
              "background": "rgba(255,255,255,0.85)", "strokeWidth": 0}  # fmt: skip
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


def _rich_node(node: dict[str, Any]) -> dict[str, Any]:
    """The vis options of a node in a captioned view: dashed border when contested, the focus
    ringed, bold and larger."""
    extra: dict[str, Any] = {"font": dict(_FONT)}
    if node.get("contested"):
        extra["shapeProperties"] = {"borderDashes": _DASHES}
    if node.get("focus"):
        extra["borderWidth"] = 6
        extra["font"] = {**_FONT, "size": 18, "strokeWidth": 4}
        extra["shadow"] = {"enabled": True, "color": "rgba(0,0,0,0.45)", "size": 14}
    return extra


def _network(view: dict[str, Any], physics: bool) -> Network:
    rich = "kind" in view
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    for node in view["nodes"]:
        colour, shape = STYLES.get(node["type"], _FALLBACK)
        border = _FOCUS if node.get("focus") else _BORDER if node["contested"] else colour
        options = {
            "label": node["label"][:60] if not rich else node["label"],
            "shape": shape,
            "color": {"background": colour, "border": border},
            "borderWidth": 4 if node["contested"] else 1,
            "size": node["size"],
            "x": node["x"],
            "y": node["y"],
            "cgType": node["type"],
        }
        if not rich:
            options["label"] = options["label"] or node["id"]
        net.add_node(node["id"], **{**options, **(_rich_node(node) if rich else {})})
    for edge in view["edges"]:
        options = {"id": edge["id"], "label": edge["label"], "dashes": edge["contested"]}
        options["color"] = _EDGE
        if rich:
            options["dashes"] = _DASHES if edge["contested"] else False
            options["width"] = edge.get("width", 1.0)
            options["arrows"] = edge.get("arrows", "to")
            options["label"] = edge["label"] if edge.get("labelled", True) else ""
        net.add_edge(edge["from"], edge["to"], **options)
    net.options = {
        "physics": {"enabled": physics, "stabilization": {"enabled": False}},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "edges": {
            "smooth": False,
            "font": _EDGE_FONT if rich else {"size": 9, "align": "middle"},
            "arrows": "to",
        },
        "nodes": {"font": dict(_FONT) if rich else {"size": 12}},
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


def _details(view: dict[str, Any]) -> dict[str, Any]:
    """What the side panel shows for each node (its dossier, when the view has one) and edge (the
    claims behind it, each with its sources)."""
    dossiers = view.get("dossiers", {})
    nodes = {}
    for n in view["nodes"]:
        entry = {k: n[k] for k in ("label", "type_label", "facts", "sources")}
        entry["label"] = n.get("name", n["label"])
        if n["id"] in dossiers:
            entry["dossier"] = dossiers[n["id"]]
        nodes[n["id"]] = entry
    edges = {}
    for e in view["edges"]:
        edges[e["id"]] = {k: e[k] for k in ("label", "facts", "sources")}
        if "claims" in e:
            edges[e["id"]]["claims"] = e["claims"]
    return {"nodes": nodes, "edges": edges}


def _meta(view: dict[str, Any]) -> dict[str, Any]:
    """What the page's own script needs beyond vis: the day each item enters the record (for the
    "as of" slider), full names (for hover and search), the focus and the language."""
    if "kind" not in view:
        return {}
    items = view["nodes"] + view["edges"]
    return {
        "kind": view["kind"],
        "focus": view.get("focus"),
        "rtl": bool(view.get("rtl")),
        "days": sorted({i["earliest"] for i in items if i.get("earliest")}),
        "nodes": {
            n["id"]: {
                "earliest": n.get("earliest"),
                "undated": bool(n.get("undated")),
                "name": n.get("name", n["label"]),
                "labelled": bool(n.get("labelled", True)),
            }
            for n in view["nodes"]
        },
        "edges": {
            e["id"]: {
                "earliest": e.get("earliest"),
                "undated": bool(e.get("undated")),
                "label": e["label"],
                "labelled": bool(e.get("labelled", True)),
            }
            for e in view["edges"]
        },
    }


def render_html(view: dict[str, Any], physics: bool = False) -> str:
    """The HTML page of a view (see :func:`graph.network.viewdata.view_data` and
    :func:`graph.network.actorview.actor_scene` for its shape)."""
    net = _network(view, physics)
    nodes, edges, _, _, _, options = net.get_network_data()
    if "kind" in view:  # pyvis writes the id where a label is empty: hover shows those names
        shown = {n["id"]: n["label"] for n in view["nodes"]}
        nodes = [{**n, "label": shown[n["id"]]} for n in nodes]
    env = Environment(
        loader=PackageLoader("graph.views", "."), autoescape=select_autoescape(["html"])
    )
    env.filters["script_json"] = script_json
    meta = _meta(view)
    return env.get_template("template.html").render(
        title=view.get("title", "casegraph"),
        notice=view.get("notice", ""),
        size_by=view.get("size_by", ""),
        legend=_legend(view),
        caption=view.get("caption", {}),
        lang=view.get("lang", "en"),
        rtl=bool(view.get("rtl")),
        dated=bool(meta.get("days")),
        names=sorted({n.get("name", n["label"]) for n in view["nodes"]}),
        data={
            "nodes": nodes,
            "edges": edges,
            "options": json.loads(options),
            "details": _details(view),
            "meta": meta,
        },
        physics=physics,
        nonce=secrets.token_urlsafe(18),
        vis_css=_asset("vis-network.css"),
        vis_js=_asset("vis-network.min.js"),
        page_js="\n".join(
            (files("graph.views") / name).read_text(encoding="utf-8")
            for name in ("panel.js", "page.js")
        ),
    )


def write_html(view: dict[str, Any], path: Path, physics: bool = False) -> Path:
    """Write the page of a view to ``path``, whole or not at all (see
    :func:`graph.outputs.write_text_atomic`); returns the path."""
    return write_text_atomic(Path(path), render_html(view, physics))
