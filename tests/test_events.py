"""The event finder (graph/events.py, ``casegraph events``): every filter on a small fictional
fixture (tests/data/events/), and the README's everyday questions answered on ``data/``, each
checked against a plain query of the same store."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.events import EventFilters, find_events
from graph.loading import load_paths
from graph.options import BadOption
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "events" / "events-case.yaml"
PREFIXES = """PREFIX cg: <https://w3id.org/casegraph/ontology#>
PREFIX cgv: <https://w3id.org/casegraph/vocab#>
PREFIX cgd: <https://w3id.org/casegraph/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _load(directory: Path, paths: list[Path]) -> Path:
    path = directory / ".casegraph"
    with CaseStore.open(path) as store:
        load_paths(paths, store)
    return path


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _load(tmp_path_factory.mktemp("events"), [FIXTURE])


@pytest.fixture()
def store(fixture_path: Path) -> Iterator[CaseStore]:
    with CaseStore.open(fixture_path, public=True) as opened:
        yield opened


def _ids(store: CaseStore, **filters: object) -> list[str]:
    return [row["event"] for row in find_events(store, EventFilters(**filters)).rows]  # type: ignore[arg-type]


ALL = [
    "ev_testa_arrest",
    "ev_testa_death_sentence",
    "ev_testa_denial",
    "ev_testa_overturned",
    "ev_testa_retrial",
    "ev_probus_execution",
    "ev_probus_sentence",
]


def test_every_event_in_date_order_undated_last(store: CaseStore) -> None:
    table = find_events(store)
    assert [row["event"] for row in table.rows] == ALL
    by_id = {row["event"]: row for row in table.rows}
    assert by_id["ev_testa_retrial"]["date_used"] == "reported"
    assert by_id["ev_testa_retrial"]["date"] == "2026-04-10"
    assert by_id["ev_probus_sentence"]["date_used"] == "none"
    sentence = by_id["ev_testa_death_sentence"]
    assert sentence["court"] == "Revolutionary Court of Fictopolis, Branch 1"
    assert sentence["branch"] == "1" and sentence["judge"] == "Judge Fictivus"
    assert "moharebeh" in sentence["charges"] and sentence["sentence"] == "death sentence"
    assert sentence["documented_by"] == "Fictional Monitor; Fictional Rights Watch"
    assert sentence["contradicts"] == "ev_testa_denial"
    assert sentence["sources"] == "src_fict_daily, src_fict_watch"
    assert by_id["ev_probus_execution"]["prison"] == "Fictopolis Central Prison"
    assert by_id["ev_testa_overturned"]["outcome"] == "Supreme Court overturned"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": "death_sentence"}, ["ev_testa_death_sentence", "ev_probus_sentence"]),
        ({"type": "sentence"}, ["ev_testa_death_sentence", "ev_probus_sentence"]),  # narrower too
        ({"person": "Probus Exemplar"}, ["ev_probus_execution", "ev_probus_sentence"]),
        ({"person": "probus_exemplar", "type": "execution"}, ["ev_probus_execution"]),
        ({"court": "Revolutionary Court of Fictopolis"}, ["ev_testa_death_sentence"]),  # branch
        ({"court_type": "criminal"}, ["ev_probus_sentence"]),
        ({"court_type": "supreme"}, ["ev_testa_overturned"]),
        ({"judge": "Judge Fictivus"}, ["ev_testa_death_sentence"]),
        ({"charge": "moharebeh"}, ["ev_testa_death_sentence"]),
        ({"sentence": "qisas"}, ["ev_probus_sentence"]),
        ({"outcome": "supreme_court_overturned"}, ALL[:5]),
        ({"prison": "Fictopolis Central Prison"}, ["ev_probus_execution"]),
        ({"place": "prison_fict"}, ["ev_probus_execution"]),
        ({"protest": "Fictopolis protests of January 2026"}, ["ev_testa_arrest"]),
        ({"documented_by": "Fictional Monitor"}, ["ev_testa_death_sentence"]),
        (
            {"documented_by": "Fictional Rights Watch"},  # documented, or published a source
            [
                "ev_testa_death_sentence",
                "ev_testa_overturned",
                "ev_testa_retrial",
                "ev_probus_execution",
            ],
        ),
        (
            {"min_reliability": "high"},
            [
                "ev_testa_death_sentence",
                "ev_testa_overturned",
                "ev_testa_retrial",
                "ev_probus_execution",
            ],
        ),
        ({"contested": True}, ["ev_testa_death_sentence", "ev_testa_denial"]),
        ({"contested": True, "type": "official_denial"}, ["ev_testa_denial"]),
    ],
)
def test_each_filter(store: CaseStore, filters: dict[str, object], expected: list[str]) -> None:
    assert _ids(store, **filters) == expected


@pytest.mark.parametrize(
    ("start", "end", "undated", "expected"),
    [
        ("2026-02", "2026-03", False, ALL[1:4]),  # months: first and last day
        (None, "2026-04-10", False, ALL[:5]),  # reported-only: on or before its reported day
        (None, "2026-04-09", False, ALL[:4]),
        ("2026-04-11", None, False, ["ev_probus_execution"]),
        ("2026-04-11", None, True, ["ev_probus_execution", "ev_probus_sentence"]),
        ("1404-11-12 SH", "1404-11-12 SH", False, ["ev_testa_death_sentence"]),  # = 2026-02-01
    ],
)
def test_date_window(
    store: CaseStore, start: str | None, end: str | None, undated: bool, expected: list[str]
) -> None:
    assert _ids(store, start=start, end=end, include_undated=undated) == expected


