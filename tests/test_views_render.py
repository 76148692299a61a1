"""The HTML view, checked structurally: offline, script-safe, only what is meant to be shown."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.network.build import network_from_graph
from graph.network.viewdata import ViewTooLarge, view_data
from graph.views.render import render_html

DATA = Path(__file__).parent / "data" / "network"
NODE_KEYS = {"id", "label", "shape", "color", "borderWidth", "size", "x", "y", "cgType"}
EDGE_KEYS = {"id", "from", "to", "label", "dashes", "color", "arrows"}


class Page(HTMLParser):
    """Collects the tags and attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    data = Graph().parse(DATA / "small.ttl")
    data.parse(DATA / "hostile.ttl")
    return network_from_graph(data)


@pytest.fixture(scope="module")
def html(network: nx.MultiDiGraph) -> str:
    return render_html(view_data(network, title="Fixture <view>"))


def _payload(html: str) -> dict:
    match = re.search(r"var CG_DATA = (\{.*?\});\n", html, re.S)
    assert match
    return json.loads(match.group(1))


def test_page_is_self_contained_and_locked_down(html: str) -> None:
    page = Page()
    page.feed(html)
    csp = [
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(csp) == 1 and "default-src 'none'" in csp[0]
    nonce = re.search(r"'nonce-([^']+)'", csp[0]).group(1)  # type: ignore[union-attr]
    scripts = [a for t, a in page.tags if t == "script"]
    assert len(scripts) == 2 and all(a.get("nonce") == nonce for a in scripts)
    assert html.count("</script>") == 2
    assert not [a for _, a in page.tags if "src" in a or "href" in a]
    assert not [t for t, _ in page.tags if t in ("link", "iframe", "object", "img")]
    assert "fonts.googleapis" not in html and "https://cdnjs" not in html and "jsdelivr" not in html


def test_hostile_text_is_escaped_everywhere(html: str, network: nx.MultiDiGraph) -> None:
    assert "<img src=x" not in html
    assert "<script>window" not in html
    assert "<b>Press</b>" not in html and "<a href" not in html
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in html  # the search list, escaped
    data = _payload(html)
    labels = {n["label"] for n in data["nodes"]}
    assert "</script><script>window.__pwned=1</script>" in labels
    titles = {s.get("title") for n in data["details"]["nodes"].values() for s in n["sources"]}
    assert (
        "</script><script>window.__pwned=1</script> & <img src=x onerror=window.__pwned=1>"
        in titles
    )


def test_only_shown_attributes_reach_the_page(html: str, network: nx.MultiDiGraph) -> None:
    data = _payload(html)
    assert {n["id"] for n in data["nodes"]} == set(network)
    assert all(set(n) <= NODE_KEYS for n in data["nodes"])
    assert all(set(e) <= EDGE_KEYS for e in data["edges"])
    assert len(data["edges"]) == network.number_of_edges()
    assert "title" not in json.dumps(data["nodes"]) + json.dumps(data["edges"])
    assert "https://w3id.org/casegraph/id/" not in html
    assert "Hidden Witnessova" not in html and "Secret Role Text" not in html
    assert "hidden_witnessova" not in html and "ev_secret_hearing" not in html
    assert 'pwned=1</script>"' not in html


def test_facts_sources_and_contested_claims(html: str) -> None:
    data = _payload(html)
    sentence = data["details"]["nodes"]["ev_sentence_testa"]
    assert ["contested by", "death sentence 2023-01-12"] in sentence["facts"]
    assert ["date", "2023-01-05"] in sentence["facts"]
    assert [s["id"] for s in sentence["sources"]] == ["src_a", "src_c"]
    node = next(n for n in data["nodes"] if n["id"] == "ev_sentence_testa")
    assert node["borderWidth"] == 4
    dashed = [e for e in data["edges"] if e["dashes"]]
    assert {(e["from"], e["to"]) for e in dashed} >= {("ev_sentence_testa", "judge_fictivus")}
    assert all(not e["dashes"] for e in data["edges"] if e["from"] == "ev_sentence_probus")
    assert data["options"]["physics"]["enabled"] is False


def test_layout_is_precomputed_and_seeded(network: nx.MultiDiGraph) -> None:
    first, second = view_data(network), view_data(network)
    assert [(n["x"], n["y"]) for n in first["nodes"]] == [(n["x"], n["y"]) for n in second["nodes"]]
    sizes = {n["id"]: n["size"] for n in first["nodes"]}
    assert sizes["case_testa"] == 40.0 and min(sizes.values()) >= 10


def test_legend_lists_types_present(html: str) -> None:
    page = Page()
    page.feed(html)
    boxes = sorted(a["data-type"] for t, a in page.tags if t == "input" and "data-type" in a)
    assert boxes == [
        "Campaign", "CampaignEvent", "Case", "Court", "CourtBranch", "LegalEvent", "Person",
        "Prison", "Protest", "StatementEvent",
    ]  # fmt: skip


def test_too_large_views_are_refused_or_sampled(network: nx.MultiDiGraph) -> None:
    with pytest.raises(ViewTooLarge, match="--focus"):
        view_data(network, max_nodes=5)
    sampled = view_data(network, max_nodes=5, sample=True)
    assert len(sampled["nodes"]) == 5
    assert "Showing the 5 nodes with the highest degree of 27" in sampled["notice"]
    assert "case_testa" in {n["id"] for n in sampled["nodes"]}
    assert "Showing the 5 nodes" in render_html(sampled)
