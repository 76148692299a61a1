"""Reading input files: the example case file compiles to the RDF of docs/rdf-mapping.md, RDF files
are read as they are, and every kind of bad input gets one clear problem at the right line."""

from __future__ import annotations

import hashlib
import math
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.authoring import reader
from graph.errors import Problem, ValidationFailed
from graph.namespaces import CG, ID
from graph.reading import CompiledFile, Reference, input_files, read_file

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
EXAMPLE = DATA / "example-case.yaml"
HEADER = """casegraph: 1
sources:
  - id: src_exampleton
    title: Exampleton court sits
    publisher: Example Daily
    reliability: medium
"""


def assert_same_graph(actual: Graph, expected: Graph) -> None:
    """Compare graphs as graphs, printing the difference when they are not the same."""
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            "graphs differ\nonly in the compiled graph:\n"
            + only_actual.serialize(format="nt")
            + "\nonly in the expected graph:\n"
            + only_expected.serialize(format="nt")
        )


def compile_text(tmp_path: Path, text: str, name: str = "case.yaml") -> CompiledFile:
    """Write ``text`` to a file and read it."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_file(path)


def only_problem(compiled: CompiledFile) -> Problem:
    """The one problem a file must have."""
    assert len(compiled.problems) == 1, [str(p) for p in compiled.problems]
    return compiled.problems[0]


# --- the example case file ---------------------------------------------------------------------


def test_example_compiles_to_the_expected_graph() -> None:
    """The example of docs/format.md gives exactly the hand-written triples."""
    compiled = read_file(EXAMPLE)
    assert compiled.problems == []
    assert compiled.ok
    expected = Graph().parse(DATA / "example-case.expected.ttl", format="turtle")
    assert_same_graph(compiled.graph, expected)


def test_example_is_the_one_in_the_docs() -> None:
    """tests/data/example-case.yaml is the complete example of docs/format.md, verbatim."""
    docs = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    assert "```yaml\n" + EXAMPLE.read_text(encoding="utf-8") + "```" in docs


def test_example_records() -> None:
    """Each record is listed with its IRI, section, line and class."""
    records = read_file(EXAMPLE).records
    assert list(records) == [
        "src_example_daily",
        "src_example_rights",
        "org_example_rights",
        "court_exampleton_rev",
        "court_exampleton_rev_b3",
        "prison_exampleton",
        "protest_example_2026",
        "testa_personova",
        "judge_fictivus",
        "ev_personova_arrest",
        "ev_personova_death_sentence",
        "ev_personova_denial",
    ]
    person = records["testa_personova"]
    assert (person.iri, person.section, person.line) == (ID["testa_personova"], "people", 52)
    assert person.classes == frozenset({CG.Person})
    assert records["court_exampleton_rev_b3"].classes == frozenset({CG.CourtBranch})
    assert records["org_example_rights"].classes == frozenset({CG.HumanRightsOrganisation})
    assert records["ev_personova_denial"].classes == frozenset({CG.StatementEvent})
    assert records["ev_personova_denial"].line == 88


def test_example_references() -> None:
    """Every id the file uses is listed with the class it must name and the line it is on."""
    compiled = read_file(EXAMPLE)
    refs = {(r.from_id, r.field, r.target_id): r for r in compiled.references}
    assert refs[("judge_fictivus", "roles[1].at", "court_exampleton_rev_b3")] == Reference(
        "judge_fictivus",
        "roles[1].at",
        "court_exampleton_rev_b3",
        ID["court_exampleton_rev_b3"],
        CG.Organisation,
        66,
    )
    assert refs[("ev_personova_death_sentence", "judge", "judge_fictivus")].line == 82
    assert refs[("ev_personova_death_sentence", "place", "prison_exampleton")].expected == CG.Place
    contradicts = refs[("ev_personova_denial", "contradicts", "ev_personova_death_sentence")]
    assert (contradicts.expected, contradicts.line) == (CG.Event, 92)
    sourced = {r.from_id for r in compiled.references if r.expected == CG.Source}
    assert sourced == set(compiled.records) - {"src_example_daily", "src_example_rights"}
    # 12 sources lists (name claim, role and attribute entries included) with 16 ids in all,
    # part_of, protests, roles[1].at, and 10 links from events
    assert len(compiled.references) == 29


def test_checksum_is_the_sha256_of_the_bytes() -> None:
    """The checksum lets the loader tell whether a file changed."""
    assert read_file(EXAMPLE).checksum == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 file saved with a byte-order mark reads the same as one without."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    compiled = read_file(path)
    assert compiled.problems == []
    assert_same_graph(compiled.graph, read_file(EXAMPLE).graph)


# --- bad YAML input: one problem each, at the right line ---------------------------------------

BAD_YAML = [
    ("empty.yaml", None, ["the file is empty"]),
    ("only-comments.yaml", None, ["the file is empty"]),
    ("not-utf8.yaml", 4, ["not UTF-8", "line 4", "byte offset 60"]),
    ("syntax-error.yaml", 7, ["YAML syntax error", "starts on line 4"]),
    ("unknown-field.yaml", 9, ["unknown field 'nmae'", "did you mean 'name'?"]),
    (
        "unknown-notation.yaml",
        10,
        [
            "'moharabeh' is not in the vocabulary of charges",
            "closest are: moharebeh",
            "vocabularies.ttl",
        ],
    ),
    ("solar-hijri-looking-date.yaml", 10, ["Solar Hijri", "'1404-10-20 SH'"]),
    ("unsafe-tag.yaml", 4, ["tags are not allowed", "!!python/object/apply:os.system"]),
    ("alias-bomb.yaml", 2, ["YAML anchors and aliases are not allowed"]),
    ("duplicate-ids.yaml", 7, ["'src_exampleton' is used twice", "lines 3 and 7"]),
    ("duplicate-keys.yaml", 6, ["'title' appears twice", "lines 4 and 6"]),
    ("bad-id.yaml", 3, ["'2026 exampleton report' is not a valid id", "starting with a letter"]),
    ("missing-header.yaml", 1, ["casegraph: 1"]),
    ("missing-sources.yaml", 8, ["missing 'sources'"]),
    ("not-a-list.yaml", 10, ["expected a list of ids"]),
]


@pytest.mark.parametrize(("name", "line", "words"), BAD_YAML)
def test_bad_yaml(name: str, line: int | None, words: list[str]) -> None:
    """Each bad fixture gives exactly one error, at its line, in words a researcher can act on."""
    compiled = read_file(BAD / name)
    problem = only_problem(compiled)
    assert not compiled.ok
    assert problem.file == str(BAD / name)
    assert problem.line == line
    assert problem.severity == "error"
    for word in words:
        assert word in problem.message


def test_problems_name_the_record_and_field() -> None:
    """A problem inside a record says which record and which field."""
    problem = only_problem(read_file(BAD / "unknown-notation.yaml"))
    assert (problem.record, problem.field) == ("ev_personova_charge", "charges[1]")
    problem = only_problem(read_file(BAD / "unknown-field.yaml"))
    assert (problem.record, problem.field) == ("testa_personova", "nmae")


def test_unsafe_tag_is_never_run(tmp_path: Path) -> None:
    """A python/object tag is refused before anything is constructed."""
    marker = tmp_path / "created-by-yaml"
    text = HEADER + f'    note: !!python/object/apply:os.mkdir ["{marker}"]\n'
    problem = only_problem(compile_text(tmp_path, text))
    assert (problem.line, "tags are not allowed" in problem.message) == (7, True)
    assert not marker.exists()


@pytest.mark.parametrize("tagged", ["!!str 2026", "!custom value", "! value", "!!binary aGk="])
def test_every_explicit_tag_is_refused(tmp_path: Path, tagged: str) -> None:
    """Even harmless-looking tags are refused: case files never need them."""
    problem = only_problem(compile_text(tmp_path, HEADER + f"    note: {tagged}\n"))
    assert problem.line == 7
    assert "tags are not allowed" in problem.message


def test_alias_bomb_is_refused_quickly() -> None:
    """A billion-laughs file is refused at its first anchor, without expanding anything."""
    start = time.perf_counter()
    compiled = read_file(BAD / "alias-bomb.yaml")
    assert time.perf_counter() - start < 5.0  # expanding it would take minutes and gigabytes
    assert "anchors and aliases" in only_problem(compiled).message


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    """``<<`` copies fields like an alias does; it is refused too."""
    text = HEADER + "    <<: {note: copied}\n"
    problem = only_problem(compile_text(tmp_path, text))
    assert (problem.line, "merge keys" in problem.message) == (7, True)


def test_unquoted_dates_stay_text(tmp_path: Path) -> None:
    """``date: 2026-01-20`` without quotes is the text 2026-01-20, not a timestamp."""
    compiled = compile_text(tmp_path, HEADER + "    date: 2026-01-20\n")
    assert compiled.problems == []
    published = compiled.graph.value(ID["src_exampleton"], CG.publishedDate)
    assert published == Literal("2026-01-20", datatype=URIRef(str(published.datatype)))
    assert str(published.datatype).endswith("#date")


def test_all_problems_of_a_file_are_reported(tmp_path: Path) -> None:
    """Problems in several records are all reported, each at its own line, in file order."""
    text = HEADER + (
        "people:\n"
        "  - id: testa_personova\n"
        "    name: Testa Personova\n"
        "    roles:\n"
        "      - {role: protestor, sources: [src_exampleton]}\n"
        "    sources: [src_exampleton]\n"
        "  - id: exampleton-judge\n"
        "    name: Judge Examplovich\n"
        "    sources: []\n"
        "events:\n"
        "  - id: ev_personova_arrest\n"
        "    type: arest\n"
        '    date: "2026-02-30"\n'
        "    people: [testa_personova]\n"
        "    sources: [src_exampleton]\n"
    )
    compiled = compile_text(tmp_path, text)
    found = [(p.line, p.record, p.field) for p in compiled.problems]
    assert found == [
        (11, "testa_personova", "roles[1].role"),
        (15, "exampleton-judge", "sources"),
        (18, "ev_personova_arrest", "type"),
        (19, "ev_personova_arrest", "date"),
    ]
    messages = [p.message for p in compiled.problems]
    assert "the closest are: protester," in messages[0]
    assert "'sources' is empty" in messages[1]
    assert "the closest are: arrest" in messages[2]
    assert "not a real calendar date" in messages[3]


@pytest.mark.parametrize(
    ("header", "words"),
    [("casegraph: 2", "'casegraph: 2' is not supported"), ("casegraph: one", "not supported")],
)
def test_unsupported_version(tmp_path: Path, header: str, words: str) -> None:
    """Only version 1 of the format is read."""
    problem = only_problem(compile_text(tmp_path, HEADER.replace("casegraph: 1", header)))
    assert (problem.line, words in problem.message) == (1, True)


def test_unknown_section_suggests_the_right_one(tmp_path: Path) -> None:
    """A misspelt section name is an error with a suggestion, not a silently ignored list."""
    problem = only_problem(compile_text(tmp_path, HEADER + "peple: []\n"))
    assert (problem.line, problem.field) == (7, "peple")
    assert "did you mean 'people'?" in problem.message


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("    reliability: medium\n    date_basis: printed\n", "expected 'page' or 'url'"),
        ("    reliability: medium\n    language: Persian language\n", "BCP 47"),
        ("    reliability: medium\n    url: not a web address\n", "not a web address"),
        ("    reliability: medium\n    mirror_of: [src_a]\n", "expected text"),
        ("    reliability: mediumish\n", "the closest are: medium"),
    ],
)
def test_source_field_problems(tmp_path: Path, field: str, words: str) -> None:
    """Wrong values in a source's fields point at the field's line."""
    text = HEADER.replace("    reliability: medium\n", field)
    problem = only_problem(compile_text(tmp_path, text))
    assert problem.line == 6 + field.count("\n") - 1
    assert words in problem.message


# --- what compiled records say -----------------------------------------------------------------


def test_solar_hijri_event_date_is_converted_and_kept(tmp_path: Path) -> None:
    """An event dated in the Solar Hijri calendar gets the Gregorian date and its original."""
    text = HEADER + (
        "events:\n"
        "  - id: ev_one\n    type: arrest\n"
        '    date: "1404-10-30 SH"\n    sources: [src_exampleton]\n'
        "  - id: ev_two\n    type: arrest\n"
        '    date: "1404-10 SH"\n    sources: [src_exampleton]\n'
    )
    graph = compile_text(tmp_path, text).graph
    day = Graph().parse(
        data="PREFIX cg: <https://w3id.org/casegraph/ontology#>\n"
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        '[] cg:date "2026-01-20"^^xsd:date ; cg:dateEarliest "2026-01-20"^^xsd:date ;'
        ' cg:dateLatest "2026-01-20"^^xsd:date ; cg:dateQualifier "exact" ;'
        ' cg:originalDate "1404-10-30 SH" ; cg:calendar "solar-hijri" .',
        format="turtle",
    )
    date_properties = {CG.date, CG.dateEarliest, CG.dateLatest, CG.dateQualifier}
    date_properties |= {CG.originalDate, CG.calendar}
    one = {(p, o) for p, o in graph.predicate_objects(ID["ev_one"]) if p in date_properties}
    assert one == set(day.predicate_objects(next(iter(day.subjects()))))
    two = {(p, str(o)) for p, o in graph.predicate_objects(ID["ev_two"]) if p in date_properties}
    assert two == {
        (CG.dateEarliest, "2025-12-22"),
        (CG.dateLatest, "2026-01-20"),
        (CG.dateQualifier, "between"),
        (CG.originalDate, "1404-10 SH"),
        (CG.calendar, "solar-hijri"),
    }


def test_single_value_dates_refuse_ranges(tmp_path: Path) -> None:
    """A protest's start holds one day, month or year: a range or a split SH month is refused."""
    text = HEADER + (
        "protests:\n"
        "  - id: protest_a\n    name: Exampleton protests\n"
        '    start: "before 2026-01"\n    sources: [src_exampleton]\n'
        "  - id: protest_b\n    name: Exampleton strikes\n"
        '    start: "1404-10 SH"\n    sources: [src_exampleton]\n'
    )
    compiled = compile_text(tmp_path, text)
    assert [(p.line, p.record, p.field) for p in compiled.problems] == [
        (10, "protest_a", "start"),
        (14, "protest_b", "start"),
    ]
    assert "from 2025-12-22 to 2026-01-20" in compiled.problems[1].message


