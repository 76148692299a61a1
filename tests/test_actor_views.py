"""Actor views: events folded into labelled, dated edges between actors, by rules declared as data;
view data with precomputed, separated positions; the page's dossiers and Persian labels.

The fold is checked on the fictional fixture (tests/data/network/); the local read of an ego view,
the dossiers and the Persian names on the shipped data/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.namespaces import CG, CGV
from graph.network.actorview import actor_scene, case_scope
from graph.network.build import NetworkSpec, network_from_graph
from graph.network.fold import actor_rules, fold_events
from graph.network.layouts import box_of
from graph.network.projection import read_schema
from graph.resources import notations
from graph.store import CaseStore
from graph.views.page import ViewRequest, view_data_for, view_data_of
from graph.views.render import render_html

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "network"
HOSTILE = "</script><script>window.__pwned=1</script> <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    data = Graph().parse(DATA / "small.ttl")
    data.parse(DATA / "hostile.ttl")
    return network_from_graph(data)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    from graph.loading import load_paths

    path = tmp_path_factory.mktemp("shipped") / "store"
    with CaseStore.open(path) as store:
        load_paths([ROOT / "data"], store)
    with CaseStore.open(path, public=True) as store:
        yield store


def _edge(actors: nx.MultiDiGraph, u: str, v: str) -> dict:
    found = list((actors.get_edge_data(u, v) or {}).values())
    assert len(found) == 1, found
    return found[0]


def test_events_fold_into_labelled_dated_edges(network: nx.MultiDiGraph) -> None:
    actors = fold_events(network)
    assert not [n for n, a in actors.nodes(data=True) if a.get("claim")]
    sentence = _edge(actors, "testa_personova", "judge_fictivus")
    # Two contradicting accounts of one sentence: one line, both dates, the branch, dashed.
    assert sentence["label"] == "sentenced to death by (2023-01-05, 2023-01-12, Branch 3) \u00d72"
    assert sentence["contested"] is True and sentence["weight"] == 2
    assert [c["claim"] for c in sentence["claims"]] == [
        "ev_sentence_testa",
        "ev_sentence_testa_alt",
    ]
    assert sentence["claims"][0]["sources"] == ["src_a", "src_c"]
    assert sentence["earliest"] == "2023-01-05" and sentence["undated"] is False
    # A lawyer's role claim "for" a client is drawn from the client: "defended by".
    assert _edge(actors, "testa_personova", "advocata_demo")["label"] == "defended by"
    assert not actors.has_edge("advocata_demo", "testa_personova")
    arrest = _edge(actors, "testa_personova", "case_testa")
    assert "arrested in (2022-10-01)" in arrest["label"] or arrest["phrase"] == "in case"
    # An event that names one actor only cannot be drawn as a line: it is counted, not lost.
    assert actors.graph["unfolded"] == ["ev_statement"]


def test_the_rules_name_only_known_event_types_and_relations() -> None:
    rules = actor_rules()
    known_types = set(notations(CGV.EventTypes))
    assert set(rules["events"]) <= known_types, set(rules["events"]) - known_types
    edges = {str(p).rsplit("#", 1)[-1] for p in read_schema().edge_properties}
    named = set(rules["prepositions"]) | {r["relation"] for r in rules["links"]}
    for rule in [rules["default"], *rules["events"].values()]:
        named |= set(rule.get("from", ())) | set(rule.get("to", ())) | set(rule.get("qualify", ()))
    assert named <= edges, named - edges
    assert str(CG.protest).endswith("protest")  # the relations are the ontology's local names


def test_view_data_is_laid_out_separated_and_seeded(network: nx.MultiDiGraph) -> None:
    first = actor_scene(network, "focus", "testa_personova", title="t")
    second = actor_scene(network, "focus", "testa_personova", title="t")
    assert [(n["x"], n["y"]) for n in first["nodes"]] == [(n["x"], n["y"]) for n in second["nodes"]]
    assert first["focus"] == "testa_personova"
    assert [n["id"] for n in first["nodes"] if n["focus"]] == ["testa_personova"]
    boxes = {}
    for node in first["nodes"]:
        w, h, drop = box_of(node["label"], node["size"], 18 if node["focus"] else 14)
        boxes[node["id"]] = (node["x"] - w / 2, node["y"] + drop - h / 2, w, h)
    items = sorted(boxes.items())
    for i, (a, (ax, ay, aw, ah)) in enumerate(items):
        for b, (bx, by, bw, bh) in items[i + 1 :]:
            assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, (a, b)
    lines = {(e["from"], e["to"]): e for e in first["edges"]}
    line = lines[("testa_personova", "judge_fictivus")]
    assert line["width"] > lines[("testa_personova", "advocata_demo")]["width"]
    assert [c["sources"][0]["id"] for c in line["claims"]][:1] == ["src_a"]


def test_a_case_view_is_layered_court_above_people(network: nx.MultiDiGraph) -> None:
    view = actor_scene(network, "case", "case_testa", case_scope(network, "case_testa"))
    y = {n["id"]: n["y"] for n in view["nodes"]}
    assert y["case_testa"] < y["exampleton_branch3"] < y["judge_fictivus"] < y["testa_personova"]


def test_hostile_dossier_texts_stay_text(network: nx.MultiDiGraph) -> None:
    view = actor_scene(network, "focus", "testa_personova", title=HOSTILE)
    view["dossiers"] = {"testa_personova": {"name": HOSTILE, "facts": [{"label": HOSTILE}]}}
    view["caption"] = {"title": HOSTILE, "filters": HOSTILE}
    html = render_html(view)
    assert html.count("</script>") == 2 and "<img src=x" not in html
    payload = re.search(r"var CG_DATA = (\{.*?\});\n", html, re.S)
    assert payload is not None
    data = json.loads(payload.group(1))
    assert data["details"]["nodes"]["testa_personova"]["dossier"]["name"] == HOSTILE


def test_the_local_ego_view_is_the_whole_networks(shipped: CaseStore) -> None:
    from graph.network.build import network_from_store

    whole = network_from_store(shipped, NetworkSpec())
    for name in ("Abolqasem Salavati", "Mohsen Shekari"):
        request = ViewRequest(focus=name)
        local = view_data_of(shipped, NetworkSpec(), request)
        full = view_data_for(shipped, whole, request, NetworkSpec())
        assert local["nodes"] and [n["id"] for n in local["nodes"]] == [
            n["id"] for n in full["nodes"]
        ]
        assert [e["label"] for e in local["edges"]] == [e["label"] for e in full["edges"]]
        assert local["unfolded"] == full["unfolded"]


def test_the_panel_holds_the_dossier_and_names_come_in_persian(shipped: CaseStore) -> None:
    from graph.dossier import dossier

    view = view_data_of(shipped, NetworkSpec(), ViewRequest(focus="Mohsen Shekari", lang="fa"))
    expected = dossier(shipped, "mohsen_shekari").to_dict()
    assert view["dossiers"]["mohsen_shekari"] == json.loads(json.dumps(expected, default=str))
    names = {n["id"]: n["name"] for n in view["nodes"]}
    assert names["mohsen_shekari"] == "محسن شکاری"
    assert names["c_supreme"] == "Supreme Court of Iran"  # no Persian name: the English one
    assert view["rtl"] is True and view["caption"]["visibility"] == "public records only"
