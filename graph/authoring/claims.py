"""The claims a record makes inside itself: attribute claims and role claims, with the date,
confidence and sources they share with events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from graph.authoring.fields import link, links, text
from graph.authoring.reader import YamlMap
from graph.namespaces import CG, CGV

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["attributes", "claim_fields", "role_claims"]


def claim_fields(
    c: FileCompiler, claim: URIRef, entry: Any, r: Any, raw: YamlMap, loc: tuple
) -> None:
    """Date, confidence and sources: what role and attribute claims share with events."""
    c.full_date(claim, entry.date, r.id, raw, (*loc, "date"))
    c.graph.add((claim, CG.confidence, Literal(entry.confidence or "reported")))
    c.refs(claim, CG.source, entry.sources, CG.Source, r.id, raw, (*loc, "sources"))


#: The record fields whose value an attribute claim gives instead, where sources disagree.
_WRITTEN_AS = {"start_date": ("start",), "end_date": ("end",), "place": ("place", "city")}


def attributes(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap) -> None:
    """The attribute claims of a record's ``attributes``, each with its own sources."""
    reported: set[str] = set()
    for i, entry in enumerate(r.attributes):
        given = [f for f in _WRITTEN_AS.get(entry.attribute, ()) if getattr(r, f, None) is not None]
        if given and entry.attribute not in reported:  # a plain value is never compared with claims
            reported.add(entry.attribute)
            message = (
                f"'{given[0]}' and a '{entry.attribute}' attribute are both given: where sources "
                f"disagree, leave '{given[0]}' out and write one '{entry.attribute}' attribute "
                "per value, each with its sources"
            )
            c.problem(raw, ("attributes", i, "attribute"), message, r.id)
        claim = c.sub_claim(r, "attr", i + 1, CG.AttributeClaim, entry)
        c.graph.add((claim, CG.about, node))
        concept = c.concept(
            CGV.Attributes, entry.attribute, r.id, raw, ("attributes", i, "attribute")
        )
        if concept is not None:
            c.graph.add((claim, CG.attribute, concept))
        c.graph.add((claim, CG.value, Literal(entry.value)))
        claim_fields(c, claim, entry, r, raw, ("attributes", i))


def role_claims(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap, kind: str = "role") -> None:
    """The role claims of a person's ``roles`` (``kind`` prefixes their ids: an extending file's
    claims must not collide with the defining file's)."""
    for i, entry in enumerate(r.roles):
        claim = c.sub_claim(r, kind, i + 1, CG.RoleClaim, entry)
        c.graph.add((claim, CG.about, node))
        concept = c.concept(CGV.Roles, entry.role, r.id, raw, ("roles", i, "role"))
        if concept is not None:
            c.graph.add((claim, CG.role, concept))
        text(c, claim, CG.roleText, entry.text)
        how = {"inherited": entry.sources, "parent": entry}
        at, case = entry.at, entry.case
        link(c, claim, CG.atOrganisation, at, CG.Organisation, r, raw, ("roles", i, "at"), **how)
        links(c, claim, CG.forPerson, entry.for_, CG.Person, r, raw, ("roles", i, "for"), **how)
        link(c, claim, CG.inCase, case, CG.Case, r, raw, ("roles", i, "case"), **how)
        claim_fields(c, claim, entry, r, raw, ("roles", i))
