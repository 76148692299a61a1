"""The size limits on input files, stated once: what a file may hold before it is refused.

Every limit is a clear error naming the file (and the line where there is one), never a crash,
and every one is far above what a real case file needs (the benchmark generator's biggest file,
at the one-million-statement size, is about 0.7 MB, with a few thousand records):

====================  =====================  ====================================================
limit                 value                  checked
====================  =====================  ====================================================
file size, YAML       8 MiB                  before the file is read (``CASEGRAPH_MAX_FILE_MB``)
file size, RDF        256 MiB                before the file is read (``CASEGRAPH_MAX_FILE_MB``)
values per YAML file  500,000                while parsing, before the document is built
statements per file   2,000,000              while parsing an RDF file
records per file      100,000                before any record is checked
text length           1 MiB (1,048,576)      every YAML value and key, every RDF literal and IRI
nesting depth         64                     YAML (block and flow) and JSON-LD, before building
problems per file     1,000                  then "and more problems" and the file is dropped
problems printed      100                    by ``validate`` and ``load``, then "… and N more"
====================  =====================  ====================================================

``CASEGRAPH_MAX_FILE_MB`` (a whole number of MiB) replaces both file-size limits, for a
researcher who must load a bigger file and has the memory for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Self

from graph.errors import CasegraphError, Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_PRINTED",
    "MAX_PROBLEMS",
    "MAX_RECORDS",
    "MAX_STATEMENTS",
    "MAX_TEXT",
    "MAX_YAML_VALUES",
    "ProblemList",
    "TooManyProblems",
    "capped",
    "file_limit",
    "printed",
    "size_text",
]

MIB = 1024 * 1024

#: The biggest YAML case file read, in bytes (unless CASEGRAPH_MAX_FILE_MB says otherwise).
MAX_YAML_BYTES = 8 * MIB
#: The biggest RDF file read, in bytes (unless CASEGRAPH_MAX_FILE_MB says otherwise).
MAX_RDF_BYTES = 256 * MIB
#: The environment variable that replaces both file-size limits (in MiB).
FILE_LIMIT_VARIABLE = "CASEGRAPH_MAX_FILE_MB"
#: Values (scalars, lists and mappings) in one YAML file.
MAX_YAML_VALUES = 500_000
#: Statements in one RDF file.
MAX_STATEMENTS = 2_000_000
#: Records in one file (items of the sections of a YAML file, cgd: subjects of an RDF file).
MAX_RECORDS = 100_000
#: Characters in one text value, key, literal or IRI.
MAX_TEXT = MIB
#: Levels of nested lists and mappings (YAML) or arrays and objects (JSON-LD).
MAX_DEPTH = 64
#: Problems collected per file before the rest of the file is skipped.
MAX_PROBLEMS = 1_000
#: Problems printed by a command before the count of the rest.
MAX_PRINTED = 100


def file_limit(rdf: bool) -> int:
    """The biggest file read, in bytes: CASEGRAPH_MAX_FILE_MB when set, else the default.

    >>> file_limit(rdf=False) == MAX_YAML_BYTES or FILE_LIMIT_VARIABLE in os.environ
    True
    """
    given = os.environ.get(FILE_LIMIT_VARIABLE, "").strip()
    if not given:
        return MAX_RDF_BYTES if rdf else MAX_YAML_BYTES
    if not given.isdigit() or int(given) == 0:
        raise CasegraphError(
            f"{FILE_LIMIT_VARIABLE}={given!r} is not a size: give a whole number of MiB, such as 512"
        )
    return int(given) * MIB


def size_text(size: int) -> str:
    """A size in bytes as a researcher reads it.

    >>> size_text(50 * 1024 * 1024), size_text(1536), size_text(12)
    ('50.0 MiB', '1.5 KiB', '12 bytes')
    """
    if size >= MIB:
        return f"{size / MIB:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} bytes"


class TooManyProblems(Exception):
    """Raised by :class:`ProblemList` when a file has reached :data:`MAX_PROBLEMS`."""


class ProblemList(list[Problem]):
    """The problems of one file, which stops the checking (by raising) at :data:`MAX_PROBLEMS`."""

    def append(self, problem: Problem) -> None:
        """Add a problem; raise TooManyProblems once the list is full."""
        super().append(problem)
        if len(self) >= MAX_PROBLEMS:
            raise TooManyProblems

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems one by one (see :meth:`append`)."""
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> Self:  # type: ignore[override,misc]
        self.extend(problems)
        return self


def capped(problems: Sequence[Problem], path: str) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS` problems of a file, the last one saying that more were left.

    >>> found = capped([Problem("a.yaml", n, "bad") for n in range(1, 5000)], "a.yaml")
    >>> len(found), found[-1].line, found[-1].message.startswith("more problems")
    (1001, None, True)
    """
    if len(problems) < MAX_PROBLEMS:
        return list(problems)
    message = (
        f"more problems were found: casegraph stopped checking this file after the first "
        f"{MAX_PROBLEMS:,} (fix these first)"
    )
    return [*problems[:MAX_PROBLEMS], Problem(path, None, message)]


def printed(problems: Sequence[Problem]) -> list[str]:
    """The lines a command prints for problems: the first :data:`MAX_PRINTED`, then a count.

    >>> printed([Problem("a.yaml", n, "bad") for n in range(1, 1001)])[-1]
    '… and 900 more problems (fix these first, or run validate on fewer files)'
    """
    lines = [str(p) for p in problems[:MAX_PRINTED]]
    if len(problems) > MAX_PRINTED:
        rest = len(problems) - MAX_PRINTED
        lines.append(
            f"… and {rest:,} more problems (fix these first, or run validate on fewer files)"
        )
    return lines
