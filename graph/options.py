"""Checking the values researchers give on the command line: dates, vocabulary terms, records.

Every checker raises :class:`BadOption` (exit code 2) naming the option, what is wrong and how to
write it instead, so a bad value never reaches a query or turns into a traceback.
"""

from __future__ import annotations

import difflib
import re
from datetime import date

from rdflib import URIRef

from graph.dates import DateError, parse_date
from graph.errors import CasegraphError

__all__ = ["BadOption", "option_day", "option_term", "spelling_suggestions"]


class BadOption(CasegraphError):
    """A command-line value that cannot be used; a usage error (exit code 2)."""

    exit_code = 2


def option_day(text: str | None, option: str, *, last: bool = False) -> date | None:
    """The day an option's date names, read with the case files' rules (:mod:`graph.dates`).

    A month or year stands for its first day, or its last with ``last`` (the end of a window);
    ``1401-08-01 SH`` is read as Solar Hijri, and ``1401-08-01`` without ``SH`` is refused.

    >>> option_day("2022-10", "--to", last=True)
    datetime.date(2022, 10, 31)
    >>> option_day("2022-13-01", "--from")
    Traceback (most recent call last):
    graph.options.BadOption: --from: '2022-13-01' is not a real calendar date (write YYYY-MM-DD, YYYY-MM or YYYY, or a Solar Hijri date followed by ' SH')
    """
    if text is None:
        return None
    hint = "write YYYY-MM-DD, YYYY-MM or YYYY, or a Solar Hijri date followed by ' SH'"
    if not text.strip():
        raise BadOption(f"{option}: the value is empty ({hint})")
    try:
        parsed = parse_date(text)
    except DateError as error:
        raise BadOption(f"{option}: {error} ({hint})") from None
    if parsed.qualifier not in ("exact", "between") or "/" in text:
        raise BadOption(f"{option}: '{text}' is not one day, month or year ({hint})")
    day = parsed.latest if last else parsed.earliest
    assert day is not None  # an exact or calendar-period date has both ends
    return day


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s_\-]+", text.strip().lower()) if w]


def spelling_suggestions(text: str, known: list[str], n: int = 3) -> list[str]:
    """Known terms spelt like ``text``, never one that adds words to it.

    ``supreme_court`` does not suggest ``supreme_court_upheld``: that would add a fact (an
    outcome) the user did not write. Only terms with as many words as ``text`` are candidates.

    >>> spelling_suggestions("moharebe", ["moharebeh", "baghi"])
    ['moharebeh']
    >>> spelling_suggestions("supreme_court", ["supreme_court_upheld", "supreme_court_overturned"])
    []
    """
    size = len(_words(text))
    same_size = [k for k in known if len(_words(k)) == size]
    return difflib.get_close_matches("_".join(_words(text)), same_size, n=n, cutoff=0.8)


def option_term(text: str, option: str, scheme: URIRef, listing: str) -> URIRef:
    """The concept of ``scheme`` whose notation is ``text`` (any letter case, spaces or hyphens
    for underscores); a clear error with spelling suggestions otherwise."""
    from graph.resources import concept_for, notations

    known = notations(scheme)
    wanted = "_".join(_words(text))
    concept = concept_for(scheme, wanted) if wanted else None
    if concept is not None:
        return concept
    close = spelling_suggestions(text, known)
    hint = f" Suggestions, by spelling only: {', '.join(close)}." if close else ""
    raise BadOption(
        f"{option}: unknown term '{text}'.{hint} 'casegraph vocab {listing}' lists the terms: "
        f"{', '.join(known)}"
    )
