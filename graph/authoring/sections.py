"""The triples of each section of a case file (the tables of docs/rdf-mapping.md), one function each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rdflib.namespace as _rdfns
from rdflib import Literal, URIRef

from graph.authoring import Reference, sentences
from graph.authoring.messages import field_name
from graph.authoring.reader import YamlMap, line_at
from graph.authoring.records import LinkEntry, link_id
from graph.names import fold
from graph.namespaces import CG, CGV, ID
from graph.resources import event_class

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["EMITTERS", "finish"]

_ANY_URI: URIRef = _rdfns.XSD.anyURI

#: The class of an organisation by its ``kind`` (docs/rdf-mapping.md, "Entities").
ORGANISATION_CLASSES = {
    "human_rights": CG.HumanRightsOrganisation,
    "news": CG.NewsOutlet,
    "state": CG.StateBody,
    "international": CG.InternationalBody,
    "other": CG.Organisation,
}


def _text(c: FileCompiler, node: URIRef, predicate: URIRef, value: str | None) -> None:
    if value is not None:
        c.graph.add((node, predicate, Literal(value)))


def _typed_date(
    c: FileCompiler, node: URIRef, predicate: URIRef, r: Any, raw: YamlMap, field: str
) -> None:
    found = c.typed_date(getattr(r, field), r.id, raw, (field,))
    if found is not None:
        c.graph.add((node, predicate, found[0]))


def _claim_fields(
    c: FileCompiler, claim: URIRef, entry: Any, r: Any, raw: YamlMap, loc: tuple
) -> None:
    """Date, confidence and sources: what role and attribute claims share with events."""
    c.full_date(claim, entry.date, r.id, raw, (*loc, "date"))
    c.graph.add((claim, CG.confidence, Literal(entry.confidence or "reported")))
    c.refs(claim, CG.source, entry.sources, CG.Source, r.id, raw, (*loc, "sources"))


_VISIBILITY = {"public": CG.Public, "restricted": CG.Restricted}


def _link(
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


def _links(
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
    """Links to a list of records (see :func:`_link`); each item's line is kept."""
    for i, item in enumerate(items):
        _link(c, node, predicate, item, expected, r, raw, (*loc, i), **how)


#: The record fields whose value an attribute claim gives instead, where sources disagree.
_WRITTEN_AS = {"start_date": ("start",), "end_date": ("end",), "place": ("place", "city")}


def _attributes(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap) -> None:
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
        _claim_fields(c, claim, entry, r, raw, ("attributes", i))


