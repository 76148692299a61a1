"""No query reaches the network: a corpus of obfuscated SERVICE, LOAD and FROM queries, and
fuzzed ones, aimed at a real TCP listener on 127.0.0.1 through the library, the CLI, views and
named queries. The listener must count zero connections; a control test shows it counts.

Each layer is also shown to hold alone: the guard with the sandbox's isolation switched off, and
the sandbox worker given queries that never went through the guard.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from typer.testing import CliRunner

from graph.cli import app as casegraph_app
from graph.errors import CasegraphError
from graph.namespaces import CG
from graph.queries import prepare
from graph.querying import run_query
from graph.sandbox import run_sandboxed
from graph.store import CaseStore, UnitWrite, unit_for_path

FIXTURE = Path(__file__).parent / "data" / "network" / "small.ttl"
CASEGRAPH = [sys.executable, "-m", "graph"]
CG_PREFIX = f"PREFIX cg: <{CG._NS}>\n"


class Listener:
    """A TCP server on a random loopback port that counts the connections it accepts."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.count = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.count += 1
            connection.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small network fixture: public people, each a target of a per-person request."""
    path = tmp_path_factory.mktemp("attacks") / "store"
    graph = Graph().parse(FIXTURE)
    with CaseStore.open(path) as store:
        store.replace_units([UnitWrite(unit_for_path(FIXTURE), str(FIXTURE), "t", graph)])
    return path


# @E@ is the listener's endpoint, @P@ its port; every query aims at it.
CORPUS = {
    "plain": "SELECT * WHERE { SERVICE <@E@> { ?s ?p ?o } }",
    "lower-case": "select * where { service <@E@> { ?s ?p ?o } }",
    "mixed-case": "SELECT * WHERE { SeRvIcE <@E@> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <@E@> { ?s ?p ?o } }",
    "filter-hash-trick": "SELECT * WHERE { FILTER(1<2)SERVICE#>\n<@E@> { ?s ?p ?o } }",
    "comment-before-iri": "SELECT * WHERE { SERVICE # } not here\n <@E@> { ?s ?p ?o } }",
    "comment-with-braces": "SELECT * WHERE { # { SERVICE\n SERVICE <@E@> { ?s ?p ?o } } # }",
    "keyword-u-escape": "SELECT * WHERE { \\u0053ERVICE <@E@> { ?s ?p ?o } }",
    "keyword-inner-escape": "SELECT * WHERE { SERV\\u0049CE <@E@> { ?s ?p ?o } }",
    "keyword-U-escape": "SELECT * WHERE { \\U00000053ERVICE <@E@> { ?s ?p ?o } }",
    "iri-escapes": "SELECT * WHERE { SERVICE <http\\u003A//127.0.0.1:@P@/s> { ?s ?p ?o } }",
    "prefixed-iri": "PREFIX ep: <http://127.0.0.1:@P@/> SELECT * { SERVICE ep:sparql { ?s ?p ?o } }",
    "base-relative": "BASE <http://127.0.0.1:@P@/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
    "values-variable": "SELECT * { VALUES ?e { <@E@> } SERVICE ?e { ?s ?p ?o } }",
    "bind-variable": 'SELECT * { BIND(IRI("@E@") AS ?e) SERVICE ?e { ?s ?p ?o } }',
    "bind-concat": 'SELECT * { BIND(IRI(CONCAT("http://127.0.0.1:", "@P@", "/x")) AS ?e)'
    " SERVICE SILENT ?e { ?s ?p ?o } }",
    "dollar-variable": "SELECT * { VALUES $e { <@E@> } SERVICE $e { ?s ?p ?o } }",
    "lateral-per-person": CG_PREFIX + "SELECT * { ?person cg:name ?name ."
    ' BIND(IRI(CONCAT("@E@?who=", ENCODE_FOR_URI(?name))) AS ?endpoint)'
    " LATERAL { SERVICE SILENT ?endpoint { ?s ?p ?o } } }",
    "lateral-plain": "SELECT * { ?s ?p ?o LATERAL { SERVICE <@E@> { ?a ?b ?c } } }",
    "subquery": "SELECT * { { SELECT * { SERVICE <@E@> { ?s ?p ?o } } } }",
    "deep-subquery": "SELECT * { { SELECT * { { SELECT * { SERVICE SILENT <@E@> {} } } } } }",
    "optional": "SELECT * { ?s ?p ?o OPTIONAL { SERVICE SILENT <@E@> { ?s ?q ?r } } }",
    "union": "SELECT * { { ?s ?p ?o } UNION { SERVICE <@E@> { ?s ?p ?o } } }",
    "minus": "SELECT * { ?s ?p ?o MINUS { SERVICE SILENT <@E@> { ?s ?p ?o } } }",
    "filter-exists": "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <@E@> { ?s ?p ?o } } }",
    "filter-not-exists": "SELECT * { ?s ?p ?o FILTER NOT EXISTS { SERVICE <@E@> {} } }",
    "graph": "SELECT * { GRAPH ?g { SERVICE SILENT <@E@> { ?s ?p ?o } } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <@E@> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE <@E@> { ?s ?p ?o } }",
    "ask": "ASK { SERVICE SILENT <@E@> { ?s ?p ?o } }",
    "from": "SELECT * FROM <@E@> WHERE { ?s ?p ?o }",
    "from-named": "SELECT * FROM NAMED <@E@> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "from-prefixed": "PREFIX ep: <http://127.0.0.1:@P@/> SELECT * FROM ep:g { ?s ?p ?o }",
    "from-base": "BASE <http://127.0.0.1:@P@/> SELECT * FROM NAMED <g> { ?s ?p ?o }",
    "construct-from": "CONSTRUCT { ?s ?p ?o } FROM <@E@> WHERE { ?s ?p ?o }",
    "load": "LOAD <@E@>",
    "load-silent-into": "LOAD SILENT <@E@> INTO GRAPH <urn:casegraph-test:g>",
    "insert-where-service": "INSERT { ?s ?p ?o } WHERE { SERVICE <@E@> { ?s ?p ?o } }",
    "query-then-load": "SELECT * {} ; LOAD <@E@>",
    "cyrillic-lookalike": "SELECT * { S\u0415RVICE <@E@> { ?s ?p ?o } }",
    "fullwidth": "SELECT * { \uff33\uff25\uff32\uff36\uff29\uff23\uff25 <@E@> { ?s ?p ?o } }",
    "whitespace": "SELECT * {\tSERVICE\r\n\x0c<@E@>\n{ ?s ?p ?o } }",
    "no-whitespace": "SELECT*{SERVICE<@E@>{?s ?p ?o}}",
    "parentheses": "SELECT * { FILTER((((1<2))))SERVICE<@E@>{} }",
    "in-a-string": 'SELECT * { ?s ?p "x\\" } SERVICE <@E@> { ?s ?p ?o } \\"" }',
    "long-string-quotes": "SELECT * { ?s ?p '''a'''' . SERVICE <@E@> { ?s ?p ?o } }",
    "hash-in-iri": "SELECT * { ?s <urn:casegraph-test:x#> ?o . SERVICE <@E@> { } }",
    "escaped-local-name": "PREFIX e: <urn:x:> SELECT * { ?s e:a\\#b ?o .\n SERVICE <@E@> {} }",
    "service-in-values-position": "SELECT * { SERVICE <@E@> {} } VALUES ?x { 1 }",
    # rdflib expands \u escapes before parsing, the engine does not: to rdflib the SERVICE below
    # is inside a string, to the engine it is code. The engine is given rdflib's text.
    "escape-differential": 'SELECT * { ?s ?p ?o FILTER(?o NOT IN ("a\\u0022, " ) )'
    ' SERVICE SILENT <@E@> {} #"))\n }',
    "nested-service": "SELECT * { SERVICE <@E@> { SERVICE <@E@> { ?s ?p ?o } } }",
}


def _aimed(template: str, port: int) -> str:
    return template.replace("@E@", f"http://127.0.0.1:{port}/sparql").replace("@P@", str(port))


def _attempt(store: CaseStore, text: str) -> None:
    with contextlib.suppress(CasegraphError):  # refused or failed: fine, if nothing connected
        run_query(store, text, timeout=60)


def test_the_corpus_is_large() -> None:
    assert len(CORPUS) >= 40


def test_the_listener_counts_a_plain_connection() -> None:
    """Control: the listener is real, so its zero counts below mean something."""
    own = Listener()
    try:
        with socket.create_connection(("127.0.0.1", own.port), timeout=10):
            pass
        own.thread.join(timeout=0.5)
        for _ in range(200):  # hang guard: the accept happens on the listener's thread
            if own.count:
                break
            threading.Event().wait(0.02)
        assert own.count == 1
    finally:
        own.close()


@pytest.mark.parametrize("isolation", ["auto", "off"])
def test_the_library_never_connects(
    listener: Listener, store_path: Path, isolation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``off`` the guard stands alone: the worker could reach the network if asked."""
    monkeypatch.setenv("CASEGRAPH_QUERY_ISOLATION", isolation)
    with CaseStore.open(store_path) as store, ThreadPoolExecutor(4) as pool:
        store.engine_dir()
        list(pool.map(lambda t: _attempt(store, _aimed(t, listener.port)), CORPUS.values()))
    assert listener.count == 0


