"""Every named query in ``ontology/queries/`` runs and answers exactly what the fixtures say.

The fixtures (``tests/data/queries/``) are tiny fictional graphs; the expected rows below are
worked out by hand from them. Parameters go through ``graph.queries.prepare`` as bindings, the way
``casegraph query NAME --param k=v`` passes them, and every optional parameter is tried both given
and not given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import CasegraphError
from graph.namespaces import ID
from graph.queries import NamedQuery, check_query, list_queries, named_query, prepare
from graph.querying import run_query
from graph.resources import ontology_graph, queries_dir
from graph.store import CaseStore, UnitWrite, unit_for_path

DATA = Path(__file__).parent / "data" / "queries"
CASES = DATA / "cases.ttl"
BROKEN = DATA / "broken.ttl"
DOCS = Path(__file__).parent.parent / "docs" / "queries.md"

QUERIES = list_queries()
REPORTS = [q for q in QUERIES if not q.name.endswith("-violation")]
VIOLATIONS = [q for q in QUERIES if q.name.endswith("-violation")]

#: A value for each required parameter, so that every query can run on the clean fixture.
REQUIRED_VALUES = {
    "judge": "judge_fictivus",
    "person": "testa_personova",
    "entity": "testa_personova",
}

Row = tuple[str | None, ...]


def _unit(path: Path, with_ontology: bool) -> UnitWrite:
    graph = Graph()
    graph.parse(path, format="turtle")
    if with_ontology:
        graph += ontology_graph()  # the vocabulary labels and the class tree are needed by queries
    return UnitWrite(unit_for_path(path), str(path), "test", graph)


@contextmanager
def _loaded(path: Path, *files: Path) -> Iterator[CaseStore]:
    """A real on-disk store holding the files (each its own load unit) and the ontology."""
    with CaseStore.open(path) as store:
        store.replace_units([_unit(f, with_ontology=i == 0) for i, f in enumerate(files)])
        yield store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    """The clean fixture."""
    with _loaded(tmp_path_factory.mktemp("queries") / "store", CASES) as loaded:
        yield loaded


@pytest.fixture(scope="module")
def broken_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    """The clean fixture plus one offence for each violation query."""
    with _loaded(tmp_path_factory.mktemp("broken") / "store", CASES, BROKEN) as loaded:
        yield loaded


def _plain(term: Node | None) -> str | None:
    """A record IRI as its id, anything else as its text."""
    if term is None:
        return None
    if isinstance(term, URIRef) and str(term).startswith(str(ID)):
        return str(term)[len(str(ID)) :]
    return str(term)


def _run(
    store: CaseStore, name: str, params: dict[str, str] | None = None
) -> tuple[list[str], list[dict[str, Node]]]:
    prepared = prepare(name, params or {})
    return store.select(prepared.text, prepared.bindings)


def _rows(
    store: CaseStore, name: str, columns: tuple[str, ...], params: dict[str, str] | None = None
) -> list[Row]:
    """The chosen columns of every row, in the query's order."""
    _, rows = _run(store, name, params)
    return [tuple(_plain(row.get(c)) for c in columns) for row in rows]


def _set(value: str | None, separator: str = ",") -> frozenset[str]:
    """A GROUP_CONCAT column as a set (the engine does not promise an order inside it)."""
    return frozenset(v.strip() for v in (value or "").split(separator) if v.strip())


# --- every query file ------------------------------------------------------------------------


def test_the_library_has_the_reports_and_violations_the_issue_asks_for() -> None:
    names = {q.name for q in QUERIES}
    assert len(REPORTS) >= 14
    assert {
        "death-sentences",
        "sentenced-by-judge",
        "death-sentences-per-judge",
        "death-sentences-per-branch",
        "person-timeline",
        "executions-after-arrest",
        "supreme-court-outcomes",
        "co-defendants",
        "charges-per-court",
        "campaign-prisons-by-week",
        "contested-facts",
        "single-source-facts",
        "corroborated-facts",
        "entity-facts",
        "reliable-facts",
        "people-by-protest",
    } <= names
    assert len(VIOLATIONS) >= 6


@pytest.mark.parametrize("path", sorted(queries_dir().glob("*.rq")), ids=lambda p: p.stem)
def test_every_query_file_is_valid_sparql_with_a_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Purpose: ")
    named = named_query(path.stem)
    assert named.purpose and named.columns
    assert check_query(text) == ("CONSTRUCT" if path.stem.startswith("construct-") else "SELECT")
    assert "PREFIX cg: <https://w3id.org/casegraph/ontology#>" in text  # self-contained
    ox.Store().query(text)  # the engine parses it (and runs it on an empty store)
    for param in named.parameters:
        assert re.search(rf"\?{param.name}\b", text), f"?{param.name} is never used"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_header_columns_are_the_select_variables(store: CaseStore, query: NamedQuery) -> None:
    params = {p.name: REQUIRED_VALUES[p.name] for p in query.parameters if p.required}
    columns, _ = _run(store, query.name, params)
    parameter_names = [p.name for p in query.parameters]
    # The engine returns a column for each parameter; the header lists the others, in order.
    assert set(parameter_names) <= set(columns)
    assert tuple(c for c in columns if c not in parameter_names) == query.columns


