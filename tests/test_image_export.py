"""PNG, SVG and PDF of network views and timelines (``view -o``, ``timeline -o``), drawn in headless
Chromium with the network blocked (graph/views/images.py, graph/views/svg.py): the files open, the
SVG carries the caption, the source note and every node or item with its text escaped, and without
Playwright the command says how to get it instead of failing with a traceback."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from graph.loading import load_paths
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "timeline" / "timeline-case.yaml"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "</script><script>window.__pwned=1</script>"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed: run 'make browser'")
    pytest.importorskip("playwright.sync_api")
    path = tmp_path_factory.mktemp("images") / "store"
    with CaseStore.open(path) as opened:
        load_paths([FIXTURE], opened)
    return path


def casegraph(store: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard
        cwd=ROOT,
        env={**os.environ, **env},
    )


def _texts(path: Path) -> str:
    return " ".join(ET.parse(path).getroot().itertext())


def test_view_as_svg_and_pdf(store: Path, tmp_path: Path) -> None:
    svg, pdf = tmp_path / "view.svg", tmp_path / "view.pdf"
    for out in (svg, pdf):
        run = casegraph(store, "view", "-o", str(out))
        assert run.returncode == 0, run.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    root = ET.parse(svg).getroot()  # well-formed XML: every text escaped
    labels = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert len(list(root.iter(f"{SVG}circle"))) >= 3  # the people and courts drawn
    assert any(label.startswith("Tempora Personova </sc") for label in labels)  # as text
    assert list(root.iter(f"{SVG}script")) == [] and list(root.iter(f"{SVG}foreignObject")) == []
    texts = _texts(svg)
    assert "Source: casegraph network view; public records only" in texts
    assert "Chrona Exemplar" in texts


def test_timeline_as_svg_and_png(store: Path, tmp_path: Path) -> None:
    svg, png = tmp_path / "timeline.svg", tmp_path / "timeline.png"
    for out in (svg, png):
        run = casegraph(store, "timeline", "tempora_personova", "-o", str(out))
        assert run.returncode == 0, run.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) >= (800, 400)
    root = ET.parse(svg).getroot()
    assert list(root.iter(f"{SVG}script")) == []
    texts = _texts(svg)
    assert "Timeline of Tempora Personova " + HOSTILE in texts  # the caption, as text
    assert "Public records only." in texts and "Source: casegraph; public records only" in texts
    for label in (
        "trial session",
        "\u2264 death sentence",
        "\u2264 execution",
        "contested #1, version 2",
    ):
        assert label in texts
    assert len(list(root.iter(f"{SVG}rect"))) >= 7  # the frame and the six dated events


def test_without_playwright_the_error_says_how_to_get_it(store: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker" / "playwright"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('blocked for the test')\n")
    out = tmp_path / "timeline.png"
    run = casegraph(
        store, "timeline", "tempora_personova", "-o", str(out), PYTHONPATH=str(blocker.parent)
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "make browser" in run.stderr and "development extra" in run.stderr
    assert not out.exists()
