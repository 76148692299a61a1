"""Rendering a dossier as plain text for the terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.dossier import Dossier

__all__ = ["render"]


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ")


_MARK = " [restricted]"


def _sources(d: Dossier, ids: list[str]) -> str:
    """Source ids, each restricted one marked."""
    return ", ".join(i + (_MARK if i in d.sources and d.sources[i].restricted else "") for i in ids)


def _from(file: str) -> str:
    """Where a claim came from (shown only with restricted data: see graph.dossier._add_files)."""
    return f" (from {file})" if file else ""


def render(d: Dossier) -> str:
    """The dossier as text: who, facts (contested ones flagged), timeline, then the sources cited.

    Every restricted part (the record, a spelling, a fact, an event, a record an event names, a
    source) is marked ``[restricted]``: a public view has none of them.
    """
    out = [f"{d.name}  [{', '.join(d.types)}]  id: {d.record_id}{_MARK if d.restricted else ''}"]
    if d.restricted:
        out.append("  RESTRICTED: this record is never exported or shown in public views.")
    if d.names:
        spellings = [n.name + (_MARK if n.restricted else "") for n in d.names]
        out += _wrap("Also written: " + " | ".join(spellings), "  ")
    if d.note:
        out += _wrap("Note: " + d.note, "  ")
    if d.facts:
        out.append("")
        out.append("Facts")
        for fact in d.facts:
            flag = "  CONTESTED" if fact.contested else ""
            conf = f" ({fact.confidence})" if fact.confidence else ""
            lock = _MARK if fact.restricted else ""
            text = f"- {fact.label}: {fact.value}{conf}{flag}{lock}  [{_sources(d, fact.sources)}]"
            text += _from(fact.file)
            out += _wrap(text, "  ")
    if d.links:
        out.append("")
        out.append("Links (each with the sources that state it)")
        for link in d.links:
            how = "cited with the record" if link.inherited else "cited for this link"
            lock = _MARK if link.restricted else ""
            text = f"- {link.label}: {link.name}{lock}  [{how}: {_sources(d, link.sources)}]"
            text += _from(link.file)
            out += _wrap(text, "  ")
    if d.events:
        out.append("")
        out.append(f"Timeline ({len(d.events)} events)")
        for event in d.events:
            conf = f" ({event.confidence})" if event.confidence else ""
            lock = _MARK if event.restricted else ""
            line = f"{event.date}  {event.type}{conf}{lock}  id: {event.id}{_from(event.file)}"
            out += _wrap(line, "  ")
            hidden = {(m.field, m.name) for m in event.mentions if m.restricted}
            for label, values in event.fields.items():
                shown = [v + (_MARK if (label, v) in hidden else "") for v in values]
                out += _wrap(f"{label}: {', '.join(shown)}", "      ")
            if event.contradicts:
                others = [
                    e + (_MARK if ("contradicts", e) in hidden else "") for e in event.contradicts
                ]
                out += _wrap("CONTESTED: contradicts " + ", ".join(others), "      ")
            if event.note:
                out += _wrap("note: " + event.note, "      ")
            out += _wrap("sources: " + _sources(d, event.sources), "      ")
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
            out += _wrap(
                f"[{ref.id}] " + ", ".join(parts) + (_MARK if ref.restricted else ""), "  "
            )
    return "\n".join(out)