@pytest.mark.parametrize("query", VIOLATIONS, ids=lambda q: q.name)
def test_violation_queries_pass_the_clean_fixture(store: CaseStore, query: NamedQuery) -> None:
    assert _run(store, query.name)[1] == []


VIOLATION_OFFENDERS = {
    "claim-without-source-violation": ("record", {"nemo_unsourced"}),
    "contradiction-not-mutual-violation": ("claim", {"ev_one_way"}),
    "death-sentence-without-person-violation": ("event", {"ev_nobody_sentenced"}),
    "branch-without-court-violation": ("branch", {"branch_of_prison"}),
    "dangling-reference-violation": ("object", {"ghost_person"}),
    "date-range-inverted-violation": ("record", {"ev_backwards"}),
    "source-without-independence-key-violation": ("source", {"src_keyless"}),
}


def test_every_violation_query_has_a_broken_example() -> None:
    assert {q.name for q in VIOLATIONS} == set(VIOLATION_OFFENDERS)


@pytest.mark.parametrize("name", sorted(VIOLATION_OFFENDERS))
def test_violation_queries_find_the_offender(broken_store: CaseStore, name: str) -> None:
    column, offenders = VIOLATION_OFFENDERS[name]
    assert {r[0] for r in _rows(broken_store, name, (column,))} == offenders


def test_dangling_reference_names_the_referring_statement(broken_store: CaseStore) -> None:
    rows = _rows(broken_store, "dangling-reference-violation", ("subject", "property", "object"))
    assert rows == [("ev_ghostly", "https://w3id.org/casegraph/ontology#person", "ghost_person")]


#: What identifies a row of each report: a key must not repeat (a fact with two kinds of date, or
#: two sources, must still give one row).
ROW_KEYS = {
    "campaign-prisons-by-week": ("event",),
    "charges-per-court": ("court", "charge"),
    "co-defendants": ("person", "co_defendant"),
    "contested-facts": ("fact", "contested_by", "field"),
    "corroborated-facts": ("fact",),
    "death-sentences": ("event", "person"),
    "death-sentences-per-branch": ("court",),
    "death-sentences-per-judge": ("judge",),
    "entity-facts": ("fact", "property", "value"),
    "executions-after-arrest": ("arrest", "execution"),
    "people-by-protest": ("protest_name", "person"),
    "person-timeline": ("event",),
    "reliable-facts": ("fact",),
    "sentenced-by-judge": ("event", "person"),
    "single-source-facts": ("fact",),
    "supreme-court-outcomes": ("event", "person"),
}


@pytest.mark.parametrize("query", REPORTS, ids=lambda q: q.name)
def test_reports_give_one_row_per_key(store: CaseStore, query: NamedQuery) -> None:
    params = {p.name: REQUIRED_VALUES[p.name] for p in query.parameters if p.required}
    keys = _rows(store, query.name, ROW_KEYS[query.name], params)
    assert keys, f"{query.name} returns nothing on the fixture"
    assert len(keys) == len(set(keys))


# --- death sentences -------------------------------------------------------------------------

DEATH_COLUMNS = ("event", "name", "date", "court_name", "judge_name", "confidence")
TESTA_DEATH = (
    "ev_testa_death",
    "Testa Personova",
    "2023-01-05",
    "Exampleton Revolutionary Court, Branch 3",
    "Judge Fictivus",
    "confirmed",
)
PROBUS_DEATH = (
    "ev_probus_death",
    "Probus Exemplar",
    "2023-01",
    "Exampleton Revolutionary Court, Branch 3",
    "Judge Fictivus",
    "reported",
)
CASUS_QISAS = (
    "ev_casus_sentence",
    "Casus Alter",
    "2023-03-10",
    "Exampleton Revolutionary Court, Branch 7",
    "Judge Secundus",
    "reported",
)
DANA_DEATH = (
    "ev_dana_death",
    "Dana Fabula",
    "reported in the spring",
    "Otherton Criminal Court",
    None,
    "reported",
)


