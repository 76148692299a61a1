"""Network views as a reader sees them, in headless Chromium with every request blocked: no two
node labels overlap, labels are legible at the default zoom, the focus stands out, the caption
names the filters, a click opens the dossier or the claim behind a line, the "as of" slider hides
what came later, and ``--lang fa`` draws Persian names right to left.

Geometry comes from the page itself (``getPositions``/``getBoundingBox`` and the canvas's
``measureText``), never from pixels. Screenshots are saved under the test's tmp_path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.network.build import NetworkSpec
from graph.store import CaseStore
from graph.views.page import ViewRequest, view_page

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LEGIBLE = 12.0

# Every labelled node's box (shape and label, canvas units), its label's measured width, and the
# font it is drawn with; the zoom the page opened at.
_GEOMETRY = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const base = (cgNetwork.body.options && cgNetwork.body.options.nodes.font) || {};
  const found = [];
  for (const node of cgNodes.get()) {
    if (node.hidden || !node.label) continue;
    const font = Object.assign({}, base, node.font || {});
    ctx.font = font.size + "px " + font.face;
    const width = Math.max(...String(node.label).split("\\n").map(l => ctx.measureText(l).width));
    found.push({id: node.id, box: cgNetwork.getBoundingBox(node.id), width: width, size: font.size});
  }
  return {nodes: found, scale: cgNetwork.getScale(), positions: cgNetwork.getPositions()};
}"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from graph.loading import load_paths

    path = tmp_path_factory.mktemp("shipped") / "store"
    with CaseStore.open(path) as store:
        load_paths([ROOT / "data"], store)
    return path


@pytest.fixture(scope="module")
def pages(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The views the issue names, written by the library call the ``view`` command makes."""
    folder = tmp_path_factory.mktemp("views")
    asked = {
        "ego": (NetworkSpec(), ViewRequest(focus="Javid Khales")),
        "case": (NetworkSpec(), ViewRequest(focus="case_karaj_ajamian")),
        "query": (
            NetworkSpec(start="2019-01-01", include_undated=True),
            ViewRequest(query="death-sentences"),
        ),
        "fa": (NetworkSpec(), ViewRequest(focus="Majidreza Rahnavard", lang="fa")),
        "events": (NetworkSpec(), ViewRequest(focus="Mohsen Shekari", events=True)),
    }
    written = {}
    with CaseStore.open(store_path, public=True) as store:
        for name, (spec, request) in asked.items():
            written[name] = folder / f"{name}.html"
            written[name].write_text(view_page(store, spec, request), encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/ensure-chromium.sh)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield browser
        browser.close()


class Opened:
    """Each page opened once for the module (opening one takes a second or two)."""

    def __init__(self, browser: Any, pages: dict[str, Path]) -> None:
        self.browser, self.pages = browser, pages
        self.open: dict[str, tuple[Any, list[str], list[str]]] = {}

    def __call__(self, name: str) -> tuple[Any, list[str], list[str]]:
        if name not in self.open:
            self.open[name] = _open(self.browser, self.pages[name])
        page = self.open[name][0]
        page.evaluate("document.getElementById('cg-details').hidden = true")
        return self.open[name]


@pytest.fixture(scope="module")
def opened(browser: Any, pages: dict[str, Path]) -> Iterator[Opened]:
    found = Opened(browser, pages)
    yield found
    for page, _, _ in found.open.values():
        page.close()


def _open(browser: Any, page_file: Path) -> tuple[Any, list[str], list[str]]:
    url = page_file.as_uri()
    requests: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})

    def route(handle: Any) -> None:
        requests.append(handle.request.url)
        if handle.request.url == url:
            handle.continue_()
        else:
            handle.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("window.cgReady === true", timeout=60_000)
    return page, requests, errors