@pytest.mark.parametrize(
    ("filters", "option", "words"),
    [
        ({"start": "2022-13-01"}, "--from", "not a real calendar date"),
        ({"end": "1404-11-12"}, "--to", "1404-11-12 SH"),
        ({"start": "2026-03", "end": "2026-02"}, "--from", "swap"),
        ({"person": "Testa Personovaa"}, "--person", "Testa Personova (id testa_personova)"),
        ({"person": "x' } DROP ALL #"}, "--person", "no entity"),
        ({"court": ""}, "--court", "empty"),
        ({"charge": "moharebe"}, "--charge", "Suggestions, by spelling only: moharebeh"),
        ({"min_reliability": "excellent"}, "--min-reliability", "casegraph vocab reliability"),
    ],
)
def test_bad_filters_are_usage_errors(
    store: CaseStore, filters: dict[str, object], option: str, words: str
) -> None:
    with pytest.raises(BadOption) as caught:
        find_events(store, EventFilters(**filters))  # type: ignore[arg-type]
    assert caught.value.exit_code == 2
    assert str(caught.value).startswith(option) and words in str(caught.value)


def test_suggestions_never_add_a_fact(store: CaseStore) -> None:
    """'supreme_court' must not suggest 'supreme_court_upheld': that adds an outcome."""
    with pytest.raises(BadOption) as caught:
        find_events(store, EventFilters(type="supreme_court"))
    message = str(caught.value)
    assert "Suggestions" not in message  # the list of every term follows, as a listing only
    with pytest.raises(BadOption) as caught:
        find_events(store, EventFilters(type="exection"))
    assert "Suggestions, by spelling only: execution." in str(caught.value)


def test_hostile_values_stay_values(store: CaseStore) -> None:
    """Values reach the query as bindings: a quote in a name is a name that names nothing."""
    before = len(find_events(store).rows)
    for hostile in ('"} } DELETE WHERE { ?s ?p ?o } #', "testa_personova> ?p ?o } #"):
        with pytest.raises(BadOption):
            find_events(store, EventFilters(person=hostile))
    assert len(find_events(store).rows) == before


def _cli(store_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store_path), "events", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_formats_and_view(fixture_path: Path, tmp_path: Path) -> None:
    done = _cli(fixture_path, "--charge", "moharebeh", "-f", "json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [e["event"] for e in payload["events"]] == ["ev_testa_death_sentence"]
    assert payload["filters"] == "filters: charge moharebeh"
    done = _cli(fixture_path, "--type", "execution", "-f", "csv")
    assert done.stdout.splitlines()[0].startswith("event,date,date_used,type,people")
    assert done.stdout.splitlines()[1].startswith("ev_probus_execution,2026-05-01,date")
    table = _cli(fixture_path, "--person", "Testa Personova").stdout
    assert "ev_testa_retrial" in table and "(5 rows)" in table and "filters: person" in table
    plain, orgs = tmp_path / "plain.html", tmp_path / "orgs.html"
    assert _cli(fixture_path, "--type", "execution", "--view", str(plain)).returncode == 0
    assert _cli(fixture_path, "--type", "execution", "--view", str(orgs),
                "--with-organisations").returncode == 0  # fmt: skip
    assert "Fictopolis Central Prison" in plain.read_text(encoding="utf-8")
    assert "org_fict_watch" not in plain.read_text(encoding="utf-8")  # the organisation's node
    assert "org_fict_watch" in orgs.read_text(encoding="utf-8")
    refused = _cli(fixture_path, "--view", str(fixture_path / "x.html"))
    assert refused.returncode == 2 and "--view" in refused.stderr


# The shipped data: each README question, answered by the finder and by a plain query.


@pytest.fixture(scope="module")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _load(tmp_path_factory.mktemp("data"), [ROOT / "data"])


def _plain(store: CaseStore, where: str) -> set[str]:
    _, rows = store.select(f"{PREFIXES}SELECT DISTINCT ?e WHERE {{ {where} }}")
    return {str(row["e"]).rsplit("/", 1)[-1] for row in rows}


def test_readme_questions_on_data(data_path: Path) -> None:
    with CaseStore.open(data_path, public=True) as store:
        charged = _ids(store, charge="moharebeh")
        assert charged and set(charged) == _plain(
            store, "?e cg:charge ?c . ?c skos:broader* cgv:charge_moharebeh"
        )
        executions = find_events(
            store, EventFilters(type="execution", prison="Ghezel Hesar Prison")
        )
        assert executions.rows
        assert all("Ghezel Hesar" in row["prison"] for row in executions.rows)
        assert {row["event"] for row in executions.rows} == _plain(
            store,
            "?e cg:eventType/skos:broader* cgv:event_execution ; "
            "cg:place|cg:participatingPrison cgd:pr_ghezel_hesar",
        )
        after = _ids(store, outcome="supreme_court_overturned")
        overturned = _plain(
            store, "?e cg:eventType/skos:broader* cgv:event_supreme_court_overturned"
        )
        assert overturned and overturned <= set(after)
        documented = _ids(store, documented_by="Amnesty International")
        assert documented and set(documented) == _plain(
            store, "?e cg:eventType ?t ; cg:documentedBy|cg:source/cg:publishedBy cgd:org_amnesty"
        )
        death = find_events(store, EventFilters(sentence="death", court_type="revolutionary"))
        assert death.rows and all("Revolutionary" in row["court"] for row in death.rows)


def test_readme_commands_run(data_path: Path) -> None:
    """Every 'casegraph events' line of the README gives at least one row on data/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^\s+casegraph (events .*)$", readme, re.MULTILINE)
    assert len(lines) >= 5
    for line in lines:
        args = shlex.split(line)[1:]
        done = _cli(data_path, *args, "-f", "csv")
        assert done.returncode == 0, (line, done.stderr)
        assert len(done.stdout.splitlines()) > 1, line