def test_death_sentences_lists_every_death_and_qisas_sentence_earliest_first(
    store: CaseStore,
) -> None:
    # The Supreme Court's upholding (which carries the sentence it reviewed) and the contradicting
    # prison sentence are not death sentences; the undated one comes last.
    assert _rows(store, "death-sentences", DEATH_COLUMNS) == [
        PROBUS_DEATH,
        TESTA_DEATH,
        CASUS_QISAS,
        DANA_DEATH,
    ]


def test_death_sentences_give_charges_and_sources(store: CaseStore) -> None:
    rows = _rows(store, "death-sentences", ("event", "person", "charges", "sources"))
    found = {
        event: (person, _set(charges, ";"), _set(sources))
        for event, person, charges, sources in rows
    }
    assert found == {
        "ev_testa_death": (
            "testa_personova",
            {"moharebeh (enmity against God)", "efsad-e fel-arz (corruption on earth)"},
            {"src_erw", "src_fna"},
        ),
        "ev_probus_death": (
            "probus_exemplar",
            {"moharebeh (enmity against God)"},
            {"src_erw", "src_erw_mirror"},
        ),
        "ev_casus_sentence": ("casus_alter", {"murder (qisas)"}, {"src_fna", "src_blog"}),
        "ev_dana_death": ("dana_fabula", {"baghi (armed rebellion)"}, {"src_blog"}),
    }


@pytest.mark.parametrize(
    ("params", "events"),
    [
        ({}, {"ev_testa_death", "ev_probus_death", "ev_casus_sentence", "ev_dana_death"}),
        # a court matches its branches; a branch only itself
        ({"court": "court_exampleton"}, {"ev_testa_death", "ev_probus_death", "ev_casus_sentence"}),
        ({"court": "court_exampleton_b3"}, {"ev_testa_death", "ev_probus_death"}),
        ({"court": "court_exampleton_b7"}, {"ev_casus_sentence"}),
        ({"court": "court_otherton"}, {"ev_dana_death"}),
        ({"court": "court_supreme"}, set()),
        ({"court": "no_such_court"}, set()),
        # a branch number, alone or with its court
        ({"branch": "3"}, {"ev_testa_death", "ev_probus_death"}),
        ({"court": "court_exampleton", "branch": "7"}, {"ev_casus_sentence"}),
        ({"court": "court_otherton", "branch": "3"}, set()),
        ({"branch": "15"}, set()),
        # a wave matches its local protests, through the event, the case or the person
        ({"protest": "protest_wave"}, {"ev_testa_death", "ev_probus_death"}),
        ({"protest": "protest_exampleton"}, {"ev_testa_death", "ev_probus_death"}),
        ({"protest": "protest_otherton"}, {"ev_casus_sentence"}),
        # dates: events that may fall in the range; undated events never match a range
        ({"from": "2023-01-10"}, {"ev_probus_death", "ev_casus_sentence"}),
        ({"to": "2023-01-04"}, {"ev_probus_death"}),
        ({"to": "2023-01-05"}, {"ev_testa_death", "ev_probus_death"}),
        ({"from": "2023-02-01", "to": "2023-03-10"}, {"ev_casus_sentence"}),
        ({"from": "2023-03-11"}, set()),
        (
            {"court": "court_exampleton", "from": "2023-01-06", "to": "2023-01-31"},
            {"ev_probus_death"},
        ),
    ],
)
def test_death_sentences_filters(
    store: CaseStore, params: dict[str, str], events: set[str]
) -> None:
    assert {r[0] for r in _rows(store, "death-sentences", ("event",), params)} == events


def test_sentenced_by_judge(store: CaseStore) -> None:
    columns = ("event", "name", "type", "sentence", "term", "date", "court_name", "confidence")
    branch3 = "Exampleton Revolutionary Court, Branch 3"
    assert _rows(store, "sentenced-by-judge", columns, {"judge": "judge_fictivus"}) == [
        (
            "ev_probus_death",
            "Probus Exemplar",
            "death sentence",
            "death sentence",
            None,
            "2023-01",
            branch3,
            "reported",
        ),
        (
            "ev_testa_death",
            "Testa Personova",
            "death sentence",
            "death sentence",
            None,
            "2023-01-05",
            branch3,
            "confirmed",
        ),
        (
            "ev_probus_prison",
            "Probus Exemplar",
            "prison sentence",
            "prison term",
            "10 years",
            "2023-01-20",
            branch3,
            "alleged",
        ),
    ]
    # Judge Secundus sentenced Casus Alter; his Supreme Court ruling is not a sentence.
    assert _rows(
        store, "sentenced-by-judge", ("event", "sentence"), {"judge": "judge_secundus"}
    ) == [("ev_casus_sentence", "qisas (retribution in kind)")]
    assert _rows(store, "sentenced-by-judge", ("event",), {"judge": "testa_personova"}) == []


def test_sentenced_by_judge_requires_the_judge() -> None:
    with pytest.raises(CasegraphError, match="required"):
        prepare("sentenced-by-judge", {})


