"""The SPARQL 1.1 Protocol endpoint of ``casegraph serve``, run as a real server on a free loopback
port over a store of ``data/``, asked by real clients (SPARQLWrapper, rdflib's SPARQLStore, httpx):
the same rows as ``casegraph query``, content negotiation, the service description, the 400, 403
and 503 answers, and a time limit that stops one query while the server answers another."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from serve_support import ROOT, Server, casegraph, load, running
from SPARQLWrapper import JSON, SPARQLWrapper

from graph.queries import list_queries
from graph.querying import run_query
from graph.store import CaseStore

#: Values for the required parameters of named queries: a name where a record id is expected too.
REQUIRED = {"entity": "javid_khales", "person": "Javid Khales", "judge": "j_salavati"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve-sparql") / "store"
    load(path, ROOT / "data")
    return path


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Server]:
    with running(store, "--query-timeout", "2") as started:
        yield started


def _cells(bindings: list[dict[str, dict[str, str]]]) -> list[str]:
    """SPARQL JSON rows as sortable text (the order of equal sort keys is not fixed)."""
    return sorted(json.dumps(row, sort_keys=True) for row in bindings)


def _expected(store: Path, name: str, params: dict[str, str]) -> dict:
    """What ``casegraph query NAME --format json`` answers (the library call the command makes)."""
    with CaseStore.open(store, public=True) as reading:
        return json.loads(run_query(reading, name, params, "json"))


def test_every_named_query_gives_the_rows_of_casegraph_query(server: Server, store: Path) -> None:
    checked = 0
    for query in list_queries():
        required = {p.name: REQUIRED[p.name] for p in query.parameters if p.required}
        mine = _expected(store, query.name, required)
        expected = _cells(mine["results"]["bindings"])
        if required:  # parameters travel as bindings: the named-query address takes them
            answer = httpx.get(f"{server.url}/queries/{query.name}", params=required, timeout=60)
            assert answer.status_code == 200, answer.text
            assert _cells(answer.json()["results"]["bindings"]) == expected, query.name
            assert expected, f"{query.name} found nothing: the comparison would prove nothing"
        else:  # the text itself through the standard protocol, by two unchanged clients
            client = SPARQLWrapper(f"{server.url}/sparql")
            client.setQuery(query.text)
            client.setReturnFormat(JSON)
            rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
            assert _cells(rows) == expected, query.name
            remote = Graph(SPARQLStore(f"{server.url}/sparql"), bind_namespaces="none")
            got = sorted(
                tuple("" if t is None else t.n3() for t in row)  # type: ignore[union-attr]
                for row in remote.query(query.text)
            )
            want = sorted(
                tuple(_n3(row.get(v)) for v in mine["head"]["vars"])
                for row in mine["results"]["bindings"]
            )
            assert got == want, query.name
        checked += 1
    assert checked == len(list_queries()) >= 20


def _n3(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    from rdflib import Literal, URIRef

    if "xml:lang" in term:
        return Literal(term["value"], lang=term["xml:lang"]).n3()
    datatype = term.get("datatype")
    return Literal(term["value"], datatype=URIRef(datatype) if datatype else None).n3()


def test_a_named_query_by_url_matches_the_real_command(server: Server, store: Path) -> None:
    """One real ``casegraph query`` process, its CSV against the CSV download of the same query."""
    done = casegraph(
        "--store", str(store), "query", "death-sentences", "--param", "court=c_tehran_rev_b15",
        "--format", "csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = httpx.get(
        f"{server.url}/queries/death-sentences",
        params={"court": "Tehran Revolutionary Court, Branch 15", "format": "csv"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert sorted(csv.reader(io.StringIO(answer.text))) == sorted(
        csv.reader(io.StringIO(done.stdout))
    )
    assert len(done.stdout.splitlines()) > 2


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"vars"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "n\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?n\n"),
        ("text/html;q=0.9, text/csv", "text/csv", "n\r\n"),
        ("*/*", "application/sparql-results+json", '"bindings"'),
    ],
)
def test_select_answers_in_the_format_asked(
    server: Server, accept: str, media: str, marker: str
) -> None:
    answer = httpx.get(f"{server.url}/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert marker in answer.text


@pytest.mark.parametrize(
    ("accept", "media", "parse"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_in_the_format_asked(
    server: Server, accept: str, media: str, parse: str
) -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 25"
    for post in (False, True):  # a GET, and a POST of the query itself
        if post:
            answer = httpx.post(
                f"{server.url}/sparql",
                content=text.encode(),
                headers={"Accept": accept, "Content-Type": "application/sparql-query"},
            )
        else:
            answer = httpx.get(
                f"{server.url}/sparql", params={"query": text}, headers={"Accept": accept}
            )
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].split(";")[0] == media
        assert len(Graph().parse(data=answer.text, format=parse)) == 25


def test_post_form_and_ask(server: Server) -> None:
    answer = httpx.post(
        f"{server.url}/sparql",
        data={"query": "ASK { ?s a ?type }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200 and answer.json() == {"head": {}, "boolean": True}


def test_service_description(server: Server) -> None:
    answer = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    described = Graph().parse(data=answer.text, format="turtle")
    found = described.query(
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "ASK { ?s a sd:Service ; sd:supportedLanguage sd:SPARQL11Query ; sd:endpoint ?e }"
    )
    assert found.askAnswer
    assert "SPARQL11Update" not in answer.text  # read-only


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", 403),
        ("DELETE WHERE { ?s ?p ?o }", 403),
        ("LOAD <http://127.0.0.1:9/data.ttl>", 400),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 400),
        ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", 400),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", 400),
        ("SELECT * WHERE { " + "{ " * 200 + "?s ?p ?o" + " }" * 200 + " }", 400),
        ("SELECT * WHERE { ?s ?p", 400),
        ("death-sentences", 400),  # a query text is never taken for a named query's name
        (str(ROOT / "ontology" / "queries" / "death-sentences.rq"), 400),  # nor for a file
    ],
)
def test_refusals(server: Server, query: str, status: int) -> None:
    for method in ("GET", "POST"):
        if method == "GET":
            answer = httpx.get(f"{server.url}/sparql", params={"query": query})
        else:
            answer = httpx.post(f"{server.url}/sparql", data={"query": query})
        assert answer.status_code == status, answer.text
        assert "Traceback" not in answer.text


def test_a_body_too_large_is_refused_before_it_is_read_whole(server: Server) -> None:
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 3_000_000
    answer = httpx.post(
        f"{server.url}/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert answer.status_code == 413


def test_update_requests_are_forbidden(server: Server) -> None:
    as_form = httpx.post(f"{server.url}/sparql", data={"update": "DROP ALL"})
    direct = httpx.post(
        f"{server.url}/sparql",
        content=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert as_form.status_code == direct.status_code == 403
    dataset = httpx.get(
        f"{server.url}/sparql",
        params={"query": COUNT, "default-graph-uri": "http://127.0.0.1:9/g"},
    )
    assert dataset.status_code == 400


def test_a_query_past_its_time_is_stopped_while_others_are_answered(server: Server) -> None:
    """A cartesian COUNT(*) over the store is stopped (503) at --query-timeout 2; a request sent
    while it runs is answered. Ordered by events, not by clocks."""
    slow: dict[str, httpx.Response] = {}
    started = threading.Event()

    def ask_slow() -> None:
        started.set()
        slow["answer"] = httpx.get(
            f"{server.url}/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
            timeout=120,
        )

    thread = threading.Thread(target=ask_slow)
    thread.start()
    started.wait()
    quick = []
    while thread.is_alive() and len(quick) < 200:
        quick.append(
            httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        )
    thread.join(timeout=300)
    assert slow["answer"].status_code == 503, slow["answer"].text
    assert "time limit of 2 s" in slow["answer"].text
    assert quick and all(a.status_code == 200 for a in quick)
    assert httpx.get(f"{server.url}/sparql", params={"query": COUNT}).status_code == 200


def test_not_acceptable_and_unknown_query(server: Server) -> None:
    odd = httpx.get(
        f"{server.url}/sparql", params={"query": COUNT}, headers={"Accept": "image/png"}
    )
    assert odd.status_code == 406
    missing = httpx.get(f"{server.url}/queries/no-such-query", headers={"Accept": "text/csv"})
    assert missing.status_code == 404
    bad_param = httpx.get(
        f"{server.url}/queries/death-sentences", params={"court": "Nowhere Testcourt"}
    )
    assert bad_param.status_code == 400 and "court" in bad_param.text