def test_visibility_of_records_and_claims(tmp_path: Path) -> None:
    """Without a file visibility nothing is written; a record's own visibility reaches its claims."""
    text = HEADER + (
        "people:\n"
        "  - id: testa_personova\n    name: Testa Personova\n    visibility: public\n"
        "    attributes:\n"
        '      - {attribute: age, value: "24", sources: [src_exampleton]}\n'
        '      - {attribute: age, value: "25", visibility: restricted, sources: [src_exampleton]}\n'
        "    sources: [src_exampleton]\n"
    )
    graph = compile_text(tmp_path, text).graph
    assert graph.value(ID["src_exampleton"], CG.visibility) is None
    assert graph.value(ID["testa_personova"], CG.visibility) == CG.Public
    assert graph.value(ID["testa_personova/attr/1"], CG.visibility) == CG.Public
    assert graph.value(ID["testa_personova/attr/2"], CG.visibility) == CG.Restricted


def test_campaign_week_and_mirrors(tmp_path: Path) -> None:
    """Joined prisons also take part; numbers are integers; a mirror shares its original's key."""
    text = HEADER + (
        "  - id: src_mirror\n    title: Exampleton court sits\n"
        "    publisher: Mirror Site (copy)\n    reliability: low\n    mirror_of: src_exampleton\n"
        "prisons:\n  - id: prison_a\n    name: Exampleton Prison\n    sources: [src_exampleton]\n"
        "events:\n  - id: ev_week\n    type: campaign_week\n    week: 3\n    prison_count: 1\n"
        "    joined_prisons: [prison_a]\n    sources: [src_mirror]\n"
    )
    graph = compile_text(tmp_path, text).graph
    week = ID["ev_week"]
    assert (week, CG.joinedPrison, ID["prison_a"]) in graph
    assert (week, CG.participatingPrison, ID["prison_a"]) in graph
    assert graph.value(week, CG.weekNumber) == Literal(3)
    assert graph.value(week, CG.prisonCount) == Literal(1)
    assert graph.value(week, CG.confidence) == Literal("reported")
    assert graph.value(ID["src_mirror"], CG.independenceKey) == Literal("example daily")


