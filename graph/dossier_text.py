"""Rendering a dossier as plain text for the terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.dossier import Dossier

__all__ = ["render"]


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ")


def render(d: Dossier) -> str:
    """The dossier as text: who, facts (contested ones flagged), timeline, then the sources cited."""
    out = [f"{d.name}  [{', '.join(d.types)}]  id: {d.record_id}"]
    if d.restricted:
        out.append("  RESTRICTED: this record is never exported or shown in public views.")
    if d.names:
        out += _wrap("Also written: " + " | ".join(d.names), "  ")
    if d.note:
        out += _wrap("Note: " + d.note, "  ")
    if d.facts:
        out.append("")
        out.append("Facts")
        for fact in d.facts:
            flag = "  CONTESTED" if fact.contested else ""
            conf = f" ({fact.confidence})" if fact.confidence else ""
            lock = " [restricted]" if fact.restricted else ""
            text = f"- {fact.label}: {fact.value}{conf}{flag}{lock}  [{', '.join(fact.sources)}]"
            out += _wrap(text, "  ")
    if d.events:
        out.append("")
        out.append(f"Timeline ({len(d.events)} events)")
        for event in d.events:
            conf = f" ({event.confidence})" if event.confidence else ""
            lock = " [restricted]" if event.restricted else ""
            out += _wrap(f"{event.date}  {event.type}{conf}{lock}  id: {event.id}", "  ")
            for label, values in event.fields.items():
                out += _wrap(f"{label}: {', '.join(values)}", "      ")
            if event.contradicts:
                out += _wrap("CONTESTED: contradicts " + ", ".join(event.contradicts), "      ")
            if event.note:
                out += _wrap("note: " + event.note, "      ")
            out += _wrap("sources: " + ", ".join(event.sources), "      ")
    if d.sources:
        out.append("")
        out.append("Sources")
        for ref in d.sources.values():
            parts = [ref.publisher, f'"{ref.title}"']
            if ref.date:
                parts.append(ref.date)
            parts.append(f"reliability: {ref.reliability or 'ungraded'}")
            if ref.url:
                parts.append(ref.url)
            out += _wrap(f"[{ref.id}] " + ", ".join(parts), "  ")
    return "\n".join(out)
