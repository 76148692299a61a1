"""The projection and analysis results kept per store version (issue 11): built once and reused
by later processes, rebuilt after a load, removed with their version and by ``cache clear``,
rebuilt (never trusted) when damaged, and the public and restricted ones never mixed.

Builds are counted (``graph.network.cache.BUILDS``), never timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from canary_support import CASE_FIXTURES, all_canaries, leaks, run_batch, run_casegraph
from rdflib import Graph

from graph.network.analysis import centrality
from graph.network.build import NetworkSpec, network_from_store
from graph.network.cache import BUILDS, _project, stored_network
from graph.network.results import centrality_rows, report_rows
from graph.store import CaseStore, UnitWrite, unit_for_path

ROOT = Path(__file__).parent.parent
SMALL = Path(__file__).parent / "data" / "network" / "small.ttl"
CANARIES = all_canaries()


def _write(path: Path, source: Path, graph: Graph | None = None) -> None:
    with CaseStore.open(path) as store:
        graph = graph if graph is not None else Graph().parse(source)
        store.replace_units([UnitWrite(unit_for_path(source), str(source), "test", graph)])


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A store holding the small network fixture, written once."""
    path = tmp_path / ".casegraph"
    _write(path, SMALL)
    return path


def _built() -> int:
    return sum(BUILDS.values())


def _network_builds() -> int:
    return sum(v for k, v in BUILDS.items() if k.startswith("network-v1-public-"))