def test_spelling_without_sources_keeps_no_script(tmp_path: Path) -> None:
    """A script can only be kept on a sourced spelling; otherwise the researcher is warned."""
    text = HEADER + (
        "places:\n  - id: place_a\n    name: Exampleton Square\n"
        "    names:\n      - {name: Meydan-e Exampleton, lang: fa-Latn, script: Latin}\n"
        "    sources: [src_exampleton]\n"
    )
    compiled = compile_text(tmp_path, text)
    problem = only_problem(compiled)
    assert (problem.severity, problem.line, problem.field) == ("warning", 11, "names[1].script")
    assert compiled.ok
    alt = compiled.graph.value(ID["place_a"], CG.altName)
    assert alt == Literal("Meydan-e Exampleton", lang="fa-Latn")
    assert (ID["place_a"], CG.searchKey, Literal("meydan e exampleton")) in compiled.graph


# --- RDF files ---------------------------------------------------------------------------------


def test_trig_file_is_flattened_with_records_references_and_search_keys() -> None:
    """Named graphs are merged; records, references and search keys come from the triples."""
    compiled = read_file(DATA / "small-case.trig")
    assert compiled.problems == []
    assert {(r.id, r.line) for r in compiled.records.values()} == {
        ("src_exampleton_times", 7),
        ("testa_personova", 14),
        ("ev_personova_arrest", 21),
    }
    assert compiled.records["ev_personova_arrest"].classes == frozenset({CG.LegalEvent})
    refs = {(r.from_id, r.field, r.target_id, r.expected, r.line) for r in compiled.references}
    assert refs == {
        ("testa_personova", "cg:source", "src_exampleton_times", CG.Source, 14),
        ("ev_personova_arrest", "cg:person", "testa_personova", CG.Person, 21),
        ("ev_personova_arrest", "cg:source", "src_exampleton_times", CG.Source, 21),
    }
    keys = set(compiled.graph.objects(ID["testa_personova"], CG.searchKey))
    assert keys == {
        Literal("testa personova"),
        Literal("\u062a\u0633\u062a\u0627 \u067e\u0631\u0633\u0648\u0646\u0648\u0627"),
    }
    assert len(compiled.graph) == 19  # 17 triples as written, and 2 search keys


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("syntax-error.ttl", 5, ["Turtle syntax error", "Line jumps are not allowed in string"]),
        ("unknown-term.ttl", 7, ["unknown class or property cg:nickname", "did you mean cg:name?"]),
        ("unknown-class.ttl", 4, ["unknown class or property cg:Squaer"]),
    ],
)
def test_bad_turtle(name: str, line: int, words: list[str]) -> None:
    """Turtle problems point at the line, in one sentence (no parser dump)."""
    problem = only_problem(read_file(BAD / name))
    assert problem.line == line
    assert "\n" not in problem.message
    for word in words:
        assert word in problem.message


