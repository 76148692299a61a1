"""Print analysis results as readable text tables, CSV or JSON (plain rows in, text out)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graph.errors import CasegraphError
from graph.outputs import csv_text

__all__ = ["FORMATS", "format_paths", "format_rows"]

FORMATS = ("table", "csv", "json")


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return "; ".join(map(str, value))
    return str(value)


def format_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str = "table") -> str:
    """Rows as an aligned text table, CSV (lists joined with ``;``, cells spreadsheet-safe: see
    :func:`graph.outputs.csv_text`) or JSON (values kept).

    >>> print(format_rows([{"name": "Judge Fictivus", "n": 2}], ["name", "n"]))
    name            n
    --------------  -
    Judge Fictivus  2
    """
    if fmt == "json":
        return json.dumps(
            [{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2
        )
    if fmt == "csv":
        cells = [[_cell(r.get(c, "")) for c in columns] for r in rows]
        return csv_text([list(columns), *cells]).rstrip("\n")
    if fmt != "table":
        raise CasegraphError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    cells = [[_cell(r.get(c, "")) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def format_paths(paths: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    """Chains of hops (see :mod:`graph.network.paths`) as text, one claim per line, or JSON."""
    if fmt == "json":
        return json.dumps([[h.as_dict() for h in p] for p in paths], ensure_ascii=False, indent=2)
    if not paths:
        return "No chain links these two entities in this network."
    lines = []
    for number, hops in enumerate(paths, start=1):
        lines.append(
            f"Chain {number} ({len(hops)} hops): "
            + " > ".join([hops[0].start_label] + [h.end_label for h in hops])
        )
        for hop in hops:
            for link in hop.links:
                when = f" [{link.date}]" if link.date else ""
                flag = " (contested)" if link.contested else ""
                lines.append(f"  {link.subject} -{link.relation}-> {link.object}{when}{flag}")
                by = getattr(link, "link_claim", None)
                lines.append(f"    claim {link.claim}" + (f" (link claim {by})" if by else ""))
                lines.extend(_source_lines(link))
                for other in getattr(link, "contradicted_by", ()):
                    lines.append(f"    contradicted by {other['label']} ({other['claim']})")
                    how = "cited with the record" if other["inherited"] else "cited for this link"
                    lines.extend(_cited_lines(other["sources"], how))
            for event in getattr(hop, "events", ()):
                when = f" [{event.date}]" if event.date else ""
                lines.append(f"  named together by the {event.relation} {event.claim}{when}")
                lines.extend(_source_lines(event, "cited for this event"))
        lines.append("")
    return "\n".join(lines).rstrip()


def _source_lines(link: Any, how: str = "") -> list[str]:
    """A claim's sources, each saying whether it is cited for this link or with the record."""
    if not how:
        inherited = getattr(link, "inherited", False)
        how = "cited with the record" if inherited else "cited for this link"
    return _cited_lines(link.sources, how)


def _cited_lines(sources: Sequence[dict[str, Any]], how: str) -> list[str]:
    """One line per source, with its grade and how it is cited."""
    lines = []
    for source in sources:
        grade = f", {source['reliability']}" if source.get("reliability") else ""
        lines.append(f"    source: {source.get('title', source['id'])}{grade} ({how})")
    return lines
