"""The ``extends:`` section: claims a file adds to a record another file or the store defines.

The extending file owns what it adds. Its claim nodes are ``cgd:<record>/<tag>/<kind>/<n>``,
where the tag is the file's own (``claims_prefix``, else a short digest of its path), so they
never collide with the defining file's ``cgd:<record>/<kind>/<n>``. The statements it makes on the
record itself (spellings, search keys, links) go into its load unit's bookkeeping, as statements
about a node it does not define (see :class:`graph.statements.Statements`), so a reload of the
defining file keeps them and a reload or unload of the extending file takes them out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib.namespace as _rdfns
from rdflib import Literal, URIRef

from graph.authoring import Reference
from graph.authoring.claims import claim_fields, role_claims
from graph.authoring.reader import YamlMap, line_at
from graph.authoring.records import LinkEntry
from graph.names import fold
from graph.namespaces import CG, CGV, ID

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["extension", "file_tag"]

#: (field, property, class the extended record must be) for the link fields of an extension.
_LINKS = (
    ("protests", CG.protest, CG.Protest, CG.Entity),
    ("founding_participants", CG.foundingParticipant, CG.Person, CG.Campaign),
    ("participating_prisons", CG.participatingPrison, CG.Prison, CG.Campaign),
    ("defendants", CG.defendant, CG.Person, CG.Case),
    ("victims", CG.victim, CG.Person, CG.Case),
)
#: The class the extended record must be for its other claim fields.
_NEEDS = {"names": CG.Entity, "attributes": CG.Entity, "roles": CG.Person}


def file_tag(path: str) -> str:
    """The default tag of a file's claims: stable for the same file, different for others.

    >>> len(file_tag("a.yaml")), file_tag("a.yaml") == file_tag("a.yaml")
    (9, True)
    """
    return "x" + hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:8]


def extension(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    """Claims about record ``r.id``, which this file uses but does not define."""
    node = ID[r.id]
    tag = c.claims_tag
    hidden = c.record_visibility(r) != "public"
    _check_target(c, r, raw)
    _names(c, node, r, raw, tag, hidden)
    role_claims(c, node, r, raw, f"{tag}/role")
    for i, entry in enumerate(r.attributes):
        claim = c.sub_claim(r, f"{tag}/attr", i + 1, CG.AttributeClaim, entry)
        c.graph.add((claim, CG.about, node))
        loc = ("attributes", i, "attribute")
        concept = c.concept(CGV.Attributes, entry.attribute, r.id, raw, loc)
        if concept is not None:
            c.graph.add((claim, CG.attribute, concept))
        c.graph.add((claim, CG.value, Literal(entry.value)))
        claim_fields(c, claim, entry, r, raw, ("attributes", i))
    for field, predicate, expected, _ in _LINKS:
        for i, item in enumerate(getattr(r, field)):
            _extension_link(c, node, predicate, item, expected, r, raw, (field, i), tag, hidden)


def _check_target(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    """The extended record must exist and be of a class that has each field given: one
    reference per class needed, at the first field that needs it."""
    needed: dict[URIRef, str] = {}
    for field in raw:
        cls = _NEEDS.get(str(field)) or next((n for f, _, _, n in _LINKS if f == field), None)
        if cls is not None and getattr(r, str(field)):
            needed.setdefault(cls, str(field))
    if not needed:
        needed[CG.Record] = "id"
    for cls, field in needed.items():
        line = line_at(raw, (field,))
        c.references.append(Reference(r.id, field, r.id, ID[r.id], cls, line))


def _names(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap, tag: str, hidden: bool) -> None:
    """Other spellings of the record, each a name claim when it lists its sources."""
    for i, entry in enumerate(r.names):
        text = entry if isinstance(entry, str) else entry.name
        spelling = Literal(text) if isinstance(entry, str) else Literal(text, lang=entry.lang)
        own_hidden = hidden
        if not isinstance(entry, str):
            own_hidden = hidden or c.entry_visibility(r, entry) != "public"
        c.graph.add((node, CG.altName, spelling), own_hidden)
        key = fold(text)
        if key:
            c.graph.add((node, CG.searchKey, Literal(key)), own_hidden)
        if isinstance(entry, str) or not entry.sources:
            continue
        claim = c.sub_claim(r, f"{tag}/name", i + 1, CG.NameClaim, entry)
        c.graph.add((node, CG.nameClaim, claim), own_hidden)
        c.graph.add((claim, CG.about, node))
        c.graph.add((claim, CG.name, spelling))
        if entry.script is not None:
            c.graph.add((claim, CG.script, Literal(entry.script)))
        c.refs(claim, CG.source, entry.sources, CG.Source, r.id, raw, ("names", i, "sources"))


def _extension_link(
    c: FileCompiler,
    node: URIRef,
    predicate: URIRef,
    item: str | LinkEntry,
    expected: URIRef,
    r: Any,
    raw: YamlMap,
    loc: tuple[str, int],
    tag: str,
    hidden: bool,
) -> None:
    """A link from the extended record, made by this file; with its own link claim
    (``cgd:<record>/<tag>/link/<field>/<target>``) when it is written as a mapping."""
    target_id = item if isinstance(item, str) else item.id
    at = loc if isinstance(item, str) else (*loc, "id")
    own_hidden = hidden or (not isinstance(item, str) and c.entry_visibility(r, item) != "public")
    c.graph.add((node, predicate, ID[target_id]), own_hidden)
    c.references.append(
        Reference(r.id, loc[0], target_id, ID[target_id], expected, line_at(raw, at))
    )
    entry = item if isinstance(item, LinkEntry) else None
    if not r.sources and (entry is None or not entry.sources):
        message = "a link added to another file's record needs its own 'sources' (or the entry's)"
        c.problem(raw, at, message, r.id)
        return
    claim_id = f"{r.id}/{tag}/link/{loc[0]}/{target_id}"
    claim = ID[claim_id]
    c.graph.add((claim, _rdfns.RDF.type, CG.LinkClaim))
    c.graph.add((claim, CG.recordId, Literal(claim_id)))
    c.graph.add((claim, CG.visibility, CG.Restricted if own_hidden else CG.Public))
    c.graph.add((claim, CG.about, node))
    c.graph.add((claim, CG.linkProperty, predicate))
    c.graph.add((claim, CG.linkTarget, ID[target_id]))
    if entry is not None and entry.note is not None:
        c.graph.add((claim, CG.note, Literal(entry.note)))
    if entry is not None:
        c.full_date(claim, entry.date, r.id, raw, (*loc, "date"))
    confidence = entry.confidence if entry is not None else None
    c.graph.add((claim, CG.confidence, Literal(confidence or "reported")))
    if entry is not None and entry.sources:
        c.refs(claim, CG.source, entry.sources, CG.Source, r.id, raw, (*loc, "sources"))
        return
    c.graph.add((claim, CG.sourcesInherited, Literal(True)))
    for i, source in enumerate(r.sources):
        c.ref(claim, CG.source, source, CG.Source, r.id, raw, ("sources", i))