@pytest.mark.parametrize("isolation", ["auto", "seccomp"])
def test_the_worker_alone_never_connects(
    listener: Listener, store_path: Path, isolation: str
) -> None:
    """Past the guard, straight into the worker: its isolation alone stops every request."""

    def attempt(template: str) -> str:
        try:
            run_sandboxed(engine, _aimed(template, listener.port), isolation=isolation)
        except CasegraphError as error:
            return str(error)
        return "ran"

    with CaseStore.open(store_path) as store, ThreadPoolExecutor(4) as pool:
        engine = store.engine_dir()
        outcomes = dict(zip(CORPUS, pool.map(attempt, CORPUS.values()), strict=True))
    assert listener.count == 0
    assert "the query failed" in outcomes["plain"]  # a clear error, not a silent empty answer


def test_the_cli_never_connects(listener: Listener, store_path: Path) -> None:
    """Every query of the corpus through the command's code (in process; the worker is real)."""
    runner = CliRunner()
    for template in CORPUS.values():
        text = _aimed(template, listener.port)
        result = runner.invoke(casegraph_app, ["--store", str(store_path), "query", text])
        assert result.exception is None or isinstance(result.exception, CasegraphError)
    assert listener.count == 0


def test_views_never_connect(listener: Listener, store_path: Path) -> None:
    """Every query of the corpus through the function ``view --query`` calls, on one network."""
    from graph.network.build import build_view, network_from_store

    with CaseStore.open(store_path) as store:
        network = network_from_store(store)
        for template in CORPUS.values():
            with contextlib.suppress(CasegraphError):
                build_view(store, network, query=_aimed(template, listener.port))
    assert listener.count == 0


