"""SELECT rows written to a text stream as they come: CSV, TSV and SPARQL 1.1 JSON a row at a time,
and a table a page at a time with a visible note when it shows only part of the answer.

Each writer takes any iterable of rows (dicts of bound columns, as the sandbox gives them) and a
text stream; nothing here assumes a terminal, so a server can write the same bytes to a response.
The text is exactly what :func:`graph.results.format_rows` makes of the whole answer at once (CSV
and TSV cells spreadsheet-safe through :func:`graph.outputs.csv_lines`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from rdflib.term import Node

from graph.outputs import csv_lines
from graph.rdf_terms import json_term
from graph.results import FORMATS, table_lines

__all__ = ["STREAMED", "table_note", "write_rows", "write_table"]

#: The formats written a row at a time.
STREAMED = ("csv", "tsv", "json")
#: How a table that shows part of the answer tells where the rest is.
MORE = "use --limit/--offset or --format csv for all"


def _binding(columns: Sequence[str], row: dict[str, Node]) -> str:
    """One row as it sits in the bindings list of :func:`json.dumps` with ``indent=2``."""
    text = json.dumps(
        {c: json_term(row[c]) for c in columns if row.get(c) is not None},
        ensure_ascii=False,
        indent=2,
        sort_keys=True,
    )
    return "\n".join("      " + line for line in text.split("\n"))


def _write_json(columns: Sequence[str], rows: Iterable[dict[str, Node]], out: TextIO) -> int:
    head = json.dumps({"head": {"vars": list(columns)}}, ensure_ascii=False, indent=2)
    out.write(head[: -len("\n}")] + ',\n  "results": {\n    "bindings": [')
    count = 0
    for row in rows:
        out.write(("\n" if count == 0 else ",\n") + _binding(columns, row))
        count += 1
    out.write("\n    ]\n  }\n}\n" if count else "]\n  }\n}\n")
    return count


def _write_delimited(
    columns: Sequence[str], rows: Iterable[dict[str, Node]], out: TextIO, delimiter: str
) -> int:
    count = 0

    def cells() -> Iterable[list[str]]:
        nonlocal count
        yield list(columns)
        for row in rows:
            count += 1
            yield ["" if row.get(c) is None else str(row[c]) for c in columns]

    for line in csv_lines(cells(), delimiter):
        out.write(line)
    return count


def write_rows(
    columns: Sequence[str], rows: Iterable[dict[str, Node]], fmt: str, out: TextIO
) -> int:
    """Write ``rows`` to ``out`` in a :data:`STREAMED` format as they come; the number written."""
    if fmt == "json":
        return _write_json(columns, rows, out)
    if fmt in ("csv", "tsv"):
        return _write_delimited(columns, rows, out, "," if fmt == "csv" else "\t")
    raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")


def write_table(
    columns: Sequence[str], rows: Sequence[dict[str, Node]], out: TextIO, width: int = 60
) -> None:
    """Write one page of rows as a readable table (without the note), and flush it."""
    out.write("\n".join(table_lines(columns, rows, width)) + "\n")
    out.flush()


def table_note(shown: int, offset: int = 0, total: int | None = None) -> str:
    """The line under a table: its row count, or which rows of how many it shows and where the
    rest is.

    >>> table_note(3), table_note(50, 0, 43555), table_note(50, 100, 43555)
    ('(3 rows)', 'showing 50 of 43,555 rows; use --limit/--offset or --format csv for all', \
'showing rows 101-150 of 43,555; use --limit/--offset or --format csv for all')
    """
    if total is None or (offset == 0 and shown >= total):
        return f"({shown} row{'s' if shown != 1 else ''})"
    if shown == 0:
        return f"showing no rows: the answer has {total:,}, and --offset {offset} is past the last"
    if offset == 0:
        return f"showing {shown:,} of {total:,} rows; {MORE}"
    return f"showing rows {offset + 1:,}-{offset + shown:,} of {total:,}; {MORE}"
