"""Reading RDF input files (Turtle, TriG, JSON-LD, N-Triples, N-Quads) written against the ontology.

Named graphs in TriG and N-Quads files are flattened into one graph: a file is one load unit, and
the store keeps its own named graph per file. Records are the subjects in the ``cgd:`` namespace;
an RDF file gets no visibility of its own (so its records are restricted unless they say
``cg:visibility cg:Public``) and only the search keys of its ``cg:name``/``cg:altName`` values.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.authoring import RecordInfo, Reference
from graph.authoring.rdf_syntax import parse_rdf
from graph.errors import Problem
from graph.limits import MAX_RECORDS
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
    line, counted = 1, 0  # lines are counted on from the previous match, not from the start
    for match in re.finditer(f"(?:{'|'.join(forms)}){_NAME_CHARS}", text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        name = match.group(1).replace("\\/", "/").rstrip(".")
        lines.setdefault(name, line)
    return lines


def read_rdf(text: str, name: str, fmt: str) -> RdfRead:
    """Parse RDF text (rdflib format name ``fmt``) and list its records, references and problems."""
    parsed = parse_rdf(text, name, fmt)
    read = RdfRead(parsed.graph, problems=parsed.problems)
    if read.problems:
        return read
    graph = read.graph
    prefixes: dict[str, list[str]] = {_CG: [], _ID: []}
    for prefix, namespace in parsed.prefixes.items():
        graph.bind(prefix, namespace, override=True)
        if namespace in prefixes and prefix:
            prefixes[namespace].append(prefix)
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(_ID)}
    if len(subjects) > MAX_RECORDS:
        message = (
            f"the file holds {len(subjects):,} records; casegraph reads at most {MAX_RECORDS:,} "
            "per file: split it into smaller files"
        )
        read.problems.append(Problem(name, None, message))
        return read
    _check_terms(text, name, graph, prefixes[_CG], read)
    id_lines = _first_lines(text, _ID, prefixes[_ID])
    for subject in sorted(subjects):
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
