"""``casegraph chart``: PNG and SVG files that open, and the same series as an offline HTML page that
draws in headless Chromium with every request refused and runs no markup from the data (the fictional
fixture tests/data/timeline/ names a person with ``</script>`` and ``onerror``)."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.loading import load_paths
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "timeline" / "timeline-case.yaml"
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "Tempora Personova </script><script>window.__pwned=1</script>"
PREFIXES = """PREFIX cg: <https://w3id.org/casegraph/ontology#>
PREFIX cgv: <https://w3id.org/casegraph/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("charts") / "store"
    with CaseStore.open(path) as opened:
        load_paths([FIXTURE], opened)
    return path


def casegraph(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def charts(store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every chart of the fixture as HTML, PNG, SVG, PDF and JSON, written by one process each."""
    folder = tmp_path_factory.mktemp("chart-files")
    written = {}
    for kind, image in (("sentences-per-month", "png"), ("time-to-execution", "pdf")):
        for suffix in ("html", image, "svg", "json"):
            written[f"{kind}.{suffix}"] = folder / f"{kind}.{suffix}"
    script = (
        "import sys\nfrom graph.cli import main\n"
        "for kind, out in zip(sys.argv[2::2], sys.argv[3::2]):\n"
        "    sys.argv = ['casegraph', '--store', STORE, 'chart', kind, '-o', out]\n"
        "    try:\n        main()\n    except SystemExit as stop:\n"
        "        assert not stop.code, (kind, out)\n"
    ).replace("STORE", repr(str(store)))
    args = [w for name, path in written.items() for w in (name.split(".")[0], str(path))]
    done = subprocess.run(
        [sys.executable, "-c", script, "-", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return written


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _placed(store: Path) -> int:
    """Death sentences and executions whose possible days lie in one month (plain SPARQL)."""
    query = PREFIXES + (
        "SELECT ?e ?earliest ?latest ?reported WHERE { ?e cg:eventType/skos:broader* ?k . "
        "VALUES ?k { cgv:event_death_sentence cgv:event_execution } "
        "OPTIONAL { ?e cg:dateEarliest ?earliest } OPTIONAL { ?e cg:dateLatest ?latest } "
        "OPTIONAL { ?e cg:reportedDate ?reported } }"
    )
    with CaseStore.open(store, public=True) as opened:
        _, rows = opened.select(query)
    placed = 0
    for row in rows:
        first, last = row.get("earliest"), row.get("latest")
        if first is not None and last is not None:
            placed += str(first)[:7] == str(last)[:7]
        else:
            placed += any(row.get(k) is not None for k in ("earliest", "latest", "reported"))
    return placed


def test_png_svg_and_pdf_files_open(charts: dict[str, Path]) -> None:
    width, height = _png_size(charts["sentences-per-month.png"])
    assert width > 400 and height > 100
    assert charts["time-to-execution.pdf"].read_bytes()[:5] == b"%PDF-"
    for kind in ("sentences-per-month", "time-to-execution"):
        root = ET.parse(charts[f"{kind}.svg"]).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = " ".join(root.itertext())
        assert "Source: casegraph; public records only" in texts  # the source note
        assert "filters:" in texts  # the caption


def test_series_match_the_store(store: Path, charts: dict[str, Path]) -> None:
    spec = json.loads(charts["sentences-per-month.json"].read_text(encoding="utf-8"))
    rows = spec["data"]["values"]
    assert len(rows) == _placed(store) == 4
    assert {(r["event"], r["month"]) for r in rows} == {
        ("ev_tl_sentence_before", "2026-01"),
        ("ev_tl_execution_reported", "2026-02"),
        ("ev_tl_chrona_sentence", "2025-12"),
        ("ev_tl_chrona_execution", "2026-01"),
    }
    steps = json.loads(charts["time-to-execution.json"].read_text(encoding="utf-8"))
    drawn = {(r["person"], r["step"]) for r in steps["data"]["values"]}
    assert {p for p, _ in drawn} == {
        "Chrona Exemplar",
        HOSTILE + '<img src=x onerror="window.__pwned=2">',
    }
    assert len(drawn) == 6  # arrest, death sentence and execution of both


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


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["sentences-per-month", "time-to-execution"])
def test_html_is_offline_draws_the_same_series_and_runs_no_markup(
    charts: dict[str, Path], browser: object, kind: str
) -> None:
    page_file = charts[f"{kind}.html"]
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
    for _ in range(1200):  # polled from outside (the CSP forbids eval in the page); a hang guard
        if page.evaluate("() => window.cgChart !== undefined"):
            break
        page.wait_for_timeout(50)
    spec = json.loads(charts[f"{kind}.json"].read_text(encoding="utf-8"))
    assert page.evaluate("() => CG_SPEC") == spec  # the same series as the PNG and SVG
    assert requests == [url] and errors == []
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('body img').length") == 0
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('#cg-chart svg text')).map(t => t.textContent).join(' ')"
    )
    assert "Source: casegraph; public records only" in drawn
    if kind == "time-to-execution":
        assert "Tempora Personova </script><sc" in drawn  # the name, as text (cut to fit)
    page.close()


def test_bad_values_exit_2(store: Path, tmp_path: Path) -> None:
    for args, message in (
        (
            ["campaign-weeks", "--campaign", "Nobody Fictionalis", "-o", str(tmp_path / "c.svg")],
            "--campaign",
        ),
        (["time-to-execution", "--by", "court", "-o", str(tmp_path / "c.svg")], "--by"),
        (["time-to-execution", "-o", str(tmp_path / "c.gif")], "--output"),
    ):
        run = casegraph(store, "chart", *args)
        assert run.returncode == 2 and message in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


def test_chart_page_keeps_hostile_texts_in_its_json() -> None:
    """vl-convert's own HTML would close its script at a ``</script>`` in the data; ours does not."""
    from html.parser import HTMLParser

    from graph.views.charts import Chart, chart_html

    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)><!--"
    spec = {"data": {"values": [{"a": hostile}]}, "vconcat": [{"title": {"text": hostile}}]}
    page = chart_html(Chart(spec, [], 0, "rows"))
    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append(tag)

    Tags().feed(page)
    assert tags.count("script") == 2 and "img" not in tags
    assert page.count("</script>") == 2 and "<!--" not in page
