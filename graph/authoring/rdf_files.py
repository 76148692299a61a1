"""Reading RDF input files (Turtle, TriG, JSON-LD, N-Triples, N-Quads) written against the ontology.

Named graphs in TriG and N-Quads files are flattened into one graph: a file is one load unit, and
the store keeps its own named graph per file. Records are the subjects in the ``cgd:`` namespace;
an RDF file gets no visibility of its own (so its records are restricted unless they say
``cg:visibility cg:Public``) and only the search keys of its ``cg:name``/``cg:altName`` values.
"""

from __future__ import annotations

import difflib
import json
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.authoring import RecordInfo, Reference
from graph.errors import Problem
from graph.names import fold
from graph.namespaces import CG, ID
from graph.resources import ontology_graph

__all__ = ["RDF_FORMATS", "RdfRead", "read_rdf"]

#: rdflib's parser for each RDF file extension.
RDF_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".nt": "nt",
    ".nq": "nquads",
}
_LABELS = {
    "turtle": "Turtle",
    "trig": "TriG",
    "json-ld": "JSON-LD",
    "nt": "N-Triples",
    "nquads": "N-Quads",
}
_CG = str(CG._NS)
_ID = str(ID)
_NAME_CHARS = r"((?:[\w-]|\\?/)+)"


@dataclass
class RdfRead:
    """What an RDF file holds, as the loader needs it."""

    graph: Graph = field(default_factory=Graph)
    records: dict[str, RecordInfo] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@cache
def _declared() -> frozenset[URIRef]:
    """The cg: terms the ontology declares."""
    return frozenset(
        s for s in ontology_graph().subjects() if isinstance(s, URIRef) and str(s).startswith(_CG)
    )


@cache
def _ranges() -> dict[URIRef, URIRef]:
    """Object properties of the ontology with the class their values must have."""
    onto = ontology_graph()
    found = {}
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        value = onto.value(prop, RDFS.range)
        if isinstance(prop, URIRef) and isinstance(value, URIRef):
            found[prop] = value
    return found


def _first_lines(text: str, namespace: str, prefixes: list[str]) -> dict[str, int]:
    """The first line on which each name of ``namespace`` appears, as a full IRI or prefixed."""
    forms = [re.escape(namespace)] + [rf"(?<![\w-]){re.escape(p)}:" for p in prefixes]
    lines: dict[str, int] = {}
    for match in re.finditer(f"(?:{'|'.join(forms)}){_NAME_CHARS}", text):
        name = match.group(1).replace("\\/", "/").rstrip(".")
        lines.setdefault(name, text.count("\n", 0, match.start()) + 1)
    return lines


def _parse_into(dataset: Dataset, text: str, fmt: str) -> None:
    """Parse text into a dataset, hiding the warnings rdflib's parsers raise about its own code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format=fmt)


def _syntax_line(error: Exception, text: str, fmt: str) -> int | None:
    """The line of a syntax error, from whatever the parser tells; None when it tells nothing."""
    if fmt in ("nt", "nquads"):
        for number, line in enumerate(text.splitlines(), 1):  # lines are independent statements
            try:
                _parse_into(Dataset(), line, fmt)
            except Exception:
                return number
        return None
    lineno = getattr(error, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    lines = getattr(error, "lines", None)
    if isinstance(lines, int):
        return lines + 1  # notation3's BadSyntax counts lines from 0
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None


def _syntax_message(error: Exception, fmt: str) -> str:
    """A one-line reason for a syntax error, without the parser's dump of the input."""
    text = str(error)
    why = re.search(r"Bad syntax \((.+?)\) at \^", text)
    reason = why.group(1) if why else getattr(error, "msg", None) or text.splitlines()[0]
    return f"{_LABELS[fmt]} syntax error: {str(reason).strip()[:200]}"


def _remote_contexts(value: Any) -> bool:
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


def _parse(text: str, name: str, fmt: str, read: RdfRead) -> Dataset | None:
    if fmt == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            read.problems.append(Problem(name, error.lineno, f"JSON syntax error: {error.msg}"))
            return None
        if _remote_contexts(document):
            message = (
                "JSON-LD contexts are not fetched from the network: put the context in the file"
            )
            read.problems.append(Problem(name, None, message))
            return None
    dataset = Dataset()
    try:
        _parse_into(dataset, text, fmt)
    except Exception as error:
        read.problems.append(
            Problem(name, _syntax_line(error, text, fmt), _syntax_message(error, fmt))
        )
        return None
    return dataset


def read_rdf(text: str, name: str, fmt: str) -> RdfRead:
    """Parse RDF text (rdflib format name ``fmt``) and list its records, references and problems."""
    read = RdfRead()
    dataset = _parse(text, name, fmt, read)
    if dataset is None:
        return read
    graph = read.graph
    prefixes: dict[str, list[str]] = {_CG: [], _ID: []}
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=True)
        if str(namespace) in prefixes and prefix:
            prefixes[str(namespace)].append(prefix)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    _check_terms(text, name, graph, prefixes[_CG], read)
    id_lines = _first_lines(text, _ID, prefixes[_ID])
    for subject in sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(_ID)}
    ):
        rid = str(subject)[len(_ID) :]
        classes = frozenset(t for t in graph.objects(subject, RDF.type) if isinstance(t, URIRef))
        read.records[rid] = RecordInfo(rid, subject, "rdf", id_lines.get(rid), classes)
    for s, p, o in list(graph):
        if not (isinstance(s, URIRef) and str(s).startswith(_ID)):
            continue
        rid = str(s)[len(_ID) :]
        if p in (CG.name, CG.altName) and isinstance(o, Literal) and fold(str(o)):
            graph.add((s, CG.searchKey, Literal(fold(str(o)))))
        expected = _ranges().get(p)  # type: ignore[call-overload]
        if expected is not None and isinstance(o, URIRef) and str(o).startswith(_ID):
            field = "cg:" + str(p)[len(_CG) :]
            line = read.records[rid].line
            read.references.append(Reference(rid, field, str(o)[len(_ID) :], o, expected, line))
    read.references.sort(key=lambda r: (r.line or 0, r.from_id, r.field, r.target_id))
    return read


def _check_terms(text: str, name: str, graph: Graph, prefixes: list[str], read: RdfRead) -> None:
    """A problem for each cg: class or property that the ontology does not declare."""
    used = {p for p in graph.predicates() if str(p).startswith(_CG)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(_CG)}
    unknown = sorted((t for t in used if t not in _declared()), key=str)
    if not unknown:
        return
    lines = _first_lines(text, _CG, prefixes)
    known = [str(t)[len(_CG) :] for t in _declared()]
    for term in unknown:
        local = str(term)[len(_CG) :]
        close = difflib.get_close_matches(local, known, n=1)
        hint = f"; did you mean cg:{close[0]}?" if close else ""
        message = f"unknown class or property cg:{local}{hint} (see ontology/casegraph.ttl)"
        read.problems.append(Problem(name, lines.get(local), message))
    read.problems.sort(key=lambda p: p.line or 0)
