"""Visibility of every statement: what only restricted claims make never reaches the public view.

A restricted spelling of a public person, a key derived from a restricted source, a public claim
inside a restricted record: compiled with marks, kept per load unit, dropped with the unit, and
left out of the public view that every public artefact reads. All names are invented.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph.loading import load_paths
from graph.names import fold
from graph.namespaces import CG, ID
from graph.rdf_terms import from_engine, to_engine
from graph.reading import read_file
from graph.store import CaseStore, restricted_marks, unit_for_path
from graph.visibility import public_subgraph

SOURCES = """\
casegraph: 1
visibility: public

sources:
  - id: src_exampleton
    title: "Exampleton court hears case"
    publisher: "Example Daily (A. Writer)"
    reliability: medium
  - id: src_mirror_of_hidden
    title: "Republished wire report"
    publisher: "Mirrorton Gazette"
    reliability: low
    mirror_of: CANARYxIDHIDDENWIRE
  - id: src_by_hidden_group
    title: "A report by an unnamed group"
    publisher: "Ordinary Bulletin"
    reliability: low
    published_by: CANARYxIDHIDDENGROUP
  - id: CANARYxIDHIDDENWIRE
    visibility: restricted
    title: "CANARYxWIRETITLE"
    publisher: "CANARYxWIREPUBLISHER Wire"
    reliability: medium
"""

GROUP = """\
casegraph: 1
visibility: restricted

organisations:
  - id: CANARYxIDHIDDENGROUP
    name: CANARYxGROUPNAME Collective
    kind: human_rights
    sources: [src_exampleton]
"""

PEOPLE = """\
casegraph: 1
visibility: public

people:
  - id: testa_personova
    name: Testa Personova
    names:
      - "Testa Personowa"
      - {name: "CANARYxSPELLINGPLAIN Personovich", visibility: restricted}
      - {name: "تستا CANARYxSPELLINGFA", lang: fa, sources: [src_exampleton], visibility: restricted}
      - {name: "Testa Personowa", lang: de, visibility: restricted}
    sources: [src_exampleton]
  - id: CANARYxIDWITNESS
    name: CANARYxWITNESSNAME Witnessova
    visibility: restricted
    attributes:
      - {attribute: age, value: "CANARYxWITNESSAGE", visibility: public, sources: [src_exampleton]}
    sources: [src_exampleton]

events:
  - id: ev_exampleton_arrest
    type: arrest
    date: "2026-01-10"
    people: [testa_personova, CANARYxIDWITNESS]
    sources: [src_exampleton, CANARYxIDHIDDENWIRE]