def test_death_sentences_per_judge(store: CaseStore) -> None:
    rows = _rows(store, "death-sentences-per-judge", ("judge", "name", "people", "events", "names"))
    assert [(j, n, p, e, _set(names, ";")) for j, n, p, e, names in rows] == [
        ("judge_fictivus", "Judge Fictivus", "2", "2", {"Testa Personova", "Probus Exemplar"}),
        ("judge_secundus", "Judge Secundus", "1", "1", {"Casus Alter"}),
    ]


def test_death_sentences_per_branch(store: CaseStore) -> None:
    columns = ("court", "name", "part_of", "people", "events", "names")
    rows = _rows(store, "death-sentences-per-branch", columns)
    assert [(*r[:5], _set(r[5], ";")) for r in rows] == [
        (
            "court_exampleton_b3",
            "Exampleton Revolutionary Court, Branch 3",
            "Exampleton Revolutionary Court",
            "2",
            "2",
            {"Testa Personova", "Probus Exemplar"},
        ),
        (
            "court_exampleton_b7",
            "Exampleton Revolutionary Court, Branch 7",
            "Exampleton Revolutionary Court",
            "1",
            "1",
            {"Casus Alter"},
        ),
        ("court_otherton", "Otherton Criminal Court", None, "1", "1", {"Dana Fabula"}),
    ]


# --- a person's case -------------------------------------------------------------------------


def test_person_timeline_in_date_order(store: CaseStore) -> None:
    columns = ("event", "date", "type", "role", "court_name", "branch", "judge_name", "sentence")
    branch3 = "Exampleton Revolutionary Court, Branch 3"
    assert _rows(store, "person-timeline", columns, {"person": "testa_personova"}) == [
        ("ev_testa_arrest", "2023-01-01", "arrest", "person", None, None, None, None),
        (
            "ev_erw_statement",
            "2023-01",
            "statement by an organisation",
            "person",
            None,
            None,
            None,
            None,
        ),
        (
            "ev_probus_death",
            "2023-01",
            "death sentence",
            "co-defendant",
            branch3,
            "3",
            "Judge Fictivus",
            "death sentence",
        ),
        (
            "ev_testa_death",
            "2023-01-05",
            "death sentence",
            "person",
            branch3,
            "3",
            "Judge Fictivus",
            "death sentence",
        ),
        (
            "ev_testa_upheld",
            "2023-02-01",
            "Supreme Court upheld",
            "person",
            "Supreme Court of Testland, Branch 9",
            "9",
            "Judge Secundus",
            "death sentence",
        ),
        ("ev_testa_execution", "2023-03-01", "execution", "person", None, None, None, None),
    ]


def test_person_timeline_gives_charges_contradictions_and_sources(store: CaseStore) -> None:
    columns = ("event", "charges", "confidence", "contradicts", "sources")
    rows = _rows(store, "person-timeline", columns, {"person": "probus_exemplar"})
    assert [(e, _set(ch, ";"), co, _set(ct), _set(s)) for e, ch, co, ct, s in rows] == [
        (
            "ev_probus_death",
            {"moharebeh (enmity against God)"},
            "reported",
            {"ev_probus_prison"},
            {"src_erw", "src_erw_mirror"},
        ),
        (
            "ev_testa_death",
            {"moharebeh (enmity against God)", "efsad-e fel-arz (corruption on earth)"},
            "confirmed",
            set(),
            {"src_erw", "src_fna"},
        ),
        (
            "ev_probus_prison",
            {"propaganda against the system"},
            "alleged",
            {"ev_probus_death"},
            {"src_blog"},
        ),
        ("ev_probus_overturned", set(), "reported", set(), {"src_fna"}),
        (
            "ev_probus_charge",
            {"assembly and collusion against national security"},
            "alleged",
            set(),
            {"src_blog"},
        ),
    ]
    sentence = _rows(store, "person-timeline", ("event", "sentence"), {"person": "probus_exemplar"})
    assert ("ev_probus_prison", "prison term (10 years)") in sentence


