"""Views at scale: label boxes come apart in near-linear work, and a focus view reads only the
part of the network it draws (issue 11)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graph.network.build import NetworkSpec, network_from_store
from graph.network.layouts import separate
from graph.network.separation import overlapping_pairs, push_apart
from graph.network.stored_network import StoredNetwork
from graph.store import CaseStore
from graph.views.page import ViewRequest, view_data_for, view_data_of

ROOT = Path(__file__).resolve().parents[1]


def _overlaps(xy: np.ndarray, half: np.ndarray) -> int:
    """Overlapping pairs by brute force (every pair compared)."""
    delta = np.abs(xy[:, None, :] - xy[None, :, :])
    reach = half[:, None, :] + half[None, :, :]
    hit = ((reach - delta) > 0).all(axis=2)
    return int(np.triu(hit, 1).sum())


def test_the_grid_finds_exactly_the_overlapping_pairs() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 400, (300, 2))
    half = rng.uniform(4, 40, (300, 2))
    i, j = overlapping_pairs(xy, half)
    assert len(i) == _overlaps(xy, half) > 0
    assert (i < j).all() and len(set(zip(i.tolist(), j.tolist(), strict=True))) == len(i)


def test_two_thousand_dense_boxes_come_apart_in_bounded_rounds() -> None:
    rng = np.random.default_rng(11)
    count = 2000
    xy = rng.normal(0, 60, (count, 2))
    xy[:20] = 0.0  # some in the very same place
    half = np.column_stack([rng.uniform(10, 90, count), rng.uniform(8, 30, count)])
    assert _overlaps(xy, half) > count
    moved, rounds = push_apart(xy, half, rounds=400)
    assert _overlaps(moved, half) == 0
    assert rounds <= 1000


def test_separate_leaves_no_label_box_overlapping_another() -> None:
    rng = np.random.default_rng(5)
    names = [f"n{i:04d}" for i in range(600)]
    boxes = {n: (float(rng.uniform(20, 160)), float(rng.uniform(20, 60)), 8.0) for n in names}
    start = {n: (float(rng.normal(0, 40)), float(rng.normal(0, 40))) for n in names}
    moved = separate(start, boxes)
    xy = np.array([[moved[n][0], moved[n][1] + boxes[n][2]] for n in names])
    half = np.array([boxes[n][:2] for n in names]) / 2
    assert _overlaps(xy, half) == 0
    assert separate(start, boxes) == moved  # the same input, the same picture


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped data and a generated store of the benchmark's 10k size (fictional names)."""
    from benchmarks.generate import generate
    from graph.loading import load_paths

    folder = tmp_path_factory.mktemp("view-scale")
    generate("10k", folder=folder / "generated")
    found = {}
    for name, source in (("data", ROOT / "data"), ("generated", folder / "generated" / "cases")):
        with CaseStore.open(folder / name) as store:
            load_paths([source], store)
        found[name] = folder / name
    return found


def _foci(network: nx.MultiDiGraph) -> list[str]:
    """Entities of each kind an actor view is drawn around: the most and least linked."""
    plain = network.to_undirected(as_view=True)
    chosen = []
    for kind in ("Person", "Case", "CourtBranch"):
        of_kind = sorted(
            (n for n, a in network.nodes(data=True) if kind in a.get("types", ())),
            key=lambda n: (-plain.degree(n), n),
        )
        chosen += of_kind[:1] + (of_kind[-1:] if kind == "Person" else [])
    return chosen


@pytest.mark.parametrize(
    ("which", "hub"),
    [("data", None), ("generated", None), ("generated", 6)],  # 6: most actors are hubs
)
def test_the_local_actor_view_is_the_whole_networks(
    which: str, hub: int | None, stores: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.network import cache, hubs

    if hub is not None:  # a focus view steps through no hub (graph.network.hubs), both ways
        monkeypatch.setattr(hubs, "HUB_DEGREE", hub)
    with CaseStore.open(stores[which], public=True) as store:
        whole = network_from_store(store, NetworkSpec())
        read: list[int] = []
        original = StoredNetwork.part

        def counting(self: StoredNetwork, positions: object, whole: bool = False) -> object:
            found = original(self, positions, whole)  # type: ignore[arg-type]
            read.append(len(found))
            return found

        compared = closed = 0
        for focus in _foci(whole):
            for depth in (1, 2):
                request = ViewRequest(focus=focus, depth=depth, max_nodes=100_000)
                full = view_data_for(store, whole, request, NetworkSpec())
                with monkeypatch.context() as patched:
                    patched.setattr(StoredNetwork, "part", counting)
                    local = view_data_of(store, NetworkSpec(), request)
                assert local == full, (focus, depth)
                compared += 1
                closed += len(full["closed"])
        assert compared == 8
        assert (closed > 0) == (hub is not None)  # hubs were met, and only with a low bound
        assert cache.BUILDS  # the local views read the stored projection...
        assert max(read) < len(whole)  # ...and never the whole of it


def test_a_large_view_embeds_a_few_dossiers_and_says_so(stores: dict[str, Path]) -> None:
    from graph.views.dossiers import MAX_FULL

    with CaseStore.open(stores["data"], public=True) as store:
        view = view_data_of(store, NetworkSpec(), ViewRequest())
    records = [n for n in view["nodes"] if n["type_label"] != "event"]
    assert len(records) > MAX_FULL >= len(view["dossiers"]) > 0
    abridged = [n for n in records if any(f[0] == "dossier" for f in n["facts"])]
    assert {n["id"] for n in abridged} == {n["id"] for n in records} - set(view["dossiers"])
    for node in abridged:
        assert f"casegraph show '{node['id']}'" in dict(node["facts"])["dossier"]
    assert f"the panel abridges {len(abridged)} of them" in view["caption"]["counts"]
