"""The Turtle normaliser orders blank nodes by their content: renumbering or reordering them in the
input (past 9->10 and 99->100) gives byte-identical output, and the output is the same graph."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph
from rdflib.compare import graph_diff, isomorphic
from rdflib.term import Node

from graph import normalise
from graph.errors import CasegraphError
from graph.normalise import normalised
from graph.resources import ontology_dir

PREFIXES = """\
PREFIX cg: <https://w3id.org/casegraph/ontology#>
PREFIX cgsh: <https://w3id.org/casegraph/shapes#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
"""
#: Few distinct values, so that many blank nodes say the same thing (ties to break).
VALUES: tuple[tuple[str, str], ...] = (
    ("sh:path", "cg:about"),
    ("sh:path", "cg:defendant"),
    ("sh:minCount", "1"),
    ("sh:maxCount", "1"),
    ("sh:message", '"Testa Personova must have a name."@en'),
)
SUBJECTS = ("cgsh:AShape", "cgsh:BShape", "cgsh:CShape")

#: A statement: subject, predicate, object; an int is a blank node, a str a Turtle term.
Triple = tuple[int | str, str, int | str]


@st.composite
def shapes(draw: st.DrawFn, low: int, high: int, shared: bool = False) -> list[Triple]:
    """Shapes whose blank nodes nest (each hangs under a shape or an earlier blank node), with
    RDF lists; with ``shared``, also blank nodes used twice and cycles."""
    count = draw(st.integers(low, high))
    triples: list[Triple] = []
    for node in range(count):
        parent = draw(st.integers(-len(SUBJECTS), node - 1))
        predicate = draw(st.sampled_from(("sh:property", "sh:node", "sh:or")))
        triples.append((SUBJECTS[parent] if parent < 0 else parent, predicate, node))
        for p, o in draw(st.lists(st.sampled_from(VALUES), max_size=3, unique=True)):
            triples.append((node, p, o))
    items = draw(st.lists(st.sampled_from(('"a"', '"b"', "cg:Person")), max_size=4))
    if items:  # an RDF list, its cells blank nodes like any other
        cells = list(range(count, count + len(items)))
        triples.append((SUBJECTS[0], "sh:in", cells[0]))
        rests: list[int | str] = [*cells[1:], "rdf:nil"]
        for cell, item, rest in zip(cells, items, rests, strict=True):
            triples += [(cell, "rdf:first", item), (cell, "rdf:rest", rest)]
        count += len(items)
    if shared:  # not into a list's cells: rdflib's longturtle would drop them (see below)
        nodes = count - len(items)
        pairs = st.tuples(st.integers(0, count - 1), st.integers(0, nodes - 1))
        triples += [(a, "cg:seeAlso", b) for a, b in draw(st.lists(pairs, max_size=6))]
    return triples


def _turtle(triples: list[Triple], labels: list[int], order: random.Random) -> str:
    """The statements in a shuffled order, blank node ``n`` written ``_:x{labels[n]}``."""

    def term(t: int | str) -> str:
        return f"_:x{labels[t]}" if isinstance(t, int) else t

    lines = [f"{term(s)} {p} {term(o)} ." for s, p, o in triples]
    order.shuffle(lines)
    return PREFIXES + "\n".join(lines) + "\n"


def _blank_count(triples: list[Triple]) -> int:
    return 1 + max(t for s, _, o in triples for t in (s, o) if isinstance(t, int))


def _normal(text: str, path: Path) -> str:
    path.write_text(text, encoding="utf-8")
    return normalised(path)


def _tree_text(graph: Graph) -> list[str]:
    """A canonical text of a graph whose blank nodes form trees (each used at most once): every
    statement of a named subject, blank objects written out as their sorted content."""

    def term(node: Node) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        inside = sorted(f"{p.n3()} {term(o)}" for p, o in graph.predicate_objects(node))
        return "[" + " ; ".join(inside) + "]"

    return sorted(f"{s.n3()} {p.n3()} {term(o)}" for s, p, o in graph if not isinstance(s, BNode))


def _assert_same_graph(text: str, normal: str, trees: bool) -> None:
    """The normal form says what the input says: for trees of blank nodes, compared by their
    canonical text; else with rdflib's isomorphism (which is slow on large symmetric graphs)."""
    given_graph = Graph().parse(data=text, format="turtle")
    normal_graph = Graph().parse(data=normal, format="turtle")
    if trees:
        assert len(normal_graph) == len(given_graph)
        assert _tree_text(normal_graph) == _tree_text(given_graph)
    elif not isomorphic(given_graph, normal_graph):
        _, only_given, only_normal = graph_diff(given_graph, normal_graph)
        pytest.fail(
            f"only in input:\n{only_given.serialize()}\nonly in output:\n{only_normal.serialize()}"
        )