SUBPROCESS_SAMPLE = [
    "filter-hash-trick",
    "keyword-u-escape",
    "lateral-per-person",
    "from-base",
    "in-a-string",
]


def test_real_commands_never_connect(listener: Listener, store_path: Path, tmp_path: Path) -> None:
    """``casegraph query``, ``view --query`` and named queries with parameters, as processes."""
    hostile = f'x" }} SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} #'
    declared = tmp_path / "declared.rq"
    declared.write_text(
        "# Purpose: a user's named query that asks for an endpoint as a parameter.\n"
        "# Parameters:\n#   endpoint iri optional where to send the names\n# Columns: s\n"
        "SELECT ?endpoint ?s WHERE { ?s ?p ?o SERVICE SILENT ?endpoint { ?s ?p ?o } }\n",
        encoding="utf-8",
    )
    endpoint = f"endpoint=http://127.0.0.1:{listener.port}/"
    commands = [["query", "death-sentences", "--param", f"branch={hostile}"]]
    commands += [["query", "reliable-facts", "--param", f"grade={hostile}"]]
    commands += [["query", str(declared), "--param", endpoint]]
    for name in SUBPROCESS_SAMPLE:
        text = _aimed(CORPUS[name], listener.port)
        commands += [["query", "--include-restricted", text]]
        commands += [["view", "--query", text, "-o", str(tmp_path / f"{name}.html")]]
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_QUERY_ISOLATION"}
    processes = [
        subprocess.Popen(
            [*CASEGRAPH, "--store", str(store_path), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for args in commands
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode in (0, 1) and "Traceback" not in err, err
    assert listener.count == 0


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("query", "SELECT * WHERE " + "{" * 5000 + "}" * 5000),
        ("query", "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }"),
        ("view", "SELECT * WHERE " + "{" * 5000 + "}" * 5000),
        ("view", "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }"),
    ],
    ids=["query-braces", "query-parens", "view-braces", "view-parens"],
)
def test_deep_nesting_is_a_clear_error(
    store_path: Path, tmp_path: Path, command: str, text: str
) -> None:
    args = ["query", text] if command == "query" else ["view", "--query", text]
    if command == "view":
        args += ["-o", str(tmp_path / "deep.html")]
    result = subprocess.run(
        [*CASEGRAPH, "--store", str(store_path), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode not in (0, 139, -11)
    assert "nested" in result.stderr and "the limit is 64" in result.stderr
    assert "Traceback" not in result.stderr


# --- fuzzing ----------------------------------------------------------------------------------

KEYWORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ervice"]
GAPS = [" ", "", "\t", "\n", "# x }\n", "#>\n", "\r\n ", " /* */ "]
ENDPOINTS = ["<@E@>", "?e", "$e", "ep:x", "<x>", "<http\\u003A//127.0.0.1:@P@/>"]
WRAPPERS = [
    "{}",
    "OPTIONAL {{ {} }}",
    "{{ SELECT * {{ {} }} }}",
    "LATERAL {{ {} }}",
    "FILTER EXISTS {{ {} }}",
    "{{ ?a ?b ?c }} UNION {{ {} }}",
    "MINUS {{ {} }}",
    "GRAPH ?g {{ {} }}",
    'FILTER(1<2) ?s ?p "{}"',
    "# {}\n",
]
PROLOGUES = [
    "",
    "PREFIX ep: <http://127.0.0.1:@P@/> ",
    "BASE <http://127.0.0.1:@P@/> ",
    "PREFIX ep: <http://127.0.0.1:@P@/> BASE <http://127.0.0.1:@P@/> ",
]
BINDERS = ["", "VALUES ?e { <@E@> } ", 'BIND(IRI("@E@") AS ?e) ', "VALUES $e { ep:x } "]


@st.composite
def service_queries(draw: st.DrawFn) -> str:
    keyword = draw(st.sampled_from(KEYWORDS)) + draw(st.sampled_from(["", " SILENT", " silent"]))
    call = f"{keyword}{draw(st.sampled_from(GAPS))}{draw(st.sampled_from(ENDPOINTS))}"
    call += draw(st.sampled_from(GAPS)) + "{ ?s ?p ?o }"
    body = draw(st.sampled_from(BINDERS)) + draw(st.sampled_from(WRAPPERS)).format(call)
    form = draw(st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]))
    return f"{draw(st.sampled_from(PROLOGUES))}{form} WHERE {{ {body} }}"


@given(service_queries())
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_fuzzed_service_queries_are_refused_or_never_connect(
    listener: Listener, store_path: Path, text: str
) -> None:
    """What passes the guard runs twice: with no isolation (the guard alone) and sandboxed."""
    aimed = _aimed(text, listener.port)
    try:
        prepared = prepare(aimed)
    except CasegraphError:
        return
    with CaseStore.open(store_path) as store:
        for isolation in ("off", "auto"):
            with contextlib.suppress(CasegraphError):
                engine = store.engine_dir()
                run_sandboxed(engine, prepared.text, prepared.bindings, 60, isolation=isolation)
    assert listener.count == 0


@given(st.text(max_size=200))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_junk_through_the_whole_path_gives_only_plain_errors(store_path: Path, text: str) -> None:
    with CaseStore.open(store_path) as store:
        _attempt(store, text)