def source(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("sources", r, raw, CG.Source)
    _text(c, node, CG.title, r.title)
    _text(c, node, CG.publisher, r.publisher)
    if r.url is not None:
        _url(c, node, r.url, r.id, raw)
    found = c.typed_date(r.date, r.id, raw, ("date",))
    if found is not None:
        c.graph.add((node, CG.publishedDate, found[0]))
        c.original(node, found[1])
    _text(c, node, CG.dateBasis, r.date_basis)
    _text(c, node, CG.language, r.language)
    grade = c.concept(CGV.Reliability, r.reliability, r.id, raw, ("reliability",))
    if grade is not None:
        c.graph.add((node, CG.reliability, grade))
    if r.mirror_of is not None:
        c.ref(node, CG.mirrorOf, r.mirror_of, CG.Source, r.id, raw, ("mirror_of",))
    if r.published_by is not None:
        c.ref(node, CG.publishedBy, r.published_by, CG.Organisation, r.id, raw, ("published_by",))
    c.source_keys[r.id] = (
        node,
        source_key(r.publisher, r.published_by),
        r.mirror_of,
        r.published_by,
    )


def source_key(publisher: str, published_by: str | None) -> str:
    """A source's own independence key: its organisation's id, else its publisher folded.

    >>> source_key("Example Daily (A. Writer)", None), source_key("Example Daily", "org_x")
    ('example daily', 'org:org_x')
    """
    if published_by is not None:
        return f"org:{published_by}"  # one organisation, however its name is written
    return fold(publisher.split("(", 1)[0]) or fold(publisher)  # the publisher up to any "("


#: A web address: http or https, a host, then no spaces (the shapes' sh:pattern on cg:url says
#: the same, so YAML and RDF files are held to one rule).
_WEB_ADDRESS = re.compile(r"^https?://[^/?#\s]+([/?#]\S*)?$", re.IGNORECASE)


def _url(c: FileCompiler, node: URIRef, url: str, rid: str, raw: YamlMap) -> None:
    """A source's address, typed xsd:anyURI; only a web address (http or https, with a host)."""
    if not _WEB_ADDRESS.match(url) or any(char.isspace() for char in url):
        shown = url if len(url) <= 80 else url[:80] + "…"
        message = (
            f"'{shown}' is not a web address: a url starts with http:// or https:// and a host, "
            "such as https://example.org/page"
        )
        c.problem(raw, ("url",), message, rid)
        return
    c.graph.add((node, CG.url, Literal(url, datatype=_ANY_URI)))


def finish(c: FileCompiler) -> None:
    """What needs the whole file: ``cg:independenceKey`` of each source, following its mirrors.

    A mirror takes the key of the source it mirrors when that source is in the same file. A key
    that comes from a restricted record of the file (a mirrored source, or the organisation that
    published the source the key is taken from) is marked restricted: it names that record.
    """
    for rid, (node, key, mirror_of, published_by) in c.source_keys.items():
        seen = {rid}
        hidden = False
        while mirror_of is not None and mirror_of in c.source_keys and mirror_of not in seen:
            seen.add(mirror_of)
            hidden = hidden or mirror_of not in c.public_ids
            _, key, mirror_of, published_by = c.source_keys[mirror_of]
        if published_by is not None and published_by in c.records:
            hidden = hidden or published_by not in c.public_ids
        c.graph.add((node, CG.independenceKey, Literal(key)), hidden and rid in c.public_ids)


def organisation(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("organisations", r, raw, ORGANISATION_CLASSES[r.kind])
    c.names(node, r, raw)
    _text(c, node, CG.basedIn, r.based_in)
    _attributes(c, node, r, raw)


def court(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("courts", r, raw, CG.CourtBranch if r.branch is not None else CG.Court)
    c.names(node, r, raw)
    concept = c.concept(CGV.CourtTypes, r.type, r.id, raw, ("type",))
    if concept is not None:
        c.graph.add((node, CG.courtType, concept))
    _text(c, node, CG.branchNumber, r.branch)
    _link(c, node, CG.partOf, r.part_of, CG.Court, r, raw, ("part_of",))
    _text(c, node, CG.city, r.city)
    _attributes(c, node, r, raw)


def _place(section: str, cls: URIRef) -> Callable[[FileCompiler, Any, YamlMap], None]:
    def emit(c: FileCompiler, r: Any, raw: YamlMap) -> None:
        node = c.start(section, r, raw, cls)
        c.names(node, r, raw)
        _text(c, node, CG.city, r.city)
        _attributes(c, node, r, raw)

    return emit


def protest(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("protests", r, raw, CG.Protest)
    c.names(node, r, raw)
    _typed_date(c, node, CG.startDate, r, raw, "start")
    _typed_date(c, node, CG.endDate, r, raw, "end")
    _text(c, node, CG.placeText, r.place)
    _link(c, node, CG.partOf, r.part_of, CG.Protest, r, raw, ("part_of",))
    _attributes(c, node, r, raw)


def campaign(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("campaigns", r, raw, CG.Campaign)
    c.names(node, r, raw)
    _typed_date(c, node, CG.startDate, r, raw, "start")
    _link(c, node, CG.originPrison, r.origin_prison, CG.Prison, r, raw, ("origin_prison",))
    _links(
        c,
        node,
        CG.foundingParticipant,
        r.founding_participants,
        CG.Person,
        r,
        raw,
        ("founding_participants",),
    )
    _links(
        c,
        node,
        CG.participatingPrison,
        r.participating_prisons,
        CG.Prison,
        r,
        raw,
        ("participating_prisons",),
    )
    _links(c, node, CG.protest, r.protests, CG.Protest, r, raw, ("protests",))
    _attributes(c, node, r, raw)


def role_claims(c: FileCompiler, node: URIRef, r: Any, raw: YamlMap, kind: str = "role") -> None:
    """The role claims of a person's ``roles`` (``kind`` prefixes their ids: an extending file's
    claims must not collide with the defining file's)."""
    for i, entry in enumerate(r.roles):
        claim = c.sub_claim(r, kind, i + 1, CG.RoleClaim, entry)
        c.graph.add((claim, CG.about, node))
        concept = c.concept(CGV.Roles, entry.role, r.id, raw, ("roles", i, "role"))
        if concept is not None:
            c.graph.add((claim, CG.role, concept))
        _text(c, claim, CG.roleText, entry.text)
        how = {"inherited": entry.sources, "parent": entry}
        at, case = entry.at, entry.case
        _link(c, claim, CG.atOrganisation, at, CG.Organisation, r, raw, ("roles", i, "at"), **how)
        _links(c, claim, CG.forPerson, entry.for_, CG.Person, r, raw, ("roles", i, "for"), **how)
        _link(c, claim, CG.inCase, case, CG.Case, r, raw, ("roles", i, "case"), **how)
        _claim_fields(c, claim, entry, r, raw, ("roles", i))


def person(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("people", r, raw, CG.Person)
    c.names(node, r, raw)
    role_claims(c, node, r, raw)
    _attributes(c, node, r, raw)
    _links(c, node, CG.protest, r.protests, CG.Protest, r, raw, ("protests",))


def case(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("cases", r, raw, CG.Case)
    c.names(node, r, raw)
    _links(c, node, CG.defendant, r.defendants, CG.Person, r, raw, ("defendants",))
    _links(c, node, CG.victim, r.victims, CG.Person, r, raw, ("victims",))
    _link(c, node, CG.court, r.court, CG.Court, r, raw, ("court",))
    _text(c, node, CG.allegedIncident, r.incident)
    _links(c, node, CG.protest, r.protests, CG.Protest, r, raw, ("protests",))
    _attributes(c, node, r, raw)


_EVENT_LINKS = (  # (field, property, class of the target) for the event fields that name records
    ("people", CG.person, CG.Person),
    ("co_defendants", CG.coDefendant, CG.Person),
    ("actors", CG.actor, CG.Agent),
    ("court", CG.court, CG.Court),
    ("judge", CG.judge, CG.Person),
    ("place", CG.place, CG.Place),
    ("protest", CG.protest, CG.Protest),
    ("campaign", CG.campaign, CG.Campaign),
    ("case", CG.case, CG.Case),
    ("prisons", CG.participatingPrison, CG.Prison),
    ("joined_prisons", CG.joinedPrison, CG.Prison),
    ("documented_by", CG.documentedBy, CG.Organisation),
    ("contradicts", CG.contradicts, CG.Event),
)


def event(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    concept = c.concept(CGV.EventTypes, r.type, r.id, raw, ("type",))
    node = c.start("events", r, raw, event_class(concept) if concept is not None else CG.Event)
    if concept is not None:
        c.graph.add((node, CG.eventType, concept))
    c.full_date(node, r.date, r.id, raw, ("date",))
    _text(c, node, CG.dateText, r.date_text)
    _typed_date(c, node, CG.reportedDate, r, raw, "reported")
    for field, predicate, expected in _EVENT_LINKS:
        value = getattr(r, field)
        if isinstance(value, list):
            _links(c, node, predicate, value, expected, r, raw, (field,))
        else:
            _link(c, node, predicate, value, expected, r, raw, (field,))
    for target in r.joined_prisons:
        restricted = isinstance(target, LinkEntry) and (c.entry_visibility(r, target) != "public")
        c.graph.add((node, CG.participatingPrison, ID[link_id(target)]), restricted=restricted)
    for target in r.contradicts:  # both ways; a restricted entry's reverse link stays restricted
        restricted = isinstance(target, LinkEntry) and (c.entry_visibility(r, target) != "public")
        c.graph.add((ID[link_id(target)], CG.contradicts, node), restricted=restricted)
    sentences.charges(c, node, r, raw)
    sentences.sentence(c, node, r, raw)
    _text(c, node, CG.placeText, r.place_text)
    for field, predicate in (("week", CG.weekNumber), ("prison_count", CG.prisonCount)):
        if getattr(r, field) is not None:
            c.graph.add((node, predicate, Literal(getattr(r, field))))
    c.graph.add((node, CG.confidence, Literal(r.confidence or "reported")))


#: The function that writes each section's records.
EMITTERS: dict[str, Callable[[FileCompiler, Any, YamlMap], None]] = {
    "sources": source,
    "organisations": organisation,
    "courts": court,
    "prisons": _place("prisons", CG.Prison),
    "places": _place("places", CG.Place),
    "protests": protest,
    "campaigns": campaign,
    "people": person,
    "cases": case,
    "events": event,
}
