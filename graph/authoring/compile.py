"""Compiling the records of a case file into RDF, exactly as docs/rdf-mapping.md describes."""

from __future__ import annotations

import difflib
import re
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import ValidationError
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.authoring import RecordInfo, Reference
from graph.authoring.extensions import extension, file_tag
from graph.authoring.messages import field_name, problems_from
from graph.authoring.reader import YamlList, YamlMap, line_at
from graph.authoring.records import ID_PATTERN, SECTIONS, Record
from graph.authoring.sections import EMITTERS
from graph.authoring.sources import finish
from graph.dates import DateError, ParsedDate, parse_date
from graph.errors import Problem
from graph.names import fold
from graph.namespaces import CG, ID
from graph.resources import Added, concept_for, notations, ontology_graph
from graph.statements import TripleSet
from graph.vocabulary import suggestions

__all__ = ["FileCompiler"]

_HEADER = ("casegraph", "visibility", "claims_prefix")
_VISIBILITY = {"public": CG.Public, "restricted": CG.Restricted}


class FileCompiler:
    """Compiles one parsed case file; collects every problem instead of stopping at the first."""

    def __init__(self, path: str, root: YamlMap) -> None:
        self.path = path
        self.root = root
        self.graph = TripleSet()
        self.problems: list[Problem] = []
        self.records: dict[str, RecordInfo] = {}
        self.references: list[Reference] = []
        self.visibility: str | None = None
        #: Each source's node, publisher key, the source it mirrors and the organisation that
        #: published it (see sources.finish).
        self.source_keys: dict[str, tuple[URIRef, str, str | None, str | None]] = {}
        #: The ids of the records this file makes public (what their statements may depend on).
        self.public_ids: set[str] = set()
        #: Concepts added beside the data (the batch's vocabulary files and the store's).
        self.vocabulary: Added = {}
        #: What names this file's claims about other files' records (see graph.authoring.extensions).
        self.claims_tag = file_tag(path)

    # --- reporting -------------------------------------------------------------------------

    def problem(
        self, raw: Any, loc: tuple[int | str, ...], message: str, rid: str | None, **kw: Any
    ) -> None:
        """Record a problem at the line of ``loc`` inside ``raw`` (a record or the file)."""
        field = kw.pop("field", None) or field_name(list(loc)) or None
        self.problems.append(Problem(self.path, line_at(raw, loc), message, rid, field, **kw))

    # --- the file --------------------------------------------------------------------------

    def run(self) -> None:
        """Check the header, then compile every section in file order."""
        root = self.root
        if "casegraph" not in root:
            self.problems.append(
                Problem(
                    self.path, 1, "the file must start with 'casegraph: 1' (the format version)"
                )
            )
        elif root["casegraph"] not in (1, "1") or isinstance(root["casegraph"], bool):
            self.problem(
                root,
                ("casegraph",),
                f"'casegraph: {root['casegraph']}' is not supported: this version reads casegraph: 1",
                None,
            )
        if "visibility" in root:
            if isinstance(root["visibility"], str) and root["visibility"] in _VISIBILITY:
                self.visibility = root["visibility"]
            else:
                self.problem(root, ("visibility",), "visibility is 'public' or 'restricted'", None)
        if "claims_prefix" in root:
            prefix = root["claims_prefix"]
            if isinstance(prefix, str) and re.fullmatch(ID_PATTERN, prefix):
                self.claims_tag = prefix
            else:
                message = (
                    "claims_prefix is a short id (letters, digits, _ and -) unique to this file"
                )
                self.problem(root, ("claims_prefix",), message, None)
        seen: dict[str, int] = {}
        for key, items in root.items():
            if key in _HEADER:
                continue
            if key not in SECTIONS:
                close = difflib.get_close_matches(str(key), [*SECTIONS, *_HEADER], n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                sections = ", ".join(SECTIONS)
                message = f"unknown section '{key}'{hint} (the sections are {sections})"
                self.problem(root, (key,), message, None, field=str(key))
            elif items is not None and not isinstance(items, YamlList):
                self.problem(root, (key,), "a section is a list of records ('- id: ...')", None)
            else:
                for index in range(len(items or [])):
                    self._record(str(key), index, root, seen)
        finish(self)
        self.problems.sort(key=lambda p: p.line or 0)

    def _record(self, section: str, index: int, root: YamlMap, seen: dict[str, int]) -> None:
        """Validate one record's shape, check its id is new in the file, and compile it."""
        raw = root[section][index]
        if not isinstance(raw, YamlMap):
            message = "each record is a set of fields, starting with '- id: ...'"
            self.problem(root, (section, index), message, None, field=section)
            return
        rid = raw.get("id") if isinstance(raw.get("id"), str) else None
        if rid is not None and rid in seen:
            message = (
                f"the id '{rid}' is used twice in this file (lines {seen[rid]} and {raw.line})"
            )
            self.problem(raw, ("id",), message, rid, field="id")
            return
        if rid is not None:
            seen[rid] = raw.line
        try:
            record = SECTIONS[section].model_validate(raw)
        except ValidationError as error:
            self.problems += problems_from(error, raw, self.path, section, rid)
            salvaged = _salvage(section, raw, error)
            if salvaged is None:
                return
            record, raw = salvaged
        (extension if section == "extends" else EMITTERS[section])(self, record, raw)

    # --- building blocks used by the section emitters --------------------------------------

    def start(self, section: str, record: Record, raw: YamlMap, cls: URIRef) -> URIRef:
        """The triples every record gets (type, id, visibility, sources, note); returns its IRI."""
        node = ID[record.id]
        self.graph.add((node, RDF.type, cls))
        self.graph.add((node, CG.recordId, Literal(record.id)))
        visibility = self.record_visibility(record)
        if visibility is not None:
            self.graph.add((node, CG.visibility, _VISIBILITY[visibility]))
        if visibility == "public":
            self.public_ids.add(record.id)
        for i, source in enumerate(getattr(record, "sources", [])):
            self.ref(node, CG.source, source, CG.Source, record.id, raw, ("sources", i))
        if record.note is not None:
            self.graph.add((node, CG.note, Literal(record.note)))
        self.records[record.id] = RecordInfo(record.id, node, section, raw.line, frozenset({cls}))
        return node

    def sub_claim(self, record: Record, kind: str, number: int, cls: URIRef, entry: Any) -> URIRef:
        """A claim inside a record (``cgd:X/role/1``), with the record's visibility by default.

        A claim is never more public than its record: its id names the record.
        """
        claim_id = f"{record.id}/{kind}/{number}"
        node = ID[claim_id]
        self.graph.add((node, RDF.type, cls))
        self.graph.add((node, CG.recordId, Literal(claim_id)))
        visibility = self.entry_visibility(record, entry)
        if visibility is not None:
            self.graph.add((node, CG.visibility, _VISIBILITY[visibility]))
        if entry.note is not None:
            self.graph.add((node, CG.note, Literal(entry.note)))
        return node

    def record_visibility(self, record: Record) -> str | None:
        """A record's visibility: its own, else its file's (None: restricted by default)."""
        return record.visibility or self.visibility

    def entry_visibility(self, record: Record, entry: Any) -> str | None:
        """The visibility of an entry inside a record (a spelling, role or attribute): its own,
        else its record's; public only when its record is public too."""
        own = self.record_visibility(record)
        visibility = getattr(entry, "visibility", None) or own
        if visibility == "public" and own != "public":
            return "restricted"
        return visibility

    def ref(
        self,
        node: URIRef,
        predicate: URIRef,
        target_id: str,
        expected: URIRef,
        rid: str,
        raw: YamlMap,
        loc: tuple[int | str, ...],
    ) -> None:
        """A link to another record, listed for the loader to resolve."""
        target = ID[target_id]
        self.graph.add((node, predicate, target))
        field = field_name(list(loc[:-1] if isinstance(loc[-1], int) else loc))
        self.references.append(
            Reference(rid, field, target_id, target, expected, line_at(raw, loc))
        )

    def refs(
        self,
        node: URIRef,
        predicate: URIRef,
        ids: list[str],
        expected: URIRef,
        rid: str,
        raw: YamlMap,
        loc: tuple[int | str, ...],
    ) -> None:
        """Links to a list of records; each item's line is kept."""
        for i, target_id in enumerate(ids):
            self.ref(node, predicate, target_id, expected, rid, raw, (*loc, i))

    def concept(
        self, scheme: URIRef, notation: str, rid: str, raw: YamlMap, loc: tuple[int | str, ...]
    ) -> URIRef | None:
        """The vocabulary concept for a notation (installed or added beside the data), or a
        problem naming the closest notations that add no fact the user did not write."""
        concept = concept_for(scheme, notation, self.vocabulary)
        if concept is not None:
            return concept
        close, withheld = suggestions(scheme, notation, self.vocabulary)
        known = notations(scheme, self.vocabulary)
        label = str(ontology_graph().value(scheme, RDFS.label) or scheme).lower()
        listed = (
            f"the closest are: {', '.join(close)}" if close else f"they are: {', '.join(known)}"
        )
        if withheld:
            listed += (
                f"; more specific terms ({', '.join(withheld)}) say more than was written: use "
                "one only when a source states what it adds (such as a ruling's outcome)"
            )
        self.problem(
            raw,
            loc,
            f"'{notation}' is not in the vocabulary of {label}; {listed} ('casegraph vocab' "
            "lists them all with their definitions; a new concept can be added in a vocabulary "
            "file beside the data, see docs/format.md 'Vocabularies', or to "
            "ontology/vocabularies.ttl)",
            rid,
        )
        return None

    def parse(
        self, text: str, rid: str, raw: YamlMap, loc: tuple[int | str, ...]
    ) -> ParsedDate | None:
        """A date expression, or None after recording why it cannot be read."""
        try:
            return parse_date(text)
        except DateError as error:
            self.problem(raw, loc, str(error), rid)
            return None

    def full_date(
        self, node: URIRef, text: str | None, rid: str, raw: YamlMap, loc: tuple[int | str, ...]
    ) -> None:
        """The date of an event or claim: typed value, earliest and latest day, qualifier, original."""
        parsed = self.parse(text, rid, raw, loc) if text is not None else None
        if parsed is None:
            return
        add = self.graph.add
        if parsed.literal is not None:
            add((node, CG.date, parsed.literal))
        if parsed.earliest is not None:
            add((node, CG.dateEarliest, _day(parsed.earliest)))
        if parsed.latest is not None:
            add((node, CG.dateLatest, _day(parsed.latest)))
        add((node, CG.dateQualifier, Literal(parsed.qualifier)))
        self.original(node, parsed)

    def original(self, node: URIRef, parsed: ParsedDate) -> None:
        """Keep a Solar Hijri date as written, with its calendar."""
        if parsed.original is not None:
            self.graph.add((node, CG.originalDate, Literal(parsed.original)))
            self.graph.add((node, CG.calendar, Literal(parsed.calendar)))

    def typed_date(
        self, text: str | None, rid: str, raw: YamlMap, loc: tuple[int | str, ...]
    ) -> tuple[Literal, ParsedDate] | None:
        """A date for a field that holds one typed value (start, end, publication, reported)."""
        parsed = self.parse(text, rid, raw, loc) if text is not None else None
        if parsed is None:
            return None
        if parsed.literal is not None and parsed.qualifier == "exact":
            return parsed.literal, parsed
        if parsed.qualifier == "between" and parsed.original is not None:
            reason = (
                f"'{text}' runs from {parsed.earliest} to {parsed.latest}, which is not one "
                "Gregorian day, month or year; give the day"
            )
        else:
            reason = f"'{text}' is not a single day, month or year"
        self.problem(
            raw, loc, f"{reason}: this field takes a date such as 2026-01-20, 2026-01 or 2026", rid
        )
        return None

    def names(self, node: URIRef, record: Any, raw: YamlMap) -> None:
        """The display name, the other spellings, their name claims and their search keys.

        A restricted spelling of a public entity is marked restricted where it lands on the
        entity (its ``cg:altName`` and ``cg:searchKey``), unless a public name makes them too.
        """
        self.graph.add((node, CG.name, Literal(record.name)))
        self._search_key(node, record.name)
        public = self.record_visibility(record) == "public"
        for i, entry in enumerate(getattr(record, "names", [])):
            if isinstance(entry, str):  # a plain spelling has its record's visibility
                self.graph.add((node, CG.altName, Literal(entry)))
                self._search_key(node, entry)
                continue
            # Marked only where it matters: a restricted record's statements are all kept out.
            hidden = public and self.entry_visibility(record, entry) != "public"
            spelling = Literal(entry.name, lang=entry.lang)
            self.graph.add((node, CG.altName, spelling), hidden)
            self._search_key(node, entry.name, hidden)
            if not entry.sources:
                if entry.script is not None:
                    message = "'script' is only kept for a spelling that lists its 'sources'"
                    self.problem(
                        raw, ("names", i, "script"), message, record.id, severity="warning"
                    )
                continue
            claim = self.sub_claim(record, "name", i + 1, CG.NameClaim, entry)
            self.graph.add((node, CG.nameClaim, claim))
            self.graph.add((claim, CG.about, node))
            self.graph.add((claim, CG.name, spelling))
            if entry.script is not None:
                self.graph.add((claim, CG.script, Literal(entry.script)))
            self.refs(
                claim, CG.source, entry.sources, CG.Source, record.id, raw, ("names", i, "sources")
            )

    def _search_key(self, node: URIRef, name: str, restricted: bool = False) -> None:
        key = fold(name)
        if key:
            self.graph.add((node, CG.searchKey, Literal(key)), restricted)


def _salvage(section: str, raw: YamlMap, error: ValidationError) -> tuple[Record, YamlMap] | None:
    """The record without the fields and list items its validation error is about, so that
    the emitter can report the problems of the rest in the same run; None when what is left
    cannot stand on its own (a missing or bad id, a missing field, a whole-record error)."""
    fields: set[str] = set()
    items: dict[str, set[int]] = {}
    for item in error.errors():
        loc = tuple(item["loc"])
        if not loc or item["type"] == "missing" or loc[0] == "id":
            return None
        key = loc[0]
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(raw.get(key), YamlList):
            items.setdefault(str(key), set()).add(loc[1])
        else:
            fields.add(str(key))
    partial = YamlMap(raw.line)
    for key, value in raw.items():
        if key in fields:
            continue
        if key in items:
            kept = YamlList(value.line)
            for index, (entry, line) in enumerate(zip(value, value.item_lines, strict=True)):
                if index not in items[key]:
                    kept.append(entry)
                    kept.item_lines.append(line)
            value = kept
        partial[key] = value
        partial.key_lines[key] = raw.key_lines.get(key, raw.line)
    try:
        return SECTIONS[section].model_validate(partial), partial
    except ValidationError:
        return None


@lru_cache(maxsize=1 << 14)
def _day(day: date) -> Literal:
    """A day as an xsd:date literal, made once per day (a big file repeats them)."""
    return Literal(day)