def test_person_timeline_of_a_judge_lists_the_events_presided(store: CaseStore) -> None:
    rows = _rows(store, "person-timeline", ("event", "role"), {"person": "judge_fictivus"})
    assert rows == [
        ("ev_probus_death", "judge"),
        ("ev_testa_death", "judge"),
        ("ev_probus_prison", "judge"),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # Casus Alter's arrest date is a month and Fabia Exempla's is "around": no exact interval.
        (
            {},
            [
                ("dana_fabula", "2023-03-01", "2023-03-20", "19"),
                ("testa_personova", "2023-01-01", "2023-03-01", "59"),
            ],
        ),
        (
            {"days": "59"},
            [
                ("dana_fabula", "2023-03-01", "2023-03-20", "19"),
                ("testa_personova", "2023-01-01", "2023-03-01", "59"),
            ],
        ),
        ({"days": "58"}, [("dana_fabula", "2023-03-01", "2023-03-20", "19")]),
        ({"days": "19"}, [("dana_fabula", "2023-03-01", "2023-03-20", "19")]),
        ({"days": "18"}, []),
    ],
)
def test_executions_after_arrest(
    store: CaseStore, params: dict[str, str], expected: list[Row]
) -> None:
    columns = ("person", "arrest_date", "execution_date", "days_after_arrest")
    assert _rows(store, "executions-after-arrest", columns, params) == expected


def test_executions_after_arrest_counts_days_across_months_and_leap_years(tmp_path: Path) -> None:
    ttl = tmp_path / "leap.ttl"
    events = []
    for n, (arrest, execution) in enumerate(
        [("2023-12-31", "2024-03-01"), ("2024-02-28", "2024-03-01"), ("2099-12-31", "2100-03-01")]
    ):
        for kind, date in (("arrest", arrest), ("execution", execution)):
            events.append(
                f"cgd:ev_{kind}_{n} a cg:LegalEvent ; cg:eventType cgv:event_{kind} ; "
                f'cg:person cgd:leap_{n} ; cg:date "{date}"^^xsd:date .'
            )
        events.append(f'cgd:leap_{n} a cg:Person ; cg:name "Leap {n}" .')
    ttl.write_text(
        "@prefix cg: <https://w3id.org/casegraph/ontology#> .\n"
        "@prefix cgv: <https://w3id.org/casegraph/vocab#> .\n"
        "@prefix cgd: <https://w3id.org/casegraph/id/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + "\n".join(events),
        encoding="utf-8",
    )
    with _loaded(tmp_path / "store", ttl) as leap_store:
        rows = _rows(leap_store, "executions-after-arrest", ("person", "days_after_arrest"))
    assert sorted(rows) == [("leap_0", "61"), ("leap_1", "2"), ("leap_2", "60")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                (
                    "probus_exemplar",
                    "Supreme Court overturned",
                    "2023-02-15",
                    "Supreme Court of Testland",
                    None,
                    None,
                ),
                (
                    "testa_personova",
                    "Supreme Court upheld",
                    "2023-02-01",
                    "Supreme Court of Testland, Branch 9",
                    "9",
                    "Judge Secundus",
                ),
            ],
        ),
        (
            {"person": "testa_personova"},
            [
                (
                    "testa_personova",
                    "Supreme Court upheld",
                    "2023-02-01",
                    "Supreme Court of Testland, Branch 9",
                    "9",
                    "Judge Secundus",
                )
            ],
        ),
        ({"person": "casus_alter"}, []),
    ],
)
def test_supreme_court_outcomes(
    store: CaseStore, params: dict[str, str], expected: list[Row]
) -> None:
    columns = ("person", "outcome", "date", "court_name", "branch", "judge_name")
    assert _rows(store, "supreme-court-outcomes", columns, params) == expected


TESTA_PROBUS = {"case_exampleton", "ev_testa_death", "ev_probus_death"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                ("casus_alter", "dana_fabula", {"case_otherton"}),
                ("dana_fabula", "casus_alter", {"case_otherton"}),
                ("probus_exemplar", "testa_personova", TESTA_PROBUS),
                ("testa_personova", "probus_exemplar", TESTA_PROBUS),
            ],
        ),
        ({"person": "testa_personova"}, [("testa_personova", "probus_exemplar", TESTA_PROBUS)]),
        ({"person": "fabia_exempla"}, []),
    ],
)
def test_co_defendants(
    store: CaseStore, params: dict[str, str], expected: list[tuple[str, str, set[str]]]
) -> None:
    rows = _rows(store, "co-defendants", ("person", "co_defendant", "via"), params)
    assert [(p, c, _set(via)) for p, c, via in rows] == expected


# --- courts and campaigns --------------------------------------------------------------------


