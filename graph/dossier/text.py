"""Rendering a dossier as plain text for the terminal."""

from __future__ import annotations

import textwrap

from graph.dossier.model import Dossier, EventEntry, FieldEntry, Value, Version

__all__ = ["render"]

_MARK = " [restricted]"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=100,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,  # a file path or a URL stays whole on its line
        break_long_words=False,
    )


def _sources(d: Dossier, ids: list[str]) -> str:
    """Source ids, each restricted one marked."""
    return ", ".join(i + (_MARK if i in d.sources and d.sources[i].restricted else "") for i in ids)


def _graded(d: Dossier, ids: list[str]) -> str:
    """Source ids (each restricted one marked), then their reliability grades in the same order."""
    grades = [d.sources[i].reliability if i in d.sources else "" for i in ids]
    return f"{_sources(d, ids)}; graded {', '.join(g or 'ungraded' for g in grades)}"


def _from(file: str) -> str:
    """Where a claim came from (shown only with restricted data: see graph.dossier._add_files)."""
    return f" (from {file})" if file else ""


def _wrap_from(text: str, file: str, indent: str) -> list[str]:
    """``text`` wrapped, then where it came from, kept whole (on the last line when it fits)."""
    lines = _wrap(text, indent)
    tail = _from(file)
    if not tail:
        return lines
    if len(lines[-1]) + len(tail) <= 100:
        return [*lines[:-1], lines[-1] + tail]
    return [*lines, indent + "  " + tail.strip()]


def _value(d: Dossier, value: Value) -> str:
    detail = f" ({value.detail})" if value.detail else ""
    lock = _MARK if value.restricted else ""
    if not value.sources:
        cited = "  [no source cited]"
    elif value.inherited and value.sources == d.record_sources:  # graded once, under the name
        cited = f"  [cited with the record: {_sources(d, value.sources)}]"
    else:
        how = "cited with the record" if value.inherited else "cited for this link"
        cited = f"  [{how}: {_graded(d, value.sources)}]"
    return f"{value.text}{detail}{lock}{cited}"


def _field(d: Dossier, entry: FieldEntry) -> list[str]:
    flag = "  CONTESTED (see below)" if entry.contested else ""
    if len(entry.values) == 1:
        only = entry.values[0]
        return _wrap_from(f"{entry.label}: {_value(d, only)}{flag}", only.file, "  ")
    out = _wrap(f"{entry.label} ({len(entry.values)}):{flag}", "  ")
    for value in entry.values:
        out += _wrap_from(f"- {_value(d, value)}", value.file, "    ")
    return out


def _version(d: Dossier, version: Version) -> list[str]:
    out = _wrap(f"- {version.kind}: {version.fact}  versus  {version.other}", "  ")
    for diff in version.differences:
        this, other = "; ".join(diff.this) or "(not given)", "; ".join(diff.other) or "(not given)"
        if diff.field == "sources":
            this, other = _graded(d, diff.this), _graded(d, diff.other)
        out += _wrap(f"{diff.field}: {this}  |  {other}", "      ")
    return out


def _event(d: Dossier, event: EventEntry) -> list[str]:
    conf = f" ({event.confidence})" if event.confidence else ""
    lock = _MARK if event.restricted else ""
    out = _wrap_from(f"{event.date}  {event.type}{conf}{lock}  id: {event.id}", event.file, "  ")
    hidden = {(m.field, m.name) for m in event.mentions if m.restricted}
    for label, values in event.fields.items():
        shown = [v + (_MARK if (label, v) in hidden else "") for v in values]
        out += _wrap(f"{label}: {', '.join(shown)}", "      ")
    if event.contradicts:
        others = [e + (_MARK if ("contradicts", e) in hidden else "") for e in event.contradicts]
        out += _wrap("CONTESTED: contradicts " + ", ".join(others), "      ")
    if event.note:
        out += _wrap("note: " + event.note, "      ")
    out += _wrap("sources: " + _sources(d, event.sources), "      ")
    return out


def render(d: Dossier) -> str:
    """The dossier as text: who, the described sections, contested versions side by side, other
    facts and links, the timeline, then the sources cited with their reliability.

    Every restricted part (the record, a spelling, a fact, a value, an event, a record an event
    names, a source) is marked ``[restricted]``: a public view has none of them.
    """
    out = [f"{d.name}  [{', '.join(d.types)}]  id: {d.record_id}{_MARK if d.restricted else ''}"]
    if d.restricted:
        out.append("  RESTRICTED: this record is never exported or shown in public views.")
    if d.file:
        out.append(f"  Recorded in {d.file}")
    if d.names:
        spellings = [n.name + (_MARK if n.restricted else "") for n in d.names]
        out += _wrap("Also written: " + " | ".join(spellings), "  ")
    if d.note:
        out += _wrap("Note: " + d.note, "  ")
    if d.record_sources and d.sections:
        out += _wrap("Sources of the record: " + _graded(d, d.record_sources), "  ")
    for section in d.sections:
        out += ["", f"{section.title} (each value with the sources that state it)"]
        for entry in section.fields:
            out += _field(d, entry)
    if d.contested:
        out += ["", "Contested: versions that disagree, side by side (this | other)"]
        for version in d.contested:
            out += _version(d, version)
    in_sections = {v.claim for s in d.sections for f in s.fields for v in f.values if v.claim}
    facts = [fact for fact in d.facts if not fact.claim or fact.claim not in in_sections]
    if facts:
        out += ["", "Facts"]
        for fact in facts:
            flag = "  CONTESTED" if fact.contested else ""
            conf = f" ({fact.confidence})" if fact.confidence else ""
            lock = _MARK if fact.restricted else ""
            text = f"- {fact.label}: {fact.value}{conf}{flag}{lock}  [{_sources(d, fact.sources)}]"
            out += _wrap_from(text, fact.file, "  ")
    shown = {(v.id, v.text) for s in d.sections for f in s.fields for v in f.values}
    shown |= {(claim, claim) for claim in in_sections}  # a claim's link, e.g. its component
    others = [link for link in d.links if (link.id, link.name) not in shown]
    if others:
        out += ["", "Links (each with the sources that state it)"]
        for link in others:
            how = "cited with the record" if link.inherited else "cited for this link"
            lock = _MARK if link.restricted else ""
            text = f"- {link.label}: {link.name}{lock}  [{how}: {_sources(d, link.sources)}]"
            out += _wrap_from(text, link.file, "  ")
    if d.events:
        out += ["", f"Timeline ({len(d.events)} events)"]
        for event in d.events:
            out += _event(d, event)
    if d.sources:
        out += ["", "Sources"]
        for ref in d.sources.values():
            parts = [ref.publisher, f'"{ref.title}"']
            if ref.date:
                parts.append(ref.date)
            parts.append(f"reliability: {ref.reliability or 'ungraded'}")
            if ref.url:
                parts.append(ref.url)
            text = f"[{ref.id}] " + ", ".join(parts) + (_MARK if ref.restricted else "")
            out += _wrap(text, "  ")
    return "\n".join(out)
