"""Parsing the text of an RDF file into rdflib triples, or into problems that name the line.

Turtle, TriG, N-Triples and N-Quads are read by the engine's parser (Oxigraph's), which checks
every IRI, never recurses, and tells the line of every syntax error. JSON-LD is read by rdflib,
after a scan that checks its nesting depth and the length of its strings (skipping JSON strings
exactly), so its recursive parser never meets a file too deep for it. Whatever a parser raises
becomes a problem with a line: never a traceback. The limits are those of :mod:`graph.limits`.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from graph.errors import Problem
from graph.limits import MAX_DEPTH, MAX_STATEMENTS, MAX_TEXT
from graph.rdf_terms import from_engine, to_engine

__all__ = ["LABELS", "Parsed", "parse_rdf"]

#: How each rdflib format name is called in messages.
LABELS = {
    "turtle": "Turtle",
    "trig": "TriG",
    "json-ld": "JSON-LD",
    "nt": "N-Triples",
    "nquads": "N-Quads",
}
_ENGINE_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
}
_EMPTY = "the file is empty (it has no statements, only comments or prefixes)"
_POSITION = re.compile(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ")
# A JSON string (escapes included) or a bracket: what the depth scan looks at.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


@dataclass
class Parsed:
    """The triples of a file (named graphs merged) and its prefixes, or its problems."""

    graph: Graph = field(default_factory=Graph)
    prefixes: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_YEAR = r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})"
_ZONE = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
#: Lexical forms rdflib does not check itself (it checks xsd:date, xsd:dateTime, xsd:integer...).
_LEXICAL = {
    _XSD + "gYear": re.compile(_YEAR + _ZONE),
    _XSD + "gYearMonth": re.compile(_YEAR + r"-(?:0[1-9]|1[0-2])" + _ZONE),
    _XSD + "anyURI": re.compile(r"[^\s<>\"{}|\\^`]*"),
}


def _ill_formed(term: Node) -> bool:
    """Whether a literal's text is not a value of its datatype (``"2026-02-30"^^xsd:date``)."""
    if getattr(term, "ill_typed", False):
        return True
    pattern = _LEXICAL.get(str(getattr(term, "datatype", None) or ""))
    return pattern is not None and pattern.fullmatch(str(term)) is None


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def _ill_typed(term: ox.Literal) -> str:
    value = term.value if len(term.value) <= 80 else term.value[:80] + "…"
    datatype = term.datatype.value.replace("http://www.w3.org/2001/XMLSchema#", "xsd:")
    return f"'{value}' is not a valid {datatype} (in the statement ending here)"


def _too_many() -> str:
    return f"the file holds more than {MAX_STATEMENTS:,} statements; split it into smaller files"


def _too_long(kind: str, length: int) -> str:
    return (
        f"{kind} of {length:,} characters; the longest casegraph takes is {MAX_TEXT:,} "
        "characters (1 MiB)"
    )


class _Lines:
    """A binary reader that hands the parser one line at a time, so the caller knows how far
    the parser has read when it yields a statement."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        """At most ``size`` bytes, never past the end of the current line."""
        end = self.data.find(b"\n", self.position)
        end = len(self.data) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, self.position + max(size, 1))
        chunk = self.data[self.position : end]
        self.position = end
        return chunk

    @property
    def line(self) -> int:
        """The line of the last byte read."""
        return self.data.count(b"\n", 0, max(self.position - 1, 0)) + 1


def _statement_line(text: str, fmt: str, index: int) -> int:
    """The line on which statement number ``index`` (from 0) of a text ends, or on which the
    parser stops, found by reading the text again one line at a time (the second pass)."""
    reader = _Lines(text.encode("utf-8"))
    try:
        parser = ox.parse(reader, _ENGINE_FORMATS[fmt], rename_blank_nodes=True)  # type: ignore[arg-type]
        for number, _ in enumerate(parser):
            if number == index:
                break
    except Exception:
        pass
    return reader.line


def _parse_with_engine(text: str, name: str, fmt: str, parsed: Parsed) -> None:
    """Turtle, TriG, N-Triples or N-Quads into ``parsed``, checking each new term's length."""
    graph = parsed.graph
    terms: dict[object, Node] = {}
    parser = ox.parse(text, _ENGINE_FORMATS[fmt], rename_blank_nodes=True)
    index = -1
    try:
        for index, quad in enumerate(parser):
            if index >= MAX_STATEMENTS:
                parsed.problems.append(
                    Problem(name, _statement_line(text, fmt, index), _too_many())
                )
                return
            triple = []
            for term in (quad.subject, quad.predicate, quad.object):
                converted = terms.get(term)
                if converted is None:
                    if isinstance(term, ox.Triple):
                        raise TypeError("quoted triples (RDF-star) are not supported")
                    if len(term.value) > MAX_TEXT:
                        kind = "a literal" if isinstance(term, ox.Literal) else "an IRI"
                        line = _statement_line(text, fmt, index)
                        what = _too_long(kind, len(term.value)) + " (in the statement ending here)"
                        parsed.problems.append(Problem(name, line, what))
                        return
                    converted = terms[term] = from_engine(term)
                    if _ill_formed(converted):
                        line = _statement_line(text, fmt, index)
                        parsed.problems.append(Problem(name, line, _ill_typed(term)))
                        return
                triple.append(converted)
            graph.add((triple[0], triple[1], triple[2]))
    except SyntaxError as error:
        line = error.lineno if isinstance(error.lineno, int) else _statement_line(text, fmt, -1)
        parsed.problems.append(Problem(name, line, f"{LABELS[fmt]} syntax error: {_reason(error)}"))
        return
    except Exception as error:  # anything else a parser may raise is still a problem, not a crash
        line = _statement_line(text, fmt, index + 1)
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        if "buffer maximal size" in reason:  # the engine's parser holds at most 16 MiB per token
            reason = (
                f"a literal or IRI starting here is over 16 MiB; the longest text casegraph "
                f"takes is {MAX_TEXT:,} characters (1 MiB)"
            )
        parsed.problems.append(Problem(name, line, f"{LABELS[fmt]} cannot be read: {reason}"))
        return
    parsed.prefixes = dict(parser.prefixes)


