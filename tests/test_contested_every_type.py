"""Contested values on every entity type, sources on ``part_of`` and ``contradicts`` links, and
vocabulary files that cannot be unloaded (or reloaded smaller) while loaded records use them.

The fixture (tests/data/contested/) is fictional: an organisation, a court, a court branch, a
prison, a place, a protest and a case each hold one value that two sources give differently. The
last tests read data/, whose migrated protests keep two start days and two towns side by side.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.term import Node

from graph.errors import CasegraphError, ValidationFailed
from graph.loading import load_paths, unload_paths
from graph.namespaces import CG, ID
from graph.network.build import network_from_graph, network_from_store
from graph.network.paths import Hop, shortest_paths
from graph.network.tables import format_paths
from graph.network.viewdata import view_data
from graph.queries import prepare
from graph.rdf_terms import from_engine
from graph.reading import read_file
from graph.store import CaseStore

FIXTURE = Path(__file__).parent / "data" / "contested"
VOCAB = Path(__file__).parent / "data" / "vocab" / "folder"
DATA = Path(__file__).parent.parent / "data"

#: entity id -> (attribute label, the two values, the sources of each, in the fixture's order)
CONTESTED = {
    "org_ct": ("place", ("Testaville", "Exampleburg"), ("src_ct_daily", "src_ct_wire")),
    "court_ct": ("place", ("Testaville", "Exampleburg"), ("src_ct_daily", "src_ct_wire")),
    "court_ct_b7": ("start date", ("2001", "2003"), ("src_ct_daily", "src_ct_branch")),
    "pr_ct": ("place", ("Testaville", "Exampleburg"), ("src_ct_daily", "src_ct_wire")),
    "pl_ct": ("place", ("Testaville", "Exampleburg"), ("src_ct_daily", "src_ct_wire")),
    "p_ct_rally": ("start date", ("2022-11-16", "2022-11-15"), ("src_ct_daily", "src_ct_wire")),
    "case_ct": ("start date", ("2022-12", "2023-01"), ("src_ct_daily", "src_ct_wire")),
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contested-store") / "store"
    with CaseStore.open(path) as store:
        load_paths([FIXTURE], store)
    return path


def _rows(store: CaseStore, name: str, params: dict[str, str] | None = None) -> list[dict]:  # type: ignore[type-arg]
    prepared = prepare(name, params or {})
    _, rows = store.select(prepared.text, prepared.bindings)
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _plain(term: Node | None) -> str | None:
    if isinstance(term, URIRef) and str(term).startswith(str(ID)):
        return str(term)[len(str(ID)) :]
    return None if term is None else str(term)


def _graph(path: Path) -> Graph:
    with CaseStore.open(path) as store:
        return store.graph(include_restricted=True)


def _same(before: Graph, after: Graph) -> None:
    if not isomorphic(before, after):
        _, only_before, only_after = graph_diff(before, after)
        pytest.fail(
            "the store changed:\n- "
            + only_before.serialize(format="nt")
            + "\n+ "
            + only_after.serialize(format="nt")
        )


# --- contested values on every entity type ------------------------------------------------------


@pytest.mark.parametrize("entity", sorted(CONTESTED))
def test_contested_facts_lists_both_values_with_their_own_sources(
    store_path: Path, entity: str
) -> None:
    label, values, sources = CONTESTED[entity]
    with CaseStore.open(store_path) as store:
        rows = _rows(store, "contested-facts")
    claims = (f"{entity}/attr/", entity)
    mine = [r for r in rows if r["fact"].startswith(claims[0]) and r["kind"].endswith(label)]
    by_value = {r["value_a"]: r for r in mine if r["field"] == "value"}
    assert set(by_value) == set(values)
    for value, other, source in zip(values, reversed(values), sources, strict=True):
        row = by_value[value]
        assert row["value_b"] == other
        assert row["kind"] == f"attribute claim: {label}"
        assert row["sources"] == source  # each value with its own source only
    differing = {r["field"] for r in mine}
    assert differing == {"value", "sources"}


@pytest.mark.parametrize("entity", sorted(CONTESTED))
def test_entity_facts_hold_both_claims_with_their_sources(store_path: Path, entity: str) -> None:
    _, values, sources = CONTESTED[entity]
    with CaseStore.open(store_path) as store:
        rows = _rows(store, "entity-facts", {"entity": entity})
    values_of = {
        r["fact"]: r["value"] for r in rows if r["property"] == str(CG.value) and r["relation"]
    }
    sources_of = {r["fact"]: r["sources"] for r in rows if r["fact"] in values_of}
    found = {values_of[f]: sources_of[f] for f in values_of}
    want = {v: s for v, s in zip(values, sources, strict=True)}
    assert {v: found.get(v, "").split(" (")[0] for v in want} == want


def test_a_protest_keeps_two_start_days_side_by_side(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        rows = _rows(store, "contested-facts")
    pairs = {
        (r["value_a"], r["value_b"], r["sources"])
        for r in rows
        if r["subject"] == "Testaville Rally" and r["field"] == "value"
    }
    assert pairs == {
        ("2022-11-16", "2022-11-15", "src_ct_daily"),
        ("2022-11-15", "2022-11-16", "src_ct_wire"),
    }


def test_an_extension_adds_a_contested_value_to_a_protest(tmp_path: Path) -> None:
    (tmp_path / "more.yaml").write_text(
        "casegraph: 1\nvisibility: public\nextends:\n"
        "  - id: p_ct_march\n    attributes:\n"
        "      - {attribute: place, value: Testaville, sources: [src_ct_daily]}\n"
        "      - {attribute: place, value: Exampleburg, sources: [src_ct_wire]}\n",
        encoding="utf-8",
    )
    path = tmp_path / "store"
    with CaseStore.open(path) as store:
        load_paths([FIXTURE], store)
    before = _graph(path)
    with CaseStore.open(path) as store:
        load_paths([tmp_path / "more.yaml"], store)
        rows = _rows(store, "contested-facts")
        unload_paths([tmp_path / "more.yaml"], store)
    found = {
        (r["value_a"], r["sources"])
        for r in rows
        if r["subject"] == "Testaville March" and r["field"] == "value"
    }
    assert found == {("Testaville", "src_ct_daily"), ("Exampleburg", "src_ct_wire")}
    _same(before, _graph(path))


@pytest.mark.parametrize(
    ("plain", "attribute"),
    [('    start: "2022-11-16"\n', "start_date"), ("    place: Testaville\n", "place")],
)
def test_a_plain_value_beside_claims_of_it_is_a_problem_with_its_line(
    tmp_path: Path, plain: str, attribute: str
) -> None:
    text = (FIXTURE / "case.yaml").read_text(encoding="utf-8")
    anchor = "    name: Testaville Rally\n"
    if attribute == "place":
        text = text.replace(
            '      - {attribute: start_date, value: "2022-11-16", sources: [src_ct_daily]}\n',
            "      - {attribute: place, value: Exampleburg, sources: [src_ct_daily]}\n",
        )
    (tmp_path / "case.yaml").write_text(text.replace(anchor, anchor + plain), encoding="utf-8")
    problems = read_file(tmp_path / "case.yaml").problems
    lines = (tmp_path / "case.yaml").read_text(encoding="utf-8").splitlines()
    wanted = next(
        n
        for n, ln in enumerate(lines, 1)
        if f"{{attribute: {attribute}," in ln and n > lines.index(anchor.rstrip("\n"))
    )
    field = plain.split(":")[0].strip()
    assert [
        (p.line, p.record) for p in problems if f"'{field}' and a '{attribute}'" in p.message
    ] == [(wanted, "p_ct_rally")]


# --- sources on part_of and contradicts ---------------------------------------------------------


def _hop(store_path: Path, a: str, b: str) -> Hop:
    with CaseStore.open(store_path) as store:
        network = network_from_store(store)
    [[hop]] = shortest_paths(network, a, b, limit=1)
    return hop


@pytest.mark.parametrize(
    ("a", "b", "source"),
    [("p_ct_rally", "p_ct_wave", "src_ct_wave"), ("court_ct_b7", "court_ct", "src_ct_branch")],
)
def test_path_cites_a_part_of_links_own_sources(
    store_path: Path, a: str, b: str, source: str
) -> None:
    [link] = _hop(store_path, a, b).links
    assert not link.inherited
    assert [s["id"] for s in link.sources] == [source]
    assert link.link_claim == f"{a}/link/part_of/{b}"


def test_a_plain_part_of_is_cited_with_the_record(store_path: Path) -> None:
    [link] = _hop(store_path, "p_ct_march", "p_ct_wave").links
    assert link.inherited and link.link_claim is None
    assert [s["id"] for s in link.sources] == ["src_ct_daily"]


def test_path_cli_says_how_a_part_of_is_cited(store_path: Path) -> None:
    env = {**os.environ, "CASEGRAPH_STORE": str(store_path)}
    done = subprocess.run(
        [sys.executable, "-m", "graph", "path", "Testaville Rally", "Testaville Wave"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "    source: The Testaville rally was part of the wider wave, medium (cited for this link)"
        in done.stdout.splitlines()
    )
    assert "began on the" not in done.stdout  # the record's other sources are not cited


def test_a_contradicts_link_carries_its_own_sources(store_path: Path) -> None:
    graph = _graph(store_path)
    denial, sentence = ID["ev_ct_denial"], ID["ev_ct_sentence"]
    assert (denial, CG.contradicts, sentence) in graph
    assert (sentence, CG.contradicts, denial) in graph  # both ways, as before
    claim = ID["ev_ct_denial/link/contradicts/ev_ct_sentence"]
    assert (claim, CG.about, denial) in graph
    assert (claim, CG.linkProperty, CG.contradicts) in graph
    assert set(graph.objects(claim, CG.source)) == {ID["src_ct_denial"]}
    assert graph.value(claim, CG.sourcesInherited) is None
    with CaseStore.open(store_path) as store:
        rows = _rows(store, "entity-facts", {"entity": "ev_ct_sentence"})
    cited = {
        r["sources"] for r in rows if r["fact"] == "ev_ct_denial/link/contradicts/ev_ct_sentence"
    }
    assert cited == {"src_ct_denial (low)"}


def test_path_and_view_cite_a_contradiction_with_its_own_sources(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        network = network_from_store(store)
    [hop] = [h for [h] in shortest_paths(network, "ev_ct_sentence", "ct_testa", limit=1)]
    [link] = hop.links
    [other] = link.contradicted_by
    assert other["claim"] == "ev_ct_denial" and not other["inherited"]
    assert [s["id"] for s in other["sources"]] == ["src_ct_denial"]  # not the denial's other source
    assert other["link_claim"] == "ev_ct_denial/link/contradicts/ev_ct_sentence"
    view = view_data(network)
    [node] = [n for n in view["nodes"] if n["id"] == "ev_ct_sentence"]
    assert [
        "contradicts official denial 2023-01-09",
        "cited for this link: Officials deny the Testaville sentence",
    ] in node["facts"]
    env = {**os.environ, "CASEGRAPH_STORE": str(store_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "path",
            "Testa Personova",
            "Branch 7, Testaville Revolutionary Court",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("    contradicted by official denial 2023-01-09 (ev_ct_denial)")
    assert lines[at + 1] == (
        "    source: Officials deny the Testaville sentence, low (cited for this link)"
    )


def test_a_plain_contradiction_is_cited_with_the_other_record() -> None:
    small = Graph().parse(Path(__file__).parent / "data" / "network" / "small.ttl")
    network = network_from_graph(small)
    chains = shortest_paths(network, "testa_personova", "no_tests_tuesdays")
    link = chains[1][0].links[0]
    assert link.claim == "ev_sentence_testa"
    [other] = link.contradicted_by
    assert (other["claim"], other["label"]) == (
        "ev_sentence_testa_alt",
        "death sentence 2023-01-12",
    )
    assert other["inherited"] and other["link_claim"] is None
    assert [s["id"] for s in other["sources"]] == ["src_d"]  # the other claim's own sources
    lines = format_paths(chains).splitlines()
    at = lines.index("    contradicted by death sentence 2023-01-12 (ev_sentence_testa_alt)")
    assert lines[at + 1].startswith("    source: ")
    assert lines[at + 1].endswith("(cited with the record)")
    [node] = [n for n in view_data(network)["nodes"] if n["id"] == "ev_sentence_testa"]
    assert not [f for f in node["facts"] if f[0].startswith("contradicts ")]  # as before


def test_a_restricted_contradicts_entry_is_restricted_both_ways(tmp_path: Path) -> None:
    text = (FIXTURE / "case.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "contradicts: [{id: ev_ct_sentence, sources: [src_ct_denial]}]",
        "contradicts: [{id: ev_ct_sentence, sources: [src_ct_denial], visibility: restricted}]",
    )
    assert bad != text
    (tmp_path / "case.yaml").write_text(bad, encoding="utf-8")
    compiled = read_file(tmp_path / "case.yaml")
    marks = {
        (from_engine(t.subject), from_engine(t.predicate), from_engine(t.object))
        for t in compiled.statements.restricted_triples()
    }
    denial, sentence = ID["ev_ct_denial"], ID["ev_ct_sentence"]
    assert {(denial, CG.contradicts, sentence), (sentence, CG.contradicts, denial)} <= marks
    claim = ID["ev_ct_denial/link/contradicts/ev_ct_sentence"]
    assert compiled.graph.value(claim, CG.visibility) == CG.Restricted


def test_a_contradicts_entry_must_name_an_event(tmp_path: Path) -> None:
    for name in ("case.yaml", "sources.yaml"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    text = (tmp_path / "case.yaml").read_text(encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        text.replace("{id: ev_ct_sentence, sources: [src_ct_denial]}", "{id: p_ct_rally}"),
        encoding="utf-8",
    )
    with CaseStore.open(tmp_path / "store") as store, pytest.raises(ValidationFailed) as caught:
        load_paths([tmp_path], store)
    assert any("'p_ct_rally' is a" in p.message for p in caught.value.problems)


# --- vocabulary files in use --------------------------------------------------------------------


@pytest.fixture
def vocab_store(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "folder"
    shutil.copytree(VOCAB, folder)
    path = tmp_path / "store"
    with CaseStore.open(path) as store:
        load_paths([folder], store)
    return folder, path


def test_unloading_a_vocabulary_in_use_is_refused_and_changes_nothing(
    vocab_store: tuple[Path, Path],
) -> None:
    folder, path = vocab_store
    before = _graph(path)
    with CaseStore.open(path) as store, pytest.raises(CasegraphError) as caught:
        unload_paths([folder / "vocabulary.ttl"], store)
    message = str(caught.value)
    assert "'summons' by ev_vocabova_summons in " + str((folder / "case.yaml").resolve()) in message
    assert "'interpreter' by testa_vocabova/role/1" in message
    _same(before, _graph(path))
    with CaseStore.open(path) as store:  # unloading the users with it is fine
        unload_paths([folder], store)
        assert store.units() == [] or all("folder" not in u.path for u in store.units())


def test_the_cli_refuses_the_unload_without_a_traceback(vocab_store: tuple[Path, Path]) -> None:
    folder, path = vocab_store
    before = _graph(path)
    env = {**os.environ, "CASEGRAPH_STORE": str(path)}
    done = subprocess.run(
        [sys.executable, "-m", "graph", "unload", str(folder / "vocabulary.ttl")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert "ev_vocabova_summons" in done.stderr and "case.yaml" in done.stderr
    _same(before, _graph(path))


def test_reloading_a_vocabulary_that_drops_a_concept_in_use_is_refused(
    vocab_store: tuple[Path, Path],
) -> None:
    folder, path = vocab_store
    before = _graph(path)
    vocabulary = folder / "vocabulary.ttl"
    text = vocabulary.read_text(encoding="utf-8")
    smaller = text.replace("cgv:role_interpreter", "cgv:role_translator").replace(
        '"interpreter"', '"translator"'
    )
    assert smaller != text
    vocabulary.write_text(smaller, encoding="utf-8")
    with CaseStore.open(path) as store, pytest.raises(ValidationFailed) as caught:
        load_paths([vocabulary], store)
    [problem] = caught.value.problems
    assert problem.file == str(vocabulary)
    assert "'interpreter' by testa_vocabova/role/1" in problem.message
    assert "summons" not in problem.message  # still added: not reported
    _same(before, _graph(path))


# --- data/ ----------------------------------------------------------------------------------------


def test_the_migrated_protests_of_data_keep_both_versions(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([DATA], store)
        rows = _rows(store, "contested-facts")
        graph = store.graph()
    values = {
        (r["fact"].split("/attr/")[0], r["value_a"], r["sources"])
        for r in rows
        if r["field"] == "value" and "/attr/" in r["fact"]
    }
    assert {
        ("p_wlf_isfahan_khaneh", "2022-11-16", "s_niac_20230519, s_rferl_isfahan"),
        ("p_wlf_isfahan_khaneh", "2022-11-15", "s_iranwire_20230516"),
        ("p_wlf_parand", "Parand", "s_firenext_ghobadlou"),
        ("p_wlf_parand", "Robat Karim, Tehran province", "s_iranintl_20240124_un"),
    } <= {(f, v, ", ".join(sorted(s.split(", ")))) for f, v, s in values}
    assert graph.value(ID["p_wlf_isfahan_khaneh"], CG.startDate) is None  # no single start day
    assert (ID["p_wlf_parand"], CG.placeText, Literal("Parand")) not in graph
