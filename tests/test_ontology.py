"""The ontology, vocabularies and shapes: every term declared, labelled, commented and normalised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.namespaces import CG, CGV
from graph.normalise import normalised
from graph.resources import ontology_dir, ontology_graph, shapes_graph

ROOT = Path(__file__).parent.parent
CG_TERM = re.compile(r"\bcg:([A-Za-z][A-Za-z0-9]*)\b")


def _declared() -> set[str]:
    onto = ontology_graph()
    prefix = str(CG._NS)
    return {
        str(s)[len(prefix) :] for s in onto.subjects(RDF.type, None) if str(s).startswith(prefix)
    }


def test_the_python_namespace_and_the_ontology_declare_the_same_terms() -> None:
    assert set(CG.__annotations__) == _declared()


def test_every_cg_term_used_in_ontology_data_queries_and_docs_is_declared() -> None:
    declared = _declared()
    files = [
        *ontology_dir().rglob("*.ttl"),
        *ontology_dir().rglob("*.rq"),
        *(ROOT / "data").rglob("*.ttl"),
    ]
    files += [*(ROOT / "docs").rglob("*.md")]
    unknown = {
        (path.name, term)
        for path in files
        for term in CG_TERM.findall(path.read_text(encoding="utf-8"))
        if term not in declared
    }
    assert unknown == set()


def test_every_term_has_an_english_label_and_comment() -> None:
    onto = ontology_graph()
    missing = []
    for term in (
        set(onto.subjects(RDF.type, OWL.Class))
        | set(onto.subjects(RDF.type, OWL.ObjectProperty))
        | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
        | set(onto.subjects(RDF.type, SKOS.Concept))
    ):
        if not str(term).startswith((str(CG._NS), str(CGV._NS))):
            continue
        labels = [
            o
            for o in onto.objects(term, RDFS.label)
            if isinstance(o, Literal) and o.language == "en"
        ]
        comments = [o for o in onto.objects(term, RDFS.comment) if isinstance(o, Literal)]
        if not labels or not comments:
            missing.append(term)
    assert missing == []


def test_every_concept_has_a_notation_unique_in_its_scheme() -> None:
    onto = ontology_graph()
    seen: dict[tuple[URIRef, str], URIRef] = {}
    for concept in onto.subjects(RDF.type, SKOS.Concept):
        notations = list(onto.objects(concept, SKOS.notation))
        schemes = list(onto.objects(concept, SKOS.inScheme))
        assert len(notations) == 1 and len(schemes) == 1, concept
        key = (schemes[0], str(notations[0]))
        assert key not in seen, (concept, seen.get(key))
        seen[key] = concept  # type: ignore[assignment]


def test_every_shape_constraint_has_a_message() -> None:
    sh = "http://www.w3.org/ns/shacl#"
    shapes = shapes_graph()
    targeted = set(shapes.subjects(URIRef(sh + "targetClass"), None))
    constraints = [p for shape in targeted for p in shapes.objects(shape, URIRef(sh + "property"))]
    assert len(constraints) > 30
    assert [p for p in constraints if shapes.value(p, URIRef(sh + "message")) is None] == []


@pytest.mark.parametrize("name", ["casegraph.ttl", "vocabularies.ttl", "shapes.ttl"])
def test_turtle_files_are_normalised(name: str) -> None:
    path = ontology_dir() / name
    assert path.read_text(encoding="utf-8") == normalised(path), f"run 'make format' ({name})"
