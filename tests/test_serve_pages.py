"""The pages of ``casegraph serve`` over a store of ``data/``: what a journalist does without a
terminal (find Javid Khales, read his dossier with its sources, follow the links to the protest,
download the death sentences of Branch 15 as CSV), each page by httpx, then the same walk clicked
through in headless Chromium with every request outside the server blocked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_support import ROOT, Server, load, running

CHROMIUM = Path("/usr/bin/chromium")
PERSON = "https://w3id.org/casegraph/ontology#Person"
INJECTED = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2> Injecta Personova"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-pages")
    injection = folder / "injection.yaml"
    injection.write_text(
        "casegraph: 1\nvisibility: public\nsources:\n  - id: src_injecta\n"
        "    title: Injecta Gazette\n    publisher: Injecta Gazette\n    reliability: low\n"
        f"people:\n  - id: injecta_personova\n    name: '{INJECTED}'\n    sources: [src_injecta]\n",
        encoding="utf-8",
    )
    load(folder / "store", ROOT / "data", injection)
    with running(folder / "store") as started:
        yield started


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=120, headers={"Accept": "text/html"}) as http:
        yield http


def test_home_shows_the_summary(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "What the store holds" in page.text
    assert '<link rel="stylesheet" href="/static/style.css">' in page.text
    figures = client.get("/", params={"format": "csv"})
    assert figures.text.startswith("table,label,count")
    assert any(int(row[2]) > 0 for row in list(csv.reader(io.StringIO(figures.text)))[1:])


@pytest.mark.parametrize("text", ["Javid Khales", "javid", "جاويد خالص", "جاوید"])
def test_search_finds_javid_khales_in_any_spelling(client: httpx.Client, text: str) -> None:
    page = client.get("/search", params={"q": text})
    assert page.status_code == 200
    assert 'href="/entity/javid_khales"' in page.text
    found = client.get("/search", params={"q": text, "format": "json"}).json()
    assert {"id": "javid_khales", "name": "Javid Khales", "type": "person"} in found


def test_the_dossier_with_sources_names_and_links(client: httpx.Client) -> None:
    page = client.get("/entity/javid_khales")
    assert page.status_code == 200
    assert 'dir="rtl" lang="fa">جاويد خالص</span>' in page.text  # Persian beside English
    assert 'href="/entity/s_fox_20260120"' in page.text  # a source, linked
    assert 'href="/entity/p_iran_2025_26"' in page.text  # the protest
    assert 'src="/entity/javid_khales/view"' in page.text
    as_json = client.get("/entity/javid_khales", params={"format": "json"}).json()
    assert as_json["name"] == "Javid Khales"
    protest = client.get("/entity/p_iran_2025_26")
    assert protest.status_code == 200
    view = client.get("/entity/javid_khales/view")
    assert view.status_code == 200 and "Javid Khales" in view.text


def test_the_death_sentences_of_branch_15_download_as_csv(client: httpx.Client) -> None:
    form = client.get("/queries/death-sentences")
    assert 'name="court"' in form.text and "<table" not in form.text
    assert 'list="entity-names"' in form.text and '<option value="Javid Khales">' in form.text
    asked = client.get("/queries/death-sentences", params={"court": "c_tehran_rev_b15"})
    assert (
        "Mohammad Boroughani" in asked.text and 'href="/entity/mohammad_boroughani"' in asked.text
    )
    link = "/queries/death-sentences?court=c_tehran_rev_b15&amp;format=csv&amp;download=1"
    assert link in asked.text
    download = client.get(link.replace("&amp;", "&"))
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    names = {row["name"] for row in csv.DictReader(io.StringIO(download.text))}
    assert {"Mohammad Boroughani", "Mohsen Shekari"} <= names


def test_the_event_finder_with_facets_and_downloads(client: httpx.Client) -> None:
    empty = client.get("/events")
    assert '<select id="f-sentence" name="sentence">' in empty.text and "<table" not in empty.text
    found = client.get("/events", params={"sentence": "death"})
    assert found.status_code == 200 and "Abolqasem Salavati" in found.text
    assert "/events?sentence=death&amp;judge=Abolqasem+Salavati" in found.text  # a facet
    narrowed = client.get("/events", params={"sentence": "death", "judge": "Abolqasem Salavati"})
    rows = client.get("/events", params={"sentence": "death", "format": "csv"}).text
    assert narrowed.text.count("<tr>") < found.text.count("<tr>")
    assert rows.startswith("event,date") and len(rows.splitlines()) > 5
    wrong = client.get("/events", params={"person": "Testa Nobody-Personova"})
    assert wrong.status_code in (400, 404) and "Testa Nobody-Personova" in wrong.text


def test_reports_and_the_sparql_page(client: httpx.Client) -> None:
    judges = client.get("/reports/judge")
    assert judges.status_code == 200 and "Abolqasem Salavati" in judges.text
    courts = client.get("/reports/court", params={"format": "json"}).json()
    assert any("Branch 15" in row["label"] for row in courts)
    page = client.get("/query", params={"query": f"SELECT ?p WHERE {{ ?p a <{PERSON}> }} LIMIT 3"})
    assert page.status_code == 200 and page.text.count('href="/entity/') >= 3
    refused = client.get("/query", params={"query": "INSERT DATA { <urn:x:a> <urn:x:b> 1 }"})
    assert refused.status_code == 403 and "read-only" in refused.text
    assert client.get("/sparql").text.count("<textarea") == 1  # a browser gets the form


@pytest.mark.browser
def test_a_researcher_clicks_through_in_chromium(server: Server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run 'make browser'")
    blocked: list[str] = []
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone

        def route(handle: object) -> None:
            url = handle.request.url  # type: ignore[attr-defined]
            if url.startswith(server.url + "/"):
                handle.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(url)
                handle.abort()  # type: ignore[attr-defined]

        page.route("**/*", route)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        page.goto(server.url + "/")
        page.fill("#home-q", "Javid")
        page.click(".big-search button")
        page.click("text=Javid Khales")
        assert page.url.endswith("/entity/javid_khales")
        assert page.locator("h1 [lang=fa]").inner_text() == "جاويد خالص"
        page.wait_for_load_state("networkidle")
        page.click("nav >> text=Events")
        page.select_option("#f-sentence", "death")
        page.fill("#f-court", "Tehran Revolutionary Court, Branch 15")
        page.click("text=Find events")
        assert "Mohammad Boroughani" in page.content()
        page.click("nav >> text=Queries")
        page.click("a[href='/queries/death-sentences']")
        page.fill("#p-court", "Tehran Revolutionary Court, Branch 15")
        page.click("text=Run")
        assert page.locator("table tbody tr").count() >= 2
        with page.expect_download() as download:
            page.click(".downloads >> text=CSV")
        assert "Mohammad Boroughani" in Path(download.value.path()).read_text(encoding="utf-8")
        page.goto(server.url + "/search?q=Injecta")
        page.click("text=Injecta Personova")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned === undefined")
        assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()
        browser.close()
    assert blocked == []
    assert problems == []
