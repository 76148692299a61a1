"""Safe outputs: files written where they cannot damage the store or an input, whole or not at all,
and spreadsheet cells that a spreadsheet will not run as formulas.

A command that writes a file (``export -o``, ``view -o``, ``network-export``) first asks
:func:`check_output`, then writes through :func:`atomic_output`, so an interrupted write never
leaves half a file behind and never touches the store. Every CSV and TSV casegraph writes comes
from :func:`csv_text`, which passes each cell through :func:`spreadsheet_safe` (OWASP's rule
against CSV injection) and quotes every line break, so no cell can start a row of its own.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from graph.errors import CasegraphError

__all__ = [
    "CASE_FILE_SUFFIXES",
    "OutputRefused",
    "atomic_output",
    "check_output",
    "csv_lines",
    "csv_text",
    "spreadsheet_safe",
    "spreadsheet_safe_row",
    "write_text_atomic",
]

#: Suffixes of case files: casegraph never writes YAML, so an existing one is always an input.
CASE_FILE_SUFFIXES = frozenset({".yaml", ".yml"})

#: First characters that make a spreadsheet read a cell as a formula (OWASP's six), and their
#: full-width forms, which some East Asian spreadsheet set-ups turn into the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

#: A number as casegraph and SPARQL write it (``-3``, ``-2.5``, ``-1e-05``): left as it is, so a
#: negative number stays a number in the spreadsheet; it cannot hold a formula.
_PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class OutputRefused(CasegraphError):
    """An output path would overwrite the store, a loaded file or a case file, or is a folder."""

    exit_code = 2  # a usage error: the command was given a bad option value


def _real(path: Path) -> Path:
    """The absolute path with ``~`` expanded, ``..`` normalised and symlinks followed (even a
    dangling last one), so that every check is made on the file that would really be written."""
    return Path(os.path.realpath(Path(path).expanduser()))


def check_output(
    path: Path,
    store_path: Path,
    force: bool,
    loaded: Iterable[Path],
    option: str = "--output",
) -> Path:
    """The real path to write ``path`` to; :class:`OutputRefused` (naming ``option``) if it may not be.

    Refused always: a path inside the store directory, a folder, a path whose folder does not
    exist. Refused unless ``force``: an existing file the store has loaded (``loaded``) and an
    existing case file (``.yaml``/``.yml``).
    """
    target = _real(path)
    store = _real(store_path)
    if target == store or store in target.parents:
        raise OutputRefused(
            f"{option} {path}: this is inside the store {store_path}, and writing there would "
            "corrupt it (even with --force); choose a file outside the store"
        )
    if target.is_dir():
        raise OutputRefused(f"{option} {path}: this is a folder; give the name of a file")
    if not target.parent.is_dir():
        raise OutputRefused(
            f"{option} {path}: the folder {target.parent} does not exist; create it first"
        )
    if force or not target.exists():
        return target
    if target in {_real(Path(p)) for p in loaded}:
        raise OutputRefused(
            f"{option} {path}: this file is loaded into the store, and writing over it would "
            "lose its records; choose another file, or pass --force to overwrite it"
        )
    if target.suffix.lower() in CASE_FILE_SUFFIXES:
        raise OutputRefused(
            f"{option} {path}: this is a case file (casegraph never writes YAML); choose another "
            "file, or pass --force to overwrite it"
        )
    return target


def _new_file_mode(existing: Path) -> int:
    """The permissions the file would get from a plain ``open(path, "w")``: an existing file's own,
    otherwise 0666 less the umask."""
    try:
        return existing.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it replaces ``path`` in one step
    (``os.replace``), on any error it is removed, so ``path`` is only ever the old or the new file."""
    target = Path(path)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, _new_file_mode(target))
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_output`; returns the path."""
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(path)


def _first_meaningful(text: str) -> str:
    """The first character that is neither white space nor invisible formatting (BOM, bidi marks),
    which a spreadsheet's import may trim before it looks for a formula."""
    for char in text:
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return char
    return ""


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a ``'`` in front if a spreadsheet could take it for a formula (OWASP).

    A cell is neutralised when its first character, or its first after white space and invisible
    marks, is ``=``, ``+``, ``-``, ``@``, tab, carriage return or the full-width form of one of
    the first four (U+FF1D, U+FF0B, U+FF0D, U+FF20).
    Numbers as casegraph writes them (``-3``, ``-2.5``) are left alone.

    >>> spreadsheet_safe('=HYPERLINK("http://x","y")'), spreadsheet_safe("-2.5")
    ('\\'=HYPERLINK("http://x","y")', '-2.5')
    >>> spreadsheet_safe("-1+cmd|' /C calc'!A0"), spreadsheet_safe("Testa Personova")
    ("'-1+cmd|' /C calc'!A0", 'Testa Personova')
    """
    if not cell or _PLAIN_NUMBER.fullmatch(cell):
        return cell
    if cell[0] in FORMULA_STARTS or _first_meaningful(cell) in FORMULA_STARTS:
        return "'" + cell
    return cell


def spreadsheet_safe_row(cells: Sequence[str]) -> list[str]:
    """Every cell of a CSV or TSV row through :func:`spreadsheet_safe`."""
    return [spreadsheet_safe(cell) for cell in cells]


def csv_lines(rows: Iterable[Sequence[str]], delimiter: str = ",") -> Iterator[str]:
    """Each row as one CSV (or TSV) line, as :func:`csv_text` writes it: for writing a long answer
    a row at a time, without holding it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(spreadsheet_safe_row(row))
        yield buffer.getvalue()[:-2] + "\n"


def csv_text(rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    """Rows as CSV (``delimiter="\\t"``: TSV), each line ending in ``\\n``; every cell made
    spreadsheet-safe, and quoted when it holds a line break.

    Python's writer quotes a carriage return only when it is part of the line terminator; an
    unquoted one would end the row in a spreadsheet and start the next with the rest of the cell
    (``"Testa\\r=HYPERLINK(...)"``). So each row is written with ``\\r\\n`` and that ending
    replaced.

    >>> csv_text([["name", "n"], ["=1+1", "-2"], ["a\\rb", "c"]])
    'name,n\\n\\'=1+1,-2\\n"a\\rb",c\\n'
    """
    return "".join(csv_lines(rows, delimiter))