def test_ntriples_syntax_error_line(tmp_path: Path) -> None:
    """The N-Triples parser names no line; the reader finds it."""
    good = '<https://w3id.org/casegraph/id/a> <https://w3id.org/casegraph/ontology#name> "A" .\n'
    bad = "<https://w3id.org/casegraph/id/a> <https://w3id.org/casegraph/ontology#name> A .\n"
    problem = only_problem(compile_text(tmp_path, good + "\n" + bad, "case.nt"))
    assert problem.line == 3
    assert problem.message.startswith("N-Triples syntax error")


def test_jsonld_is_read_but_remote_contexts_are_not_fetched(tmp_path: Path) -> None:
    """JSON-LD with an inline context is read; a context from the network is refused."""
    context = (
        '{"cg": "https://w3id.org/casegraph/ontology#", "cgd": "https://w3id.org/casegraph/id/"}'
    )
    text = f'{{"@context": {context}, "@id": "cgd:exampleton", "@type": "cg:Place", "cg:name": "Exampleton"}}'
    compiled = compile_text(tmp_path, text, "case.jsonld")
    assert compiled.problems == []
    assert compiled.records["exampleton"].classes == frozenset({CG.Place})
    remote = '{"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a"}'
    problem = only_problem(compile_text(tmp_path, remote, "remote.json-ld"))
    assert "not fetched from the network" in problem.message
    problem = only_problem(compile_text(tmp_path, '{"@id": \n}', "broken.jsonld"))
    assert (problem.line, problem.message) == (2, "JSON syntax error: Expecting value")


