"""The second layer: every user query runs in a worker process that gives exactly the engine's
answer, and that time, memory, answer size, Ctrl-C, a crash or the parent's death all stop
cleanly, with a message and no worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.errors import CasegraphError, QueryInterrupted
from graph.queries import NamedQuery, list_queries, prepare
from graph.querying import run_prepared, run_query
from graph.resources import ontology_graph
from graph.sandbox import run_sandboxed
from graph.store import CaseStore, UnitWrite, unit_for_path

QUERIES = Path(__file__).parent / "data" / "queries" / "cases.ttl"
CASEGRAPH = [sys.executable, "-m", "graph"]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: A value for each required parameter of the named queries (the fixture's records).
REQUIRED = {"judge": "judge_fictivus", "person": "testa_personova", "entity": "testa_personova"}


def workers_of(parent: int) -> list[int]:
    """The query workers whose parent is ``parent`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"sandbox_worker" in command:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_worker(parent: int, hang_guard: float = 60.0) -> int:
    """The pid of ``parent``'s worker, once it has started."""
    deadline = time.monotonic() + hang_guard
    while time.monotonic() < deadline:
        found = workers_of(parent)
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError("no worker started")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    """The named-query fixture with the ontology, as the named-query tests load it."""
    graph = Graph().parse(QUERIES, format="turtle") + ontology_graph()
    path = tmp_path_factory.mktemp("sandbox") / "store"
    with CaseStore.open(path) as opened:
        opened.replace_units([UnitWrite(unit_for_path(QUERIES), str(QUERIES), "t", graph)])
        yield opened


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three thousand statements: enough for a cartesian join that never ends in time."""
    graph = Graph()
    for i in range(3000):
        graph.add((URIRef(f"urn:casegraph-test:s{i}"), URIRef("urn:casegraph-test:p"), Literal(i)))
    path = tmp_path_factory.mktemp("big") / "store"
    with CaseStore.open(path) as opened:
        opened.replace_units([UnitWrite(unit_for_path(path / "g.ttl"), "g.ttl", "t", graph)])
    return path


# --- the same answers -------------------------------------------------------------------------


@pytest.mark.parametrize("named", list_queries(), ids=lambda q: q.name)
def test_every_named_query_answers_exactly_as_in_process(
    store: CaseStore, named: NamedQuery
) -> None:
    params = {p.name: REQUIRED[p.name] for p in named.parameters if p.required}
    prepared = prepare(named.name, params)
    answer = run_prepared(store, prepared)
    columns, rows = store.select(prepared.text, prepared.bindings)
    assert answer.kind == "solutions"
    assert answer.columns == columns
    assert answer.rows == rows


def test_graphs_booleans_and_typed_bindings_come_back_intact(store: CaseStore) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    answer = run_prepared(store, prepare(construct))
    assert answer.graph is not None and len(answer.graph) > 100
    assert isomorphic(answer.graph, store.construct(construct))
    assert run_query(store, "ASK { ?s ?p ?o }") == "true"
    text = "SELECT ?when ?who ?tag WHERE { }"
    values = {"when:date": "2026-01-05", "who": 'x" } DROP ALL', "tag:id": "testa_personova"}
    prepared = prepare(text, values)
    rows = run_prepared(store, prepared).rows
    assert rows == store.select(prepared.text, prepared.bindings)[1] == [prepared.bindings]


def test_an_empty_store_answers_empty(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "never-loaded") as empty:
        assert "(0 rows)" in run_query(empty, "SELECT * WHERE { ?s ?p ?o }")


# --- limits -----------------------------------------------------------------------------------


def test_the_time_limit_stops_the_worker(big_store: Path) -> None:
    with CaseStore.open(big_store) as opened, pytest.raises(CasegraphError, match="of 1 s"):
        run_query(opened, CARTESIAN, timeout=1)
    assert workers_of(os.getpid()) == []


def test_the_memory_limit_is_a_message(big_store: Path) -> None:
    with CaseStore.open(big_store) as opened:
        engine = opened.engine_dir()
        assert run_sandboxed(engine, "ASK { ?s ?p ?o }", memory_mb=300).boolean  # opens under it
        sort = "SELECT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
        with pytest.raises(CasegraphError, match="needs more than 300 MB of memory"):
            run_sandboxed(engine, sort, memory_mb=300, timeout=120)


def test_the_answer_size_limit_is_a_message(big_store: Path) -> None:
    too_large = "answer is larger than 10,000 bytes"
    with CaseStore.open(big_store) as opened, pytest.raises(CasegraphError, match=too_large):
        run_sandboxed(opened.engine_dir(), "SELECT * WHERE { ?s ?p ?o }", max_bytes=10_000)


# --- crashes, Ctrl-C, a dying parent ----------------------------------------------------------


def test_the_engine_crashing_on_deep_nesting_is_a_message() -> None:
    """Straight to the worker, past the nesting check: the engine itself crashes."""
    text = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    with pytest.raises(CasegraphError, match=r"engine crashed \(SIGSEGV\)"):
        run_sandboxed(None, text)


def test_a_worker_killed_by_a_signal_is_a_message(big_store: Path) -> None:
    failures: list[BaseException] = []

    def long_query() -> None:
        with CaseStore.open(big_store) as opened:
            try:
                run_query(opened, CARTESIAN, timeout=120)
            except BaseException as error:
                failures.append(error)

    runner = threading.Thread(target=long_query)
    runner.start()
    os.kill(wait_for_worker(os.getpid()), signal.SIGSEGV)
    runner.join(timeout=120)
    assert not runner.is_alive()
    assert len(failures) == 1 and isinstance(failures[0], CasegraphError)
    assert "engine crashed (SIGSEGV)" in str(failures[0])


def test_ctrl_c_in_the_library_stops_the_worker(big_store: Path) -> None:
    parent = os.getpid()

    def interrupt() -> None:
        wait_for_worker(parent)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    timer = threading.Thread(target=interrupt)
    timer.start()
    with CaseStore.open(big_store) as opened, pytest.raises(QueryInterrupted, match="interrupted"):
        run_query(opened, CARTESIAN, timeout=120)
    timer.join(timeout=60)
    assert workers_of(parent) == []


def _casegraph(store: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CASEGRAPH, "--store", str(store), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_cli_timeout_stops_with_a_message(big_store: Path) -> None:
    process = _casegraph(big_store, "query", "--include-restricted", CARTESIAN, "--timeout", "2")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    assert "stopped after the time limit of 2 s" in err
    assert "Traceback" not in err and out == ""


def test_cli_ctrl_c_exits_130_and_leaves_no_worker(big_store: Path) -> None:
    process = _casegraph(big_store, "query", "--include-restricted", CARTESIAN, "--timeout", "600")
    worker = wait_for_worker(process.pid)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    for _ in range(100):  # hang guard: the worker is reaped by the command before it exits
        if not alive(worker):
            break
        time.sleep(0.05)
    assert not alive(worker)


def test_the_worker_dies_with_its_parent(big_store: Path) -> None:
    code = (
        "import sys\nfrom graph.store import CaseStore\nfrom graph.querying import run_query\n"
        f"with CaseStore.open(sys.argv[1]) as s:\n    run_query(s, {CARTESIAN!r}, timeout=600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code, str(big_store)])
    worker = wait_for_worker(parent.pid)
    parent.kill()
    parent.wait(timeout=60)
    for _ in range(200):  # hang guard
        if not alive(worker):
            break
        time.sleep(0.05)
    assert not alive(worker)


# --- isolation --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["auto", "seccomp"])
def test_the_worker_reports_its_isolation(mode: str) -> None:
    answer = run_sandboxed(None, "ASK {}", isolation=mode)
    assert answer.isolation in (("netns", "seccomp") if mode == "auto" else ("seccomp",))


def test_an_unknown_isolation_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEGRAPH_QUERY_ISOLATION", "none")
    with pytest.raises(CasegraphError, match="CASEGRAPH_QUERY_ISOLATION must be one of"):
        run_sandboxed(None, "ASK {}")


#: Run in a child process: forbid namespaces and seccomp filters (the child's own seccomp
#: filter, inherited by its workers), then ask for a query.
NO_ISOLATION = """
import ctypes, errno
from graph.sandbox_worker import _ArgCmp
lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
lib.seccomp_init.restype = ctypes.c_void_p
lib.seccomp_init.argtypes = [ctypes.c_uint32]
lib.seccomp_rule_add_array.argtypes = [
    ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_ArgCmp)
]
lib.seccomp_load.argtypes = [ctypes.c_void_p]
lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
context = lib.seccomp_init(0x7FFF0000)
deny = 0x00050000 | errno.EPERM
for name in (b"unshare", b"seccomp"):
    number = lib.seccomp_syscall_resolve_name(name)
    assert lib.seccomp_rule_add_array(context, deny, number, 0, None) == 0
set_seccomp = _ArgCmp(0, 4, 22, 0)  # prctl(PR_SET_SECCOMP, ...)
prctl = lib.seccomp_syscall_resolve_name(b"prctl")
assert lib.seccomp_rule_add_array(context, deny, prctl, 1, set_seccomp) == 0
assert lib.seccomp_load(context) == 0
from graph.errors import CasegraphError
from graph.sandbox import run_sandboxed
try:
    run_sandboxed(None, "ASK {}")
except CasegraphError as error:
    print("REFUSED:", error)
print("OFF:", run_sandboxed(None, "ASK {}", isolation="off").boolean)
"""


def test_without_any_isolation_queries_are_refused_unless_switched_off() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_ISOLATION], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    refused, switched_off = result.stdout.splitlines()
    assert refused.startswith("REFUSED: cannot run the query")
    assert "CASEGRAPH_QUERY_ISOLATION=off" in refused
    assert switched_off == "OFF: True"
