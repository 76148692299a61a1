"""Sources on every link: a link written as a mapping cites its own sources; a plain id is cited
with its record, and says so in ``path``, the dossier and the view. A restricted link entry stays
out of the public view. The fixture (tests/data/links/) is fictional; the last tests read data/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from graph.dossier import dossier
from graph.loading import load_paths
from graph.namespaces import CG, ID
from graph.network.build import network_from_store
from graph.network.paths import Hop, shortest_paths
from graph.network.viewdata import view_data
from graph.rdf_terms import from_engine
from graph.reading import read_file
from graph.store import CaseStore

FIXTURE = Path(__file__).parent / "data" / "links"
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("links-store") / "store"
    with CaseStore.open(path) as store:
        load_paths([FIXTURE], store)
    return path


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("links-real") / "store"
    with CaseStore.open(path) as store:
        load_paths([DATA], store)
    return path


def _claims_about(graph: object, subject: URIRef, prop: URIRef, target: URIRef) -> list[URIRef]:
    found = []
    for claim in graph.subjects(CG.linkTarget, target):  # type: ignore[attr-defined]
        if (claim, CG.about, subject) in graph and (claim, CG.linkProperty, prop) in graph:  # type: ignore[operator]
            found.append(claim)
    return found


# --- compiling ------------------------------------------------------------------------------


def test_a_plain_id_is_a_plain_link_without_a_link_claim() -> None:
    graph = read_file(FIXTURE / "case.yaml").graph
    campaign, prison = ID["camp_lk"], ID["pr_lk_north"]
    assert (campaign, CG.participatingPrison, prison) in graph
    assert _claims_about(graph, campaign, CG.participatingPrison, prison) == []


def test_a_mapping_keeps_the_link_and_adds_a_claim_with_its_own_sources_and_date() -> None:
    graph = read_file(FIXTURE / "case.yaml").graph
    campaign, protest = ID["camp_lk"], ID["p_lk_rally"]
    assert (campaign, CG.protest, protest) in graph  # the plain triple stays for queries
    [claim] = _claims_about(graph, campaign, CG.protest, protest)
    assert (claim, CG.about, campaign) in graph
    assert set(graph.objects(claim, CG.source)) == {ID["src_lk_week9"]}
    assert graph.value(claim, CG.date) is not None
    assert str(graph.value(claim, CG.date)) == "2026-01-27"
    assert graph.value(claim, CG.sourcesInherited) is None


def test_a_mapping_without_sources_inherits_the_records_and_says_so() -> None:
    graph = read_file(FIXTURE / "case.yaml").graph
    [claim] = _claims_about(graph, ID["case_lk"], CG.defendant, ID["lk_testa"])
    assert graph.value(claim, CG.sourcesInherited) == Literal(True)
    assert set(graph.objects(claim, CG.source)) == {ID["src_lk_person"]}


def test_a_roles_for_link_and_an_events_link_can_carry_sources() -> None:
    graph = read_file(FIXTURE / "case.yaml").graph
    [claim] = _claims_about(graph, ID["lk_lawyer/role/1"], CG.forPerson, ID["lk_testa"])
    assert set(graph.objects(claim, CG.source)) == {ID["src_lk_person"]}
    [claim] = _claims_about(graph, ID["ev_lk_week9"], CG.protest, ID["p_lk_rally"])
    assert set(graph.objects(claim, CG.source)) == {ID["src_lk_week9"]}


def test_a_restricted_link_entry_is_marked_restricted() -> None:
    compiled = read_file(FIXTURE / "case.yaml")
    marks = {
        (from_engine(t.subject), from_engine(t.predicate), from_engine(t.object))
        for t in compiled.statements.restricted_triples()
    }
    assert (ID["camp_lk"], CG.participatingPrison, ID["pr_lk_south"]) in marks
    assert (ID["camp_lk"], CG.participatingPrison, ID["pr_lk_north"]) not in marks
    claim = ID["camp_lk/link/participating_prisons/pr_lk_south"]
    assert compiled.graph.value(claim, CG.visibility) == CG.Restricted


def test_a_bad_link_mapping_is_a_problem_with_its_line(tmp_path: Path) -> None:
    text = (FIXTURE / "case.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "{id: p_lk_rally, sources: [src_lk_week9], date:",
        "{id: p_lk_rally, source: [src_lk_week9], date:",
    )
    assert bad != text
    (tmp_path / "case.yaml").write_text(bad, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text((FIXTURE / "sources.yaml").read_text(encoding="utf-8"))
    env = {**os.environ, "CASEGRAPH_STORE": str(tmp_path / "store")}
    done = subprocess.run(
        [sys.executable, "-m", "graph", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    line = (
        bad.splitlines().index(
            next(ln for ln in bad.splitlines() if "source: [src_lk_week9]" in ln)
        )
        + 1
    )
    assert f"case.yaml:{line}" in done.stdout + done.stderr


# --- the store, the public view ---------------------------------------------------------------


def test_the_restricted_link_is_in_the_full_store_only(store_path: Path) -> None:
    from graph.network.build import NetworkSpec

    with CaseStore.open(store_path) as store:
        full = network_from_store(store, NetworkSpec(include_restricted=True))
        public = network_from_store(store)
    assert full.has_edge("camp_lk", "pr_lk_south")
    assert not public.has_edge("camp_lk", "pr_lk_south")
    assert public.has_edge("camp_lk", "pr_lk_north")
    with CaseStore.open(store_path, public=True) as store:
        quads = list(store.backend.engine.quads_for_pattern(None, None, None, None))
    text = " ".join(str(q) for q in quads)
    assert "pr_lk_south>" in text  # the public prison itself is there
    assert "participating_prisons/pr_lk_south" not in text
    assert not any(
        str(q.subject.value).endswith("camp_lk")  # type: ignore[union-attr]
        and str(q.object).endswith("pr_lk_south>")
        for q in quads
    )


# --- path, view, dossier on the fixture ---------------------------------------------------------


def _hop(hops: list[Hop], a: str, b: str) -> Hop:
    return next(h for h in hops if {h.start, h.end} == {a, b})


def test_path_cites_the_links_own_sources_and_marks_inherited_ones(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        network = network_from_store(store)
    [hops] = shortest_paths(network, "lk_testa", "camp_lk", limit=1)
    person_hop = _hop(hops, "lk_testa", "p_lk_rally")
    [link] = [x for x in person_hop.links if x.claim == "lk_testa"]
    assert link.inherited and [s["id"] for s in link.sources] == ["src_lk_person"]
    campaign_hop = _hop(hops, "p_lk_rally", "camp_lk")
    [link] = [x for x in campaign_hop.links if x.claim == "camp_lk"]
    assert not link.inherited
    assert [s["id"] for s in link.sources] == ["src_lk_week9"]  # not the record's two sources
    assert link.link_claim == "camp_lk/link/protests/p_lk_rally"
    assert link.date == "2026-01-27"
    # The event that names both ends is listed with the hop, with its own sources.
    [event] = campaign_hop.events
    assert event.claim == "ev_lk_week9"
    assert [s["id"] for s in event.sources] == ["src_lk_week9"]


def test_path_cli_says_cited_with_the_record(store_path: Path) -> None:
    env = {**os.environ, "CASEGRAPH_STORE": str(store_path)}
    done = subprocess.run(
        [sys.executable, "-m", "graph", "path", "Testa Personova", "Testaville Tuesdays"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert (
        "    source: Testa Personova detained at the Testaville rally, medium (cited with the record)"
        in lines
    )
    assert "    source: Testaville campaign week 9 statement, low (cited for this link)" in lines
    assert "Testaville campaign overview (general)" not in done.stdout
    assert any("ev_lk_week9" in line for line in lines)


def test_view_edges_say_how_their_sources_are_cited(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        data = view_data(network_from_store(store), "links")
    by_ends = {(e["from"], e["to"], e["label"]): e for e in data["edges"]}
    campaign = next(e for k, e in by_ends.items() if k[:2] == ("camp_lk", "p_lk_rally"))
    person = next(e for k, e in by_ends.items() if k[:2] == ("lk_testa", "p_lk_rally"))
    assert ["sources", "cited for this link"] in campaign["facts"]
    assert [s["id"] for s in campaign["sources"]] == ["src_lk_week9"]
    assert ["sources", "cited with the record"] in person["facts"]


def test_the_dossier_lists_links_with_their_sources(store_path: Path) -> None:
    with CaseStore.open(store_path, public=True) as store:
        found = dossier(store, "Testaville Tuesdays")
    links = {(link.id, link.inherited, tuple(link.sources)) for link in found.links}
    assert ("p_lk_rally", False, ("src_lk_week9",)) in links
    assert ("pr_lk_north", True, ("src_lk_general", "src_lk_old")) in links
    assert all(link.id != "pr_lk_south" for link in found.links)
    text = found.to_text()
    assert "cited with the record: src_lk_general, src_lk_old" in text
    assert "cited for this link: src_lk_week9" in text


# --- the real data ------------------------------------------------------------------------------


def test_the_real_campaign_to_protest_hop_cites_the_week_105_statement(real_store: Path) -> None:
    with CaseStore.open(real_store) as store:
        network = network_from_store(store)
    [hops] = shortest_paths(network, "javid_khales", "camp_nett", limit=1)
    hop = _hop(hops, "p_iran_2025_26", "camp_nett")
    [link] = [x for x in hop.links if x.claim == "camp_nett"]
    ids = {s["id"] for s in link.sources}
    assert ids == {"s_wncri_20260127"}  # the week-105 statement of 2026-01-27
    assert "s_iranhrm_20240716" not in ids  # the 2024 source does not state this link
    assert not link.inherited
    assert "ev_nett_w105" in {event.claim for event in hop.events}
    # Every other claim on the chain either cites its own sources or is marked inherited.
    for each in hops:
        for claim in each.links:
            if claim.link_claim is None and claim.inherited:
                assert claim.sources  # cited with the record, and shown as such
