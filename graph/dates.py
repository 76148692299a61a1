"""Parsing the date expressions of case files (docs/format.md, "Dates") into typed RDF values.

A date is a day, a month or a year, in the Gregorian calendar or (with ``SH`` at the end) the Solar
Hijri one, optionally qualified: ``around X``, ``before X``, ``after X`` or ``X/Y`` (between).

>>> parse_date("2026-01").literal
rdflib.term.Literal('2026-01', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
>>> d = parse_date("1404-10-30 SH")
>>> str(d.literal), d.calendar, d.original
('2026-01-20', 'solar-hijri', '1404-10-30 SH')
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import jdatetime
import rdflib.namespace as _rdfns
from rdflib import Literal, URIRef

__all__ = ["DateError", "ParsedDate", "parse_date"]

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SH_SUFFIX = re.compile(r"\s+SH$", re.IGNORECASE)
_QUALIFIER = re.compile(r"^(around|before|after)\s+(.+)$", re.IGNORECASE)
_DAY = datetime.timedelta(days=1)
# Bound once: XSD is an open namespace that warns when doctest collection probes it.
_DATE: URIRef = _rdfns.XSD.date
_YEAR_MONTH: URIRef = _rdfns.XSD.gYearMonth
_YEAR: URIRef = _rdfns.XSD.gYear


class DateError(ValueError):
    """A date expression that cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class ParsedDate:
    """A date as the graph stores it: a typed value where one is true, and the span it allows."""

    literal: Literal | None
    earliest: datetime.date | None
    latest: datetime.date | None
    qualifier: str
    original: str | None
    calendar: str


@dataclass(frozen=True)
class _Span:
    """One side of a date expression: its first and last possible Gregorian day and typed value."""

    earliest: datetime.date
    latest: datetime.date
    literal: Literal | None


def _gregorian_literal(year: int, month: int | None, day: int | None) -> Literal:
    if day is not None and month is not None:
        return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=_DATE)
    if month is not None:
        return Literal(f"{year:04d}-{month:02d}", datatype=_YEAR_MONTH)
    return Literal(f"{year:04d}", datatype=_YEAR)


def _gregorian(text: str, year: int, month: int | None, day: int | None) -> _Span:
    if 1300 <= year <= 1499:
        raise DateError(
            f"'{text}' has the year {year}, which is almost certainly a Solar Hijri year "
            f"(1404 SH is 2025-26): write '{text} SH' if it is, or correct the year"
        )
    try:
        first = datetime.date(year, month or 1, day or 1)
        if day is not None:
            last = first
        elif month is not None:
            last = first.replace(day=calendar.monthrange(year, month)[1])
        else:
            last = datetime.date(year, 12, 31)
    except ValueError:
        raise DateError(f"'{text}' is not a real calendar date") from None
    return _Span(first, last, _gregorian_literal(year, month, day))


def _solar_hijri(text: str, year: int, month: int | None, day: int | None) -> _Span:
    try:
        first_sh = jdatetime.date(year, month or 1, day or 1)
        if day is not None:
            next_sh = first_sh + jdatetime.timedelta(days=1)
        elif month is not None:
            next_sh = jdatetime.date(year + month // 12, month % 12 + 1, 1)
        else:
            next_sh = jdatetime.date(year + 1, 1, 1)
    except ValueError:
        raise DateError(f"'{text} SH' is not a real Solar Hijri date") from None
    first = first_sh.togregorian()
    last = next_sh.togregorian() - _DAY
    if first == last:
        literal: Literal | None = _gregorian_literal(first.year, first.month, first.day)
    elif first.year == last.year:
        literal = _gregorian_literal(first.year, None, None)  # the coarsest form that is true
    else:
        literal = None
    return _Span(first, last, literal)


def _span(text: str, solar_hijri: bool) -> _Span:
    """Read one day, month or year (without qualifier) in the given calendar."""
    match = _PART.match(text)
    if match is None:
        raise DateError(
            f"cannot read '{text}' as a date: write YYYY-MM-DD, YYYY-MM or YYYY "
            "(optionally with 'around', 'before', 'after', 'A/B' or ' SH')"
        )
    year, month, day = (int(g) if g is not None else None for g in match.groups())
    assert year is not None
    return (_solar_hijri if solar_hijri else _gregorian)(text, year, month, day)


def _side(text: str, solar_hijri: bool) -> tuple[_Span, bool]:
    """One side of a range, which may carry its own ``SH``; returns the span and its calendar."""
    stripped = _SH_SUFFIX.sub("", text.strip())
    own = stripped != text.strip()
    return _span(stripped, solar_hijri or own), solar_hijri or own


def parse_date(text: str) -> ParsedDate:
    """Read a date expression of a case file; raises DateError with a plain-words reason.

    >>> d = parse_date("2026-01-08/2026-01-10")
    >>> d.literal, d.earliest, d.latest, d.qualifier
    (None, datetime.date(2026, 1, 8), datetime.date(2026, 1, 10), 'between')
    >>> parse_date("before 2026-02-07").latest
    datetime.date(2026, 2, 6)
    >>> d = parse_date("1404-10 SH")
    >>> d.literal, d.earliest, d.latest, d.qualifier
    (None, datetime.date(2025, 12, 22), datetime.date(2026, 1, 20), 'between')
    >>> parse_date("1404-01-05")
    Traceback (most recent call last):
    ...
    graph.dates.DateError: '1404-01-05' has the year 1404, which is almost certainly a Solar Hijri year (1404 SH is 2025-26): write '1404-01-05 SH' if it is, or correct the year
    """
    return _parse(str(text))


@lru_cache(maxsize=1 << 14)
def _parse(text: str) -> ParsedDate:
    """:func:`parse_date`, once per text: a big file repeats its dates many times."""
    original = " ".join(str(text).split())
    if not original:
        raise DateError("the date is empty: leave 'date' out and use 'date_text' instead")
    body = original
    qualifier = "exact"
    match = _QUALIFIER.match(body)
    if match is not None:
        qualifier, body = match.group(1).lower(), match.group(2)
    whole_sh = _SH_SUFFIX.search(body) is not None
    if "/" in body:
        if qualifier != "exact":
            raise DateError(f"'{original}': a range 'A/B' cannot also be '{qualifier}'")
        left, right = body.split("/", 1)
        if "/" in right:
            raise DateError(f"'{original}': a range has exactly two sides, 'A/B'")
        # "1404-10-01/1404-10-05 SH": a trailing SH applies to both sides.
        start, sh_left = _side(left, whole_sh and not _SH_SUFFIX.search(left))
        end, sh_right = _side(right, False)
        if start.earliest > end.latest:
            raise DateError(f"'{original}': the first date comes after the second")
        return ParsedDate(
            None,
            start.earliest,
            end.latest,
            "between",
            original if (sh_left or sh_right) else None,
            "solar-hijri" if (sh_left or sh_right) else "gregorian",
        )
    span, solar_hijri = _side(body, False)
    earliest: datetime.date | None = span.earliest
    latest: datetime.date | None = span.latest
    literal = span.literal
    if qualifier == "before":
        earliest, latest, literal = None, span.earliest - _DAY, None
    elif qualifier == "after":
        earliest, latest, literal = span.latest + _DAY, None, None
    elif qualifier == "exact" and literal is None:
        qualifier = "between"  # a Solar Hijri month or year that no single Gregorian form covers
    return ParsedDate(
        literal,
        earliest,
        latest,
        qualifier,
        original if solar_hijri else None,
        "solar-hijri" if solar_hijri else "gregorian",
    )
