"""Local work stays local (issue 11): an ego view and a path read only their part of the network,
and answer exactly what the whole network answers, on the shipped data and on a generated store."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from graph.errors import CasegraphError
from graph.network.analysis import undirected
from graph.network.build import NetworkSpec, build_view, drawn_layers, network_from_store
from graph.network.local import chains, view_of
from graph.network.paths import shortest_paths
from graph.network.stored_network import StoredNetwork
from graph.store import CaseStore

ROOT = Path(__file__).parent.parent


def _loaded(path: Path, folder: Path) -> Path:
    from graph.loading import load_paths

    with CaseStore.open(path) as store:
        load_paths([folder], store)
    return path


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _loaded(tmp_path_factory.mktemp("local-data") / ".casegraph", ROOT / "data")


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the benchmark generator's 10k size (fictional names, seeded)."""
    from benchmarks.generate import generate

    folder = tmp_path_factory.mktemp("local-generated")
    generate("10k", folder=folder / "data")
    return _loaded(folder / ".casegraph", folder / "data" / "cases")


SPECS = {
    "none": NetworkSpec(),
    "as-of": NetworkSpec(as_of="2023-01-01"),
    "window": NetworkSpec(start="2022-10-01", end="2023-06-30", dates="within"),
    "types": NetworkSpec(types=("Person", "Court")),
    "reliability": NetworkSpec(min_reliability="medium"),
}


def _foci(network: object, count: int) -> list[str]:
    """Some entities spread over the network: the most and least linked, and between."""
    plain = undirected(network)  # type: ignore[arg-type]
    order = sorted(plain, key=lambda n: (-plain.degree(n), n))
    step = max(1, len(order) // count)
    return order[::step][:count]


@pytest.mark.parametrize("which", ["data_store", "generated_store"])
@pytest.mark.parametrize("spec", SPECS, ids=list(SPECS))
def test_ego_view_equals_the_whole_graph_view(
    which: str, spec: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(which)
    chosen = SPECS[spec]
    with CaseStore.open(path, public=True) as store:
        whole = network_from_store(store, chosen)
        compared = 0
        for focus in _foci(drawn_layers(whole, frozenset()), 3):  # entities a view draws
            for depth in (0, 1, 2):
                expected = build_view(
                    store, whole, focus, depth, max_nodes=100_000, caption=chosen.caption()
                )
                local = view_of(store, chosen, focus, depth, max_nodes=100_000)
                assert local == expected, (focus, depth)
                compared += 1
        assert compared == 9


def test_ego_view_with_organisations_equals_the_whole_graph_view(data_store: Path) -> None:
    layers = frozenset({"organisations"})
    with CaseStore.open(data_store, public=True) as store:
        whole = network_from_store(store)
        for focus in _foci(whole, 3):
            caption = NetworkSpec().caption()
            expected = build_view(
                store, whole, focus, 1, max_nodes=100_000, caption=caption, layers=layers
            )
            local = view_of(store, NetworkSpec(), focus, 1, max_nodes=100_000, layers=layers)
            assert local == expected, focus


def _as_dicts(found: list[list[object]]) -> list[list[dict[str, object]]]:
    return [[hop.as_dict() for hop in chain] for chain in found]  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["data_store", "generated_store"])
def test_path_equals_the_whole_graph_paths(which: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(which)
    with CaseStore.open(path, public=True) as store:
        whole = network_from_store(store)
        ends = _foci(whole, 6)
        pairs = [(a, b) for a in ends[:3] for b in ends[3:]]
        lengths = set()
        for a, b in pairs:
            expected = shortest_paths(whole, a, b, 5)
            found = chains(store, NetworkSpec(), a, b, 5)
            assert _as_dicts(found) == _as_dicts(expected), (a, b)
            for chain in found:  # each a real chain: hops follow each other from a to b
                assert chain[0].start == a and chain[-1].end == b
                assert all(x.end == y.start for x, y in pairwise(chain))
            lengths.add(len(found[0]) if found else None)
        assert len(lengths - {None}) >= 1


def test_path_stops_at_max_depth_with_a_clear_message(generated_store: Path) -> None:
    with CaseStore.open(generated_store, public=True) as store:
        whole = network_from_store(store)
        a, b = _foci(whole, 6)[1], _foci(whole, 6)[-1]
        found = chains(store, NetworkSpec(), a, b)
        hops = len(found[0])
        assert hops >= 2
        assert len(chains(store, NetworkSpec(), a, b, max_depth=hops)[0]) == hops
        with pytest.raises(CasegraphError, match=f"at most {hops - 1} hops.*--max-depth"):
            chains(store, NetworkSpec(), a, b, max_depth=hops - 1)
        # the whole-graph way (any filter: here one every sourced claim passes) keeps the limit
        filtered = NetworkSpec(min_reliability="unverified")
        assert len(chains(store, filtered, a, b, max_depth=hops)[0]) == hops
        with pytest.raises(CasegraphError, match=f"at most {hops - 1} hops.*--max-depth"):
            chains(store, filtered, a, b, max_depth=hops - 1)


def test_local_reads_touch_only_their_part(
    generated_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ego view of one hop and a path read a small part of the network, never all of it."""
    read: list[int] = []
    original = StoredNetwork.part

    def counting(self: StoredNetwork, positions: object, whole: bool = False) -> object:
        chosen = list(positions)  # type: ignore[call-overload]
        read.append(len(chosen))
        return original(self, chosen, whole)

    monkeypatch.setattr(StoredNetwork, "part", counting)
    with CaseStore.open(generated_store, public=True) as store:
        total = len(network_from_store(store))
        read.clear()
        whole = network_from_store(store)
        person = next(n for n, a in whole.nodes(data=True) if a["type"] == "Person")
        read.clear()
        view_of(store, NetworkSpec(), person, 1)
        chains(store, NetworkSpec(), person, _foci(whole, 6)[-1])
    assert 2 <= len(read) <= 4 and max(read) < total / 2, (read, total)
