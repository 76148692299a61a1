"""SPARQL the user may run: named queries from ``ontology/queries/``, parameters as bindings, and the
refusal of anything that would reach outside the store.

Parameters reach the engine as substitutions (SEP-0007), never as text. Two rules follow from how
the engine applies them: a query must list each parameter variable in its SELECT clause, and an
optional parameter is tested with ``FILTER(COALESCE(?x = ?param, true))`` rather than
``!BOUND(?param)`` (the engine decides BOUND before it substitutes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import CasegraphError, QueryRefused
from graph.namespaces import ID
from graph.options import BadOption, option_day
from graph.query_guard import check_depth, check_user_query, engine_text
from graph.resources import queries_dir

__all__ = [
    "NamedQuery",
    "Parameter",
    "PreparedQuery",
    "bind_parameters",
    "check_query",
    "is_query_name",
    "list_queries",
    "named_query",
    "prepare",
    "query_form",
]

_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_PARAM_TYPES = ("id", "iri", "string", "date", "integer")


@dataclass(frozen=True)
class Parameter:
    """A parameter a named query accepts, passed to the engine as a binding of ``?name``."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A self-contained ``.rq`` file with its header: purpose, parameters, result columns."""

    name: str
    path: Path
    text: str
    purpose: str
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[str, ...] = ()


@dataclass
class PreparedQuery:
    """A query checked for safety, with the bindings for its parameters."""

    text: str
    form: str
    bindings: dict[str, Node] = field(default_factory=dict)
    source: NamedQuery | None = None


def _parse_header(name: str, path: Path, text: str) -> NamedQuery:
    purpose: list[str] = []
    parameters: list[Parameter] = []
    columns: tuple[str, ...] = ()
    section = ""
    for raw in text.splitlines():
        if not raw.startswith("#"):
            break
        line = raw.lstrip("#").strip()
        label, _, rest = line.partition(":")
        key = label.strip().lower()
        if key in ("purpose", "parameters", "columns") and " " not in label.strip():
            section = key
            line = rest.strip()
            if key == "columns":
                columns = tuple(c.strip() for c in line.split(",") if c.strip())
                continue
        if section == "purpose" and line:
            purpose.append(line)
        elif section == "parameters" and line and line.lower() != "none":
            parts = line.split(None, 3)
            if len(parts) < 3 or parts[1] not in _PARAM_TYPES:
                raise CasegraphError(
                    f"{path}: parameter line '{line}' must read 'name type optional|required text'"
                    f" with a type among {', '.join(_PARAM_TYPES)}"
                )
            description = parts[3] if len(parts) > 3 else ""
            parameters.append(Parameter(parts[0], parts[1], parts[2] == "required", description))
    if not purpose:
        raise CasegraphError(f"{path}: a named query starts with a '# Purpose:' header line")
    return NamedQuery(name, path, text, " ".join(purpose), tuple(parameters), columns)


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    folder = directory or queries_dir()
    return [
        _parse_header(p.stem, p, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))
    ]


def named_query(name: str, directory: Path | None = None) -> NamedQuery:
    """The named query called ``name`` (the file name without ``.rq``)."""
    folder = directory or queries_dir()
    path = folder / f"{name}.rq"
    if not _ID_PATTERN.match(name) or not path.is_file():
        known = ", ".join(q.name for q in list_queries(folder))
        raise CasegraphError(f"no named query '{name}'. Known queries: {known}")
    return _parse_header(name, path, path.read_text(encoding="utf-8"))


_STRIP = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
_KEYWORD = re.compile(r"(?<![\w:?$])([A-Za-z_]+)(?![\w:])")
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def _keywords(text: str) -> list[str]:
    bare = _STRIP.sub(" ", text)
    return [m.group(1).upper() for m in _KEYWORD.finditer(bare)]


