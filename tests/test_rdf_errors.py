"""RDF files: every syntax error names the file and line, no input gives a traceback, limits hold,
and source URLs must be web addresses (the SPARQL shapes and pyshacl agree)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import Problem
from graph.loading import check_paths
from graph.reading import read_file
from graph.resources import ontology_graph
from graph.shape_queries import violations
from graph.validation import pyshacl_violations

DATA = Path(__file__).parent / "data"
PREFIXES = (
    "@prefix cg: <https://w3id.org/casegraph/ontology#> .\n"
    "@prefix cgd: <https://w3id.org/casegraph/id/> .\n"
    "@prefix cgv: <https://w3id.org/casegraph/vocab#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
_CONTEXT = {"cg": "https://w3id.org/casegraph/ontology#", "cgd": "https://w3id.org/casegraph/id/"}
#: Problems about a whole file, which have no line to point at.
WHOLE_FILE = {
    "the file is empty",
    "the file is empty (it has no statements, only comments or prefixes)",
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def assert_problems_have_lines(path: Path) -> None:
    checked = check_paths([path])  # must not raise, whatever the bytes
    for problem in checked.problems:
        assert isinstance(problem, Problem) and problem.file == str(path)
        assert problem.line is not None or problem.message in WHOLE_FILE, problem
        assert "\n" not in problem.message


# --- truncation ----------------------------------------------------------------------------------


def test_every_truncation_of_a_trig_file_has_a_line(tmp_path: Path) -> None:
    """All 1,011 prefixes of the TriG fixture (issue 8: 319 of 910 had no line)."""
    data = (DATA / "small-case.trig").read_bytes()
    path = tmp_path / "cut.trig"
    for end in range(len(data) + 1):
        path.write_bytes(data[:end])
        assert_problems_have_lines(path)


def test_a_deterministic_sample_of_turtle_truncations_has_lines(tmp_path: Path) -> None:
    """400 evenly spread prefixes of the expected Turtle of the example case."""
    data = (DATA / "example-case.expected.ttl").read_bytes()
    path = tmp_path / "cut.ttl"
    for end in sorted({len(data) * k // 399 for k in range(400)}):
        path.write_bytes(data[:end])
        assert_problems_have_lines(path)


# --- IRIs, empty files, long literals ----------------------------------------------------------


@pytest.mark.parametrize(
    "iri", ["https://e.org/a b", "https://e.org/a\\u0020b", "https://e.org/a\\u000Ab"]
)
@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nt"])
def test_an_iri_with_a_space_is_a_problem_at_its_line(
    tmp_path: Path, iri: str, suffix: str
) -> None:
    text = "# a comment\n\n" + f'<{iri}> <https://w3id.org/casegraph/ontology#name> "x" .\n'
    path = write(tmp_path / f"iri{suffix}", text)
    [problem] = read_file(path).problems
    assert problem.line == 3
    assert "syntax error: Invalid IRI code point" in problem.message
    assert "\n" not in problem.message and "%20" in problem.message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("comments.ttl", "# only a comment\n"),
        ("prefixes.ttl", PREFIXES + "# and nothing else\n"),
        ("empty-graph.trig", PREFIXES + "GRAPH <urn:g> { }\n"),
        ("comments.nt", "# nothing\n"),
        ("comments.nq", "# nothing\n"),
        ("empty.jsonld", "{}"),
    ],
)
def test_a_file_without_statements_is_refused(tmp_path: Path, name: str, text: str) -> None:
    """Like a YAML file with only comments (issue 8: a comment-only .ttl loaded as empty)."""
    [problem] = read_file(write(tmp_path / name, text)).problems
    assert problem.message == "the file is empty (it has no statements, only comments or prefixes)"


def test_a_literal_over_the_limit_never_reaches_the_engine(tmp_path: Path) -> None:
    """A 17 MiB literal (issue 8: crashed load and validate) is a problem at its line; a 2 MiB
    literal or IRI (which the engine's parser reads) at the line where its statement ends."""
    long = "x" * (17 * 1024 * 1024)
    text = PREFIXES + f'\ncgd:a cg:name "A" .\ncgd:a cg:note """{long}\n""" .\n'
    [problem] = read_file(write(tmp_path / "long.ttl", text)).problems
    assert problem.line == 7
    assert "a literal or IRI starting here is over 16 MiB" in problem.message
    two = "x" * (2 * 1024 * 1024)
    text = PREFIXES + f'\ncgd:a cg:name "A" .\ncgd:a cg:note """{two}\n""" .\n'
    [problem] = read_file(write(tmp_path / "two.ttl", text)).problems
    assert problem.line == 8
    assert "a literal of 2,097,153 characters" in problem.message
    iri = PREFIXES + f"<https://e.org/{two}> cg:name 'A' .\n"
    [problem] = read_file(write(tmp_path / "iri.ttl", iri)).problems
    assert problem.line == 5 and "an IRI of 2,097,166 characters" in problem.message


def test_an_ill_typed_literal_is_a_problem_at_its_line(tmp_path: Path) -> None:
    """A date that is not a date was accepted before; now it is named, with its line."""
    text = PREFIXES + '\ncgd:a cg:name "A" ;\n    cg:date "2026-0<-05"^^xsd:date .\n'
    [problem] = read_file(write(tmp_path / "date.ttl", text)).problems
    assert (problem.line, problem.message) == (
        7,
        "'2026-0<-05' is not a valid xsd:date (in the statement ending here)",
    )
    document = {"@context": _CONTEXT, "@id": "cgd:a", "cg:name": "A"}
    text = json.dumps(document)[:-1] + ',\n"cg:date": {"@value": "2026-13-45", '
    text += '"@type": "http://www.w3.org/2001/XMLSchema#date"}}'
    [problem] = read_file(write(tmp_path / "date.jsonld", text)).problems
    assert problem.line == 2 and "'2026-13-45' is not a valid xsd:date" in problem.message


def test_statements_per_file_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.authoring.rdf_syntax.MAX_STATEMENTS", 2)
    text = PREFIXES + "cgd:a cg:name 'A' .\ncgd:a cg:name 'B' .\n\ncgd:a cg:name 'C' .\n"
    [problem] = read_file(write(tmp_path / "many.ttl", text)).problems
    assert problem.line == 8 and "more than 2 statements" in problem.message


def test_records_per_rdf_file_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.authoring.rdf_files.MAX_RECORDS", 1)
    text = PREFIXES + "cgd:a cg:name 'A' .\ncgd:b cg:name 'B' .\n"
    [problem] = read_file(write(tmp_path / "many.ttl", text)).problems
    assert "the file holds 2 records; casegraph reads at most 1 per file" in problem.message


# --- JSON-LD -----------------------------------------------------------------------------------


def test_jsonld_nested_five_thousand_deep_is_a_problem(tmp_path: Path) -> None:
    """Checked before any recursive parser sees it (issue 8: RecursionError at about 990)."""
    text = '{"@id": "https://e.org/a",\n "cg:x": ' + "[" * 5000 + "]" * 5000 + "}"
    [problem] = read_file(write(tmp_path / "deep.jsonld", text)).problems
    assert problem.line == 2 and "nested more than 64 levels deep" in problem.message


def test_jsonld_depth_scan_skips_strings_exactly(tmp_path: Path) -> None:
    """Brackets and escaped quotes inside strings do not count; 60 real levels are read."""
    nested: object = '[[[{\\"]]]'
    for _ in range(60):
        nested = {"cg:note": nested}
    document = {
        "@context": _CONTEXT,
        "@id": "cgd:a",
        "cg:name": "[" * 200 + '"{',
        "cg:note": nested,
    }
    compiled = read_file(write(tmp_path / "ok.jsonld", json.dumps(document)))
    assert compiled.problems == []
    assert "a" in compiled.records


def test_a_long_jsonld_string_is_a_problem_at_its_line(tmp_path: Path) -> None:
    text = json.dumps({"@context": _CONTEXT, "@id": "cgd:a"})[:-1] + ',\n"cg:name": "'
    text += "y" * (1024 * 1024 + 1) + '"}'
    [problem] = read_file(write(tmp_path / "long.jsonld", text)).problems
    assert problem.line == 2 and "a text of 1,048,577 characters" in problem.message


# --- source URLs -------------------------------------------------------------------------------


def _source(rid: str, url: str) -> str:
    return (
        f'cgd:{rid} a cg:Source ; cg:recordId "{rid}" ; cg:title "T" ; cg:publisher "P" ;\n'
        f'    cg:reliability cgv:reliability_high ; cg:url "{url}"^^xsd:anyURI .\n'
    )


BAD_URLS = [
    "javascript:alert(1)",
    "data:text/html,hi",
    "file:///etc/passwd",
    "ftp://example.org/a",
    "example.org/a",
    "http:///no-host",
]
GOOD_URLS = ["https://example.org/a?b#c", "http://example.org", "HTTPS://Example.org/x"]


def test_rdf_source_urls_must_be_web_addresses(tmp_path: Path) -> None:
    """Each bad URL is a problem at its record; the engine's SPARQL and pyshacl agree."""
    urls = BAD_URLS + GOOD_URLS
    text = PREFIXES + "".join(_source(f"s{n}", url) for n, url in enumerate(urls))
    path = write(tmp_path / "urls.ttl", text)
    checked = check_paths([path])
    bad = {p.record for p in checked.problems if "is a web address" in p.message}
    assert bad == {f"s{n}" for n in range(len(BAD_URLS))}
    assert all(p.line == 5 + 2 * int(str(p.record)[1:]) for p in checked.problems)
    compiled = read_file(path)
    engine = {
        (str(v.focus), str(v.value)) for v in violations(compiled.statements, ontology_graph())
    }
    reference = {
        (str(v.focus), str(v.value)) for v in pyshacl_violations(compiled.graph + ontology_graph())
    }
    assert engine == reference and len(engine) == len(BAD_URLS)


# --- the command -------------------------------------------------------------------------------


def test_the_command_gives_lines_not_tracebacks(tmp_path: Path) -> None:
    """validate and load, in a real process, on an IRI with a space and a cut TriG file."""
    iri = write(tmp_path / "iri.ttl", PREFIXES + '<https://e.org/a\\u0020b> cg:name "x" .\n')
    cut = tmp_path / "cut.trig"
    cut.write_bytes((DATA / "small-case.trig").read_bytes()[:700])
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEGRAPH_")}
    for command in ("validate", "load"):
        result = subprocess.run(
            [sys.executable, "-m", "graph", "--store", str(tmp_path / "store"), command, iri, cut],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"{iri}:5: Turtle syntax error: Invalid IRI code point" in result.stderr
        assert f"{cut}:" in result.stderr


# --- fuzzing -----------------------------------------------------------------------------------

_TURTLE = (DATA / "small-case.trig").read_bytes().replace(b"GRAPH <urn:example:people> {", b"")
_TURTLE = _TURTLE.rsplit(b"}", 1)[0]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_TURTLE) - 1), st.integers(0, 255), st.sampled_from("rid")),
        min_size=1,
        max_size=8,
    )
)
def test_mutated_turtle_gives_problems_with_lines(
    tmp_path: Path, edits: list[tuple[int, int, str]]
) -> None:
    """Random byte replacements, insertions and deletions of a valid Turtle file."""
    data = bytearray(_TURTLE)
    for position, byte, kind in edits:
        position = min(position, len(data) - 1)
        if kind == "r":
            data[position] = byte
        elif kind == "i":
            data.insert(position, byte)
        elif len(data) > 1:
            del data[position]
    path = tmp_path / "mutant.ttl"
    path.write_bytes(bytes(data))
    assert_problems_have_lines(path)
