"""SVG of a page drawn in Chromium, written in Python from what the page itself reports.

vis-network draws on a canvas, so its SVG cannot be copied from the page: the nodes (position,
colour, size, label) and edges are read from the live network and drawn again as SVG shapes. A
timeline is HTML boxes, so its SVG redraws the box, text and position of each item, lane label and
axis label as laid out. Both carry the page's caption on top and its source note below. Every text
is escaped for XML; the result opens in any browser or vector editor, but is a faithful redraw of
the layout, not a pixel copy (fonts and fine styling may differ).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["network_svg", "svg_document", "timeline_svg"]

_NETWORK = """() => {
  const text = v => (v === undefined || v === null) ? "" : String(v);
  const colour = c => (c && typeof c === "object") ? text(c.background || c.color) : text(c);
  const pos = cgNetwork.getPositions();
  const nodes = cgNodes.get().filter(n => !n.hidden && pos[n.id]).map(n => ({
    id: text(n.id), label: text(n.label), colour: colour(n.color) || "#888888",
    size: Number(n.size) || 10, x: pos[n.id].x, y: pos[n.id].y}));
  const edges = cgEdges.get().filter(e => !e.hidden && pos[e.from] && pos[e.to]).map(e => ({
    from: text(e.from), to: text(e.to), label: text(e.label), dashed: !!e.dashes}));
  const caption = Array.from(document.querySelectorAll("header h1, #cg-caption > span, #cg-notice"))
    .map(e => e.textContent.trim()).filter(Boolean);
  const note = Array.from(document.querySelectorAll("#cg-source-note, #cg-export-note"))
    .map(e => e.textContent.trim()).filter(Boolean);
  return {nodes, edges, caption, note};
}"""

_TIMELINE = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
  const all = s => Array.from(document.querySelectorAll(s));
  const lines = s => all(s).map(e => e.textContent.trim()).filter(Boolean);
  const area = document.getElementById("cg-timeline");
  return {
    area: box(area),
    items: all("#cg-timeline .vis-item").map(e => ({box: box(e), text: e.textContent.trim(),
      range: e.classList.contains("vis-range"), contested: e.classList.contains("cg-contested")})),
    labels: all("#cg-timeline .vis-label").map(e => ({box: box(e), text: e.textContent.trim()})),
    axis: all("#cg-timeline .vis-time-axis .vis-text").map(e => ({box: box(e), text: e.textContent.trim()})),
    caption: lines("header h1, #cg-caption p"),
    note: lines("#cg-source-note"),
  };
}"""

_LINE = 18


def _text(x: float, y: float, text: str, size: int = 12, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(text)}</text>'


def svg_document(
    width: float, height: float, body: list[str], caption: list[str], note: list[str]
) -> str:
    """An SVG of ``body`` (``height`` high, drawn from y=0), the caption lines above it and the
    note lines below."""
    top = _LINE * (len(caption) + 1)
    lines = [_text(10, _LINE * (i + 1), t, 15 if i == 0 else 12) for i, t in enumerate(caption)]
    bottom = top + height + _LINE
    lines += [_text(10, bottom + _LINE * i, t, 11, ' fill="#444"') for i, t in enumerate(note)]
    total = bottom + _LINE * len(note) + 10
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{total:.0f}" '
        f'viewBox="0 0 {width:.0f} {total:.0f}" font-family="sans-serif">\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
        + "\n".join(lines)
        + f'\n<g transform="translate(0 {top:.1f})">\n'
        + "\n".join(body)
        + "\n</g>\n</svg>\n"
    )


def network_svg(page: Any) -> str:
    """The network view open in ``page`` (a Playwright page) as SVG."""
    found = page.evaluate(_NETWORK)
    nodes = found["nodes"]
    xs = [n["x"] for n in nodes] or [0.0]
    ys = [n["y"] for n in nodes] or [0.0]
    margin = 60.0
    scale = min(1.0, 1800.0 / max(max(xs) - min(xs), 1.0))
    width = (max(xs) - min(xs)) * scale + 2 * margin
    height = (max(ys) - min(ys)) * scale + 2 * margin

    def at(node: dict[str, Any]) -> tuple[float, float]:
        return (node["x"] - min(xs)) * scale + margin, (node["y"] - min(ys)) * scale + margin

    where = {n["id"]: at(n) for n in nodes}
    body = ["<g>"]
    for edge in found["edges"]:
        (x1, y1), (x2, y2) = where[edge["from"]], where[edge["to"]]
        dash = ' stroke-dasharray="6 4"' if edge["dashed"] else ""
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#8a8a8a"{dash}/>'
        )
        if edge["label"]:
            body.append(_text((x1 + x2) / 2, (y1 + y2) / 2, edge["label"], 9, ' fill="#555"'))
    for node in nodes:
        x, y = where[node["id"]]
        radius = max(4.0, min(node["size"], 40.0) * scale * 0.6)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill={quoteattr(node["colour"])} '
            'stroke="#333" stroke-width="0.5"/>'
        )
        for i, part in enumerate(node["label"].split("\n")[:3]):
            body.append(_text(x + radius + 3, y + 4 + i * 13, part, 12))
    body.append("</g>")
    return svg_document(max(width, 900.0), height, body, found["caption"], found["note"])


def timeline_svg(page: Any) -> str:
    """The timeline open in ``page`` (a Playwright page) as SVG."""
    found = page.evaluate(_TIMELINE)
    left, top, width, height = found["area"]
    body = ["<g>"]
    body.append(
        f'<rect x="0" y="0" width="{width:.1f}" height="{height:.1f}" fill="none" stroke="#bfbfbf"/>'
    )

    def local(box: list[float]) -> tuple[float, float, float, float]:
        return box[0] - left, box[1] - top, box[2], box[3]

    for label in found["axis"]:
        x, y, _, h = local(label["box"])
        body.append(_text(x + 2, y + h - 3, label["text"], 11, ' fill="#4d4d4d"'))
    for label in found["labels"]:
        x, y, w, h = local(label["box"])
        body.append(
            f'<line x1="0" y1="{y + h:.1f}" x2="{width:.1f}" y2="{y + h:.1f}" stroke="#e5e5e5"/>'
        )
        body.append(_text(x + 4, y + 15, label["text"][:60], 11))
    for item in found["items"]:
        x, y, w, h = local(item["box"])
        fill = "#fdebd3" if item["text"][:1] in "\u2264\u2265" else "#dbe6f1"
        dash = ' stroke-dasharray="4 3"' if item["range"] else ""
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 2):.1f}" height="{h:.1f}" '
            f'fill="{fill}" stroke="{"#000" if item["contested"] else "#4e79a7"}"{dash}/>'
        )
        body.append(_text(x + 3, y + h / 2 + 4, item["text"], 11))
    body.append("</g>")
    return svg_document(width, height, body, found["caption"], found["note"])