def _overlapping(nodes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            p, q = a["box"], b["box"]
            if (
                p["left"] < q["right"]
                and q["left"] < p["right"]
                and p["top"] < q["bottom"]
                and q["top"] < p["bottom"]
            ):
                found.append((a["id"], b["id"]))
    return found


@pytest.mark.parametrize("name", ["ego", "case", "query", "events"])
def test_labels_never_overlap_and_stay_legible(opened: Opened, name: str, tmp_path: Path) -> None:
    page, requests, errors = opened(name)
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    geometry = page.evaluate(_GEOMETRY)
    nodes = geometry["nodes"]
    assert len(nodes) >= 3
    assert len({(round(p["x"]), round(p["y"])) for p in geometry["positions"].values()}) == len(
        geometry["positions"]
    )  # laid out, never a stack
    for node in nodes:  # the box really holds the label the canvas draws
        assert node["box"]["right"] - node["box"]["left"] >= node["width"] - 1, node["id"]
        assert node["size"] * geometry["scale"] >= LEGIBLE, node["id"]
    assert _overlapping(nodes) == []
    assert requests == [page.url] and errors == []


@pytest.mark.parametrize(
    ("name", "focus"), [("ego", "javid_khales"), ("case", "case_karaj_ajamian")]
)
def test_the_focus_stands_out(opened: Opened, name: str, focus: str) -> None:
    page, _, _ = opened(name)
    nodes = page.evaluate("cgNodes.get()")
    ringed = [n["id"] for n in nodes if n.get("borderWidth", 1) >= 6 and n.get("shadow")]
    assert ringed == [focus]
    sizes = {n["id"]: n.get("font", {}).get("size", 0) for n in nodes}
    assert sizes[focus] > max(s for n, s in sizes.items() if n != focus)


def test_the_caption_names_the_view_and_its_filters(opened: Opened) -> None:
    page, _, _ = opened("query")
    caption = page.locator("#cg-caption").inner_text()
    assert "query death-sentences" in caption
    assert "dates overlapping 2019-01-01 to ..." in caption and "undated claims included" in caption
    assert "public records only" in caption
    shown = page.evaluate("[cgNodes.length, cgEdges.length]")
    assert f"{shown[0]} nodes, {shown[1]} links" in caption
    cited = page.evaluate(
        "new Set(Object.values(CG_DATA.details.nodes).flatMap(n => n.sources.map(s => s.id))"
        ".concat(Object.values(CG_DATA.details.edges).flatMap(e => (e.claims || [])"
        ".flatMap(c => c.sources.map(s => s.id)).concat(e.sources.map(s => s.id))))).size"
    )
    assert f"backed by {cited} distinct sources" in caption


def _click(page: Any, point: dict[str, float]) -> None:
    box = page.locator("#mynetwork").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_a_click_opens_the_dossier(opened: Opened, tmp_path: Path) -> None:
    page, requests, _ = opened("case")
    node = "mohammad_mehdi_karami"
    dossier = page.evaluate(f"CG_DATA.details.nodes[{json.dumps(node)}].dossier")
    assert dossier and dossier["facts"] and dossier["events"]
    _click(
        page, page.evaluate(f"cgNetwork.canvasToDOM(cgNetwork.getPositions(['{node}'])['{node}'])")
    )
    panel = page.locator("#cg-details")
    assert panel.is_visible()
    text = panel.inner_text()
    assert dossier["name"] in panel.locator("h2").inner_text()
    for fact in dossier["facts"][:5]:
        assert fact["value"] in text
    assert panel.locator("ol.cg-sources li").count() == len(dossier["sources"])
    page.screenshot(path=str(tmp_path / "dossier.png"))
    assert requests == [page.url]


def test_a_click_on_a_line_shows_the_claims_behind_it(opened: Opened) -> None:
    page, _, _ = opened("ego")
    edge = page.evaluate("cgEdges.get().find(e => !e.hidden)")
    ends = page.evaluate(f"cgNetwork.getPositions(['{edge['from']}', '{edge['to']}'])")
    middle = {k: (ends[edge["from"]][k] + ends[edge["to"]][k]) / 2 for k in ("x", "y")}
    _click(page, page.evaluate("p => cgNetwork.canvasToDOM(p)", middle))
    claims = page.evaluate(f"CG_DATA.details.edges['{edge['id']}'].claims")
    panel = page.locator("#cg-details")
    assert panel.is_visible() and len(claims) >= 1
    cited = panel.locator(".cg-cited").all_inner_texts()
    assert len(cited) == len(claims)
    assert all(t in ("sources cited for this link", "sources cited with the record") for t in cited)
    lists = panel.locator(".cg-claim ol.cg-sources")
    assert [lists.nth(i).locator("li").count() for i in range(len(claims))] == [
        len(c["sources"]) for c in claims
    ]


def test_the_as_of_slider_hides_what_came_later(opened: Opened) -> None:
    page, _, _ = opened("case")
    total = page.evaluate("cgNodes.length")
    page.uncheck("#cg-undated")
    page.evaluate("cgSetAsOf('2022-11-04')")
    meta = page.evaluate("CG_DATA.meta")
    shown = page.evaluate("cgNodes.get().filter(n => !n.hidden).map(n => n.id)")
    assert 0 < len(shown) < total
    assert all(
        meta["nodes"][n]["earliest"] and meta["nodes"][n]["earliest"] <= "2022-11-04" for n in shown
    )
    lines = page.evaluate("cgEdges.get().filter(e => !e.hidden).map(e => e.id)")
    assert all(meta["edges"][e]["earliest"] <= "2022-11-04" for e in lines)
    page.evaluate("cgSetAsOf(null)")
    page.check("#cg-undated")
    assert page.evaluate("cgNodes.get().filter(n => !n.hidden).length") == total


def test_persian_labels_right_to_left(opened: Opened, tmp_path: Path) -> None:
    page, requests, errors = opened("fa")
    page.screenshot(path=str(tmp_path / "fa.png"))
    assert page.evaluate("cgNodes.get('majidreza_rahnavard').label") == "مجیدرضا رهنورد"
    assert page.locator("#mynetwork").get_attribute("dir") == "rtl"
    words = page.evaluate(
        "Object.values(CG_DATA.details.edges).flatMap(e => e.facts.map(f => f[1])).join(' ')"
    )
    assert "اجرای حکم اعدام" in words or "حکم اعدام" in words  # the vocabulary's Persian labels
    latin = page.evaluate("cgNodes.get().filter(n => /^[A-Za-z]/.test(n.label)).length")
    assert latin >= 1  # what has no Persian name keeps its English one
    assert requests == [page.url] and errors == []


def test_event_labels_say_whose_and_when(opened: Opened) -> None:
    page, _, _ = opened("events")
    nodes = page.evaluate("cgNodes.get().filter(n => n.cgType.endsWith('Event'))")
    assert len(nodes) >= 5
    types = set(page.evaluate("Object.values(CG_DATA.details.nodes).map(n => n.type_label)"))
    for node in nodes:  # a name or a date, never a type alone
        label = node["label"].replace("\n", " ")
        assert label not in types and (" of " in label or any(c.isdigit() for c in label)), label