def test_nquads_graphs_are_flattened(tmp_path: Path) -> None:
    """Statements of every graph of an N-Quads file end up in the one graph of the file."""
    text = (
        '<https://w3id.org/casegraph/id/a> <https://w3id.org/casegraph/ontology#name> "A" <urn:g:1> .\n'
        '<https://w3id.org/casegraph/id/a> <https://w3id.org/casegraph/ontology#altName> "Ay" .\n'
    )
    compiled = compile_text(tmp_path, text, "case.nq")
    assert compiled.problems == []
    assert set(compiled.graph.objects(ID["a"], CG.searchKey)) == {Literal("a"), Literal("ay")}


@pytest.mark.parametrize("name", ["case.ttl", "case.trig", "case.nt", "case.jsonld"])
def test_empty_and_non_utf8_rdf_files(tmp_path: Path, name: str) -> None:
    """RDF files are checked for emptiness and encoding like YAML files."""
    assert only_problem(compile_text(tmp_path, " \n\n", name)).message == "the file is empty"
    path = tmp_path / name
    path.write_bytes(b'# ok\n"caf\xe9"\n')
    problem = only_problem(read_file(path))
    assert (problem.line, "not UTF-8" in problem.message) == (2, True)


# --- choosing input files ----------------------------------------------------------------------