"""

RESTRICTED_SPELLING = "CANARYxSPELLINGPLAIN Personovich"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("visibility-case")
    _write(folder, "sources.yaml", SOURCES)
    _write(folder, "group.yaml", GROUP)
    _write(folder, "people.yaml", PEOPLE)
    return folder


@pytest.fixture(scope="module")
def loaded(case_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("visibility-store") / "store"
    with CaseStore.open(path) as store:
        load_paths([case_dir], store)
    return path


def _quads(path: Path, public: bool) -> Iterator[ox.Quad]:
    with CaseStore.open(path, public=public) as store:
        yield from list(store.backend.engine.quads_for_pattern(None, None, None, None))


def _values(path: Path, public: bool, subject: URIRef, predicate: URIRef) -> set[str]:
    return {
        str(from_engine(q.object))
        for q in _quads(path, public)
        if q.subject == to_engine(subject)
        and q.predicate == to_engine(predicate)
        and isinstance(q.graph_name, ox.DefaultGraph)
    }


# --- compiling ------------------------------------------------------------------------------


def test_a_restricted_spelling_of_a_public_person_is_marked_where_it_lands(case_dir: Path) -> None:
    compiled = read_file(case_dir / "people.yaml")
    marks = {
        (from_engine(t.subject), from_engine(t.predicate), from_engine(t.object))
        for t in compiled.statements.restricted_triples()
    }
    person = ID["testa_personova"]
    assert (person, CG.altName, Literal(RESTRICTED_SPELLING)) in marks
    assert (person, CG.searchKey, Literal(fold(RESTRICTED_SPELLING))) in marks
    assert (person, CG.altName, Literal("تستا CANARYxSPELLINGFA", lang="fa")) in marks
    # Public statements are never marked, even when a restricted entry makes them too.
    assert (person, CG.altName, Literal("Testa Personowa")) not in marks
    assert (person, CG.searchKey, Literal(fold("Testa Personowa"))) not in marks
    assert (person, CG.name, Literal("Testa Personova")) not in marks
    # The de spelling is another literal (language-tagged): it is marked, its search key is not.
    assert (person, CG.altName, Literal("Testa Personowa", lang="de")) in marks
    # Every mark is also a statement of the file: marks only say which statements are restricted.
    assert marks <= set(compiled.graph)


def test_a_public_entry_inside_a_restricted_record_stays_restricted(case_dir: Path) -> None:
    graph = read_file(case_dir / "people.yaml").graph
    claim = ID["CANARYxIDWITNESS/attr/1"]  # its id names the restricted record
    assert graph.value(claim, CG.visibility) == CG.Restricted


def test_a_key_derived_from_a_restricted_mirror_is_marked(case_dir: Path) -> None:
    compiled = read_file(case_dir / "sources.yaml")
    mirror = ID["src_mirror_of_hidden"]
    key = compiled.graph.value(mirror, CG.independenceKey)
    assert key == Literal("canaryxwirepublisher wire")  # the true key, kept for local counting
    marked = {t.subject for t in compiled.statements.restricted_triples()}
    assert marked == {to_engine(mirror)}


# --- the store and its public view ----------------------------------------------------------


def test_the_public_view_lacks_restricted_spellings_the_full_store_has_them(loaded: Path) -> None:
    person = ID["testa_personova"]
    full = _values(loaded, False, person, CG.altName)
    public = _values(loaded, True, person, CG.altName)
    assert RESTRICTED_SPELLING in full and "تستا CANARYxSPELLINGFA" in full
    assert public == {"Testa Personowa"}
    assert fold(RESTRICTED_SPELLING) in _values(loaded, False, person, CG.searchKey)
    assert _values(loaded, True, person, CG.searchKey) == {
        fold("Testa Personova"),
        fold("Testa Personowa"),
    }


def test_the_public_view_mentions_no_restricted_record_or_literal(loaded: Path) -> None:
    quads = list(_quads(loaded, True))
    assert quads, "the public view is not empty"
    texts = [str(from_engine(term)) for q in quads for term in (q.subject, q.predicate, q.object)]
    assert any("Testa Personova" in t for t in texts)
    assert not [t for t in texts if "canaryx" in t.lower()]
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


def test_keys_from_restricted_records_are_replaced_in_the_public_view(loaded: Path) -> None:
    mirror, by_group = ID["src_mirror_of_hidden"], ID["src_by_hidden_group"]
    assert _values(loaded, False, mirror, CG.independenceKey) == {"canaryxwirepublisher wire"}
    assert _values(loaded, False, by_group, CG.independenceKey) == {"org:CANARYxIDHIDDENGROUP"}
    # In public, each is keyed by its own public fields: nothing of the restricted record.
    assert _values(loaded, True, mirror, CG.independenceKey) == {"mirrorton gazette"}
    assert _values(loaded, True, by_group, CG.independenceKey) == {"ordinary bulletin"}
    untouched = ID["src_exampleton"]
    assert _values(loaded, True, untouched, CG.independenceKey) == {"example daily"}


def test_reloading_a_file_replaces_its_marks(case_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    for name in ("sources.yaml", "group.yaml", "people.yaml"):
        _write(folder, name, (case_dir / name).read_text(encoding="utf-8"))
    path = tmp_path / "store"
    people = folder / "people.yaml"
    marks = ox.NamedNode(str(restricted_marks(unit_for_path(people))))
    with CaseStore.open(path) as store:
        load_paths([folder], store)
    with CaseStore.open(path) as store:
        # altName and searchKey of two spellings, altName only of the third (its key is public)
        assert len(list(store.backend.engine.quads_for_pattern(None, None, None, marks))) == 5
    # The spelling becomes public: its mark goes with the old unit, and the public view has it.
    people.write_text(
        PEOPLE.replace(
            '{name: "CANARYxSPELLINGPLAIN Personovich", visibility: restricted}',
            '{name: "CANARYxSPELLINGPLAIN Personovich", visibility: public}',
        ),
        encoding="utf-8",
    )
    with CaseStore.open(path) as store:
        load_paths([people], store)
    with CaseStore.open(path) as store:
        left = list(store.backend.engine.quads_for_pattern(None, None, None, marks))
        assert len(left) == 3 and not [
            q for q in left if "plain" in str(from_engine(q.object)).lower()
        ]
    assert RESTRICTED_SPELLING in _values(path, True, ID["testa_personova"], CG.altName)
    # A file without restricted entries leaves no graph of marks at all.
    public_only = [
        line
        for line in PEOPLE.split("  - id: CANARYxIDWITNESS")[0].splitlines()
        if "visibility: restricted" not in line
    ]
    people.write_text("\n".join(public_only) + "\n", encoding="utf-8")
    with CaseStore.open(path) as store:
        load_paths([people], store)
    with CaseStore.open(path) as store:
        assert marks not in set(store.backend.engine.named_graphs())


def test_claims_of_restricted_records_and_double_visibility_stay_out() -> None:
    """The rules hold for hand-written RDF too (through ``public_subgraph``, which shares them)."""
    data = Graph().parse(
        format="turtle",
        data="""
        PREFIX cg: <https://w3id.org/casegraph/ontology#>
        PREFIX cgd: <https://w3id.org/casegraph/id/>
        cgd:open_person a cg:Person ; cg:name "Open Personov" ; cg:visibility cg:Public ;
            cg:altName "CANARYxMARKEDNAME" .
        cgd:CANARYxIDHIDDEN a cg:Person ; cg:name "CANARYxHIDDENNAME" ;
            cg:visibility cg:Restricted .
        cgd:CANARYxIDHIDDEN\\/role\\/1 a cg:RoleClaim ; cg:visibility cg:Public ;
            cg:roleText "CANARYxCLAIMTEXT" .
        cgd:loose_claim a cg:AttributeClaim ; cg:visibility cg:Public ;
            cg:about cgd:CANARYxIDHIDDEN ; cg:value "CANARYxLOOSEVALUE" .
        cgd:CANARYxIDBOTH a cg:Person ; cg:name "CANARYxBOTHNAME" ;
            cg:visibility cg:Public, cg:Restricted .
        """,
    )
    marked = [(ID["open_person"], CG.altName, Literal("CANARYxMARKEDNAME"))]
    kept = public_subgraph(data, marked)
    text = kept.serialize(format="nt")
    assert "Open Personov" in text
    assert "CANARYx" not in text, text
    assert "CANARYxMARKEDNAME" in public_subgraph(data).serialize(format="nt")


# --- the command line -----------------------------------------------------------------------


def _run(*args: str | Path, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASEGRAPH_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "graph", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_show_and_search_suggest_and_list_only_public_names(loaded: Path) -> None:
    missed = _run("show", "CANARYxWITNESSNAME Witnesova", store=loaded)
    assert missed.returncode == 1 and "no entity called" in missed.stderr
    assert "Did you mean" in _run("show", "Testa Personov", store=loaded).stderr
    hinted = _run("show", "Persono", store=loaded)
    for result in (missed, hinted):
        assert "CANARYx" not in result.stderr.replace("CANARYxWITNESSNAME Witnesova", "")
    by_spelling = _run("show", RESTRICTED_SPELLING, store=loaded)
    assert by_spelling.returncode == 1 and "testa_personova" not in by_spelling.stderr
    assert "Testa Personova" not in by_spelling.stderr.split("Did you mean")[0]
    found = _run("search", "canaryx", store=loaded)
    assert found.returncode == 1 and found.stdout.strip() == "No match."
    everything = _run("search", "canaryx", "--include-restricted", store=loaded)
    assert "testa_personova" in everything.stdout and "CANARYxIDWITNESS" in everything.stdout
    shown = _run("show", "Testa Personova", store=loaded)
    assert shown.returncode == 0 and "CANARYx" not in shown.stdout
    assert "[restricted]" not in shown.stdout


def test_a_local_dossier_marks_every_restricted_part(loaded: Path) -> None:
    text = _run("show", "testa_personova", "--include-restricted", store=loaded).stdout
    line = next(x for x in text.splitlines() if "Also written" in x)
    assert "Testa Personowa |" in line or line.rstrip().endswith("Testa Personowa")
    assert f"{RESTRICTED_SPELLING} [restricted]" in text.replace("\n    ", " ")
    as_json = json.loads(
        _run("show", "testa_personova", "--include-restricted", "-f", "json", store=loaded).stdout
    )
    names = {n["name"]: n["restricted"] for n in as_json["names"]}
    assert names[RESTRICTED_SPELLING] is True and names["Testa Personowa"] is False
    assert "CANARYxWITNESSNAME Witnessova [restricted]" in text
    assert "sources: CANARYxIDHIDDENWIRE [restricted], src_exampleton" in text
    [event] = as_json["events"]
    assert {m["id"]: m["restricted"] for m in event["mentions"]} == {
        "testa_personova": False,
        "CANARYxIDWITNESS": True,
    }
    assert as_json["sources"]["CANARYxIDHIDDENWIRE"]["restricted"] is True
    witness = json.loads(
        _run("show", "CANARYxIDWITNESS", "--include-restricted", "-f", "json", store=loaded).stdout
    )
    assert witness["restricted"] is True
    assert [f["restricted"] for f in witness["facts"]] == [True]
