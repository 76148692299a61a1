"""The SHACL shapes of ``ontology/shapes.ttl`` run as SPARQL on the embedded engine, for large loads.

pyshacl validates about ten thousand records a second; a million-statement load would spend minutes
there. The shapes use a small part of SHACL (property shapes with min/max counts, datatypes, classes,
value lists, a value on a path, alternatives of datatypes, a comparison, a minimum and a regular
expression), so each
constraint is translated into one SELECT that returns the offending focus nodes and values, and run
by Oxigraph. A shapes file that uses anything else is refused by :func:`compile_shapes`, and the
loader then falls back to pyshacl: nothing is silently left unchecked. The test suite checks that
both give the same violations on the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from graph.rdf_terms import from_engine, to_engine_quads
from graph.resources import shapes_graph
from graph.statements import Statements

__all__ = ["Unsupported", "Violation", "compile_shapes", "violations"]

_SHAPE_KEYS = {
    RDF.type,
    SH.targetClass,
    SH.property,
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}
_PROPERTY_KEYS = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH["in"],
    SH.node,
    SH["or"],
    SH.lessThanOrEquals,
    SH.minInclusive,
    SH.pattern,
    SH.flags,
    SH.message,
}
_FOCUS = "?focus a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {cls} ."


class Unsupported(ValueError):
    """The shapes use a SHACL feature this translation does not cover."""


@dataclass(frozen=True)
class Violation:
    """One focus node that breaks one constraint."""

    focus: Node
    path: URIRef
    message: str
    value: Node | None
    component: URIRef | None = (
        None  # the SHACL constraint component, e.g. sh:MinCountConstraintComponent
    )


@dataclass(frozen=True)
class _Check:
    query: str
    path: URIRef
    message: str
    component: URIRef


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"a blank node where a value was expected: {node}")


#: Datatypes the engine can cast to, so a literal of one is checked to be well formed (SHACL's
#: sh:datatype fails "2026-02-30"^^xsd:date); a literal of another datatype is taken as it is.
_CASTABLE = {
    XSD.string,
    XSD.boolean,
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.date,
    XSD.dateTime,
    XSD.gYear,
    XSD.gYearMonth,
    XSD.duration,
}


def _typed(value: str, datatypes: Iterable[Node | None]) -> str:
    """A SPARQL condition: ``value`` is a well-formed literal of one of ``datatypes``."""
    options = []
    for datatype in datatypes:
        if not isinstance(datatype, URIRef):
            raise Unsupported("sh:datatype must name a datatype IRI")
        test = f"DATATYPE({value}) = {_term(datatype)}"
        if datatype in _CASTABLE:
            test += f" && isLiteral({_term(datatype)}(STR({value})))"
        options.append(f"({test})")
    return f"COALESCE(isLiteral({value}) && ({' || '.join(options) or 'false'}), false)"


def _node_values(shapes: Graph, node: Node) -> tuple[URIRef, Node]:
    """A nested ``sh:node`` that requires one value on one path (e.g. skos:inScheme a scheme)."""
    props = list(shapes.objects(node, SH.property))
    if len(props) != 1 or set(shapes.predicates(node)) - {SH.property, RDF.type}:
        raise Unsupported("sh:node must hold exactly one property shape")
    prop = props[0]
    path, value = shapes.value(prop, SH.path), shapes.value(prop, SH.hasValue)
    if (
        not isinstance(path, URIRef)
        or value is None
        or set(shapes.predicates(prop)) - {SH.path, SH.hasValue, SH.message}
    ):
        raise Unsupported("sh:node's property shape must be a path with sh:hasValue")
    return path, value


def _checks(shapes: Graph, cls: URIRef, prop: Node) -> Iterable[_Check]:
    keys = set(shapes.predicates(prop))
    if keys - _PROPERTY_KEYS:
        raise Unsupported(f"unsupported constraints: {sorted(map(str, keys - _PROPERTY_KEYS))}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported("only plain property paths are supported")
    message = str(shapes.value(prop, SH.message) or "does not satisfy the shapes")
    focus = _FOCUS.format(cls=_term(cls))
    p = _term(path)

    def check(component: str, body: str) -> _Check:
        query = f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {body} }}"
        return _Check(query, path, message, SH[f"{component}ConstraintComponent"])

    def count(component: str, body: str, having: str) -> _Check:
        query = f"SELECT ?focus WHERE {{ {focus} {body} }} GROUP BY ?focus HAVING ({having})"
        return _Check(query, path, message, SH[f"{component}ConstraintComponent"])

    low = shapes.value(prop, SH.minCount)
    if low is not None:
        yield count(
            "MinCount", f"OPTIONAL {{ ?focus {p} ?v }}", f"COUNT(DISTINCT ?v) < {int(str(low))}"
        )
    high = shapes.value(prop, SH.maxCount)
    if high is not None:
        yield count("MaxCount", f"?focus {p} ?v", f"COUNT(DISTINCT ?v) > {int(str(high))}")
    datatype = shapes.value(prop, SH.datatype)
    if datatype is not None:
        yield check("Datatype", f"?focus {p} ?value FILTER(!{_typed('?value', [datatype])})")
    target = shapes.value(prop, SH["class"])
    if target is not None:
        yield check(
            "Class",
            f"?focus {p} ?value FILTER NOT EXISTS {{ ?value a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_term(target)} }}",
        )
    allowed = shapes.value(prop, SH["in"])
    if allowed is not None:
        # sameTerm, not NOT IN: SHACL compares terms exactly, so "reported"^^xsd:normalizedString
        # is not "reported" (SPARQL's = would compare values and could let it through)
        options = " || ".join(f"sameTerm(?value, {_term(v)})" for v in Collection(shapes, allowed))
        yield check("In", f"?focus {p} ?value FILTER(!({options or 'false'}))")
    nested = shapes.value(prop, SH.node)
    if nested is not None:
        on, value = _node_values(shapes, nested)
        yield check(
            "Node", f"?focus {p} ?value FILTER NOT EXISTS {{ ?value {_term(on)} {_term(value)} }}"
        )
    alternatives = shapes.value(prop, SH["or"])
    if alternatives is not None:
        types: list[Node | None] = []
        for member in Collection(shapes, alternatives):
            if set(shapes.predicates(member)) != {SH.datatype}:
                raise Unsupported("sh:or is supported only as a choice of datatypes")
            types.append(shapes.value(member, SH.datatype))
        yield check("Or", f"?focus {p} ?value FILTER(!{_typed('?value', types)})")
    other = shapes.value(prop, SH.lessThanOrEquals)
    if other is not None:
        yield check(
            "LessThanOrEquals",
            f"?focus {p} ?value ; {_term(other)} ?other FILTER(!COALESCE(?value <= ?other, false))",
        )
    minimum = shapes.value(prop, SH.minInclusive)
    if minimum is not None:
        yield check(
            "MinInclusive",
            f"?focus {p} ?value FILTER(!COALESCE(?value >= {_term(minimum)}, false))",
        )
    pattern = shapes.value(prop, SH.pattern)
    if pattern is not None:
        flags = shapes.value(prop, SH.flags)
        regex = _term(pattern) + (f", {_term(flags)}" if flags is not None else "")
        yield check(
            "Pattern", f"?focus {p} ?value FILTER(isBlank(?value) || !REGEX(STR(?value), {regex}))"
        )


@cache
def compile_shapes() -> tuple[_Check, ...]:
    """Every constraint of the shipped shapes as a SPARQL check; :class:`Unsupported` if impossible."""
    shapes = shapes_graph()
    checks: list[_Check] = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if isinstance(shape, BNode):
            continue  # nested node shapes are handled by the property that uses them
        keys = set(shapes.predicates(shape))
        if keys - _SHAPE_KEYS:
            raise Unsupported(
                f"{shape}: unsupported shape keys {sorted(map(str, keys - _SHAPE_KEYS))}"
            )
        for cls in shapes.objects(shape, SH.targetClass):
            for prop in shapes.objects(shape, SH.property):
                checks.extend(_checks(shapes, URIRef(str(cls)), prop))
    return tuple(checks)


def violations(*sources: Graph | Statements) -> list[Violation]:
    """Run every check on the union of ``sources`` (which must include the ontology, for
    subclasses): rdflib graphs, or compiled statements, which the engine parses itself."""
    engine = ox.Store()
    for data in sources:
        if isinstance(data, Statements):
            data.load_into(engine)
        else:
            engine.extend(to_engine_quads(data, None))
    found: list[Violation] = []
    for check in compile_shapes():
        result = engine.query(check.query)
        assert isinstance(result, ox.QuerySolutions)
        has_value = "value" in {v.value for v in result.variables}
        for row in result:
            value = row["value"] if has_value else None
            found.append(
                Violation(
                    from_engine(row["focus"]),
                    check.path,
                    check.message,
                    from_engine(value) if value is not None else None,
                    check.component,
                )
            )
    return found
