"""One field of a record as triples: a text value, or a link to another record (plain, or as a
link claim with its own sources, date and visibility)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rdflib.namespace as _rdfns
from rdflib import Literal, URIRef

from graph.authoring import Reference
from graph.authoring.messages import field_name
from graph.authoring.reader import YamlMap, line_at
from graph.authoring.records import LinkEntry
from graph.namespaces import CG, ID

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["link", "links", "text"]


def text(c: FileCompiler, node: URIRef, predicate: URIRef, value: str | None) -> None:
    """A plain text value, when the field is given."""
    if value is not None:
        c.graph.add((node, predicate, Literal(value)))


_VISIBILITY = {"public": CG.Public, "restricted": CG.Restricted}


def link(
    c: FileCompiler,
    node: URIRef,
    predicate: URIRef,
    item: str | LinkEntry | None,
    expected: URIRef,
    r: Any,
    raw: YamlMap,
    loc: tuple[int | str, ...],
    inherited: list[str] | None = None,
    parent: Any = None,
) -> None:
    """One link, written as a plain id or as a mapping with its own sources (a link claim).

    A plain id is cited with the record (no link claim). A mapping becomes a ``cg:LinkClaim``
    ``cgd:<subject>/link/<field>/<target>`` restating the link with its own sources; one without
    sources copies those of ``inherited`` (default: the record's) and says so
    (``cg:sourcesInherited true``). A restricted entry's link stays out of the public view.
    """
    if item is None:
        return
    if isinstance(item, str):
        c.ref(node, predicate, item, expected, r.id, raw, loc)
        return
    visibility = c.entry_visibility(r, parent) if parent is not None else c.record_visibility(r)
    if item.visibility is not None and visibility != "restricted":
        visibility = c.entry_visibility(r, item)
    restricted = visibility != "public"
    target = ID[item.id]
    if restricted and c.record_visibility(r) == "public":
        c.graph.add((node, predicate, target), restricted=True)
        c.references.append(
            Reference(
                r.id, field_name([*loc]), item.id, target, expected, line_at(raw, (*loc, "id"))
            )
        )
    else:
        c.ref(node, predicate, item.id, expected, r.id, raw, (*loc, "id"))
    field = [part for part in loc if isinstance(part, str)][-1]
    claim_id = f"{str(node)[len(str(ID)) :]}/link/{field}/{item.id}"
    claim = ID[claim_id]
    c.graph.add((claim, _rdfns.RDF.type, CG.LinkClaim))
    c.graph.add((claim, CG.recordId, Literal(claim_id)))
    if visibility is not None:
        c.graph.add((claim, CG.visibility, _VISIBILITY[visibility]))
    if item.note is not None:
        c.graph.add((claim, CG.note, Literal(item.note)))
    c.graph.add((claim, CG.about, node))
    c.graph.add((claim, CG.linkProperty, predicate))
    c.graph.add((claim, CG.linkTarget, target))
    c.full_date(claim, item.date, r.id, raw, (*loc, "date"))
    c.graph.add((claim, CG.confidence, Literal(item.confidence or "reported")))
    if item.sources:
        c.refs(claim, CG.source, item.sources, CG.Source, r.id, raw, (*loc, "sources"))
    else:
        c.graph.add((claim, CG.sourcesInherited, Literal(True)))
        for source in inherited if inherited is not None else r.sources:
            c.graph.add((claim, CG.source, ID[source]))


def links(
    c: FileCompiler,
    node: URIRef,
    predicate: URIRef,
    items: list[str | LinkEntry],
    expected: URIRef,
    r: Any,
    raw: YamlMap,
    loc: tuple[int | str, ...],
    **how: Any,
) -> None:
    """Links to a list of records (see :func:`link`); each item's line is kept."""
    for i, item in enumerate(items):
        link(c, node, predicate, item, expected, r, raw, (*loc, i), **how)
