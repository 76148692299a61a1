"""Authoring: turning the files researchers write (YAML case files, RDF files) into RDF.

``reader`` parses YAML safely with line numbers, ``records`` checks each record's shape, and
``compile`` writes the triples of docs/rdf-mapping.md. This module holds what they hand back to
:mod:`graph.reading`: which records a file defines and which ids it refers to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as text (see :func:`_iri`)."""
        classes = tuple(str(c) for c in self.classes)
        return (_record_info, (self.id, str(self.iri), self.section, self.line, classes))


@dataclass(frozen=True)
class Reference:
    """A use of an id that the loader must resolve to a record of class ``expected``."""

    from_id: str
    field: str
    target_id: str
    target: URIRef
    expected: URIRef
    line: int | None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as text (see :func:`_iri`)."""
        target, expected = str(self.target), str(self.expected)
        return (_reference, (self.from_id, self.field, self.target_id, target, expected, self.line))


@lru_cache(maxsize=1 << 16)
def _iri(text: str) -> URIRef:
    """One IRI object per text: a batch's compiled files come back from the processes that
    compiled them as pickles, and checking every IRI again took most of their unpickling."""
    return URIRef(text)


def _record_info(
    rid: str, iri: str, section: str, line: int | None, classes: tuple[str, ...]
) -> RecordInfo:
    return RecordInfo(rid, _iri(iri), section, line, frozenset(_iri(c) for c in classes))


def _reference(
    from_id: str, field: str, target_id: str, target: str, expected: str, line: int | None
) -> Reference:
    return Reference(from_id, field, target_id, _iri(target), _iri(expected), line)