def test_input_files_expands_folders(tmp_path: Path) -> None:
    """Folders are searched recursively for supported files; hidden ones and others are skipped."""
    for name in [
        "b.yaml",
        "a.ttl",
        "sub/c.yml",
        "sub/d.NQ",
        "notes.txt",
        ".hidden.yaml",
        ".git/e.ttl",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = input_files([tmp_path, tmp_path / "b.yaml"])
    assert found == [
        tmp_path / "a.ttl",
        tmp_path / "b.yaml",
        tmp_path / "sub/c.yml",
        tmp_path / "sub/d.NQ",
    ]


def test_input_files_refuses_missing_and_unsupported(tmp_path: Path) -> None:
    """A named file must exist and have a supported extension; all such problems are listed."""
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        input_files([tmp_path / "notes.txt", tmp_path / "missing.yaml"])
    problems = failed.value.problems
    assert [p.file for p in problems] == [
        str(tmp_path / "notes.txt"),
        str(tmp_path / "missing.yaml"),
    ]
    assert "'.txt'" in problems[0].message
    assert "no such file" in problems[1].message


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (HEADER + "people:\n  - testa_personova\n", 8, "people", "starting with '- id: ...'"),
        (
            HEADER + "people:\n  - id: testa_personova\n    name: Testa Personova\n"
            "    roles:\n      - {role: defendant, sorces: [src_exampleton]}\n"
            "    sources: [src_exampleton]\n",
            11,
            "roles[1].sorces",
            "unknown field 'sorces'; did you mean 'sources'?",
        ),
        (HEADER.replace("Example Daily", "yes"), 5, "publisher", "put the value in quotes"),
        ("- casegraph: 1\n", 1, None, "starting with the line 'casegraph: 1'"),
    ],
)
def test_shape_problems(
    tmp_path: Path, text: str, line: int, field: str | None, words: str
) -> None:
    """Records and entries of the wrong shape point at their own line and field."""
    problem = only_problem(compile_text(tmp_path, text))
    assert (problem.line, problem.field) == (line, field)
    assert words in problem.message