def _shipped_texts() -> frozenset[str]:
    """The texts of the shipped named queries as they are on disk now (read again when a file
    changes, so an edited file is trusted as edited)."""
    paths = sorted(queries_dir().glob("*.rq"))
    return _read_texts(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


@cache
def _read_texts(files: tuple[tuple[Path, int, int], ...]) -> frozenset[str]:
    return frozenset(path.read_text(encoding="utf-8") for path, _, _ in files)


def check_query(text: str, *, trusted: bool | None = None, where: str = "the query") -> str:
    """Refuse federation and updates; return the query form (SELECT, CONSTRUCT, ASK, DESCRIBE).

    A user's text goes through :func:`graph.query_guard.check_user_query` (a real SPARQL 1.1
    parse). ``trusted`` text, by default only the exact text of a shipped named query, may use
    the engine's extensions (LATERAL): it gets the nesting check and a keyword check.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.errors.QueryRefused: the query: SERVICE is refused: queries may not reach other servers
    """
    if trusted is None:
        trusted = text in _shipped_texts()
    if not trusted:
        return check_user_query(text, where)
    check_depth(text, where)
    words = _keywords(text)
    if "SERVICE" in words:
        raise QueryRefused("SERVICE is refused: queries may not reach other servers")
    form = next((w for w in words if w in _FORMS), None)
    updates = sorted(_UPDATE_WORDS.intersection(words))
    if form is None or (updates and words.index(updates[0]) < words.index(form)):
        found = updates[0] if updates else "an update"
        raise QueryRefused(
            f"{found} is refused: casegraph queries are read-only (SELECT, CONSTRUCT, ASK, DESCRIBE); "
            "change the store with 'casegraph load'"
        )
    return form


def query_form(text: str) -> str:
    """The form of a query (without refusing anything else)."""
    return next((w for w in _keywords(text) if w in _FORMS), "SELECT")


def _convert(param: Parameter, value: str) -> Node:
    if param.type == "id":
        if not _ID_PATTERN.match(value):
            raise BadOption(
                f"--param {param.name}: '{value}' is not a record id (give a name or an id)"
            )
        return ID[value]
    if param.type == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$", value):
            raise BadOption(f"--param {param.name}: '{value}' is not an IRI")
        return URIRef(value)
    if param.type == "date":
        if not re.match(r"^\d{4}-\d{2}-\d{2}( SH)?$", value.strip(), re.IGNORECASE):
            raise BadOption(
                f"--param {param.name}: write the date as YYYY-MM-DD (or YYYY-MM-DD SH), not '{value}'"
            )
        day = option_day(value, f"--param {param.name}")  # the case files' rules: SH, real days
        return Literal(str(day), datatype=XSD.date)
    if param.type == "integer":
        if not re.match(r"^-?\d+$", value):
            raise BadOption(f"--param {param.name}: '{value}' is not a whole number")
        return Literal(int(value))
    return Literal(value)


def bind_parameters(
    parameters: tuple[Parameter, ...] | None, values: dict[str, str]
) -> dict[str, Node]:
    """Turn ``--param name=value`` pairs into typed bindings; never into query text.

    Ad-hoc queries have no declared parameters: a value is a string unless written ``name:type``.

    >>> bind_parameters(None, {"who": "x' } DROP ALL #"})["who"]
    rdflib.term.Literal("x' } DROP ALL #")
    """
    bindings: dict[str, Node] = {}
    declared = {p.name: p for p in parameters or ()}
    for key, value in values.items():
        name, _, typ = key.partition(":")
        if parameters is not None and name not in declared:
            raise BadOption(
                f"--param: unknown parameter '{name}'; this query takes: {', '.join(declared) or 'none'}"
            )
        param = declared.get(name) or Parameter(name, typ or "string", False, "")
        if param.type not in _PARAM_TYPES:
            raise BadOption(f"--param: unknown parameter type '{param.type}'")
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise BadOption(f"--param: '{name}' is not a valid parameter name")
        bindings[name] = _convert(param, value)
    for param in declared.values():
        if param.required and param.name not in bindings:
            raise BadOption(f"--param {param.name}=... is required: {param.description}")
    return bindings


def is_query_name(text_or_name: str) -> bool:
    """Whether ``prepare`` reads ``text_or_name`` as the name of a named query.

    >>> is_query_name("death-sentences"), is_query_name("SELECT * WHERE { ?s ?p ?o }")
    (True, False)
    """
    return bool(_ID_PATTERN.match(text_or_name)) and not Path(text_or_name).suffix


def prepare(
    text_or_name: str, params: dict[str, str] | None = None, where: str = "the query"
) -> PreparedQuery:
    """Resolve a query given as text, a ``.rq`` path or a stored name; check it; bind parameters.

    ``where`` names the query in messages (an option such as ``--query``); a file names itself.
    """
    source: NamedQuery | None = None
    trusted: bool | None = None
    candidate = Path(text_or_name)
    if is_query_name(text_or_name):
        try:
            source = named_query(text_or_name)
        except CasegraphError as error:  # an option (--query) names itself in the message
            raise error if where == "the query" else CasegraphError(f"{where}: {error}") from None
        text, trusted = source.text, True
    elif text_or_name.endswith(".rq") and "\n" not in text_or_name:
        if not candidate.is_file():
            raise CasegraphError(f"no query file {candidate}")
        text = candidate.read_text(encoding="utf-8")
        where = str(candidate)
        if text.startswith("# Purpose:"):
            source = _parse_header(candidate.stem, candidate, text)
    else:
        text = text_or_name
    if trusted is None:
        trusted = text in _shipped_texts()
    form = check_query(text, trusted=trusted, where=where)
    if not trusted:
        text = engine_text(text)  # what rdflib parsed, so the engine reads the same tokens
    bindings = bind_parameters(source.parameters if source else None, params or {})
    return PreparedQuery(text, form, bindings, source)
