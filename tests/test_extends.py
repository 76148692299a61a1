"""Claims about a record from another file (``extends:``): checked, owned by the file that made
them, kept through a reload of the defining file, gone with the extending file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from graph.errors import ValidationFailed
from graph.loading import check_paths, load_paths, unload_paths
from graph.namespaces import CG, ID
from graph.store import CaseStore

ROOT = Path(__file__).parent.parent
TEAM = ROOT / "docs" / "examples" / "team"
BASE = TEAM / "base"
SECOND = TEAM / "second-researcher"
PERSIAN = "تستا تیموا"

HEADER = "casegraph: 1\nvisibility: public\n"
SOURCE = (
    "sources:\n"
    "  - {id: src_ext_test, title: Fictional test note, publisher: Testa Press,"
    " reliability: low}\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _graph(path: Path, public: bool = False):  # type: ignore[no-untyped-def]
    with CaseStore.open(path) as fresh:
        return fresh.graph(include_restricted=not public)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with CaseStore.open(path) as store:
        load_paths([BASE], store)
    return path


def test_the_example_validates_against_the_store_it_extends(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        assert check_paths([SECOND], store).ok
    assert check_paths([BASE, SECOND]).ok
    alone = check_paths([SECOND])  # without the base, every target is unknown, with its line
    undefined = {(p.line, p.record) for p in alone.problems if "is not defined" in p.message}
    assert (15, "testa_teamova") in undefined and (22, "protest_exampleton_team") in undefined


def test_the_type_must_allow_each_field(tmp_path: Path) -> None:
    text = (
        HEADER
        + SOURCE
        + (
            "extends:\n"
            "  - id: protest_exampleton_team\n"
            "    roles:\n"
            "      - {role: protester, sources: [src_ext_test]}\n"
        )
    )
    checked = check_paths([BASE, _write(tmp_path, "wrong.yaml", text)])
    [problem] = [p for p in checked.problems if p.file.endswith("wrong.yaml")]
    assert problem.line == 7
    assert "is a protest, but this field needs a person" in problem.message


def test_only_claim_fields_may_be_given(tmp_path: Path) -> None:
    text = HEADER + SOURCE + "extends:\n  - id: testa_teamova\n    name: Other Name\n"
    checked = check_paths([BASE, _write(tmp_path, "redefine.yaml", text)])
    assert any(p.line == 7 and "unknown field 'name'" in p.message for p in checked.problems), (
        checked.problems
    )


def test_extension_claims_do_not_collide_with_the_defining_files(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        load_paths([SECOND], store)
    graph = _graph(store_path)
    claims = set(graph.subjects(CG.about, ID.testa_teamova))
    assert ID["testa_teamova/role/1"] in claims
    added = [c for c in claims if str(c) != str(ID["testa_teamova/role/1"])]
    assert len(added) == 3  # a name, an attribute and a link claim, each under the file's tag
    assert all(str(c).startswith(str(ID["testa_teamova/x"])) for c in added)


def test_a_reload_of_the_defining_file_keeps_the_extension(store_path: Path) -> None:
    with CaseStore.open(store_path) as store:
        load_paths([SECOND], store)
        before = _graph(store_path)
        load_paths([BASE], store)  # unchanged: replaces the base's own statements only
    after = _graph(store_path)
    assert isomorphic(before, after)
    assert (ID.testa_teamova, CG.altName, Literal(PERSIAN, lang="fa")) in after
    assert (ID.testa_teamova, CG.protest, ID.protest_exampleton_team) in after


def test_a_reload_of_the_extending_file_replaces_only_its_claims(
    store_path: Path, tmp_path: Path
) -> None:
    base_only = _graph(store_path)
    text = (SECOND / "teamova-notes.yaml").read_text(encoding="utf-8")
    copy = _write(tmp_path / "second", "notes.yaml", text)
    with CaseStore.open(store_path) as store:
        load_paths([copy], store)
        fewer = text.split("    attributes:")[0].rstrip() + "\n"  # names only
        copy.write_text(fewer, encoding="utf-8")
        load_paths([copy], store)
    graph = _graph(store_path)
    assert (ID.testa_teamova, CG.altName, Literal(PERSIAN, lang="fa")) in graph
    assert (ID.testa_teamova, CG.protest, ID.protest_exampleton_team) not in graph
    assert not list(graph.subjects(CG.attribute, None))
    assert not any("Square" in str(o) for o in graph.objects(ID.protest_exampleton_team, None))
    with CaseStore.open(store_path) as store:
        unload_paths([copy], store)
    assert isomorphic(_graph(store_path), base_only)


def test_a_statement_both_files_make_stays_while_either_states_it(tmp_path: Path) -> None:
    """The base's own name, restated by an extension, survives unloading the extension, whether
    the extension was loaded after the base or in the same batch."""
    text = HEADER + SOURCE + "extends:\n  - id: testa_teamova\n    names: [Testa Teamova]\n"
    ext = _write(tmp_path / "ext", "restates.yaml", text)
    key = (ID.testa_teamova, CG.searchKey, Literal("testa teamova"))
    for batches in ([[BASE], [ext]], [[BASE, ext]]):
        path = tmp_path / f"store{len(batches)}"
        with CaseStore.open(path) as store:
            for batch in batches:
                load_paths(batch, store)
            unload_paths([ext], store)
        assert key in _graph(path)
        assert (ID.testa_teamova, CG.altName, Literal("Testa Teamova")) not in _graph(path)


def test_removing_an_extended_record_is_refused(store_path: Path, tmp_path: Path) -> None:
    base = _write(tmp_path / "base", "exampleton.yaml", (BASE / "exampleton.yaml").read_text())
    with CaseStore.open(store_path) as store:
        unload_paths([BASE], store)
        load_paths([base, SECOND], store)
        text = base.read_text(encoding="utf-8")
        start = text.index("protests:")
        base.write_text(text[:start] + text[text.index("people:") :], encoding="utf-8")
        with pytest.raises(ValidationFailed) as failed:
            load_paths([base], store)
    assert "teamova-notes.yaml" in str(failed.value.problems)


def test_a_restricted_extension_stays_out_of_the_public_view(
    store_path: Path, tmp_path: Path
) -> None:
    text = (
        "casegraph: 1\nvisibility: restricted\n" + SOURCE + "extends:\n"
        "  - id: testa_teamova\n"
        "    names:\n"
        "      - {name: CANARY-EXTENSION-NAME, sources: [src_ext_test]}\n"
        "    attributes:\n"
        "      - {attribute: age, value: CANARY-EXTENSION-AGE, sources: [src_ext_test]}\n"
        "    protests: [protest_exampleton_team]\n"
        "    sources: [src_ext_test]\n"
    )
    ext = _write(tmp_path / "ext", "restricted.yaml", text)
    with CaseStore.open(store_path) as store:
        load_paths([ext], store)
    full = _graph(store_path).serialize(format="nt")
    public = _graph(store_path, public=True).serialize(format="nt")
    for canary in ("CANARY-EXTENSION-NAME", "CANARY-EXTENSION-AGE"):
        assert canary in full
    assert "canary" not in public.lower()  # nor any search key made from them
    assert str(ID.protest_exampleton_team) in public  # the base's own record is public
    link = (URIRef(ID.testa_teamova), CG.protest, URIRef(ID.protest_exampleton_team))
    assert link in _graph(store_path) and link not in _graph(store_path, public=True)


def test_the_dossier_names_the_file_of_each_claim_only_with_restricted_data(
    store_path: Path,
) -> None:
    with CaseStore.open(store_path) as store:
        load_paths([SECOND], store)
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}

    def show(*options: str) -> str:
        command = [sys.executable, "-m", "graph", "--store", str(store_path), "show"]
        done = subprocess.run(
            [*command, "Testa Teamova", *options],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    text = show("--include-restricted")
    assert "(from docs/examples/team/second-researcher/teamova-notes.yaml)" in text
    assert "(from docs/examples/team/base/exampleton.yaml)" in text
    data = json.loads(show("--include-restricted", "--format", "json"))
    files = {fact["label"]: fact["file"] for fact in data["facts"]}
    assert files["age"] == "docs/examples/team/second-researcher/teamova-notes.yaml"
    assert files["protester"] == "docs/examples/team/base/exampleton.yaml"
    assert {link["file"] for link in data["links"]} == {files["age"]}
    for public in (show(), show("--format", "json")):  # no local path in a public view
        assert "(from " not in public and "exampleton.yaml" not in public
        assert "teamova-notes" not in public and str(ROOT) not in public


def test_the_shipped_data_is_valid_on_its_own() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}
    command = [sys.executable, "-m", "graph", "validate", "--no-store", str(ROOT / "data")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