# --- the LibYAML fast path gives exactly what the pure-Python reader gives ----------------------

ROOT = Path(__file__).parent.parent
YAML_FILES = sorted(
    [*DATA.glob("**/*.yaml"), *(ROOT / "data").glob("**/*.yaml")], key=lambda path: str(path)
)
needs_libyaml = pytest.mark.skipif(reader._CParser is None, reason="LibYAML is not installed")


def same_tree(fast: object, slow: object) -> bool:
    """The same data, types, order and lines (NaN equals NaN: it is the same text)."""
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, reader.YamlMap) and isinstance(slow, reader.YamlMap):
        return (
            fast.line == slow.line
            and [(type(k), k) for k in fast] == [(type(k), k) for k in slow]
            and list(fast.key_lines.items()) == list(slow.key_lines.items())
            and all(same_tree(a, b) for a, b in zip(fast.values(), slow.values(), strict=True))
        )
    if isinstance(fast, reader.YamlList) and isinstance(slow, reader.YamlList):
        return (
            (fast.line, fast.item_lines) == (slow.line, slow.item_lines)
            and len(fast) == len(slow)
            and all(same_tree(a, b) for a, b in zip(fast, slow, strict=True))
        )
    if isinstance(fast, float) and isinstance(slow, float) and math.isnan(fast):
        return math.isnan(slow)
    return fast == slow


def assert_read_like_python(text: str) -> None:
    """read_yaml (the fast path when it can) gives the pure-Python reader's data and problems."""
    slow_data, slow_problems = reader._read_with_python(text, "case.yaml")
    data, problems = reader.read_yaml(text, "case.yaml")
    assert problems == slow_problems
    assert same_tree(data, slow_data), (data, slow_data)
    fast = reader._read_with_libyaml(text) if reader._CParser is not None else reader._UNREAD
    if fast is not reader._UNREAD:
        assert slow_problems == []
        assert same_tree(fast, slow_data)


