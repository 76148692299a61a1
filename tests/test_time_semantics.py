"""The time rules of docs/decisions/2026-12-02-time-semantics.md, one test per rule.

The network rules run on a tiny fictional graph written below; the last tests check the shipped
data (``data/``) through the library and the CLI, as issue 10 states them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.errors import CasegraphError
from graph.network.build import NetworkSpec, build_view, network_from_graph, network_from_store
from graph.network.filters import NetworkFilter, apply_filter, claim_span
from graph.queries import prepare
from graph.store import CaseStore

ROOT = Path(__file__).parent.parent

#: One person per kind of date; each is named only by events of that kind.
TIMES = """
@prefix cg: <https://w3id.org/casegraph/ontology#> .
@prefix cgv: <https://w3id.org/casegraph/vocab#> .
@prefix cgd: <https://w3id.org/casegraph/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

cgd:testa_exacta a cg:Person ; cg:recordId "testa_exacta" ; cg:name "Testa Exacta" .
cgd:testa_mensis a cg:Person ; cg:recordId "testa_mensis" ; cg:name "Testa Mensis" .
cgd:testa_nuntiata a cg:Person ; cg:recordId "testa_nuntiata" ; cg:name "Testa Nuntiata" .
cgd:testa_ante a cg:Person ; cg:recordId "testa_ante" ; cg:name "Testa Ante" .
cgd:testa_post a cg:Person ; cg:recordId "testa_post" ; cg:name "Testa Post" .
cgd:testa_sine a cg:Person ; cg:recordId "testa_sine" ; cg:name "Testa Sine" .
cgd:campaign_nova a cg:Campaign ; cg:recordId "campaign_nova" ; cg:name "CANARY-Nova Tuesdays" ;
    cg:startDate "2024-01-30"^^xsd:date .

cgd:ev_exact a cg:LegalEvent ; cg:recordId "ev_exact" ; cg:eventType cgv:event_arrest ;
    cg:person cgd:testa_exacta ; cg:date "2022-10-01"^^xsd:date ;
    cg:dateEarliest "2022-10-01"^^xsd:date ; cg:dateLatest "2022-10-01"^^xsd:date .
cgd:ev_month a cg:LegalEvent ; cg:recordId "ev_month" ; cg:eventType cgv:event_arrest ;
    cg:person cgd:testa_mensis ; cg:date "2023-06"^^xsd:gYearMonth ;
    cg:dateEarliest "2023-06-01"^^xsd:date ; cg:dateLatest "2023-06-30"^^xsd:date .
cgd:ev_reported a cg:LegalEvent ; cg:recordId "ev_reported" ;
    cg:eventType cgv:event_death_sentence ; cg:person cgd:testa_nuntiata ;
    cg:dateText "reported on a Tuesday" ; cg:reportedDate "2026-01-20"^^xsd:date .
cgd:ev_before a cg:LegalEvent ; cg:recordId "ev_before" ; cg:eventType cgv:event_arrest ;
    cg:person cgd:testa_ante ; cg:dateLatest "2023-02-06"^^xsd:date .
cgd:ev_after a cg:LegalEvent ; cg:recordId "ev_after" ; cg:eventType cgv:event_arrest ;
    cg:person cgd:testa_post ; cg:dateEarliest "2024-05-02"^^xsd:date .
cgd:ev_undated a cg:LegalEvent ; cg:recordId "ev_undated" ; cg:eventType cgv:event_arrest ;
    cg:person cgd:testa_sine ; cg:dateText "during the protests" .
cgd:ev_week a cg:CampaignEvent ; cg:recordId "ev_week" ; cg:eventType cgv:event_campaign_week ;
    cg:campaign cgd:campaign_nova ; cg:date "2024-02-06"^^xsd:date ;
    cg:dateEarliest "2024-02-06"^^xsd:date ; cg:dateLatest "2024-02-06"^^xsd:date .
