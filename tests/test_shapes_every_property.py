"""Every constraint of every property shape in ``ontology/shapes.ttl`` is seen failing, by both engines.

The property shapes are enumerated from the file, so a new shape is covered without editing this
test. For each constraint the smallest graph that breaks it is built from the constraint itself (a
missing value for ``sh:minCount``, one value too many for ``sh:maxCount``, a literal of another
datatype for ``sh:datatype``, ...). The SPARQL translation (:func:`graph.shape_queries.violations`)
and pyshacl (:func:`graph.validation.pyshacl_violations`) must then report the same, non-empty set of
(focus node, path, constraint component), and that set must hold the constraint under test. A
constraint this file cannot build a fixture for, or the translation cannot run, fails the test by
name: nothing is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from graph.namespaces import ID
from graph.resources import ontology_dir, ontology_graph
from graph.shape_queries import Unsupported, compile_shapes, violations
from graph.validation import pyshacl_violations

SHAPES = ontology_dir() / "shapes.ttl"
FOCUS = ID["fixture_focus"]
#: Keys of a property shape that say what to report, not what to check.
NOT_CONSTRAINTS = {SH.path, SH.message, SH.flags, SH.name, SH.description, SH.severity}
#: Candidate strings for breaking a sh:pattern; the first one the pattern rejects is used.
PATTERN_MISSES = ("", "fixture value", "0", "!", "ftp://example.org/")


@dataclass(frozen=True)
class Case:
    """One constraint of one property shape."""

    shape: URIRef
    target: URIRef
    prop: Node
    path: URIRef
    key: URIRef
    value: Node

    @property
    def id(self) -> str:
        return f"{self.shape.split('#')[-1]}-{self.path.split('#')[-1]}-{self.key.split('#')[-1]}"


@cache
def _shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def _cases() -> list[Case]:
    shapes = _shapes()
    found = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if isinstance(shape, BNode):
            continue  # nested node shapes are checked through the property that uses them
        for target in sorted(shapes.objects(shape, SH.targetClass), key=str):
            for prop in shapes.objects(shape, SH.property):
                path = shapes.value(prop, SH.path)
                assert isinstance(path, URIRef), f"{shape}: a property shape without a plain path"
                for key, value in sorted(shapes.predicate_objects(prop)):
                    if key not in NOT_CONSTRAINTS:
                        found.append(Case(shape, target, prop, path, key, value))  # type: ignore[arg-type]
    return found


CASES = _cases()


def _wrong_literal(allowed: set[Node]) -> Literal:
    """A literal whose datatype is none of ``allowed``."""
    for candidate in (Literal("fixture text"), Literal(7), Literal("fixture", lang="en")):
        datatype = candidate.datatype or (RDF.langString if candidate.language else XSD.string)
        if datatype not in allowed:
            return candidate
    raise AssertionError(f"no fixture literal outside {allowed}")


def _break(case: Case, data: Graph) -> None:
    """Add to ``data`` (which already types the focus node) the smallest thing that breaks ``case``."""
    shapes, p, key = _shapes(), case.path, case.key
    fresh = [ID[f"fixture_value_{i}"] for i in range(10)]
    if key == SH.minCount:
        return  # no value at all
    if key == SH.maxCount:
        for value in fresh[: int(case.value) + 1]:  # type: ignore[call-overload]
            data.add((FOCUS, p, value))
        return
    if key == SH.datatype:
        data.add((FOCUS, p, _wrong_literal({case.value})))
        return
    if key == SH["class"]:
        data.add((FOCUS, p, fresh[0]))  # an IRI of no class at all
        return
    if key == SH["in"]:
        members = list(Collection(shapes, case.value))  # type: ignore[arg-type]
        first = members[0]
        if isinstance(first, Literal):
            # the same text with another datatype: SHACL compares terms, not values
            data.add((FOCUS, p, Literal(str(first), datatype=XSD.normalizedString)))
        else:
            data.add((FOCUS, p, fresh[0]))
        return
    if key == SH.node:
        data.add((FOCUS, p, fresh[0]))  # a value without the property the nested shape requires
        return
    if key == SH["or"]:
        allowed = {shapes.value(m, SH.datatype) for m in Collection(shapes, case.value)}  # type: ignore[arg-type]
        if None in allowed:
            pytest.fail(f"{case.id}: sh:or of something other than datatypes has no fixture here")
        data.add((FOCUS, p, _wrong_literal(allowed)))  # type: ignore[arg-type]
        return
    if key == SH.lessThanOrEquals:
        data.add((FOCUS, p, Literal("2026-02-01", datatype=XSD.date)))
        data.add((FOCUS, case.value, Literal("2026-01-01", datatype=XSD.date)))  # type: ignore[arg-type]
        return
    if key == SH.minInclusive:
        assert isinstance(case.value, Literal)
        data.add((FOCUS, p, Literal(int(case.value) - 1)))  # type: ignore[call-overload]
        return
    if key == SH.pattern:
        flags = str(shapes.value(case.prop, SH.flags) or "")
        regex = re.compile(str(case.value), re.IGNORECASE if "i" in flags else 0)
        miss = next((s for s in PATTERN_MISSES if not regex.search(s)), None)
        assert miss is not None, f"{case.id}: every candidate matches {case.value}"
        data.add((FOCUS, p, Literal(miss)))
        return
    pytest.fail(
        f"{case.id}: the shapes use {key}, which this test cannot yet build a failing fixture for; "
        "add one here (and check graph/shape_queries.py translates it)"
    )


def _triples(found: list) -> set[tuple[Node, URIRef, URIRef | None]]:  # type: ignore[type-arg]
    return {(v.focus, v.path, v.component) for v in found}


_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
}


def test_the_translation_supports_every_shape() -> None:
    try:
        compile_shapes()
    except Unsupported as error:  # the lead wants to know: the loader falls back to pyshacl
        pytest.fail(f"graph/shape_queries.py cannot translate ontology/shapes.ttl: {error}")


def test_every_property_shape_is_enumerated() -> None:
    shapes = _shapes()
    properties = {
        o for s in shapes.subjects(SH.targetClass, None) for o in shapes.objects(s, SH.property)
    }
    assert properties and {c.prop for c in CASES} == properties


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_constraint_fails_alike_in_both_engines(case: Case) -> None:
    data = Graph()
    data.add((FOCUS, RDF.type, case.target))
    _break(case, data)
    union = data + ontology_graph()
    engine, reference = _triples(violations(union)), _triples(pyshacl_violations(union))
    assert engine == reference
    component = _COMPONENTS.get(case.key)
    assert component is not None, f"{case.id}: no constraint component known for {case.key}"
    assert (FOCUS, case.path, component) in engine


#: An ill-formed text for each datatype the shapes use that has one (xsd:string and xsd:anyURI
#: take nearly any text; RDF input refuses an ill-formed literal earlier, see
#: tests/test_vocabulary_travels.py).
ILL_FORMED = {
    XSD.date: "2026-02-30",
    XSD.gYear: "20x6",
    XSD.gYearMonth: "2026-13",
    XSD.integer: "1.5",
    XSD.duration: "P5X",
}
#: Datatypes whose lexical form rdflib (and so pyshacl) does not check: there the translation is
#: stricter than pyshacl, as SHACL asks, and reports what pyshacl reports and the ill-formed value.
UNCHECKED_BY_RDFLIB = {XSD.gYear, XSD.gYearMonth}
TYPED = [
    (case, datatype)
    for case in CASES
    for datatype in (
        [case.value]
        if case.key == SH.datatype
        else [_shapes().value(m, SH.datatype) for m in Collection(_shapes(), case.value)]  # type: ignore[arg-type]
        if case.key == SH["or"]
        else []
    )
    if datatype in ILL_FORMED
]


@pytest.mark.parametrize(
    ("case", "datatype"), TYPED, ids=[f"{c.id}-{str(d).split('#')[-1]}" for c, d in TYPED]
)
def test_an_ill_formed_literal_fails_alike_in_both_engines(case: Case, datatype: URIRef) -> None:
    data = Graph()
    data.add((FOCUS, RDF.type, case.target))
    data.add((FOCUS, case.path, Literal(ILL_FORMED[datatype], datatype=datatype)))
    union = data + ontology_graph()
    engine, reference = _triples(violations(union)), _triples(pyshacl_violations(union))
    expected = (FOCUS, case.path, _COMPONENTS[case.key])
    if datatype in UNCHECKED_BY_RDFLIB:
        assert reference <= engine and engine - reference == {expected}
    else:
        assert engine == reference
    assert expected in engine