def _reason(error: SyntaxError) -> str:
    """The parser's reason for a syntax error on one line, without its position (given apart)."""
    reason = _POSITION.sub("", str(error.msg))
    reason = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in reason)[:200]
    if reason.startswith("Invalid IRI code point"):
        reason += " (an IRI cannot hold spaces or control characters: write a space as %20)"
    return reason


def _scan_json(text: str, name: str) -> Problem | None:
    """The first string too long or nesting too deep in JSON text, skipping strings exactly."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                message = (
                    f"the data is nested more than {MAX_DEPTH} levels deep (arrays and objects "
                    "inside each other); a case file needs a handful"
                )
                return Problem(name, _line(text, match.start()), message)
        elif token in "]}":
            depth -= 1
        elif len(token) - 2 > MAX_TEXT:
            length = len(json.loads(token)) if len(token) < 8 * MAX_TEXT else len(token) - 2
            if length > MAX_TEXT:
                return Problem(name, _line(text, match.start()), _too_long("a text", length))
    return None


def _json_line(text: str, value: str) -> int:
    """The line of the first JSON string that ends with ``value`` (how a bad IRI is found)."""
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"' and value in token:
            return _line(text, match.start())
    return 1


def _parse_jsonld(text: str, name: str, parsed: Parsed) -> None:
    """JSON-LD into ``parsed`` with rdflib, after the depth and length scan."""
    problem = _scan_json(text, name)
    if problem is not None:
        parsed.problems.append(problem)
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        parsed.problems.append(Problem(name, error.lineno, f"JSON syntax error: {error.msg}"))
        return
    if _remote_contexts(document):
        message = "JSON-LD contexts are not fetched from the network: put the context in the file"
        parsed.problems.append(Problem(name, 1, message))
        return
    dataset = Dataset()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset.parse(data=text, format="json-ld")
    except Exception as error:  # rdflib's JSON-LD processor raises many kinds
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        parsed.problems.append(Problem(name, 1, f"JSON-LD cannot be read: {reason}"))
        return
    graph = parsed.graph
    for count, (s, p, o, _) in enumerate(dataset.quads((None, None, None, None))):
        if count >= MAX_STATEMENTS:
            parsed.problems.append(Problem(name, 1, _too_many()))
            return
        if _ill_formed(o):
            problem = Problem(name, _json_line(text, str(o)), _ill_typed(to_engine(o)))  # type: ignore[arg-type]
            parsed.problems.append(problem)
            return
        for term in (s, p, o):
            try:
                to_engine(term)
            except (ValueError, TypeError) as error:
                where = _json_line(text, re.split(r"[#/:]", str(term))[-1] or str(term))
                parsed.problems.append(
                    Problem(name, where, f"'{term}' is not a valid IRI: {error}")
                )
                return
        graph.add((s, p, o))
    parsed.prefixes = {prefix: str(ns) for prefix, ns in dataset.namespaces()}


def _remote_contexts(value: object) -> bool:
    """Whether JSON-LD data asks for a context from the network (which is never fetched)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context" and (
                isinstance(item, str)
                or (isinstance(item, list) and any(isinstance(i, str) for i in item))
            ):
                return True
            if key == "@import" or _remote_contexts(item):
                return True
    elif isinstance(value, list):
        return any(_remote_contexts(item) for item in value)
    return False


@contextmanager
def _quiet_literals() -> Iterator[None]:
    """Keep rdflib from logging a traceback for each ill-typed literal (a problem is reported)."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_rdf(text: str, name: str, fmt: str) -> Parsed:
    """The statements of RDF text in rdflib format ``fmt``, or the problems that stop reading it."""
    parsed = Parsed()
    try:
        with _quiet_literals():
            if fmt == "json-ld":
                _parse_jsonld(text, name, parsed)
            else:
                _parse_with_engine(text, name, fmt, parsed)
    except (MemoryError, RecursionError) as error:
        parsed.problems.append(Problem(name, 1, f"{LABELS[fmt]} is too big to read: {error!r}"))
    if not parsed.problems and len(parsed.graph) == 0:
        parsed.problems.append(Problem(name, None, _EMPTY))
    return parsed