"""

EVENTS = {"ev_exact", "ev_month", "ev_reported", "ev_before", "ev_after", "ev_undated", "ev_week"}


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return network_from_graph(Graph().parse(data=TIMES, format="turtle"), include_restricted=True)


def _kept(network: nx.MultiDiGraph, **rule: object) -> set[str]:
    return set(apply_filter(network, NetworkFilter(**rule)))  # type: ignore[arg-type]


def _events(network: nx.MultiDiGraph, **rule: object) -> set[str]:
    return _kept(network, **rule) & EVENTS


def test_spans_read_every_kind_of_date(network: nx.MultiDiGraph) -> None:
    spans = {n: claim_span(network.nodes[n]) for n in EVENTS}
    assert spans == {
        "ev_exact": (date(2022, 10, 1), date(2022, 10, 1)),
        "ev_month": (date(2023, 6, 1), date(2023, 6, 30)),
        "ev_reported": (None, date(2026, 1, 20)),  # on or before the day it was reported
        "ev_before": (None, date(2023, 2, 6)),
        "ev_after": (date(2024, 5, 2), None),
        "ev_undated": None,
        "ev_week": (date(2024, 2, 6), date(2024, 2, 6)),
    }


def test_no_date_filter_keeps_everything(network: nx.MultiDiGraph) -> None:
    assert _kept(network) == set(network)


def test_an_undated_claim_is_left_out_unless_asked_for(network: nx.MultiDiGraph) -> None:
    assert "ev_undated" not in _events(network, as_of=date(2030, 1, 1))
    assert "ev_undated" not in _events(network, start=date(2000, 1, 1))
    assert "ev_undated" in _events(network, as_of=date(2030, 1, 1), include_undated=True)
    assert "ev_undated" in _events(network, start=date(2000, 1, 1), include_undated=True)


def test_as_of_keeps_claims_whose_earliest_day_has_come(network: nx.MultiDiGraph) -> None:
    assert _events(network, as_of=date(2022, 9, 30)) == set()
    assert _events(network, as_of=date(2022, 10, 1)) == {"ev_exact"}
    # a month: from its first day; "before X": placed at its last day, X - 1
    assert _events(network, as_of=date(2023, 6, 1)) == {"ev_exact", "ev_before", "ev_month"}
    assert "ev_before" not in _events(network, as_of=date(2023, 2, 5))


def test_a_reported_date_alone_counts_as_on_or_before_it(network: nx.MultiDiGraph) -> None:
    assert "ev_reported" not in _events(network, as_of=date(2026, 1, 19))
    assert "ev_reported" in _events(network, as_of=date(2026, 1, 20))
    assert "ev_reported" in _events(network, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert "ev_reported" not in _events(network, start=date(2022, 1, 1), end=date(2025, 12, 31))


def test_a_window_keeps_overlapping_spans_by_default(network: nx.MultiDiGraph) -> None:
    kept = _events(network, start=date(2023, 6, 15), end=date(2024, 2, 6))
    assert kept == {"ev_month", "ev_week"}  # the month overlaps; "after 2024-05-01" does not
    assert "ev_after" in _events(network, start=date(2030, 1, 1))  # open on the right


def test_within_keeps_only_spans_inside_the_window(network: nx.MultiDiGraph) -> None:
    window = {"start": date(2023, 6, 15), "end": date(2024, 12, 31)}
    assert _events(network, dates="within", **window) == {"ev_week"}  # the month sticks out
    assert "ev_after" not in _events(network, dates="within", **window)  # may be after the end
    assert "ev_month" in _events(network, dates="within", start=date(2023, 6, 1))


def test_a_node_exists_from_its_earliest_claim(network: nx.MultiDiGraph) -> None:
    kept = _kept(network, as_of=date(2023, 1, 1))
    assert "testa_exacta" in kept
    assert "campaign_nova" not in kept  # its own start date, and its first week, are in 2024
    assert {"testa_mensis", "testa_nuntiata", "testa_post", "testa_sine"}.isdisjoint(kept)
    assert "campaign_nova" in _kept(network, as_of=date(2024, 1, 30))  # founded that day
    assert "testa_sine" in _kept(network, as_of=date(2023, 1, 1), include_undated=True)


def test_existence_does_not_depend_on_the_type_filter(network: nx.MultiDiGraph) -> None:
    kept = _kept(network, as_of=date(2023, 1, 1), types=frozenset({"Person"}))
    assert kept == {"testa_exacta"}  # known from an event, though events are not listed


def test_the_caption_states_every_filter() -> None:
    assert NetworkSpec().caption() == "filters: none"
    caption = NetworkSpec(as_of="2000-01-01", start="1999-01-01", dates="within").caption()
    assert caption.startswith("filters: as of 2000-01-01; dates inside 1999-01-01 to ...")
    assert "undated claims left out" in caption
    assert (
        "undated claims included" in NetworkSpec(as_of="2000-01-01", include_undated=True).caption()
    )
    spec = NetworkSpec(types=("Person",), within="camp", min_reliability="high", min_sources=2)
    assert spec.caption() == (
        "filters: type Person; within camp; reliability >= high; >= 2 independent sources"
    )


def test_a_bad_date_mode_is_refused(tmp_path: Path) -> None:
    with (
        CaseStore.open(tmp_path / "empty") as store,
        pytest.raises(CasegraphError, match="--dates"),
    ):
        network_from_store(store, NetworkSpec(start="2020-01-01", dates="sometimes"))


# --- the shipped data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from graph.loading import load_paths

    path = tmp_path_factory.mktemp("shipped") / "store"
    with CaseStore.open(path) as store:
        load_paths([ROOT / "data"], store)
    yield path


def test_no_campaign_founded_in_2024_exists_in_2000(shipped: Path) -> None:
    with CaseStore.open(shipped, public=True) as store:
        network = network_from_store(store, NetworkSpec(as_of="2000-01-01"))
        later = network_from_store(store, NetworkSpec(as_of="2024-12-31"))
    assert "camp_nett" not in network
    assert "camp_nett" in later


def _dated_after(network: nx.MultiDiGraph, day: date) -> set[str]:
    found = set()
    for node, attrs in network.nodes(data=True):
        span = claim_span(attrs) if attrs.get("claim") else None
        placed = span and (span[0] or span[1])
        if placed and placed > day:
            found.add(node)
    return found


def test_an_as_of_view_shows_nothing_later(shipped: Path) -> None:
    day = date(2022, 10, 1)
    with CaseStore.open(shipped, public=True) as store:
        network = network_from_store(store, NetworkSpec(as_of=day.isoformat()))
        assert network.number_of_nodes() > 0 and not _dated_after(network, day)
        with pytest.raises(CasegraphError, match="earliest dated claim"):
            build_view(store, network, focus="Javid Khales")  # known only from 2026 on
        undated = network_from_store(
            store, NetworkSpec(as_of=day.isoformat(), include_undated=True)
        )
        view = build_view(store, undated, focus="Javid Khales")
    labels = {n["id"]: n for n in view["nodes"]}
    assert "ev_khales_sentence_ihrs" not in labels  # reported 2026-01-20
    assert not _dated_after(undated, day)


def test_the_timeline_places_reported_events_at_their_reported_date(shipped: Path) -> None:
    prepared = prepare("person-timeline", {"person": "majid_kazemi"})
    with CaseStore.open(shipped, public=True) as store:
        _, rows = store.select(prepared.text, prepared.bindings)
    order = [str(r["event"]).rsplit("/", 1)[-1] for r in rows]
    used = {str(r["event"]).rsplit("/", 1)[-1]: str(r["date_used"]) for r in rows}
    assert order.index("ev_majid_kazemi_sc") < order.index("ev_majid_kazemi_exec")
    assert used["ev_majid_kazemi_sc"] == "reported" and used["ev_majid_kazemi_exec"] == "date"
    assert used[order[-1]] == "none"  # undated events come last


def test_named_query_dates_follow_the_same_rules(shipped: Path) -> None:
    def events(params: dict[str, str]) -> set[str]:
        prepared = prepare("death-sentences", params)
        with CaseStore.open(shipped, public=True) as store:
            rows = store.select(prepared.text, prepared.bindings)[1]
        return {str(r["event"]).rsplit("/", 1)[-1] for r in rows}

    everything = events({})
    assert {"ev_khales_sentence_ihrs", "ev_khales_sentence_attr_chri"} <= everything
    january = events({"from": "2026-01-01", "to": "2026-01-31"})
    assert "ev_khales_sentence_ihrs" in january  # reported 2026-01-20 only
    assert "ev_khales_sentence_attr_chri" not in january  # no date at all
    assert "ev_khales_sentence_ihrs" not in events({"to": "2026-01-19"})


def test_the_cli_prints_the_filters_under_the_table(shipped: Path) -> None:
    command = [sys.executable, "-m", "graph", "--store", str(shipped), "centrality"]
    result = subprocess.run(
        [*command, "--as-of", "2000-01-01"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "No to Execution Tuesdays" not in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "filters: as of 2000-01-01; undated claims left out, reported-only ones at their "
        "reported date"
    )