@needs_libyaml
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_fast_path_reads_every_file_like_python(path: Path) -> None:
    """Every fixture and every real case file reads the same on both paths, in every line ending;
    the good ones do take the fast path."""
    text, problem = reader.decode(path.read_bytes(), str(path))
    if text is None:
        assert problem is not None
        return
    for variant in (text, text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        assert_read_like_python(variant)
    if path.parent != BAD:
        assert reader._read_with_libyaml(text) is not reader._UNREAD


EDGE_CASES = [
    "a: 1\n",
    "---\n",
    "--- a\n...\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n# done\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 1.3\n---\na: 1\n",
    "- \n-\n- ''\n- ~\n- null\n- Null\n- NULL\n",
    "[yes, No, ON, off, y, n, True, FALSE, 'yes', \"no\"]\n",
    "[0, -0, +1, 012, 0o17, 0x1F, 0b101, 1_000, 1:30, -1:30:00, 1:61, 09]\n",
    "a: 0x_\n",
    "[1.5, -.5, +1e3, 1.e3, 6.8523015e+5, 1_0.5, .inf, -.Inf, .NaN, 1:30.5, .]\n",
    "{.nan: 1, .NaN: 2}\n",
    "{1: a, true: b}\n",
    "{1: a, 1.0: b}\n",
    "a: 1\nb: 2\na: 3\n",
    "a:\n  b: 1\n  b: {c: 1, c: 2}\n",
    "? [a]\n: 1\n",
    "? {a: {b: 1, b: 2}}\n: 1\n",
    "<<: {a: 1}\n",
    "a: <<\n",
    "'<<': 1\n",
    "a: =\n",
    "a: !\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "date: 2026-01-20\nwhen: 2026-01-20 10:00:00\n",
    "url: https://example.org/a?b=c#d\nq: what?\n",
    "[what?]\n",
    "{a: b?c}\n",
    "[a ?b]\n",
    "[?a]\n",
    "[? a]\n",
    "{? a}\n",
    "[a:b, 'c':d, http://x/?y]\n",
    "{a:b}\n",
    "{a: [b, {c: d}], e: f}\n",
    "a:\tb\n",
    "a: b\t\n",
    "a: 'b\tc'\n",
    "# \t\na: 1\n",
    "a: |#\n  x\n",
    "a: >-#\n  x\n",
    "a: |\n  line\n\n  more\n",
    "a: >+\n  folded\n  text\n\n",
    "a: |2-\n    x\n",
    'a: "esc \\/ \\x41 \\u00e9 \\N \\_ \\L \\P \\\n  cont"\n',
    "a: 'it''s'\n",
    "a: multi\n  line\n\n  plain\n",
    "a: b\u2028c: d\n",
    "a: b\x85c: d\n",
    "a: b\u2029\u2029c: d\n",
    "\ufeffa: 1\n",
    "a: 1\n\ufeffb: 2\n",
    "a: \ufeff\n",
    "a: \x07\n",
    "a: '\x7f'\n",
    "a: \U0001f600 \u062a\u0633\u062a\u0627\n",
    "a: b: c\n",
    "a:\n- b\n- c\nd: e\n",
    "- a\n - b\n",
    "a: 'unterminated\n",
    "[" * 70 + "]" * 70 + "\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80)),
    "[" * 30 + "]" * 30 + "\n",
    "x" * 1100 + ": 1\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_fast_path_edge_cases_read_like_python(text: str) -> None:
    """Corners where LibYAML and PyYAML could differ give the pure-Python reader's answer."""
    assert_read_like_python(text)


def test_without_libyaml_the_pure_python_reader_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """When PyYAML has no LibYAML, every file is read by the pure-Python reader, unchanged."""
    expected = [read_file(path).problems for path in sorted(BAD.glob("*.yaml"))]
    monkeypatch.setattr(reader, "_CParser", None)
    assert [read_file(path).problems for path in sorted(BAD.glob("*.yaml"))] == expected
    text = EXAMPLE.read_text(encoding="utf-8")
    data, problems = reader.read_yaml(text, "case.yaml")
    assert problems == []
    assert same_tree(data, reader._read_with_python(text, "case.yaml")[0])


@needs_libyaml
def test_alias_bomb_never_reaches_the_fast_path_builder() -> None:
    """The fast path stops at the first anchor; the pure-Python reader then refuses it."""
    text = (BAD / "alias-bomb.yaml").read_text(encoding="utf-8")
    start = time.perf_counter()
    assert reader._read_with_libyaml(text) is reader._UNREAD
    assert time.perf_counter() - start < 2.0  # generous: a busy CI machine must not flake


def test_a_malformed_number_is_a_problem_not_a_crash() -> None:
    data, problems = reader.read_yaml("a: 0x_\n", "case.yaml")
    assert data is None
    assert [p.message for p in problems] == [
        "a value cannot be read: invalid literal for int() with base 16: ''; quote it as text"
    ]