def test_charges_per_court(store: CaseStore) -> None:
    # The charge event of Probus Exemplar names no court: it counts at its case's court. Fabia
    # Exempla's names neither a court nor a case: it counts nowhere.
    rows = _rows(store, "charges-per-court", ("court", "part_of", "charge", "events", "people"))
    court = "Exampleton Revolutionary Court"
    assert rows == [
        ("court_exampleton_b3", court, "moharebeh (enmity against God)", "2", "2"),
        (
            "court_exampleton_b3",
            court,
            "assembly and collusion against national security",
            "1",
            "1",
        ),
        ("court_exampleton_b3", court, "efsad-e fel-arz (corruption on earth)", "1", "1"),
        ("court_exampleton_b3", court, "propaganda against the system", "1", "1"),
        ("court_exampleton_b7", court, "murder (qisas)", "1", "1"),
        ("court_otherton", None, "baghi (armed rebellion)", "1", "1"),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                (
                    "camp_tests",
                    "1",
                    "2024-01-30",
                    "2",
                    {"Sample Prison", "Model Prison"},
                    {"Sample Prison", "Model Prison"},
                ),
                (
                    "camp_tests",
                    "2",
                    "2024-02-06",
                    "3",
                    {"Sample Prison", "Model Prison", "Dummy Prison"},
                    {"Dummy Prison"},
                ),
                (
                    "camp_tests",
                    "10",
                    "week 10, date not shown",
                    "2",
                    {"Sample Prison", "Dummy Prison"},
                    set(),
                ),
                ("camp_other", "1", "2024-03-05", "1", {"Other Prison"}, {"Other Prison"}),
            ],
        ),
        (
            {"campaign": "camp_other"},
            [("camp_other", "1", "2024-03-05", "1", {"Other Prison"}, {"Other Prison"})],
        ),
        ({"campaign": "protest_wave"}, []),
    ],
)
def test_campaign_prisons_by_week(
    store: CaseStore, params: dict[str, str], expected: list[tuple[object, ...]]
) -> None:
    columns = ("campaign", "week", "date", "prison_count", "prisons", "joined")
    rows = _rows(store, "campaign-prisons-by-week", columns, params)
    assert [(*r[:4], _set(r[4], ";"), _set(r[5], ";")) for r in rows] == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                ("Exampleton Protests", "probus_exemplar", {"case_exampleton"}),
                (
                    "Exampleton Protests",
                    "testa_personova",
                    {"testa_personova", "case_exampleton", "ev_testa_arrest", "ev_testa_death"},
                ),
                ("Otherton Strike", "casus_alter", {"casus_alter", "ev_casus_sentence"}),
            ],
        ),
        (
            {"protest": "protest_wave"},
            [
                ("Exampleton Protests", "probus_exemplar", {"case_exampleton"}),
                (
                    "Exampleton Protests",
                    "testa_personova",
                    {"testa_personova", "case_exampleton", "ev_testa_arrest", "ev_testa_death"},
                ),
            ],
        ),
        (
            {"protest": "protest_otherton"},
            [("Otherton Strike", "casus_alter", {"casus_alter", "ev_casus_sentence"})],
        ),
    ],
)
def test_people_by_protest(
    store: CaseStore, params: dict[str, str], expected: list[tuple[str, str, set[str]]]
) -> None:
    rows = _rows(store, "people-by-protest", ("protest_name", "person", "via"), params)
    assert [(p, who, _set(via)) for p, who, via in rows] == expected


# --- claims, sources and corroboration -------------------------------------------------------


def test_contested_facts_name_each_differing_field(store: CaseStore) -> None:
    """One row per conflicting pair and field in which the two differ, with both values."""
    columns = ("fact", "kind", "subject", "contested_by", "field", "value_a", "value_b", "sources")
    rows = _rows(store, "contested-facts", columns)
    found = [(*r[:5], _set(r[5], ";"), _set(r[6], ";"), _set(r[7])) for r in rows]
    death, prison = "ev_probus_death", "ev_probus_prison"
    death_sources, blog = {"src_erw", "src_erw_mirror"}, {"src_blog"}
    pair = {
        "charge": ({"moharebeh (enmity against God)"}, {"propaganda against the system"}),
        "co-defendants": ({"Testa Personova"}, set()),
        "confidence": ({"reported"}, {"alleged"}),
        "date": ({"2023-01"}, {"2023-01-20"}),
        "sentence": ({"death sentence"}, {"10 years", "prison term"}),
        "sources": (death_sources, blog),
        "type": ({"death sentence"}, {"prison sentence"}),
    }
    subject = "Probus Exemplar"
    expected = [
        (death, "death sentence", subject, prison, field, a, b, death_sources)
        for field, (a, b) in pair.items()
    ]
    expected += [
        (prison, "prison sentence", subject, death, field, b, a, blog)
        for field, (a, b) in pair.items()
    ]
    age, attr = "attribute claim: age", "testa_personova/attr/"
    expected += [
        (f"{attr}1", age, "Testa Personova", f"{attr}2", "sources", {"src_erw"}, blog, {"src_erw"}),
        (f"{attr}1", age, "Testa Personova", f"{attr}2", "value", {"23"}, {"24"}, {"src_erw"}),
        (f"{attr}2", age, "Testa Personova", f"{attr}1", "sources", blog, {"src_erw"}, blog),
        (f"{attr}2", age, "Testa Personova", f"{attr}1", "value", {"24"}, {"23"}, blog),
    ]
    assert found == expected


