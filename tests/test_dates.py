"""Date expressions of case files: every form of docs/format.md, and the ones that are refused."""

from __future__ import annotations

import datetime

import pytest
import rdflib.namespace as ns
from rdflib import Literal

from graph.dates import DateError, ParsedDate, parse_date

D = datetime.date
# Bound once: XSD is an open namespace that warns when doctest collection probes it.
DAY, MONTH, YEAR = ns.XSD.date, ns.XSD.gYearMonth, ns.XSD.gYear


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2026-01-20",
            ParsedDate(
                Literal("2026-01-20", datatype=DAY),
                D(2026, 1, 20),
                D(2026, 1, 20),
                "exact",
                None,
                "gregorian",
            ),
        ),
        (
            "2026-01",
            ParsedDate(
                Literal("2026-01", datatype=MONTH),
                D(2026, 1, 1),
                D(2026, 1, 31),
                "exact",
                None,
                "gregorian",
            ),
        ),
        (
            "2024-02",
            ParsedDate(
                Literal("2024-02", datatype=MONTH),
                D(2024, 2, 1),
                D(2024, 2, 29),
                "exact",
                None,
                "gregorian",
            ),
        ),
        (
            "2026",
            ParsedDate(
                Literal("2026", datatype=YEAR),
                D(2026, 1, 1),
                D(2026, 12, 31),
                "exact",
                None,
                "gregorian",
            ),
        ),
        (
            "around 2026-01-20",
            ParsedDate(
                Literal("2026-01-20", datatype=DAY),
                D(2026, 1, 20),
                D(2026, 1, 20),
                "around",
                None,
                "gregorian",
            ),
        ),
        (
            "around 2026-01",
            ParsedDate(
                Literal("2026-01", datatype=MONTH),
                D(2026, 1, 1),
                D(2026, 1, 31),
                "around",
                None,
                "gregorian",
            ),
        ),
        ("before 2026-02-07", ParsedDate(None, None, D(2026, 2, 6), "before", None, "gregorian")),
        ("before 2026-03", ParsedDate(None, None, D(2026, 2, 28), "before", None, "gregorian")),
        ("after 2025-12-28", ParsedDate(None, D(2025, 12, 29), None, "after", None, "gregorian")),
        ("after 2025", ParsedDate(None, D(2026, 1, 1), None, "after", None, "gregorian")),
        (
            "2026-01-08/2026-01-10",
            ParsedDate(None, D(2026, 1, 8), D(2026, 1, 10), "between", None, "gregorian"),
        ),
        (
            "2025-12/2026-01-10",
            ParsedDate(None, D(2025, 12, 1), D(2026, 1, 10), "between", None, "gregorian"),
        ),
        (
            "  Around   2026-01-20 ",
            ParsedDate(
                Literal("2026-01-20", datatype=DAY),
                D(2026, 1, 20),
                D(2026, 1, 20),
                "around",
                None,
                "gregorian",
            ),
        ),
    ],
)
def test_gregorian_forms(text: str, expected: ParsedDate) -> None:
    """Each Gregorian form gives its typed value (where one is true) and its earliest/latest day."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "literal", "earliest", "latest", "qualifier"),
    [
        # 30 Dey 1404 is 20 January 2026; 14 Bahman 1404 is 3 February 2026
        (
            "1404-10-30 SH",
            Literal("2026-01-20", datatype=DAY),
            D(2026, 1, 20),
            D(2026, 1, 20),
            "exact",
        ),
        (
            "1404-11-14 SH",
            Literal("2026-02-03", datatype=DAY),
            D(2026, 2, 3),
            D(2026, 2, 3),
            "exact",
        ),
        # Nowruz: 1 Farvardin 1404 is 21 March 2025
        (
            "1404-01-01 SH",
            Literal("2025-03-21", datatype=DAY),
            D(2025, 3, 21),
            D(2025, 3, 21),
            "exact",
        ),
        # 1403 is a leap year: its last day, 30 Esfand, is 20 March 2025
        (
            "1403-12-30 SH",
            Literal("2025-03-20", datatype=DAY),
            D(2025, 3, 20),
            D(2025, 3, 20),
            "exact",
        ),
        # Dey 1404 spans two Gregorian years: no single typed value is true
        ("1404-10 SH", None, D(2025, 12, 22), D(2026, 1, 20), "between"),
        # Mordad 1404 lies within 2025: the year is the coarsest true value
        (
            "1404-05 SH",
            Literal("2025", datatype=YEAR),
            D(2025, 7, 23),
            D(2025, 8, 22),
            "exact",
        ),
        # Esfand 1404 (29 days, not a leap year) ends the day before Nowruz 1405
        (
            "1404-12 SH",
            Literal("2026", datatype=YEAR),
            D(2026, 2, 20),
            D(2026, 3, 20),
            "exact",
        ),
        ("1404 SH", None, D(2025, 3, 21), D(2026, 3, 20), "between"),
        ("around 1404-10 SH", None, D(2025, 12, 22), D(2026, 1, 20), "around"),
        ("before 1404-10-30 SH", None, None, D(2026, 1, 19), "before"),
        ("after 1404-10 SH", None, D(2026, 1, 21), None, "after"),
        ("1404-10-01/1404-10-05 SH", None, D(2025, 12, 22), D(2025, 12, 26), "between"),
        ("1404-10-01 SH/2026-01-02", None, D(2025, 12, 22), D(2026, 1, 2), "between"),
        (
            "1404-10-30 sh",
            Literal("2026-01-20", datatype=DAY),
            D(2026, 1, 20),
            D(2026, 1, 20),
            "exact",
        ),
    ],
)
def test_solar_hijri_forms(
    text: str,
    literal: Literal | None,
    earliest: datetime.date | None,
    latest: datetime.date | None,
    qualifier: str,
) -> None:
    """Solar Hijri dates are converted; the original text and calendar are kept."""
    parsed = parse_date(text)
    assert (parsed.literal, parsed.earliest, parsed.latest) == (literal, earliest, latest)
    assert parsed.qualifier == qualifier
    assert parsed.original == " ".join(text.split())
    assert parsed.calendar == "solar-hijri"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1404-10-20", ["Solar Hijri", "'1404-10-20 SH'"]),
        ("1404", ["Solar Hijri", "'1404 SH'"]),
        ("1300-01", ["'1300-01 SH'"]),
        ("1499", ["'1499 SH'"]),
        ("before 1404-10-20", ["'1404-10-20 SH'"]),
        ("2026-01-08/1404-10-20", ["'1404-10-20 SH'"]),
        ("2026-02-30", ["not a real calendar date"]),
        ("2026-13", ["not a real calendar date"]),
        ("2025-02-29", ["not a real calendar date"]),
        ("1404-12-30 SH", ["not a real Solar Hijri date"]),
        ("1404-13 SH", ["not a real Solar Hijri date"]),
        ("2026-1-5", ["YYYY-MM-DD"]),
        ("20 January 2026", ["cannot read", "YYYY-MM-DD"]),
        ("", ["empty", "date_text"]),
        ("2026-01-10/2026-01-08", ["first date comes after the second"]),
        ("2026-01/2026-02/2026-03", ["exactly two sides"]),
        ("around 2026-01-08/2026-01-10", ["range"]),
    ],
)
def test_refused(text: str, words: list[str]) -> None:
    """Dates that cannot be read are refused with a reason in plain words."""
    with pytest.raises(DateError) as error:
        parse_date(text)
    for word in words:
        assert word in str(error.value)


def test_years_outside_the_solar_hijri_range_are_gregorian() -> None:
    """1299 and 1500 are read as Gregorian years; only 1300-1499 asks for SH."""
    assert parse_date("1299").literal == Literal("1299", datatype=YEAR)
    assert parse_date("1500").literal == Literal("1500", datatype=YEAR)
