"""A focus view stays the size of a person's world at any store size, and says where it is cut
(issue 11): hubs are drawn but not stepped through, embedded dossiers show the first events of a
long timeline, and each cut names the command that shows all of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.dossier.timeline import event_count, timeline
from graph.namespaces import ID
from graph.network import hubs
from graph.network.build import NetworkSpec
from graph.store import CaseStore
from graph.views.dossiers import MAX_EVENTS, MAX_FULL, embedded
from graph.views.page import ViewRequest, view_data_of


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated store of the benchmark's 10k size (fictional names)."""
    from benchmarks.generate import generate
    from graph.loading import load_paths

    folder = tmp_path_factory.mktemp("view-bounded")
    generate("10k", folder=folder / "generated")
    with CaseStore.open(folder / "store") as store:
        load_paths([folder / "generated" / "cases"], store)
    return folder / "store"


def _records(store: CaseStore) -> list[str]:
    """Every record that names or is named by an event (people, courts, prisons, protests...)."""
    _, rows = store.select(
        "PREFIX cg: <https://w3id.org/casegraph/ontology#> "
        "SELECT DISTINCT ?r WHERE { ?e cg:eventType ?t ; ?p ?r . ?r cg:visibility ?v }"
    )
    return sorted(str(row["r"])[len(str(ID)) :] for row in rows)


def test_a_bounded_timeline_is_the_first_part_of_the_full_one(store_path: Path) -> None:
    with CaseStore.open(store_path, public=True) as store:
        records = _records(store)
        longer = 0
        for rid in records:
            full = timeline(store, ID[rid])
            assert event_count(store, ID[rid]) == len(full), rid
            for limit in (1, 5, MAX_EVENTS):
                assert timeline(store, ID[rid], limit) == full[:limit], (rid, limit)
            longer += len(full) > MAX_EVENTS
    assert len(records) > 40 and longer > 0  # both kinds were compared


def test_an_embedded_dossier_says_its_timeline_is_cut_and_how_to_read_it(
    store_path: Path,
) -> None:
    with CaseStore.open(store_path, public=True) as store:
        long = next(r for r in _records(store) if event_count(store, ID[r]) > MAX_EVENTS)
        view = view_data_of(store, NetworkSpec(), ViewRequest(focus=long, max_nodes=100_000))
        totals = {rid: event_count(store, ID[rid]) for rid in view["dossiers"]}
    assert long in view["dossiers"] and len(view["dossiers"]) > 1
    for rid, found in view["dossiers"].items():
        total = totals[rid]
        if total <= MAX_EVENTS:  # whole: nothing to say
            assert len(found.get("events", ())) == total
            assert "events_total" not in found and "events_note" not in found
            continue
        assert len(found["events"]) == MAX_EVENTS and found["events_total"] == total
        assert found["events_note"] == (
            f"the first {MAX_EVENTS} of {total} events, in date order: "
            f"run casegraph show '{rid}' for all of them"
        )


def test_hubs_are_drawn_not_stepped_through_and_say_so(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with CaseStore.open(store_path, public=True) as store:
        wide = view_data_of(store, NetworkSpec(), ViewRequest(focus="p000007", depth=2))
        monkeypatch.setattr(hubs, "HUB_DEGREE", 6)
        near = view_data_of(store, NetworkSpec(), ViewRequest(focus="p000007", depth=2))
        one = view_data_of(store, NetworkSpec(), ViewRequest(focus="p000007", depth=1))
    assert one["closed"] == [] and "not stepped through" not in one["caption"]["counts"]
    assert len(near["nodes"]) < len(wide["nodes"])
    assert len(near["closed"]) > len(wide["closed"]) and "p000007" not in near["closed"]
    for view, bound in ((wide, 40), (near, 6)):
        for node in view["nodes"]:
            note = dict(node["facts"]).get("links", "")
            if node["id"] in view["closed"]:
                assert f"more than {bound}: this view does not step through it" in note
                assert f"run casegraph view --focus '{node['id']}' for them" in note
            else:
                assert note == ""
        counts = view["caption"]["counts"]
        if view["closed"]:
            assert f"; {len(view['closed'])} with more than {bound} links not stepped" in counts


def _view(links: dict[str, int], focus: str) -> dict[str, Any]:
    """A star around ``focus``: the plain view data :func:`embedded` reads."""
    nodes = [{"id": n} for n in links]
    edges = [{"from": focus, "to": n} for n in links if n != focus]
    return {"nodes": nodes, "edges": edges, "focus": focus}


def test_no_hub_but_the_focus_has_its_dossier_embedded() -> None:
    links = {"focus": 50, "hub": hubs.HUB_DEGREE + 1, "edge": hubs.HUB_DEGREE}
    links |= {f"p{i:02d}": 3 for i in range(MAX_FULL - 3)}
    chosen = embedded(_view(links, "focus"), links)
    assert "focus" in chosen and "edge" in chosen and "hub" not in chosen
    assert len(chosen) == MAX_FULL - 1


@pytest.mark.browser
def test_the_panel_says_the_timeline_is_cut(store_path: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from graph.views.images import CHROMIUM
    from graph.views.page import view_page

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/ensure-chromium.sh)")
    with CaseStore.open(store_path, public=True) as store:
        long = next(r for r in _records(store) if event_count(store, ID[r]) > MAX_EVENTS)
        total = event_count(store, ID[long])
        page_file = tmp_path / "view.html"
        page_file.write_text(view_page(store, NetworkSpec(), ViewRequest(focus=long)), "utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url == page_file.as_uri() else r.abort()
        )
        page.goto(page_file.as_uri())
        page.wait_for_function("window.cgReady === true", timeout=60_000)
        point = page.evaluate(
            f"cgNetwork.canvasToDOM(cgNetwork.getPositions(['{long}'])['{long}'])"
        )
        box = page.locator("#mynetwork").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        panel = page.locator("#cg-details")
        assert panel.is_visible()
        text = panel.inner_text()
        browser.close()
    assert f"Events ({MAX_EVENTS} of {total})" in text
    assert f"run casegraph show '{long}' for all of them" in text
