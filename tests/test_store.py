"""The on-disk store: all-or-nothing writes, per-file replacement, locks between processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.errors import StoreInUse
from graph.namespaces import CG, ID
from graph.store import CaseStore, UnitWrite, unit_for_path


def _graph(*names: str) -> Graph:
    g = Graph()
    for name in names:
        g.add((ID[name], RDF.type, CG.Person))
        g.add((ID[name], CG.name, Literal(name.replace("_", " ").title())))
    return g


def _write(path: Path, graph: Graph) -> UnitWrite:
    return UnitWrite(unit_for_path(path), str(path), "sum", graph)


def _people(store: CaseStore) -> set[str]:
    _, rows = store.select(
        "SELECT ?n ?c ?name WHERE { ?p a ?c ; ?name ?n }", {"c": CG.Person, "name": CG.name}
    )
    return {str(r["n"]) for r in rows}


def test_store_persists_on_disk_and_reopens(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "s") as store:
        store.replace_units([_write(tmp_path / "a.yaml", _graph("testa_personova"))])
    with CaseStore.open(tmp_path / "s") as store:
        assert _people(store) == {"Testa Personova"}
        assert [u.path for u in store.units()] == [str(tmp_path / "a.yaml")]


def test_replacing_a_unit_removes_only_what_it_contributed(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    with CaseStore.open(tmp_path / "s") as store:
        store.replace_units(
            [
                _write(a, _graph("testa_personova", "shared_person")),
                _write(b, _graph("shared_person", "other_person")),
            ]
        )
        store.replace_units([_write(a, _graph("new_person"))])
        assert _people(store) == {"New Person", "Shared Person", "Other Person"}
        store.replace_units([_write(a, _graph("new_person"))])
        _, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(rows[0]["n"]) == 6


def test_a_failed_write_leaves_the_store_exactly_as_it_was(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "s") as store:
        store.replace_units([_write(tmp_path / "a.yaml", _graph("testa_personova"))])
        before = set(store.graph(include_restricted=True))
        bad = Graph()
        bad.add((ID["x"], CG.name, Literal("ok")))
        bad.add((URIRef("not an IRI"), CG.name, Literal("the engine refuses this IRI")))
        with pytest.raises(ValueError):
            store.replace_units(
                [_write(tmp_path / "b.yaml", _graph("first")), _write(tmp_path / "c.yaml", bad)]
            )
        assert set(store.graph(include_restricted=True)) == before
    assert len(list((tmp_path / "s").glob("v-*"))) == 1


def test_a_second_writer_gets_a_clear_store_in_use_error(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, fcntl, pathlib; p = pathlib.Path(sys.argv[1]); p.mkdir(parents=True);"
            " h = open(p / 'write.lock', 'a+b'); fcntl.flock(h, fcntl.LOCK_EX); print('locked', flush=True);"
            " time.sleep(30)",
            str(store_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with CaseStore.open(store_dir) as store, pytest.raises(StoreInUse, match="in use"):
            store.replace_units([_write(tmp_path / "a.yaml", _graph("testa_personova"))])
    finally:
        holder.kill()
        holder.wait()


def test_reading_an_empty_store_gives_empty_answers(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "nothing-here") as store:
        assert not store.exists
        assert store.select("SELECT * WHERE { ?s ?p ?o }")[1] == []
