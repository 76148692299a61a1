"""Reads while loading: a ``casegraph load`` into the store a server is serving publishes a new
version; four clients querying in a loop meanwhile get no error, and every answer is the old
version's or the new one's, never a half-loaded state. Bounded by counts of requests, not by
clocks: the clients run until the load has finished, then a few requests more."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_support import ROOT, Server, load, running

FIXTURE = ROOT / "tests" / "data" / "example-case.yaml"
PEOPLE = 300
AFTER = 3  # requests each client makes once the load has finished
COUNT = (
    "PREFIX cg: <https://w3id.org/casegraph/ontology#> "
    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a cg:Person }"
)


def _many_people(folder: Path) -> Path:
    """A public file of fictional people (one load adds them all, or none)."""
    lines = [
        "casegraph: 1",
        "visibility: public",
        "sources:",
        "  - id: src_loadova",
        "    title: Loadova Gazette roll",
        "    publisher: Loadova Gazette",
        "    reliability: low",
        "people:",
    ]
    for number in range(PEOPLE):
        lines += [
            f"  - id: testa_loadova_{number:03d}",
            f"    name: Testa Loadova {number:03d}",
            "    sources: [src_loadova]",
        ]
    path = folder / "many-people.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    store = tmp_path / "store"
    load(store, FIXTURE)
    with running(store) as server:
        yield server, store


def _count(client: httpx.Client) -> int:
    answer = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200, answer.text
    return int(answer.text.split()[1])


def _summary(client: httpx.Client) -> str:
    answer = client.get("/", params={"format": "json"})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_load_while_four_clients_query(served: tuple[Server, Path], tmp_path: Path) -> None:
    server, store = served
    with httpx.Client(base_url=server.url, timeout=120) as client:
        old_count, old_summary = _count(client), _summary(client)
    load_done = threading.Event()
    started = [threading.Event() for _ in range(4)]
    answers: list[list[tuple[int, str, bool]]] = [[] for _ in range(4)]
    errors: list[BaseException] = []

    def ask(index: int) -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                after = 0
                while after < AFTER:
                    finished_before = load_done.is_set()
                    answers[index].append((_count(client), _summary(client), finished_before))
                    started[index].set()
                    after += finished_before
        except BaseException as error:
            errors.append(error)
            started[index].set()

    clients = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for thread in clients:
        thread.start()
    for event in started:
        event.wait(timeout=300)  # a hang guard only
    loading = subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store), "load", str(_many_people(tmp_path))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    load_done.set()
    for thread in clients:
        thread.join(timeout=600)
    assert loading.returncode == 0, loading.stdout + loading.stderr
    assert errors == []
    with httpx.Client(base_url=server.url, timeout=120) as client:
        new_count, new_summary = _count(client), _summary(client)
    assert new_count == old_count + PEOPLE and new_summary != old_summary
    seen = [answer for answers_of_one in answers for answer in answers_of_one]
    assert all(count in (old_count, new_count) for count, _, _ in seen)
    assert all(summary in (old_summary, new_summary) for _, summary, _ in seen)
    # Once a client has seen the new version it never sees the old one again, and every request
    # that started after the load ended saw the new version.
    for one in answers:
        counts = [count for count, _, _ in one]
        assert counts == sorted(counts, key=lambda count: count == new_count)
    assert all(
        count == new_count and summary == new_summary for count, summary, after in seen if after
    )
    assert sum(1 for _, _, after in seen if not after) >= 4  # the clients did run during the load