def _cache_dirs(path: Path) -> list[str]:
    return sorted(p.name for p in path.glob("derived/*/*") if p.name.startswith(("network", "an")))


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the shipped ``data/``."""
    from graph.loading import load_paths

    path = tmp_path_factory.mktemp("cache-data") / ".casegraph"
    with CaseStore.open(path) as store:
        load_paths([ROOT / "data"], store)
    return path


def test_cached_network_equals_the_projection_on_the_data(data_store: Path) -> None:
    """What is read back from the cache is the projection: same nodes, edges, order, attributes."""
    with CaseStore.open(data_store, public=True) as store:
        fresh = _project(store, False)
        stored = stored_network(store, False)
        assert stored is not None
        back = stored.network()
    assert list(back.nodes(data=True)) == list(fresh.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(fresh.edges(keys=True, data=True))
    assert back.graph == fresh.graph
    assert back.number_of_nodes() > 100


def test_built_once_per_version_in_a_process(small: Path) -> None:
    BUILDS.clear()
    with CaseStore.open(small, public=True) as store:
        first = network_from_store(store)
        second = network_from_store(store)
        centrality_rows(store, NetworkSpec(), "pagerank")
        centrality_rows(store, NetworkSpec(), "pagerank", top=1)
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True, data=True))
    assert _network_builds() == 1
    assert len([k for k in BUILDS if k.startswith("analysis-v1-public-centrality")]) == 1
    assert _built() == 2


def test_a_second_process_reuses_the_cache(small: Path) -> None:
    first = run_casegraph(small, ["centrality", "--format", "json"], small.parent)
    assert first.returncode == 0, first.stderr
    names = _cache_dirs(small)
    assert any(n.startswith("network-v1-public-") for n in names) and len(names) == 2
    manifest = next(small.glob("derived/*/network-v1-public-*/manifest.json"))
    stamp = manifest.stat().st_mtime_ns
    code = (
        "import sys; from graph.store import CaseStore; from graph.network.cache import BUILDS;"
        "from graph.network.results import centrality_rows; from graph.network.build import "
        "NetworkSpec, network_from_store; s = CaseStore.open(sys.argv[1], public=True);"
        "network_from_store(s); centrality_rows(s, NetworkSpec()); print(sum(BUILDS.values()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(small)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
    again = run_casegraph(small, ["centrality", "--format", "json"], small.parent)
    assert again.stdout == first.stdout
    assert manifest.stat().st_mtime_ns == stamp and _cache_dirs(small) == names


def test_rebuilt_after_a_load_and_the_old_one_collected(small: Path) -> None:
    BUILDS.clear()
    with CaseStore.open(small, public=True) as store:
        before = network_from_store(store)
        old = store.version_dir()
    assert old is not None
    extra = Graph().parse(SMALL)
    for s, p, o in list(extra):
        if str(o) == "Testa Personova":
            extra.remove((s, p, o))
            extra.add((s, p, type(o)("Testa Personova Renamed")))
    _write(small, SMALL, extra)
    assert not (small / "derived" / old.name).exists()  # deleted with its version
    with CaseStore.open(small, public=True) as store:
        after = network_from_store(store)
        assert store.version_dir() != old
    assert _network_builds() == 2
    labels = {a["label"] for _, a in after.nodes(data=True)}
    assert "Testa Personova Renamed" in labels
    assert "Testa Personova Renamed" not in {a["label"] for _, a in before.nodes(data=True)}


def test_cache_clear_removes_it_and_it_is_built_again(small: Path) -> None:
    assert run_casegraph(small, ["report", "--format", "json"], small.parent).returncode == 0
    assert len(_cache_dirs(small)) == 2
    info = run_casegraph(small, ["cache", "info", "--format", "json"], small.parent)
    assert {r["name"] for r in json.loads(info.stdout)} == set(_cache_dirs(small))
    done = run_casegraph(small, ["cache", "clear"], small.parent)
    assert done.returncode == 0, done.stderr
    assert "removed 2" in done.stdout
    assert _cache_dirs(small) == []
    assert list(small.glob("derived/*/public"))  # the public view engine is not a cache
    BUILDS.clear()
    with CaseStore.open(small, public=True) as store:
        report_rows(store, NetworkSpec())
    assert _built() == 2


DAMAGE = {
    "truncated nodes": ("network-v1-public-", "nodes.jsonl", lambda b: b[: len(b) // 2]),
    "edited edges": ("network-v1-public-", "edges.jsonl", lambda b: b.replace(b"claim", b"clajm")),
    "truncated index": ("network-v1-public-", "index.npz", lambda b: b[:100]),
    "emptied manifest": ("network-v1-public-", "manifest.json", lambda b: b""),
    "edited rows": ("analysis-v1-public-report", "rows.json", lambda b: b.replace(b"1", b"7")),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_cache_files_are_rebuilt_not_trusted(small: Path, damage: str) -> None:
    prefix, name, change = DAMAGE[damage]
    with CaseStore.open(small, public=True) as store:
        network = network_from_store(store)
        rows = report_rows(store, NetworkSpec())
    target = next(p for p in small.glob(f"derived/*/{prefix}*/{name}"))
    target.write_bytes(change(target.read_bytes()))
    BUILDS.clear()
    with CaseStore.open(small, public=True) as store:
        again = network_from_store(store)
        assert report_rows(store, NetworkSpec()) == rows
    assert list(again.edges(keys=True, data=True)) == list(network.edges(keys=True, data=True))
    assert sum(v for k, v in BUILDS.items() if k.startswith(prefix)) == 1


@pytest.fixture(scope="module")
def canary_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cache-canaries")
    run = run_casegraph(folder / "store", ["load", str(CASE_FIXTURES)], folder)
    assert run.returncode == 0, run.stderr
    return folder / "store"


def test_public_and_restricted_caches_never_mix(canary_store: Path) -> None:
    """Restricted results built first, in the same process, are never served to a public read,
    and no public cache file holds a canary (while the restricted ones do: the grep sees what is
    there)."""
    work = canary_store.parent
    restricted_args = [["report", "--format", "json"], ["centrality", "--format", "json"]]
    public_args = [
        *restricted_args,
        ["communities", "--format", "json"],
        ["path", "publio_testov", "judge_publicus", "--format", "json"],
        ["view", "--focus", "publio_testov", "--depth", "2", "-o", str(work / "v.html")],
    ]
    jobs = [([*args, "--include-restricted"], []) for args in restricted_args]
    jobs += [(args, [work / "v.html"] if "view" in args else []) for args in public_args]
    runs, process = run_batch(canary_store, jobs, work)
    assert len(runs) == len(jobs), process.stderr[-3000:]
    for run in runs:
        assert run.returncode == 0, (run.args, run.stderr)
    for run in runs[: len(restricted_args)]:
        assert leaks(run.stdout, CANARIES)
    for run in runs[len(restricted_args) :]:
        text = run.stdout + run.stderr + "".join(run.files.values())
        assert leaks(text, CANARIES) == set(), run.args
    caches = [p for p in canary_store.glob("derived/*/*") if not p.name.startswith("public")]
    restricted = [p for p in caches if "-restricted" in p.name]
    assert restricted and len(caches) > len(restricted)
    for directory in caches:
        text = "".join(f.read_text("utf-8", "replace") for f in directory.rglob("*.json*"))
        found = leaks(text, CANARIES)
        assert bool(found) == (directory in restricted), directory.name


def test_cached_centrality_selects_as_the_measure_does(data_store: Path) -> None:
    """``--top`` and ``--type`` applied to the kept ranking give what centrality() gives."""
    with CaseStore.open(data_store, public=True) as store:
        network = network_from_store(store)
        for measure, top, types in (("degree", 3, ()), ("pagerank", 2, ("Person", "Court"))):
            chosen = set(types)
            direct = [r.as_dict() for r in centrality(network, measure, top, chosen)]
            assert centrality_rows(store, NetworkSpec(), measure, top, types) == direct


def test_other_code_or_ontology_never_reads_this_cache(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept data is named with the code and ontology that computed it: an upgraded casegraph
    (another fingerprint) builds its own instead of reading what an older one kept."""
    from graph.network import cache

    with CaseStore.open(small, public=True) as store:
        network_from_store(store)
    BUILDS.clear()
    monkeypatch.setattr(cache, "fingerprint", lambda: "0ther0ther00")
    with CaseStore.open(small, public=True) as store:
        network_from_store(store)
        network_from_store(store)
    assert _network_builds() == 1
    names = [n for n in _cache_dirs(small) if n.startswith("network-v1-public-")]
    assert len(names) == 2 and "network-v1-public-0ther0ther00" in names
