"""``casegraph timeline``: the vendored vis-timeline is the pinned one, and timelines of ``data/`` and
of a fictional fixture (tests/data/timeline/) render offline in headless Chromium, show every dated
event the store has for the record, put contested versions on their own lanes, draw partial dates as
ranges, mark reported-only dates, carry their sources, and run no markup from the data."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.loading import load_paths
from graph.store import CaseStore
from graph.views.timeline import VIS_TIMELINE_VERSION

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "graph" / "views" / "vendor"
FIXTURE = Path(__file__).parent / "data" / "timeline" / "timeline-case.yaml"
CHROMIUM = Path("/usr/bin/chromium")
PREFIXES = """PREFIX cg: <https://w3id.org/casegraph/ontology#>
PREFIX cgd: <https://w3id.org/casegraph/id/>
"""


def test_vendored_files_match_their_pinned_sha256() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"\| `([^`]+)` \| `([0-9a-f]{64})` \|", readme))
    on_disk = {str(path.relative_to(VENDOR)) for path in VENDOR.rglob("*") if path.is_file()} - {
        "README.md"
    }
    assert set(pinned) == on_disk
    for name, digest in pinned.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert f"## vis-timeline {VIS_TIMELINE_VERSION} " in readme
    script = (VENDOR / "vis-timeline" / "vis-timeline-graph2d.min.js").read_text(encoding="utf-8")
    assert f"@version {VIS_TIMELINE_VERSION}" in script[:2000]


def test_vendored_licence_is_apache_or_mit_never_gpl() -> None:
    licence = (VENDOR / "vis-timeline" / "LICENSE.md").read_text(encoding="utf-8")
    assert "SPDX-License-Identifier: Apache-2.0 OR MIT" in licence
    assert "Apache License" in (VENDOR / "vis-timeline" / "LICENSE.Apache-2.0.txt").read_text()
    assert "MIT" in (VENDOR / "vis-timeline" / "LICENSE.MIT.txt").read_text()
    assert "GPL" not in licence


def _load(folder: Path, paths: list[Path]) -> Path:
    store = folder / "store"
    with CaseStore.open(store) as opened:
        load_paths(paths, opened)
    return store


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _load(tmp_path_factory.mktemp("timeline-data"), [ROOT / "data"])


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _load(tmp_path_factory.mktemp("timeline-fixture"), [FIXTURE])


def casegraph(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard
        cwd=ROOT,
    )


def _dated_and_undated(store: Path, link: str, record: str) -> tuple[set[str], set[str]]:
    """The events the store links to the record (plain SPARQL): those with some date, and the rest."""
    query = PREFIXES + (
        "SELECT ?id ?dated WHERE { ?e cg:eventType ?t ; cg:recordId ?id ; "
        f"{link} cgd:{record} . "
        "BIND(EXISTS { ?e cg:dateEarliest|cg:dateLatest|cg:reportedDate ?d } AS ?dated) }"
    )
    with CaseStore.open(store, public=True) as opened:
        _, rows = opened.select(query)
    dated = {str(r["id"]) for r in rows if r["dated"].toPython()}
    return dated, {str(r["id"]) for r in rows} - dated


def _contradictions(store: Path) -> set[tuple[str, str]]:
    query = (
        PREFIXES
        + "SELECT ?a ?b WHERE { ?x cg:contradicts ?y . ?x cg:recordId ?a . ?y cg:recordId ?b }"
    )
    with CaseStore.open(store, public=True) as opened:
        _, rows = opened.select(query)
    return {(str(r["a"]), str(r["b"])) for r in rows}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run 'make browser'")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


class Opened:
    """A timeline page open in Chromium with every request but the page itself refused."""

    def __init__(self, browser: object, path: Path) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page()  # type: ignore[attr-defined]
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: self.errors.append(f"dialog: {dialog.message}"))
        self.page.goto(self.url)
        for _ in range(1200):  # polled from outside: the page's CSP forbids eval; a hang guard
            if self.page.evaluate("() => window.cgTimelineReady === true"):
                break
            self.page.wait_for_timeout(50)

    def _route(self, route: object) -> None:
        self.requests.append(route.request.url)  # type: ignore[attr-defined]
        if route.request.url == self.url:  # type: ignore[attr-defined]
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    def items(self) -> dict[str, dict[str, object]]:
        return {
            item["id"]: item
            for item in self.page.evaluate(
                "() => window.cgTimeline.itemsData.get().map(i => Object.assign({}, i, "
                "{start: new Date(i.start).toISOString().slice(0, 10)}, "
                "i.end ? {end: new Date(i.end).toISOString().slice(0, 10)} : {}))"
            )
        }

    def drawn_ids(self) -> set[str]:
        return set(
            self.page.evaluate(
                "() => Array.from(document.querySelectorAll('#cg-timeline .vis-item [data-cg-id]'))"
                ".map(e => e.getAttribute('data-cg-id'))"
            )
        )

    def undated_ids(self) -> set[str]:
        return set(
            self.page.evaluate(
                "() => Array.from(document.querySelectorAll('#cg-undated [data-cg-id]'))"
                ".map(e => e.getAttribute('data-cg-id'))"
            )
        )

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).inner_text())


def _timeline(store: Path, folder: Path, name: str, *extra: str) -> Path:
    out = folder / (re.sub(r"\W+", "-", name) + ".html")
    run = casegraph(store, "timeline", name, "-o", str(out), *extra)
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "record", "link"),
    [
        ("No to Execution Tuesdays", "camp_nett", "cg:campaign"),
        ("Majidreza Rahnavard", "majidreza_rahnavard", "cg:person|cg:coDefendant|cg:judge"),
    ],
)
def test_timeline_of_data_shows_every_dated_event_offline(
    data_store: Path, browser: object, tmp_path: Path, name: str, record: str, link: str
) -> None:
    opened = Opened(browser, _timeline(data_store, tmp_path, name))
    dated, undated = _dated_and_undated(data_store, link, record)
    assert opened.requests == [opened.url]
    assert opened.errors == []
    assert dated and opened.drawn_ids() == dated == set(opened.items())
    assert opened.undated_ids() == undated
    items = opened.items()
    everything = dated | undated
    contested = {e for pair in _contradictions(data_store) if set(pair) <= everything for e in pair}
    assert contested  # both records have contested versions
    lanes = [items[e]["group"] for e in contested if e in items]
    assert "record" not in lanes and len(set(lanes)) == len(lanes)  # a lane for each version
    for event in contested - set(items):  # an undated version says which lane it belongs to
        assert "contested" in opened.text(f'#cg-undated [data-cg-id="{event}"]')
    caption = opened.text("#cg-caption")
    assert "Public records only." in caption and f"({record})" in caption
    assert f"{len(dated)} dated event(s) drawn" in caption
    assert re.search(r"\d+ source\(s\) cited", opened.text("#cg-source-note"))


@pytest.mark.browser
def test_partial_dates_ranges_marks_sources_and_no_markup_runs(
    fixture_store: Path, browser: object, tmp_path: Path
) -> None:
    opened = Opened(browser, _timeline(fixture_store, tmp_path, "tempora_personova"))
    items = opened.items()
    assert opened.requests == [opened.url] and opened.errors == []
    assert opened.page.evaluate("() => window.__pwned") is None
    assert opened.page.evaluate("() => document.querySelectorAll('body img').length") == 0
    # A month and a span of days are ranges over every possible day; an exact day is a point.
    assert (items["ev_tl_arrest_month"]["start"], items["ev_tl_arrest_month"]["end"]) == (
        "2025-11-01",
        "2025-12-01",
    )
    assert (items["ev_tl_trial_between"]["start"], items["ev_tl_trial_between"]["end"]) == (
        "2025-12-01",
        "2025-12-21",
    )
    assert items["ev_tl_arrest_day"]["type"] == "box" and "end" not in items["ev_tl_arrest_day"]
    # Before X and reported-only sit at their last possible day, marked "on or before".
    assert items["ev_tl_sentence_before"]["start"] == "2026-01-09"
    assert items["ev_tl_execution_reported"]["start"] == "2026-02-02"
    marks = opened.page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('#cg-timeline .vis-item'))"
        ".filter(e => e.querySelector('[data-cg-id]'))"
        ".map(e => [e.querySelector('[data-cg-id]').getAttribute('data-cg-id'), e.textContent]))"
    )
    assert marks["ev_tl_execution_reported"].startswith("\u2264")
    assert marks["ev_tl_sentence_before"].startswith("\u2264")
    assert marks["ev_tl_detention_after"].startswith("\u2265")
    assert not marks["ev_tl_arrest_day"].startswith(("\u2264", "\u2265"))
    assert opened.undated_ids() == {"ev_tl_appeal_undated"}
    assert items["ev_tl_arrest_day"]["group"] != items["ev_tl_arrest_month"]["group"]
    # The hostile name is shown as text, in the title and caption.
    assert "</script><script>window.__pwned=1</script>" in opened.text("#cg-title")
    # Clicking an event shows its sources (the hostile title as text).
    opened.page.click('#cg-timeline [data-cg-id="ev_tl_sentence_before"]')
    panel = opened.text("#cg-details")
    assert "[src_tl_daily]" in panel and "[src_tl_watch]" in panel
    assert 'onerror="window.__pwned=3"' in panel
    assert opened.page.evaluate("() => window.__pwned") is None


def test_court_timeline_includes_its_branches(fixture_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "court.html"
    run = casegraph(fixture_store, "timeline", "Revolutionary Court of Timelopolis", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "3 dated events" in run.stdout  # the branch's trial and sentence, the court's sentence
    html = out.read_text(encoding="utf-8")
    for event in ("ev_tl_trial_between", "ev_tl_sentence_before", "ev_tl_chrona_sentence"):
        assert f'"{event}"' in html
    assert "<script>window.__pwned" not in html  # escaped in the JSON and the text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nobody Fictionalis", "-o", "x.html"], "NAME"),
        (["src_tl_daily", "-o", "x.html"], "has no timeline"),
        (["Chrona Exemplar", "-o", "x.txt"], "--output"),
    ],
)
def test_bad_values_exit_2(fixture_store: Path, args: list[str], message: str) -> None:
    run = casegraph(fixture_store, "timeline", *args)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr and "Traceback" not in run.stderr


def _tags(page: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(tag)

    Tags().feed(page)
    return found


def test_hostile_texts_stay_inside_their_json_and_text() -> None:
    """Every text of the data escaped: the page has its own two scripts and no tag from the data."""
    from graph.views.timeline import render_timeline

    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)><!--"
    entry = {"id": "ev_x", "text": hostile, "details": {"people": hostile}, "date_text": hostile}
    entry |= {"contradicts": [], "sources": [{"id": "s", "title": hostile, "url": hostile}]}
    data = {
        "title": hostile,
        "caption": [hostile],
        "source_note": hostile,
        "restricted": False,
        "subject": {"id": "x", "name": hostile, "kind": "person"},
        "items": [{**entry, "group": "record", "start": "2025-01-01", "kind": "exact"}],
        "groups": [{"id": "record", "text": hostile, "order": 0}],
        "undated": [{**entry, "id": "ev_y", "group": "record"}],
    }
    page = render_timeline(data)
    assert _tags(page).count("script") == 2 and "img" not in _tags(page)
    assert page.count("</script>") == 2 and "<!--" not in page


def test_restricted_events_only_with_include_restricted(tmp_path: Path) -> None:
    """Public by default; ``--include-restricted`` adds the restricted events and says so."""
    from graph.views.timeline import render_timeline
    from graph.views.timeline_data import subject_for, timeline_data

    path = _load(tmp_path, [Path(__file__).parent / "data" / "canaries" / "case"])
    drawn = {}
    for public in (True, False):
        with CaseStore.open(path, public=public) as opened:
            data = timeline_data(opened, subject_for(opened, "publio_testov"), not public)
        drawn[public] = {e["id"] for e in data["items"] + data["undated"]}
        page = render_timeline(data)
        assert ("never share this file" in page) is (not public)
        assert ("CANARYx" in page) is (not public)
    assert "ev_pub_arrest" in drawn[True] and "CANARYxIDREVENT" not in drawn[True]
    assert "CANARYxIDREVENT" in drawn[False] and drawn[True] < drawn[False]
