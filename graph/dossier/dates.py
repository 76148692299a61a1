"""How the dossier shows a date: partial, uncertain and reported-only dates say so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["shown_date", "sort_key"]

_PARTIAL = {4: "year only", 7: "month only"}


def _one(values: Mapping[str, Sequence[str]], key: str) -> str:
    return (values.get(key) or [""])[0]


def shown_date(values: Mapping[str, Sequence[str]]) -> str:
    """The date of a record from its properties (``date``, ``dateQualifier``, ``dateEarliest``,
    ``dateLatest``, ``dateText``, ``reportedDate``, by local name), marked as the sources give it.

    >>> shown_date({"date": ["2022-11"]})
    '2022-11 (month only)'
    >>> shown_date({"dateQualifier": ["before"], "dateLatest": ["2023-01-06"]})
    'before 2023-01-06'
    >>> shown_date({"reportedDate": ["2023-12-05"], "dateText": ["early December"]})
    'date unknown; reported on 2023-12-05 (early December)'
    """
    date, qualifier = _one(values, "date"), _one(values, "dateQualifier") or "exact"
    earliest, latest = _one(values, "dateEarliest"), _one(values, "dateLatest")
    if date and qualifier == "exact":
        shown = date + (f" ({_PARTIAL[len(date)]})" if len(date) in _PARTIAL else "")
    elif qualifier == "between" and not date and earliest and latest:
        shown = f"between {earliest} and {latest}"
    elif date or earliest or latest:
        shown = f"{qualifier} {date or earliest or latest}"
    else:
        shown = ""
    text = _one(values, "dateText")
    reported = _one(values, "reportedDate")
    if not shown:  # reported only, or in words only
        shown = f"date unknown; reported on {reported}" if reported else ""
    if text:
        shown = f"{shown} ({text})" if shown else text
    return shown or "date unknown"


def sort_key(values: Mapping[str, Sequence[str]]) -> str:
    """The best-known day to order by (an undated record last)."""
    for key in ("dateEarliest", "dateLatest", "date", "reportedDate"):
        if values.get(key):
            return _one(values, key)
    return "9999"