def _check_stable(
    triples: list[Triple], seeds: tuple[int, int], tmp: Path, trees: bool = True
) -> None:
    count = _blank_count(triples)
    first, second = random.Random(seeds[0]), random.Random(seeds[1])
    one = _turtle(triples, first.sample(range(count), count), first)
    two = _turtle(triples, second.sample(range(5, 5 + 2 * count), count), second)
    normal = _normal(one, tmp / "one.ttl")
    assert _normal(two, tmp / "two.ttl") == normal
    _assert_same_graph(one, normal, trees)
    assert _normal(normal, tmp / "again.ttl") == normal  # a normal form is its own normal form


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(triples=shapes(8, 30), seeds=st.tuples(st.integers(), st.integers()))
def test_renumbered_and_reordered_blank_nodes_normalise_alike(
    triples: list[Triple], seeds: tuple[int, int], tmp_path: Path
) -> None:
    _check_stable(triples, seeds, tmp_path)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(triples=shapes(101, 160), seeds=st.tuples(st.integers(), st.integers()))
def test_more_than_a_hundred_blank_nodes(
    triples: list[Triple], seeds: tuple[int, int], tmp_path: Path
) -> None:
    _check_stable(triples, seeds, tmp_path)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(triples=shapes(2, 14, shared=True), seeds=st.tuples(st.integers(), st.integers()))
def test_shared_and_cyclic_blank_nodes_normalise_alike(
    triples: list[Triple], seeds: tuple[int, int], tmp_path: Path
) -> None:
    """Blank nodes printed by label (used twice, or on a cycle) get the same labels too."""
    _check_stable(triples, seeds, tmp_path, trees=False)


def _nested_shape(index: int) -> str:
    return (
        f'[ sh:path cg:p{index} ; sh:message "Testa Personova {index}"@en ;\n'
        f"  sh:node [ sh:property [ sh:path cg:q{index} ; sh:minCount 1 ] ] ]"
    )


@pytest.mark.parametrize("count", [11, 102])
def test_anonymous_shapes_in_any_order(count: int, tmp_path: Path) -> None:
    """Written with ``[ ]`` (ids handed out in reading order): the order in the file is lost."""
    shapes_ = [_nested_shape(i) for i in range(count)]
    texts = []
    for seed in range(3):
        random.Random(seed).shuffle(shapes_)
        texts.append(PREFIXES + "cgsh:AShape sh:property\n" + " ,\n".join(shapes_) + " .\n")
    normals = [_normal(text, tmp_path / f"{i}.ttl") for i, text in enumerate(texts)]
    assert normals[1] == normals[0] and normals[2] == normals[0]
    _assert_same_graph(texts[0], normals[0], trees=True)
    # The shapes come out in the order of their content: cg:p0, cg:p1, cg:p10, cg:p100, ...
    paths = [line.split()[1] for line in normals[0].splitlines() if "sh:path cg:p" in line]
    assert paths == sorted(paths) and len(paths) == count


@pytest.mark.parametrize("name", ["casegraph.ttl", "vocabularies.ttl", "shapes.ttl"])
def test_ontology_files_renumbered_normalise_alike(name: str, tmp_path: Path) -> None:
    """Each ontology file, its blank nodes written with shuffled labels and its statements in a
    shuffled order, normalises to the same bytes as the file."""
    path = ontology_dir() / name
    graph = Graph().parse(path, format="turtle")
    lines = graph.serialize(format="nt").splitlines()
    labels = {term for line in lines for term in line.split() if term.startswith("_:")}
    names = dict(
        zip(sorted(labels), random.Random(7).sample(range(len(labels)), len(labels)), strict=True)
    )
    renamed = [
        " ".join(f"_:y{names[t]}" if t in names else t for t in line.split(" ")) for line in lines
    ]
    random.Random(8).shuffle(renamed)
    header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in Graph().parse(path).namespaces() if p)
    assert _normal(header + "\n".join(renamed) + "\n", tmp_path / name) == normalised(path)
    assert isomorphic(Graph().parse(data=normalised(path), format="turtle"), graph)


def test_help_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` prints the usage and exits; it used to be taken as "rewrite the files"."""
    before = {p: p.stat().st_mtime_ns for p in ontology_dir().glob("*.ttl")}
    with pytest.raises(SystemExit) as exited:
        normalise.main(["--help"])
    assert exited.value.code == 0 and "--check" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in ontology_dir().glob("*.ttl")} == before


def test_a_shared_list_cell_is_refused_not_lost(tmp_path: Path) -> None:
    """rdflib's longturtle writes a list cell inside its list and loses its other uses: the
    normaliser says so instead of writing a file that says less."""
    text = PREFIXES + (
        'cgsh:AShape sh:in _:a . _:a rdf:first "a" ; rdf:rest _:b .\n'
        '_:b rdf:first "b" ; rdf:rest rdf:nil . cgsh:BShape sh:node _:b .\n'
    )
    with pytest.raises(CasegraphError, match="would not say the same"):
        _normal(text, tmp_path / "shared.ttl")
