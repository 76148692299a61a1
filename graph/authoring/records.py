"""The sections of a case file as pydantic models: which fields each record has, of which types.

The models check the shape of each record (which fields, which types); values from the vocabulary
and dates are checked when the record is compiled, because they depend on the ontology files.
:mod:`graph.authoring.messages` turns their validation errors into problems a researcher can act on.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

__all__ = ["ID_PATTERN", "SECTIONS", "LinkEntry", "LinkRef", "Record", "link_id"]

#: What an id looks like: letters, digits, _ and -, starting with a letter.
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
_LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Ids = list[Id]
Lang = Annotated[str, Field(pattern=_LANG_PATTERN)]
Visibility = Literal["public", "restricted"]
Confidence = Literal["confirmed", "reported", "alleged", "disputed"]


class _Model(BaseModel):
    """Unknown fields are errors; numbers written without quotes are read as text where text is due."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Record(_Model):
    """Fields every record has."""

    id: Id
    note: str | None = None
    visibility: Visibility | None = None


class _Sourced(Record):
    sources: Annotated[Ids, Field(min_length=1)]


class _SubClaim(_Model):
    """An entry inside a record (a role, an attribute, a spelling) that becomes a claim of its own."""

    note: str | None = None
    visibility: Visibility | None = None


class NameEntry(_SubClaim):
    name: str
    lang: Lang | None = None
    script: str | None = None
    sources: Ids = Field(default_factory=list)


Spelling = Annotated[
    Annotated[str, Tag("text")] | Annotated[NameEntry, Tag("entry")],
    Discriminator(lambda value: "entry" if isinstance(value, dict) else "text"),
]


class Role(_SubClaim):
    role: str
    text: str | None = None
    at: LinkRef | None = None
    for_: Links = Field(default_factory=list, alias="for")
    case: LinkRef | None = None
    date: str | None = None
    confidence: Confidence | None = None
    sources: Annotated[Ids, Field(min_length=1)]


class LinkEntry(_SubClaim):
    """A link written as a mapping: the record linked to, with the link's own sources and date."""

    id: Id
    sources: Ids = Field(default_factory=list)
    date: str | None = None
    confidence: Confidence | None = None


#: A link to another record: a plain id (cited with the record) or a mapping with its own sources.
LinkRef = Annotated[
    Annotated[Id, Tag("id")] | Annotated[LinkEntry, Tag("link")],
    Discriminator(lambda value: "link" if isinstance(value, dict | LinkEntry) else "id"),
]
Links = list[LinkRef]


def link_id(value: str | LinkEntry) -> str:
    """The id a link points at, however it is written."""
    return value if isinstance(value, str) else value.id


class Attribute(_SubClaim):
    attribute: str
    value: str
    date: str | None = None
    confidence: Confidence | None = None
    sources: Annotated[Ids, Field(min_length=1)]


#: A whole number written as one (not true/false, not 2.5 or "3"), at least 1 or 0.
Positive = Annotated[int, Field(strict=True, ge=1)]
NonNegative = Annotated[int, Field(strict=True, ge=0)]


class ChargeEntry(_SubClaim):
    """A charge with the words a source used for it (docs/format.md, "Sentences with several
    parts"); the wording's own sources, else it is cited with the event."""

    term: str
    wording: str | None = None
    lang: Lang | None = None
    confidence: Confidence | None = None
    sources: Ids = Field(default_factory=list)


#: A charge: a plain notation or a mapping with the source's wording.
ChargeRef = Annotated[
    Annotated[str, Tag("term")] | Annotated[ChargeEntry, Tag("entry")],
    Discriminator(lambda value: "entry" if isinstance(value, dict | ChargeEntry) else "term"),
]


class SentenceEntry(_SubClaim):
    """One part of a sentence: its kind, how many, its length, lashes, fine, place and charge."""

    term: str
    count: Positive | None = None
    years: NonNegative | None = None
    months: NonNegative | None = None
    days: NonNegative | None = None
    lashes: Positive | None = None
    amount: Positive | None = None
    currency: str | None = None
    place: Id | None = None
    place_text: str | None = None
    for_charge: str | None = None
    text: str | None = None
    confidence: Confidence | None = None
    sources: Ids = Field(default_factory=list)


