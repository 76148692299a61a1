"""What ``casegraph serve`` publishes: public records only, on every page and endpoint, whatever
the query; restricted ones only to a request carrying the token printed at start-up (never
logged); strict security headers; escaped output; loopback unless --public-host.

The store holds the canary fixture (every restricted text and id carries a ``CANARYx…`` string)
and one public person whose name is an HTML injection."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest
from canary_support import CASE_FIXTURES, all_canaries, leaks
from serve_support import ROOT, Server, load, running

from graph.queries import list_queries

CANARIES = all_canaries(CASE_FIXTURES)
INJECTED = '<script>alert("Testa")</script><img src=x onerror=alert(1)> Injecta Personova'
_IDS = re.compile(r"^\s*- id: (\S+)", re.MULTILINE)
IDS = sorted({i for p in CASE_FIXTURES.glob("*.yaml") for i in _IDS.findall(p.read_text())})
PUBLIC_IDS = [i for i in IDS if "CANARY" not in i] + ["injecta_personova"]
RESTRICTED_IDS = [i for i in IDS if "CANARY" in i]

#: Queries that would return everything the engine holds, named graphs included.
EVERYTHING = [
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
]


def _injection_file(folder: Path) -> Path:
    path = folder / "injection.yaml"
    path.write_text(
        "casegraph: 1\nvisibility: public\n\nsources:\n"
        "  - id: src_injecta\n    title: Injecta Gazette report\n    publisher: Injecta Gazette\n"
        "    reliability: low\n\npeople:\n  - id: injecta_personova\n"
        f"    name: '{INJECTED}'\n    sources: [src_injecta]\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-security")
    store = folder / "store"
    load(store, CASE_FIXTURES, _injection_file(folder))
    with running(store, "--include-restricted") as started:
        assert started.token
        yield started


def _pages() -> list[str]:
    """Every page and endpoint address a visitor can reach without a query of their own."""
    pages = ["/", "/?format=csv", "/?format=json", "/queries", "/query", "/events?run=1"]
    pages += ["/events?run=1&format=csv", "/events?run=1&format=json", "/sparql"]
    for kind in ("judge", "court"):
        pages += [f"/reports/{kind}", f"/reports/{kind}?format=csv", f"/reports/{kind}?format=json"]
    for text in ("Test", "Testova", "Publio", "CANARYx", "Publicton", "پوبلیو", "Injecta"):
        pages += [f"/search?q={text}", f"/search?q={text}&format=json"]
    pages += [f"/entity/{rid}" for rid in PUBLIC_IDS + RESTRICTED_IDS]
    for rid in PUBLIC_IDS[:3] + RESTRICTED_IDS:  # a restricted id must not even give a hint
        pages += [f"/entity/{rid}?format=json", f"/events?person={rid}"]
    pages += [f"/entity/{rid}/view" for rid in ("publio_testov", "court_publicton")]
    for query in list_queries():
        first = {p.name: "publio_testov" for p in query.parameters if p.required}
        extra = "&".join(f"{k}={v}" for k, v in first.items())
        pages += [
            f"/queries/{query.name}?run=1&{extra}",
            f"/queries/{query.name}?{extra}&format=json",
        ]
    return pages


def _unasked(page: str, text: str) -> set[str]:
    """The canaries in an answer, less what the address itself asked for (a search text, an id
    in the path): a page may say "no entity called X" about the X it was given."""
    address = urlsplit(page)
    asked = [unquote(part) for part in address.path.split("/")]
    asked += [value for _, value in parse_qsl(address.query)]
    for value in sorted((a for a in asked if leaks(a, CANARIES)), key=len, reverse=True):
        text = re.sub(re.escape(value), "", text, flags=re.IGNORECASE)
    return leaks(text, CANARIES)


def test_no_page_and_no_endpoint_shows_a_restricted_record(server: Server) -> None:
    found: dict[str, set[str]] = {}
    with httpx.Client(base_url=server.url, timeout=120) as client:
        for page in _pages():
            answer = client.get(page, headers={"Accept": "text/html"})
            assert answer.status_code in (200, 400, 404), (page, answer.status_code, answer.text)
            if hit := _unasked(page, answer.text):
                found[page] = hit
        for text in EVERYTHING:
            for accept in ("application/sparql-results+json", "text/turtle", "text/csv"):
                answer = client.get("/sparql", params={"query": text}, headers={"Accept": accept})
                if answer.status_code == 406:
                    continue
                assert answer.status_code == 200, answer.text
                if hit := leaks(answer.text, CANARIES):
                    found[f"{text} as {accept}"] = hit
            wrong = client.post(
                "/sparql",
                data={"query": text},
                headers={"Authorization": "Bearer not-the-token", "Accept": "text/turtle"},
            )
            if hit := leaks(wrong.text, CANARIES):
                found[f"{text} with a wrong token"] = hit
    assert found == {}


def test_the_token_unlocks_restricted_records(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token}", "Accept": "text/turtle"}
    with httpx.Client(base_url=server.url, timeout=120) as client:
        everything = client.get("/sparql", params={"query": EVERYTHING[0]}, headers=headers)
        assert len(leaks(everything.text, CANARIES)) > 20
        marks = client.get("/sparql", params={"query": EVERYTHING[1]}, headers=headers)
        assert (
            "urn:casegraph"
            in client.get(
                "/sparql",
                params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                headers={"Authorization": f"Bearer {server.token}", "Accept": "text/csv"},
            ).text
        )
        assert marks.status_code == 200
        page = client.get(
            f"/entity/{RESTRICTED_IDS[0]}", headers={"Authorization": headers["Authorization"]}
        )
        assert page.status_code == 200 and leaks(page.text, CANARIES)
        assert "Restricted records are shown" in page.text
        public = client.get(f"/entity/{RESTRICTED_IDS[0]}")
        assert public.status_code == 404
    # The token was printed once at start-up, and never written to the log.
    assert server.announced.count(server.token) == 1  # type: ignore[arg-type]
    assert server.token not in server.logged()  # type: ignore[operator]
    assert "GET /sparql" in server.logged()  # the log was written, so the check means something


def test_the_access_log_keeps_no_query_string(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.get("/search", params={"q": "Logova Searchedova"}).status_code == 200
    logged = server.logged()
    assert "GET /search " in logged  # the request was logged, without what was searched for
    assert "Searchedova" not in logged


def test_security_headers_on_every_kind_of_answer(server: Server) -> None:
    for page in ("/", "/search?q=Publio", "/entity/publio_testov", "/static/style.css", "/nope"):
        answer = httpx.get(server.url + page)
        assert answer.headers["content-security-policy"].startswith("default-src 'self'"), page
        assert "'unsafe-inline'" not in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
    sparql = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert sparql.headers["x-content-type-options"] == "nosniff"
    view = httpx.get(f"{server.url}/entity/publio_testov/view")
    policy = view.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "connect-src" not in policy


def test_no_inline_script_and_no_outside_asset(server: Server) -> None:
    for page in ("/", "/search?q=Publio", "/entity/publio_testov", "/events?run=1", "/query"):
        html = httpx.get(server.url + page).text
        assert "<script" not in html.lower() and " on" + "click=" not in html.lower()
        for link in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert not re.match(r"^[a-z]+:|^//", link), (page, link)


def test_an_injected_name_is_escaped(server: Server) -> None:
    for page in (
        "/entity/injecta_personova",
        "/search?q=Injecta",
        "/events?person=injecta_personova&run=1",
    ):
        html = httpx.get(server.url + page).text
        assert "<script>alert" not in html and "<img src=x" not in html, page
    entity = httpx.get(f"{server.url}/entity/injecta_personova").text
    assert "&lt;script&gt;alert(&#34;Testa&#34;)&lt;/script&gt;" in entity


def test_a_request_for_another_host_name_is_refused(server: Server) -> None:
    """A page elsewhere cannot reach the server by a name it points at 127.0.0.1 (DNS rebinding)."""
    rebound = httpx.get(f"{server.url}/", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400
    assert httpx.get(f"{server.url}/", headers={"Host": "localhost"}).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "::", "example.org"])
def test_a_non_loopback_host_is_refused(tmp_path: Path, host: str) -> None:
    store = tmp_path / "store"
    store.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "graph", "serve", "--store", str(store), "--host", host],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "--host" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
