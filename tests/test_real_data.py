"""The shipped data in data/: it validates cleanly, breaks no rule, and answers real questions.

These tests read real facts, so they check a handful of answers that the sources give (which people
Branch 15 of the Tehran Revolutionary Court sentenced to death, who the judge was), not counts that
grow as the data does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.dossier import dossier
from graph.loading import check_paths, load_paths
from graph.network import accountability, network_from_store, node_for, shortest_paths
from graph.queries import list_queries, prepare
from graph.querying import run_query
from graph.store import CaseStore

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    with CaseStore.open(tmp_path_factory.mktemp("real") / "store") as opened:
        load_paths([DATA], opened)
        yield opened


@pytest.fixture(scope="module")
def network(store: CaseStore) -> nx.MultiDiGraph:
    return network_from_store(store)


def _column(store: CaseStore, name: str, column: str, **params: str) -> set[str]:
    prepared = prepare(name, params)
    _, rows = store.select(prepared.text, prepared.bindings)
    return {str(row[column]) for row in rows if column in row}


def test_data_validates_without_any_problem() -> None:
    checked = check_paths([DATA])
    assert [str(p) for p in checked.problems] == []
    assert len(checked.files) >= 20


@pytest.mark.parametrize(
    "name", [q.name for q in list_queries() if q.name.endswith("-violation")], ids=str
)
def test_violation_queries_return_no_rows_on_the_data(store: CaseStore, name: str) -> None:
    assert "(0 rows)" in run_query(store, name)


def test_violation_queries_exist() -> None:
    assert len([q for q in list_queries() if q.name.endswith("-violation")]) >= 5


def test_branch_15_sentenced_shekari_and_boroughani_to_death(store: CaseStore) -> None:
    assert _column(store, "death-sentences", "name", court="c_tehran_rev_b15") == {
        "Mohsen Shekari",
        "Mohammad Boroughani",
    }
    assert _column(store, "death-sentences", "judge_name", court="c_tehran_rev_b15") == {
        "Abolqasem Salavati"
    }
    everyone = _column(store, "death-sentences", "name")
    assert {"Mohsen Shekari", "Mohammad Boroughani", "Javid Khales"} <= everyone


def test_every_named_report_runs_on_the_data(store: CaseStore) -> None:
    for named in list_queries():
        required = {p.name for p in named.parameters if p.required}
        if required:
            continue
        assert run_query(store, named.name)  # runs without error


def test_the_dossier_of_javid_khales_keeps_the_contested_reports(store: CaseStore) -> None:
    khales = dossier(store, "Cavid Xalis")
    assert khales.record_id == "javid_khales"
    sentences = [e for e in khales.events if e.type == "death sentence"]
    assert len(sentences) == 3
    assert all(e.contradicts for e in sentences)
    assert all(e.confidence == "reported" for e in sentences)
    assert "s_fox_20260120" in khales.sources


def test_judge_report_names_salavati_for_branch_15_death_sentences(
    network: nx.MultiDiGraph,
) -> None:
    rows = {row.label: row for row in accountability(network, "judge")}
    salavati = rows["Abolqasem Salavati"]
    assert {"Mohsen Shekari", "Mohammad Boroughani"} <= set(salavati.death_sentences)
    assert salavati.sources > 0


def test_a_path_joins_javid_khales_to_the_prison_campaign(
    store: CaseStore, network: nx.MultiDiGraph
) -> None:
    start = node_for(store, network, "Javid Khales")
    end = node_for(store, network, "No to Executions Tuesdays")
    chains = shortest_paths(network, start, end)
    assert chains
    for hop in chains[0]:
        assert hop.links and all(link.sources for link in hop.links)