SentencePart = Annotated[
    Annotated[str, Tag("term")] | Annotated[SentenceEntry, Tag("entry")],
    Discriminator(lambda value: "entry" if isinstance(value, dict | SentenceEntry) else "term"),
]


def _sentence_form(value: object) -> str:
    """Which form an event's ``sentence`` takes: one term, one part, or a list of parts."""
    if isinstance(value, list):
        return "parts"
    return "entry" if isinstance(value, dict | SentenceEntry) else "term"


#: An event's sentence: a plain term (the old form), one part, or a list of parts.
Sentence = Annotated[
    Annotated[str, Tag("term")]
    | Annotated[SentenceEntry, Tag("entry")]
    | Annotated[list[SentencePart], Tag("parts"), Field(min_length=1)],
    Discriminator(_sentence_form),
]


class _Named(_Sourced):
    name: str
    names: list[Spelling] = Field(default_factory=list)
    #: Values sources give, each with its own sources; every entity type can hold them.
    attributes: list[Attribute] = Field(default_factory=list)


class Source(Record):
    title: str
    publisher: str
    url: str | None = None
    date: str | None = None
    date_basis: Literal["page", "url"] | None = None
    language: Lang | None = None
    reliability: str
    mirror_of: Id | None = None
    published_by: Id | None = None


class Organisation(_Named):
    kind: Literal["human_rights", "news", "state", "international", "other"]
    based_in: str | None = None


class Court(_Named):
    type: str
    branch: str | None = None
    part_of: LinkRef | None = None
    city: str | None = None


class Prison(_Named):
    city: str | None = None


class Place(_Named):
    city: str | None = None


class Protest(_Named):
    start: str | None = None
    end: str | None = None
    place: str | None = None
    part_of: LinkRef | None = None


class Campaign(_Named):
    start: str | None = None
    origin_prison: LinkRef | None = None
    founding_participants: Links = Field(default_factory=list)
    participating_prisons: Links = Field(default_factory=list)
    protests: Links = Field(default_factory=list)


class Person(_Named):
    roles: list[Role] = Field(default_factory=list)
    protests: Links = Field(default_factory=list)


class Case(_Sourced):
    name: str
    defendants: Links = Field(default_factory=list)
    victims: Links = Field(default_factory=list)
    court: LinkRef | None = None
    incident: str | None = None
    protests: Links = Field(default_factory=list)
    attributes: list[Attribute] = Field(default_factory=list)


class Event(_Sourced):
    type: str
    date: str | None = None
    date_text: str | None = None
    reported: str | None = None
    people: Links = Field(default_factory=list)
    co_defendants: Links = Field(default_factory=list)
    actors: Links = Field(default_factory=list)
    court: LinkRef | None = None
    judge: LinkRef | None = None
    charges: list[ChargeRef] = Field(default_factory=list)
    sentence: Sentence | None = None
    sentence_term: str | None = None
    place: LinkRef | None = None
    place_text: str | None = None
    protest: LinkRef | None = None
    campaign: LinkRef | None = None
    case: LinkRef | None = None
    week: int | None = None
    prison_count: int | None = None
    prisons: Links = Field(default_factory=list)
    joined_prisons: Links = Field(default_factory=list)
    documented_by: Links = Field(default_factory=list)
    contradicts: Links = Field(default_factory=list)
    confidence: Confidence | None = None


class Extension(Record):
    """Claims a file adds to a record that another file (or the store) defines: only claim
    fields; the record's own fields (its name, type, dates) stay with the file that defines it.

    ``sources`` are what its plain links are cited with (a link may give its own instead).
    """

    sources: Ids = Field(default_factory=list)
    names: list[Spelling] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    attributes: list[Attribute] = Field(default_factory=list)
    protests: Links = Field(default_factory=list)
    founding_participants: Links = Field(default_factory=list)
    participating_prisons: Links = Field(default_factory=list)
    defendants: Links = Field(default_factory=list)
    victims: Links = Field(default_factory=list)


#: The sections of a case file, in the order the format lists them, with their record models.
SECTIONS: dict[str, type[Record]] = {
    "sources": Source,
    "organisations": Organisation,
    "courts": Court,
    "prisons": Prison,
    "places": Place,
    "protests": Protest,
    "campaigns": Campaign,
    "people": Person,
    "cases": Case,
    "events": Event,
    "extends": Extension,
}