CORROBORATED = {
    # fact: independent sources (src_erw and its mirror count once)
    "ev_testa_execution": "3",
    "ev_testa_death": "2",
    "ev_casus_sentence": "2",
    "probus_exemplar/attr/1": "2",
    "probus_exemplar/attr/2": "2",
    "casus_alter/attr/1": "2",
    "casus_alter/attr/2": "2",
    "judge_fictivus/role/1": "2",
}


def test_single_source_facts(store: CaseStore) -> None:
    rows = _rows(store, "single-source-facts", ("fact", "independent", "sources"))
    found = {fact: (n, _set(sources)) for fact, n, sources in rows}
    # A mirror adds no independent support.
    assert found["ev_probus_death"] == ("1", {"src_erw", "src_erw_mirror"})
    assert found["testa_personova/name/1"] == ("1", {"src_fna"})
    assert {n for n, _ in found.values()} == {"1"}
    assert set(found).isdisjoint(CORROBORATED)
    assert set(found) == {
        "ev_casus_arrest",
        "ev_casus_execution",
        "ev_dana_arrest",
        "ev_dana_death",
        "ev_dana_execution",
        "ev_erw_statement",
        "ev_fabia_charge",
        "ev_fabia_arrest",
        "ev_fabia_execution",
        "ev_other_w1",
        "ev_probus_charge",
        "ev_probus_death",
        "ev_probus_overturned",
        "ev_probus_prison",
        "ev_testa_arrest",
        "ev_testa_upheld",
        "ev_tests_w1",
        "ev_tests_w10",
        "ev_tests_w2",
        "testa_personova/attr/1",
        "testa_personova/attr/2",
        "testa_personova/name/1",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, CORROBORATED),
        ({"min": "2"}, CORROBORATED),
        ({"min": "3"}, {"ev_testa_execution": "3"}),
        ({"min": "4"}, {}),
    ],
)
def test_corroborated_facts(
    store: CaseStore, params: dict[str, str], expected: dict[str, str]
) -> None:
    rows = _rows(store, "corroborated-facts", ("fact", "independent"), params)
    assert dict(rows) == expected
    assert [n for _, n in rows] == sorted((n for _, n in rows), reverse=True)  # best first


def test_corroborated_facts_name_what_they_support(store: CaseStore) -> None:
    columns = ("fact", "kind", "subject", "value", "sources")
    rows = {r[0]: r[1:] for r in _rows(store, "corroborated-facts", columns)}
    assert rows["judge_fictivus/role/1"][:3] == (
        "role claim: judge",
        "Judge Fictivus",
        "presiding judge",
    )
    assert _set(rows["judge_fictivus/role/1"][3]) == {"src_erw", "src_erw_mirror", "src_fna"}
    assert rows["probus_exemplar/attr/1"][:3] == (
        "attribute claim: occupation",
        "Probus Exemplar",
        "baker",
    )
    assert rows["ev_casus_sentence"][:3] == (
        "sentence",
        "Casus Alter",
        "qisas (retribution in kind)",
    )


HIGH = {
    "ev_erw_statement",
    "ev_probus_death",
    "ev_testa_death",
    "ev_testa_execution",
    "ev_testa_upheld",
    "judge_fictivus/role/1",
    "probus_exemplar/attr/1",
    "probus_exemplar/attr/2",
    "casus_alter/attr/1",
    "casus_alter/attr/2",
    "testa_personova/attr/1",
}
MEDIUM = HIGH | {
    "ev_casus_arrest",
    "ev_casus_execution",
    "ev_casus_sentence",
    "ev_probus_overturned",
    "ev_testa_arrest",
    "ev_tests_w1",
    "ev_tests_w2",
    "testa_personova/name/1",
}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, HIGH),
        ({"grade": "high"}, HIGH),
        ({"grade": "medium"}, MEDIUM),
        ({"grade": "excellent"}, set()),
    ],
)
def test_reliable_facts(store: CaseStore, params: dict[str, str], expected: set[str]) -> None:
    assert {r[0] for r in _rows(store, "reliable-facts", ("fact",), params)} == expected


def test_reliable_facts_list_only_the_sources_that_meet_the_grade(store: CaseStore) -> None:
    rows = dict(_rows(store, "reliable-facts", ("fact", "sources"), {"grade": "medium"}))
    assert _set(rows["ev_testa_execution"]) == {"src_erw (high)", "src_fna (medium)"}
    assert _set(rows["ev_probus_death"]) == {"src_erw (high)"}
    everything = dict(_rows(store, "reliable-facts", ("fact", "sources"), {"grade": "unverified"}))
    assert _set(everything["ev_probus_death"]) == {"src_erw (high)", "src_erw_mirror (low)"}


