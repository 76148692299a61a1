"""The event finder's form fields and facets (counts of the events found per value)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

__all__ = ["Facet", "FormField", "facets", "form_fields"]

#: Filters whose values are vocabulary notations, with the scheme that lists them.
_VOCABULARY = {
    "type": "EventTypes",
    "outcome": "EventTypes",
    "charge": "Charges",
    "sentence": "SentenceTypes",
    "court_type": "CourtTypes",
}
_LABELS = {"start": "from", "end": "to", "documented_by": "documented by"}
_HINTS = {
    "start": "YYYY-MM-DD, YYYY-MM, YYYY or '… SH'",
    "end": "YYYY-MM-DD, YYYY-MM, YYYY or '… SH'",
    "min_reliability": "high, medium, low or unverified",
}
#: Columns of the finder whose values are names the matching filter takes.
_FACETS = (("court", "court"), ("judge", "judge"), ("prison", "prison"), ("protest", "protest"))


@dataclass(frozen=True)
class FormField:
    """One field of the event finder's form."""

    name: str
    label: str
    value: Any
    kind: str  # text, select or checkbox
    choices: tuple[str, ...] = ()
    hint: str = ""


def _choices(scheme: str) -> tuple[str, ...]:
    from graph.namespaces import CGV
    from graph.resources import notations

    return tuple(notations(getattr(CGV, scheme)))


def form_fields(filters: Any) -> list[FormField]:
    """The form's fields, filled with the filters given."""
    found = []
    for item in fields(filters):
        value = getattr(filters, item.name)
        label = _LABELS.get(item.name, item.name.replace("_", " "))
        if isinstance(value, bool):
            found.append(FormField(item.name, label, value, "checkbox"))
        elif item.name in _VOCABULARY:
            choices = _choices(_VOCABULARY[item.name])
            found.append(FormField(item.name, label, value or "", "select", choices))
        else:
            hint = _HINTS.get(item.name, "a name in any spelling, or a record id")
            found.append(FormField(item.name, label, value or "", "text", hint=hint))
    return found


@dataclass(frozen=True)
class Facet:
    """The values of one column among the events found, with counts and narrowing links."""

    label: str
    values: list[tuple[str, int, str]]


def facets(request: Request, table: Any) -> list[Facet]:
    """Per court, judge, prison and protest: how many events found name it, and a link adding
    it as a filter."""
    given = {k: v for k, v in request.query_params.items() if v and k != "format"}
    found = []
    for column, option in _FACETS:
        if option in given:
            continue
        counts = Counter(
            value.strip() for row in table.rows for value in row[column].split(";") if value.strip()
        )
        links = [
            (value, count, "/events?" + urlencode({**given, option: value}))
            for value, count in counts.most_common(12)
        ]
        if links:
            found.append(Facet(column, links))
    return found
