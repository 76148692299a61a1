"""Loading case files into a real on-disk store: all or nothing, replace on reload, clear errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from graph import loading, parallel, reading, validation
from graph.errors import ValidationFailed
from graph.export import export
from graph.loading import check_paths, load_paths
from graph.namespaces import CG, ID
from graph.reading import input_files, read_files
from graph.store import CaseStore

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-case.yaml"
LOADING = DATA / "loading"
REAL_DATA = Path(__file__).parent.parent / "data"


def _snapshot(store: CaseStore) -> set[tuple[object, ...]]:
    with CaseStore.open(store.path) as fresh:
        return set(fresh.graph(include_restricted=True))


def _count(store: CaseStore) -> int:
    _, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(rows[0]["n"])  # type: ignore[call-overload]


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    with CaseStore.open(tmp_path / "store") as opened:
        yield opened


def test_the_example_loads_and_reloading_it_changes_nothing(store: CaseStore) -> None:
    report = load_paths([EXAMPLE], store)
    assert [f.replaced for f in report.files] == [False]
    first = _count(store)
    again = load_paths([EXAMPLE], store)
    assert [f.replaced for f in again.files] == [True]
    assert _count(store) == first
    assert store.has_record("testa_personova")


def test_reloading_an_edited_file_replaces_what_it_contributed(
    store: CaseStore, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLE, case)
    load_paths([case], store)
    assert store.has_record("ev_personova_denial")
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("  - id: ev_personova_denial")], encoding="utf-8")
    load_paths([case], store)
    assert not store.has_record("ev_personova_denial")
    assert store.has_record("ev_personova_death_sentence")
    _, rows = store.select(
        "SELECT ?o ?e ?p WHERE { ?e ?p ?o }",
        {"e": ID["ev_personova_death_sentence"], "p": CG.contradicts},
    )
    assert rows == []


def test_files_may_refer_to_each_other_within_one_load(store: CaseStore) -> None:
    load_paths([LOADING / "needs-example.yaml", EXAMPLE, LOADING / "turtle-person.ttl"], store)
    assert store.has_record("ev_needs_example_appeal") and store.has_record("turtle_person")


def test_a_later_file_may_refer_to_records_already_in_the_store(store: CaseStore) -> None:
    load_paths([EXAMPLE], store)
    load_paths([LOADING / "needs-example.yaml"], store)
    assert store.has_record("ev_needs_example_appeal")


def test_an_undefined_reference_is_reported_with_file_line_record_and_field(
    store: CaseStore,
) -> None:
    checked = check_paths([EXAMPLE, LOADING / "undefined-reference.yaml"], store)
    [problem] = [p for p in checked.problems if p.severity == "error"]
    assert problem.file.endswith("undefined-reference.yaml")
    assert problem.line == 8
    assert problem.record == "ev_undefined_reference"
    assert problem.field == "people"
    assert "nobody_by_this_id" in problem.message and "not defined" in problem.message


def test_a_failed_file_in_the_middle_of_a_load_leaves_nothing_behind(store: CaseStore) -> None:
    load_paths([EXAMPLE], store)
    before = _snapshot(store)
    files = [
        LOADING / "needs-example.yaml",
        LOADING / "undefined-reference.yaml",
        LOADING / "turtle-person.ttl",
    ]
    with pytest.raises(ValidationFailed) as failure:
        load_paths(files, store)
    assert "nothing was loaded" in str(failure.value)
    assert _snapshot(store) == before
    assert not store.has_record("ev_needs_example_appeal")


def test_a_syntax_error_names_file_and_line_and_changes_nothing(store: CaseStore) -> None:
    load_paths([EXAMPLE], store)
    before = _snapshot(store)
    with pytest.raises(ValidationFailed) as failure:
        load_paths([LOADING / "turtle-person.ttl", LOADING / "broken-syntax.ttl"], store)
    [problem] = failure.value.problems
    assert problem.file.endswith("broken-syntax.ttl") and problem.line == 7
    assert _snapshot(store) == before


def test_duplicate_ids_across_files_and_against_the_store(store: CaseStore) -> None:
    checked = check_paths([EXAMPLE, LOADING / "duplicate-of-example.yaml"], store)
    [problem] = checked.problems
    assert "src_example_daily" in problem.message and "already used" in problem.message
    load_paths([EXAMPLE], store)
    checked = check_paths([LOADING / "duplicate-of-example.yaml"], store)
    [problem] = checked.problems
    assert "already defined by" in problem.message and "example-case.yaml" in problem.message


def test_an_unknown_property_in_rdf_is_refused(store: CaseStore) -> None:
    checked = check_paths([EXAMPLE, LOADING / "unknown-term.ttl"], store)
    messages = [str(p) for p in checked.problems]
    assert any("favouriteColour" in m and "unknown-term.ttl:7" in m for m in messages), messages


def test_restricted_records_never_appear_in_an_export(store: CaseStore, tmp_path: Path) -> None:
    load_paths([LOADING / "restricted-witness.yaml"], store)
    for fmt in ("trig", "nquads", "turtle", "jsonld"):
        text = export(store, fmt)
        assert "Open Defendantov" in text
        for secret in (
            "hidden_witness",
            "Hidden Witnessova",
            "src_loading_private",
            "Interview notes",
            "baker",
        ):
            assert secret not in text, (fmt, secret)
    everything = export(store, "turtle", include_restricted=True)
    assert "Hidden Witnessova" in everything and "baker in Exampleton" in everything
    exported = Graph().parse(data=export(store, "turtle"), format="turtle")
    assert (ID["ev_loading_trial"], CG.source, ID["src_loading_public"]) in exported
    assert (ID["ev_loading_trial"], CG.coDefendant, ID["hidden_witness"]) not in exported


def test_a_file_only_the_shapes_refuse_leaves_the_store_as_it_was(store: CaseStore) -> None:
    load_paths([EXAMPLE], store)
    before = _snapshot(store)
    with pytest.raises(ValidationFailed) as failure:
        load_paths([LOADING / "nameless-person.ttl"], store)
    [problem] = failure.value.problems
    assert problem.file.endswith("nameless-person.ttl") and problem.record == "nameless_person"
    assert problem.field == "name"
    assert _snapshot(store) == before
    assert len(list(store.path.glob("v-*"))) == 1


def test_a_statement_two_files_make_stays_until_neither_makes_it(
    store: CaseStore, tmp_path: Path
) -> None:
    label = (URIRef("https://example.org/exampleton"), RDFS.label, Literal("Exampleton"))
    first, second = tmp_path / "first.ttl", tmp_path / "second.ttl"
    shutil.copy(LOADING / "place-label.ttl", first)
    shutil.copy(LOADING / "place-label.ttl", second)
    load_paths([first, second, EXAMPLE], store)
    first.write_text(
        "# now empty of statements\n<https://example.org/other> a <https://example.org/T> .\n"
    )
    load_paths([first], store)
    assert label in _snapshot(store)
    load_paths([EXAMPLE], store)  # a file that defines records: its reload leaves others alone
    assert label in _snapshot(store)
    second.write_text(first.read_text())
    load_paths([second], store)
    assert label not in _snapshot(store)


def test_reading_on_several_cores_gives_what_reading_one_by_one_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = input_files([REAL_DATA])
    one_by_one = read_files(files)
    monkeypatch.setattr(reading, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    spread = read_files(files)
    assert [f.path for f in spread] == [f.path for f in one_by_one]
    for a, b in zip(spread, one_by_one, strict=True):
        assert a.statements == b.statements and a.records == b.records
        assert a.references == b.references and a.problems == b.problems


def test_the_shapes_run_in_another_process_when_one_is_safe_to_fork(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids: list[int] = []
    check = validation.problems_in_context

    def recording(*args: object) -> list[object]:
        pids.append(os.getpid())
        return check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "problems_in_context", recording)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    load_paths([EXAMPLE], store)
    assert store.has_record("testa_personova")
    assert pids == []  # the call ran in a forked child, which appended to its own copy
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    load_paths([EXAMPLE], store)
    assert pids == [os.getpid()]
