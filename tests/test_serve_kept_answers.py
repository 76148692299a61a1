"""The server's named queries read the answer kept for the store's version, as ``casegraph
query`` does: the same rows as the query run afresh, kept in the public scope only for a public
server, and never holding a canary."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serve_support import ROOT, Server, load, running

QUERIES = ("single-source-facts", "corroborated-facts", "death-sentences-per-branch")
CANARY_FIXTURES = ROOT / "tests" / "data" / "canaries"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = tmp_path_factory.mktemp("serve-kept")
    store = folder / "store"
    load(store, ROOT / "data", CANARY_FIXTURES)
    with running(store) as started:
        yield started, store


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name", QUERIES)
def test_a_named_query_is_kept_and_answers_as_the_query_run_afresh(
    served: tuple[Server, Path], name: str
) -> None:
    server, store = served
    with httpx.Client(base_url=server.url, timeout=300) as http:
        kept = http.get(f"/queries/{name}", params={"format": "csv"})
        again = http.get(f"/queries/{name}", params={"format": "csv"})
        text = (ROOT / "ontology" / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        fresh = http.post("/sparql", data={"query": text}, headers={"Accept": "text/csv"})
    assert kept.status_code == again.status_code == fresh.status_code == 200, fresh.text[:300]
    assert _rows(kept.text) == _rows(again.text) == _rows(fresh.text)
    assert _rows(kept.text), "the query answers something on data/"
    answers = list(store.glob(f"derived/*/query-v1-*-{name}-all-*"))
    assert [p.name.split("-")[2] for p in answers] == ["public"]


def test_the_kept_answers_of_a_public_server_hold_no_canary(served: tuple[Server, Path]) -> None:
    server, store = served
    with httpx.Client(base_url=server.url, timeout=300) as http:
        for name in QUERIES:
            assert http.get(f"/queries/{name}", params={"format": "csv"}).status_code == 200
    canaries = _canaries()
    kept = [f for f in store.glob("derived/*/query-v1-*/**/*") if f.is_file()]
    assert kept
    for path in kept:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [c for c in canaries if c in text], path


def _canaries() -> list[str]:
    """The canary strings the fixtures plant in restricted records."""
    from tests.test_canaries import CANARIES

    return list(CANARIES)
