"""Lookup as researchers type (graph/lookup.py): surnames, parts, parenthetical names, near misses,
and ``search --limit``; on a fictional fixture and on the shipped ``data/``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import CasegraphError
from graph.loading import load_paths
from graph.lookup import find_entity, search, search_page
from graph.namespaces import ID
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent

FIXTURE = """\
casegraph: 1
visibility: public
sources:
  - id: src_fict
    title: "Fictional register of names"
    publisher: "Fictopolis Daily"
    date: "2026-02-02"
    reliability: medium
organisations:
  - id: org_fict_watch
    name: Fictional Rights Watch (FRW)
    kind: human_rights
    sources: [src_fict]
  - id: org_fict_watch_society
    name: Fictional Rights Watch Society
    kind: human_rights
    sources: [src_fict]
people:
  - id: testa_personova
    name: Testa Personova
    names: [Testa Personowa]
    sources: [src_fict]
  - id: probus_exemplar
    name: Probus (Probo) Exemplar
    sources: [src_fict]
  - id: marta_personova
    name: Marta Fictova Personova
    sources: [src_fict]
  - id: secreta_canarova
    name: Secreta Canarova
    visibility: restricted
    sources: [src_fict]
"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("lookup")
    case = directory / "names.yaml"
    case.write_text(FIXTURE, encoding="utf-8")
    path = directory / ".casegraph"
    with CaseStore.open(path) as store:
        load_paths([case], store)
    return path


@pytest.fixture()
def store(store_path: Path) -> Iterator[CaseStore]:
    with CaseStore.open(store_path, public=True) as opened:
        yield opened


@pytest.mark.parametrize(
    ("typed", "record"),
    [
        ("Testa Personova", "testa_personova"),  # a spelling
        ("testa_personova", "testa_personova"),  # the record id
        ("Testa", "testa_personova"),  # a unique given name
        ("Personova Testa", "testa_personova"),  # words in another order
        ("Personowa", "testa_personova"),  # a word of another spelling
        ("Probus Exemplar", "probus_exemplar"),  # "A (B) C" as "A C"
        ("Probo", "probus_exemplar"),  # the parenthetical part alone
        ("Exemplar", "probus_exemplar"),  # the surname alone
        ("Fictional Rights Watch", "org_fict_watch"),  # without the abbreviation, not the Society
        ("FRW", "org_fict_watch"),
        ("Marta Personova", "marta_personova"),  # a part of a longer name
    ],
)
def test_names_as_typed_resolve_to_one_record(store: CaseStore, typed: str, record: str) -> None:
    assert find_entity(store, typed) == ID[record]


def test_a_shared_surname_lists_every_candidate(store: CaseStore) -> None:
    with pytest.raises(CasegraphError) as caught:
        find_entity(store, "Personova")
    message = str(caught.value)
    assert "several entities" in message
    assert "testa_personova" in message and "marta_personova" in message


def test_part_of_a_word_does_not_resolve_but_search_finds_it(store: CaseStore) -> None:
    with pytest.raises(CasegraphError):
        find_entity(store, "Exempl")
    assert [m.record_id for m in search(store, "Exempl")] == ["probus_exemplar"]


def test_a_near_miss_is_suggested_never_taken(store: CaseStore) -> None:
    with pytest.raises(CasegraphError) as caught:
        find_entity(store, "Exemplaar")
    assert "Did you mean: Probus (Probo) Exemplar (id probus_exemplar)" in str(caught.value)
    page = search_page(store, "Exemplaar")
    assert page.fuzzy
    assert [m.record_id for m in page.matches] == ["probus_exemplar"]


def test_unrelated_text_finds_nothing(store: CaseStore) -> None:
    page = search_page(store, "Qwyzzt Blorp")
    assert page.matches == [] and page.total == 0


def test_restricted_names_are_not_found_or_suggested_in_the_public_view(
    store: CaseStore, store_path: Path
) -> None:
    for typed in ("Secreta Canarova", "Canarova", "Secretta Canarova"):
        assert search(store, typed) == []
        with pytest.raises(CasegraphError) as caught:
            find_entity(store, typed)
        assert "secreta_canarova" not in str(caught.value)
        assert "Secreta" not in str(caught.value).replace(typed, "")
    with CaseStore.open(store_path) as everything:
        assert find_entity(everything, "Canarova") == ID["secreta_canarova"]


def test_search_page_counts_what_it_cut(store: CaseStore) -> None:
    page = search_page(store, "a", limit=2)
    every = search_page(store, "a", limit=0)
    assert len(page.matches) == 2 and page.cut
    assert page.total == every.total == len(every.matches) > 2
    assert not every.cut
    assert every.matches[:2] == page.matches


def _cli(store_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store_path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_search_says_when_it_cut_the_list(store_path: Path) -> None:
    cut = _cli(store_path, "search", "a", "--limit", "2")
    assert cut.returncode == 0
    assert len(cut.stdout.splitlines()) == 2
    assert "Showing 2 of" in cut.stderr and "--limit 0" in cut.stderr
    whole = _cli(store_path, "search", "a", "--limit", "0")
    assert "Showing" not in whole.stderr
    assert len(whole.stdout.splitlines()) > 2


def test_search_refuses_a_negative_limit(store_path: Path) -> None:
    bad = _cli(store_path, "search", "a", "--limit", "-1")
    assert bad.returncode == 2
    assert "--limit" in bad.stderr and "Traceback" not in bad.stderr


# --- the shipped data: the names the issue reports ---------------------------------------------


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    path = tmp_path_factory.mktemp("data") / ".casegraph"
    with CaseStore.open(path) as store:
        load_paths([ROOT / "data"], store)
    with CaseStore.open(path, public=True) as opened:
        yield opened


@pytest.mark.parametrize(
    ("typed", "record"),
    [
        ("Salavati", "j_salavati"),
        ("Shekari", "mohsen_shekari"),
        ("Iran Human Rights", "org_ihrngo"),
    ],
)
def test_surnames_and_short_names_in_data_resolve(
    data_store: CaseStore, typed: str, record: str
) -> None:
    assert find_entity(data_store, typed) == ID[record]


def test_shekary_finds_shekari_in_data(data_store: CaseStore) -> None:
    assert search(data_store, "Shekary")[0].record_id == "mohsen_shekari"
