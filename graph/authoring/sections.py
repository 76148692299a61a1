"""The triples of each section of a case file (the tables of docs/rdf-mapping.md), one function each.

Sources are written by :mod:`graph.authoring.sources`, links by :mod:`graph.authoring.fields`,
attribute and role claims by :mod:`graph.authoring.claims`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from graph.authoring import sentences
from graph.authoring.claims import attributes, role_claims
from graph.authoring.fields import link, links, text
from graph.authoring.reader import YamlMap
from graph.authoring.records import LinkEntry, link_id
from graph.authoring.sources import source
from graph.namespaces import CG, CGV, ID
from graph.resources import event_class

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["EMITTERS"]

#: The class of an organisation by its ``kind`` (docs/rdf-mapping.md, "Entities").
ORGANISATION_CLASSES = {
    "human_rights": CG.HumanRightsOrganisation,
    "news": CG.NewsOutlet,
    "state": CG.StateBody,
    "international": CG.InternationalBody,
    "other": CG.Organisation,
}


def _typed_date(
    c: FileCompiler, node: URIRef, predicate: URIRef, r: Any, raw: YamlMap, field: str
) -> None:
    found = c.typed_date(getattr(r, field), r.id, raw, (field,))
    if found is not None:
        c.graph.add((node, predicate, found[0]))


def organisation(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("organisations", r, raw, ORGANISATION_CLASSES[r.kind])
    c.names(node, r, raw)
    text(c, node, CG.basedIn, r.based_in)
    attributes(c, node, r, raw)


def court(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("courts", r, raw, CG.CourtBranch if r.branch is not None else CG.Court)
    c.names(node, r, raw)
    concept = c.concept(CGV.CourtTypes, r.type, r.id, raw, ("type",))
    if concept is not None:
        c.graph.add((node, CG.courtType, concept))
    text(c, node, CG.branchNumber, r.branch)
    link(c, node, CG.partOf, r.part_of, CG.Court, r, raw, ("part_of",))
    text(c, node, CG.city, r.city)
    attributes(c, node, r, raw)


def _place(section: str, cls: URIRef) -> Callable[[FileCompiler, Any, YamlMap], None]:
    def emit(c: FileCompiler, r: Any, raw: YamlMap) -> None:
        node = c.start(section, r, raw, cls)
        c.names(node, r, raw)
        text(c, node, CG.city, r.city)
        attributes(c, node, r, raw)

    return emit


def protest(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("protests", r, raw, CG.Protest)
    c.names(node, r, raw)
    _typed_date(c, node, CG.startDate, r, raw, "start")
    _typed_date(c, node, CG.endDate, r, raw, "end")
    text(c, node, CG.placeText, r.place)
    link(c, node, CG.partOf, r.part_of, CG.Protest, r, raw, ("part_of",))
    attributes(c, node, r, raw)


def campaign(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("campaigns", r, raw, CG.Campaign)
    c.names(node, r, raw)
    _typed_date(c, node, CG.startDate, r, raw, "start")
    link(c, node, CG.originPrison, r.origin_prison, CG.Prison, r, raw, ("origin_prison",))
    links(
        c,
        node,
        CG.foundingParticipant,
        r.founding_participants,
        CG.Person,
        r,
        raw,
        ("founding_participants",),
    )
    links(
        c,
        node,
        CG.participatingPrison,
        r.participating_prisons,
        CG.Prison,
        r,
        raw,
        ("participating_prisons",),
    )
    links(c, node, CG.protest, r.protests, CG.Protest, r, raw, ("protests",))
    attributes(c, node, r, raw)


def person(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("people", r, raw, CG.Person)
    c.names(node, r, raw)
    role_claims(c, node, r, raw)
    attributes(c, node, r, raw)
    links(c, node, CG.protest, r.protests, CG.Protest, r, raw, ("protests",))


def case(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    node = c.start("cases", r, raw, CG.Case)
    c.names(node, r, raw)
    links(c, node, CG.defendant, r.defendants, CG.Person, r, raw, ("defendants",))
    links(c, node, CG.victim, r.victims, CG.Person, r, raw, ("victims",))
    link(c, node, CG.court, r.court, CG.Court, r, raw, ("court",))
    text(c, node, CG.allegedIncident, r.incident)
    links(c, node, CG.protest, r.protests, CG.Protest, r, raw, ("protests",))
    attributes(c, node, r, raw)


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
    text(c, node, CG.dateText, r.date_text)
    _typed_date(c, node, CG.reportedDate, r, raw, "reported")
    for field, predicate, expected in _EVENT_LINKS:
        value = getattr(r, field)
        if isinstance(value, list):
            links(c, node, predicate, value, expected, r, raw, (field,))
        else:
            link(c, node, predicate, value, expected, r, raw, (field,))
    for target in r.joined_prisons:
        restricted = isinstance(target, LinkEntry) and (c.entry_visibility(r, target) != "public")
        c.graph.add((node, CG.participatingPrison, ID[link_id(target)]), restricted=restricted)
    for target in r.contradicts:  # both ways; a restricted entry's reverse link stays restricted
        restricted = isinstance(target, LinkEntry) and (c.entry_visibility(r, target) != "public")
        c.graph.add((ID[link_id(target)], CG.contradicts, node), restricted=restricted)
    sentences.charges(c, node, r, raw)
    sentences.sentence(c, node, r, raw)
    text(c, node, CG.placeText, r.place_text)
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
