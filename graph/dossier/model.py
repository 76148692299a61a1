"""The dossier as data: plain dataclasses that the terminal, JSON, the server's entity page and the
view's side panel all render, so none of them knows how the facts were gathered."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = [
    "Difference",
    "Dossier",
    "EventEntry",
    "Fact",
    "FieldEntry",
    "LinkFact",
    "Mention",
    "Name",
    "Section",
    "SourceRef",
    "Value",
    "Version",
]


@dataclass
class SourceRef:
    """A cited source, as the dossier lists it."""

    id: str
    title: str
    publisher: str
    date: str = ""
    url: str = ""
    reliability: str = ""
    restricted: bool = False


@dataclass
class Name:
    """Another spelling of the entity's name."""

    name: str
    restricted: bool = False


@dataclass
class Mention:
    """A record an event names (a person, court, place...), as the event's fields show it."""

    field: str
    id: str
    name: str
    restricted: bool = False


@dataclass
class Fact:
    """An attribute or role claim about the entity, or another claim about it (a sentence
    component, a charge as worded: ``kind`` is then the claim's class label)."""

    kind: str
    label: str
    value: str
    sources: list[str]
    confidence: str = ""
    contested: bool = False
    restricted: bool = False
    #: The records named in the value (organisation, person, case) that are restricted.
    restricted_parts: list[str] = field(default_factory=list)
    #: The claim's id, and the loaded file that made it (full store only).
    claim: str = ""
    file: str = ""


@dataclass
class LinkFact:
    """A link from the entity to another record (a campaign's protest), with the sources that state
    it: the link's own, or, when ``inherited``, its record's ("cited with the record")."""

    label: str
    id: str
    name: str
    sources: list[str]
    inherited: bool = True
    claim: str = ""
    restricted: bool = False
    #: The loaded file that made the link (full store only).
    file: str = ""


@dataclass
class Value:
    """One value of a described field, with the sources that state it.

    ``inherited`` says the sources are those of the record that makes the statement ("cited with
    the record"), not a link's own ("cited for this link"). ``id`` is set when the value is a
    record; ``detail`` adds what the statement says besides (a role, the court a branch belongs
    to, a link's note).
    """

    text: str
    id: str = ""
    sources: list[str] = field(default_factory=list)
    inherited: bool = True
    restricted: bool = False
    detail: str = ""
    claim: str = ""
    #: The loaded file that made the statement (full store only; empty on a public view).
    file: str = ""


@dataclass
class FieldEntry:
    """One field of a section (key and label from the dossier description), with its values."""

    key: str
    label: str
    values: list[Value]
    contested: bool = False


@dataclass
class Section:
    """A titled group of fields, in the order the description gives."""

    key: str
    title: str
    fields: list[FieldEntry]


@dataclass
class Difference:
    """A field in which two conflicting versions differ, with what each gives."""

    field: str
    this: list[str]
    other: list[str]


@dataclass
class Version:
    """A conflicting version of a fact about the entity (an event that contradicts another, or two
    values of a single-valued attribute), side by side with the fields that differ."""

    fact: str
    other: str
    kind: str
    differences: list[Difference]
    fact_sources: list[str] = field(default_factory=list)
    other_sources: list[str] = field(default_factory=list)


@dataclass
class EventEntry:
    """One event naming the entity, with everything the sources say about it."""

    id: str
    type: str
    date: str
    sort_key: str
    link: str
    fields: dict[str, list[str]]
    sources: list[str]
    contradicts: list[str]
    confidence: str = ""
    note: str = ""
    restricted: bool = False
    mentions: list[Mention] = field(default_factory=list)
    #: The loaded file that records the event (full store only).
    file: str = ""


@dataclass
class Dossier:
    """Everything the store says about one entity."""

    iri: str
    record_id: str
    name: str
    types: list[str]
    names: list[Name]
    restricted: bool
    note: str
    facts: list[Fact] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    links: list[LinkFact] = field(default_factory=list)
    #: The described fields of the entity's class (see ``ontology/dossier.yaml``).
    sections: list[Section] = field(default_factory=list)
    #: Conflicting versions of facts about the entity, with the fields that differ.
    contested: list[Version] = field(default_factory=list)
    #: The loaded file that made the record (full store only).
    file: str = ""
    #: The record's own sources (what "cited with the record" means for its own statements).
    record_sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A plain dict of plain values (stable keys; see docs/dossier.md), for JSON output."""
        return asdict(self)

    to_json = to_dict

    def to_text(self) -> str:
        """The dossier as a researcher reads it in a terminal."""
        from graph.dossier.text import render

        return render(self)