def test_entity_facts_lists_every_fact_with_its_sources(store: CaseStore) -> None:
    columns = ("fact", "relation", "property", "value", "label", "sources")
    rows = _rows(store, "entity-facts", columns, {"entity": "testa_personova"})
    facts = {(fact, relation) for fact, relation, *_ in rows}
    assert facts == {
        ("testa_personova", "itself"),
        ("testa_personova/attr/1", "about"),
        ("testa_personova/attr/2", "about"),
        ("testa_personova/name/1", "about"),
        ("case_exampleton", "defendant"),
        ("ev_testa_arrest", "person"),
        ("ev_testa_death", "person"),
        ("ev_testa_upheld", "person"),
        ("ev_testa_execution", "person"),
        ("ev_erw_statement", "person"),
        ("ev_probus_death", "co-defendant"),
    }
    by_statement = {(f, p.rsplit("#", 1)[-1], v): (label, _set(s)) for f, _, p, v, label, s in rows}
    assert by_statement[("testa_personova", "name", "Testa Personova")] == (
        None,
        {"src_erw (high)"},
    )
    assert by_statement[("testa_personova/attr/2", "value", "24")] == (
        None,
        {"src_blog (unverified)"},
    )
    assert by_statement[("ev_testa_death", "judge", "judge_fictivus")] == (
        "Judge Fictivus",
        {"src_erw (high)", "src_fna (medium)"},
    )
    assert by_statement[
        ("ev_testa_death", "charge", "https://w3id.org/casegraph/vocab#charge_moharebeh")
    ][0] == ("moharebeh (enmity against God)")
    # Every statement carries its fact's sources; the sources themselves are not repeated as rows.
    assert all(s for *_, s in rows)
    assert not any(p.endswith("#source") or p.endswith("#searchKey") for _, _, p, *_ in rows)


def test_entity_facts_of_a_court_branch(store: CaseStore) -> None:
    rows = _rows(store, "entity-facts", ("fact", "relation"), {"entity": "court_exampleton_b3"})
    assert set(rows) == {
        ("court_exampleton_b3", "itself"),
        ("case_exampleton", "court"),
        ("ev_testa_death", "court"),
        ("ev_probus_death", "court"),
        ("ev_probus_prison", "court"),
        ("judge_fictivus/role/1", "at organisation"),
    }


# --- parameters are values, never query text -------------------------------------------------

HOSTILE = 'x" } ; DROP ALL ; SELECT * { "'


def _statement_count(store: CaseStore) -> int:
    _, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    value = rows[0]["n"]
    assert isinstance(value, Literal)
    return int(value)


@pytest.mark.parametrize(
    ("name", "param"),
    [("death-sentences", "branch"), ("reliable-facts", "grade")],
)
def test_a_hostile_string_parameter_is_a_plain_value(
    store: CaseStore, name: str, param: str
) -> None:
    before = _statement_count(store)
    prepared = prepare(name, {param: HOSTILE})
    assert prepared.text == named_query(name).text  # nothing pasted into the query
    assert prepared.bindings[param] == Literal(HOSTILE)
    _, rows = store.select(prepared.text, prepared.bindings)
    assert rows == []
    assert "(0 rows)" in run_query(store, name, {param: HOSTILE})
    assert _statement_count(store) == before


@pytest.mark.parametrize(
    ("name", "param"),
    [("person-timeline", "person"), ("death-sentences", "court"), ("entity-facts", "entity")],
)
def test_a_hostile_id_parameter_is_refused(name: str, param: str) -> None:
    with pytest.raises(CasegraphError, match="not a record id"):
        prepare(name, {param: HOSTILE})


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [("executions-after-arrest", "days", "30 } ; DROP ALL"), ("death-sentences", "from", HOSTILE)],
)
def test_a_hostile_typed_parameter_is_refused(name: str, param: str, value: str) -> None:
    with pytest.raises(CasegraphError):
        prepare(name, {param: value})


def test_an_unknown_parameter_is_refused() -> None:
    with pytest.raises(CasegraphError, match="unknown parameter"):
        prepare("death-sentences", {"judge": "judge_fictivus"})


# --- docs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_is_documented_with_its_parameters(query: NamedQuery) -> None:
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(rf"^### `{re.escape(query.name)}`\n(.*?)(?=^### |\Z)", text, re.M | re.S)
    assert match, f"docs/queries.md has no section for {query.name}"
    section = match.group(1)
    assert f"casegraph query {query.name}" in section
    for param in query.parameters:
        assert f"`{param.name}`" in section
        if param.required:
            assert f"--param {param.name}=" in section
    for column in query.columns:
        assert column in section
