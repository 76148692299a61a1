"""Authoring: turning the files researchers write (YAML case files, RDF files) into RDF.

``reader`` parses YAML safely with line numbers, ``records`` checks each record's shape, and
``compile`` writes the triples of docs/rdf-mapping.md. This module holds what they hand back to
:mod:`graph.reading`: which records a file defines and which ids it refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

__all__ = ["RecordInfo", "Reference"]


@dataclass(frozen=True)
class RecordInfo:
    """A record a file defines: its id, IRI, section, line and classes (for reference checks)."""

    id: str
    iri: URIRef
    section: str
    line: int | None
    classes: frozenset[URIRef]


@dataclass(frozen=True)
class Reference:
    """A use of an id that the loader must resolve to a record of class ``expected``."""

    from_id: str
    field: str
    target_id: str
    target: URIRef
    expected: URIRef
    line: int | None
