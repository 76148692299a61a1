"""The network commands over a real store holding the small fixture."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import typer
from rdflib import Graph
from typer.testing import CliRunner

from graph.cli import analysis, network_export, views
from graph.store import CaseStore, UnitWrite, unit_for_path

DATA = Path(__file__).parent / "data" / "network"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / ".casegraph"
    fixture = DATA / "small.ttl"
    with CaseStore.open(path) as store:
        store.replace_units(
            [UnitWrite(unit_for_path(fixture), str(fixture), "test", Graph().parse(fixture))]
        )
    return path


@pytest.fixture(scope="module")
def app(store_path: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = {"store": store_path}

    for commands in (analysis, views, network_export):
        commands.register(app)
    return app


def _run(app: typer.Typer, *args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_report_as_json(app: typer.Typer) -> None:
    rows = json.loads(_run(app, "report", "--kind", "judge", "--format", "json"))
    assert [r["label"] for r in rows] == ["Judge Fictivus", "Judge Secundus"]
    assert rows[0]["death_sentences"] == ["Casus Alter", "Testa Personova"]
    assert rows[0]["independent_sources"] == 3


def test_centrality_table(app: typer.Typer) -> None:
    out = _run(app, "centrality", "--top", "1", "--type", "person")
    assert out.splitlines()[0].split() == ["type", "rank", "label", "score", "node"]
    assert "Person  1     Testa Personova  8.0    testa_personova" in out


def test_path_by_record_id(app: typer.Typer) -> None:
    out = _run(app, "path", "testa_personova", "no_tests_tuesdays")
    assert out.startswith("Chain 1 (3 hops): Testa Personova > Exampleton case 1 > Probus Exemplar")


def test_communities_csv(app: typer.Typer) -> None:
    out = _run(app, "communities", "--format", "csv")
    assert out.splitlines()[0] == "community,size,members"
    assert "Hidden Witnessova" not in out


def test_view_focus_and_export(app: typer.Typer, tmp_path: Path) -> None:
    page = tmp_path / "judge.html"
    out = _run(app, "view", "--focus", "judge_fictivus", "--events", "-o", str(page))
    assert out.strip() == f"wrote {page} (6 nodes, 9 edges)"  # the event-level view
    html = page.read_text("utf-8")
    assert "Judge Fictivus" in html and "Hidden Witnessova" not in html
    target = tmp_path / "n.graphml"
    _run(app, "network-export", str(target), "--format", "graphml", "--as-of", "2023-01-06")
    assert (
        nx.read_graphml(target).number_of_nodes() == 9
    )  # 3 claims by then, and the 6 entities they (or their own dates) mention: undated ones go


def test_view_refuses_restricted_and_unknown(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["view", "--focus", "hidden_witnessova", "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code != 0
    # The view reads the public view of the store, where a restricted record does not exist.
    assert "no entity called 'hidden_witnessova'" in str(result.exception)
    assert not (tmp_path / "x.html").exists()


def test_importing_the_commands_stays_light() -> None:
    code = (
        "import sys, graph.cli.analysis, graph.cli.views, graph.cli.network_export; "
        "print(sorted(m for m in ('networkx', 'pyvis', 'rdflib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
