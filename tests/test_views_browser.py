"""The HTML view in headless Chromium, offline: it draws, explains on click, leaks nothing, runs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from graph.network.build import network_from_graph
from graph.network.viewdata import view_data
from graph.views.render import write_html

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

DATA = Path(__file__).parent / "data" / "network"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = Graph().parse(DATA / "small.ttl")
    data.parse(DATA / "hostile.ttl")
    view = view_data(network_from_graph(data), title="</script><script>window.__pwned=1</script>")
    return write_html(view, tmp_path_factory.mktemp("view") / "view.html")


@pytest.fixture
def opened(browser: object, page_file: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    url = page_file.as_uri()
    requests: list[str] = []
    errors: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]

    def route(handle: object) -> None:
        requests.append(handle.request.url)  # type: ignore[attr-defined]
        if handle.request.url == url:  # type: ignore[attr-defined]
            handle.continue_()  # type: ignore[attr-defined]
        else:
            handle.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    page.goto(url)
    page.wait_for_function("window.cgNetwork !== undefined")
    yield page, requests, errors
    page.close()


def _click_node(page: object, node: str) -> None:
    point = page.evaluate(  # type: ignore[attr-defined]
        "id => cgNetwork.canvasToDOM(cgNetwork.getPositions([id])[id])", node
    )
    box = page.locator("#mynetwork").bounding_box()  # type: ignore[attr-defined]
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[attr-defined]


def test_renders_every_node_and_edge_without_requests(opened: tuple) -> None:
    page, requests, errors = opened
    assert page.evaluate("cgNodes.length") == 27
    assert page.evaluate("cgEdges.length") == 46  # 43 in small.ttl, 3 in hostile.ttl
    assert page.evaluate("Object.keys(cgNetwork.getPositions()).length") == 27
    assert page.locator("#cg-count").inner_text() == "27 of 27 nodes shown"
    assert requests == [page.url]
    assert errors == []


def test_click_shows_facts_and_sources(opened: tuple) -> None:
    page, requests, _ = opened
    _click_node(page, "ev_sentence_testa")
    panel = page.locator("#cg-details")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "death sentence 2023-01-05"
    sources = panel.locator("ol.cg-sources li").all_inner_texts()
    assert len(sources) == 2
    assert sources[0].startswith("Testa Personova sentenced to death \u2014 Example Rights Watch")
    assert "contested by" in panel.inner_text()
    assert requests == [page.url]


def test_hostile_texts_run_nothing_and_show_literally(opened: tuple) -> None:
    page, requests, errors = opened
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == "</script><script>window.__pwned=1</script>"
    assert page.locator("img").count() == 0
    _click_node(page, "img_person")
    panel = page.locator("#cg-details")
    assert panel.locator("h2").inner_text() == "<img src=x onerror=window.__pwned=1>"
    source = panel.locator("ol.cg-sources li").first.inner_text()
    assert source.startswith("</script><script>window.__pwned=1</script> & <img src=x")
    assert "Evil <b>Press</b>" in source
    assert "javascript:window.__pwned=1" in source
    assert panel.locator("a, img, script, b").count() == 0
    _click_node(page, "script_person")
    assert panel.locator("h2").inner_text() == "</script><script>window.__pwned=1</script>"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert requests == [page.url]
    assert errors == []


def test_search_and_type_filter(opened: tuple) -> None:
    page, _, _ = opened
    page.fill("#cg-search", "probus")
    page.press("#cg-search", "Enter")
    assert page.evaluate("cgNetwork.getSelectedNodes()") == ["probus_exemplar"]
    assert page.locator("#cg-details h2").inner_text() == "Probus Exemplar"
    page.uncheck("#cg-legend input[data-type='Person']")
    assert page.locator("#cg-count").inner_text() == "19 of 27 nodes shown"
    page.check("#cg-physics")
    assert page.evaluate("cgNetwork.physics.options.enabled") is True
