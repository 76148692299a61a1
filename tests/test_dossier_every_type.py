"""A dossier for every entity type (issue 10): ``show`` on an event, a case, a campaign, a court
with branches, a prison, an organisation, a protest and a person with incoming roles prints the
facts its class's description (``ontology/dossier.yaml``) lists, each with its sources.

The expected facts are read from the YAML files under ``data/`` (never from the code's output),
loaded into a real on-disk store; the CLI runs as a real subprocess.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.dossier import Dossier, FieldEntry, dossier, load_description
from graph.errors import CasegraphError
from graph.loading import load_paths
from graph.resources import ontology_dir, queries_dir
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def _records() -> dict[str, dict[str, Any]]:
    """Every record of ``data/`` by id (sources, people, events, courts...), as written."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(DATA.rglob("*.yaml")):
        for key, items in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key != "extends" and isinstance(items, list):
                for item in items:
                    if isinstance(item, dict) and "id" in item:
                        found[item["id"]] = item
    return found


RECORDS = _records()


def _ids(items: list[Any]) -> set[str]:
    """The ids of a YAML link list (plain ids, or mappings with their own sources)."""
    return {item["id"] if isinstance(item, dict) else item for item in items}


def _own_sources(record_id: str) -> list[str]:
    return sorted(RECORDS[record_id]["sources"])


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("every-type") / "store"
    with CaseStore.open(path) as store:
        load_paths([DATA], store)
    yield path


@pytest.fixture(scope="module")
def show(store_path: Path) -> Any:
    """The public dossier of a record, as the library returns it."""
    cache: dict[str, Dossier] = {}

    def get(name: str) -> Dossier:
        if name not in cache:
            with CaseStore.open(store_path, public=True) as store:
                cache[name] = dossier(store, name)
        return cache[name]

    return get


def _field(found: Dossier, key: str) -> FieldEntry:
    for section in found.sections:
        for entry in section.fields:
            if entry.key == key:
                return entry
    raise AssertionError(f"{found.record_id}: no field {key!r} in {found.sections}")


def _by_id(entry: FieldEntry) -> dict[str, Any]:
    return {value.id: value for value in entry.values}


def _run(store: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- each type, against data/ --------------------------------------------------------------------


def test_an_event_shows_type_date_people_court_charges_sentence_and_contradictions(
    show: Any,
) -> None:
    event = RECORDS["ev_shekari_conviction_nov1"]
    found = show("ev_shekari_conviction_nov1")
    sources = sorted(event["sources"])
    assert [v.text for v in _field(found, "eventType").values] == ["death sentence"]
    assert [v.text for v in _field(found, "date").values] == [event["date"]]
    assert set(_by_id(_field(found, "person"))) == set(event["people"])
    assert set(_by_id(_field(found, "court"))) == {event["court"]}
    assert {v.text.split(" (")[0] for v in _field(found, "charge").values} == set(event["charges"])
    assert [v.text for v in _field(found, "sentenceType").values] == ["death sentence"]
    assert set(_by_id(_field(found, "protest"))) == {event["protest"]}
    assert set(_by_id(_field(found, "documentedBy"))) == set(event["documented_by"])
    assert set(_by_id(_field(found, "contradicts"))) == set(event["contradicts"])
    for key in ("eventType", "person", "court", "charge", "documentedBy"):
        for value in _field(found, key).values:  # plain ids: cited with the event's sources
            assert value.sources == sources and value.inherited, (key, value)
    # The versions it disagrees with, side by side, name the differing field.
    other = RECORDS["ev_shekari_sentence_nov20"]
    [version] = [v for v in found.contested if v.other == "ev_shekari_sentence_nov20"]
    dates = {d.field: (d.this, d.other) for d in version.differences}["date"]
    assert dates == ([event["date"]], [other["date"]])
    assert _field(found, "date").contested
    assert all(s in found.sources for s in sources + sorted(other["sources"]))
    assert found.events == []  # an event's dossier is the event, not a timeline


def test_an_event_with_only_a_reported_date_says_so(show: Any, store_path: Path) -> None:
    undated = [r for r in RECORDS.values() if "type" in r and "reported" in r and "date" not in r]
    assert undated, "data/ has no event with only a reported date"
    found = show(undated[0]["id"])
    [date] = _field(found, "date").values
    assert date.text.startswith(f"date unknown; reported on {undated[0]['reported']}")


def test_a_case_shows_defendants_victims_and_court_with_sources(show: Any) -> None:
    case = RECORDS["case_karaj_ajamian"]
    found = show("case_karaj_ajamian")
    own = _own_sources("case_karaj_ajamian")
    defendants = _by_id(_field(found, "defendant"))
    assert set(defendants) == set(case["defendants"])
    assert set(_by_id(_field(found, "victim"))) == set(case["victims"])
    assert set(_by_id(_field(found, "court"))) == {case["court"]}
    assert all(v.sources == own and v.inherited for v in defendants.values())
    # Roles in the case point at it from the people: each with the role's own sources.
    roles = _field(found, "inverse_inCase")
    expected = {
        person["id"]: sorted(role["sources"])
        for person in RECORDS.values()
        for role in person.get("roles", [])
        if role.get("case") == "case_karaj_ajamian"
    }
    assert {v.id: v.sources for v in roles.values} == expected


def test_a_campaign_shows_where_it_began_its_founders_prisons_and_protests(show: Any) -> None:
    campaign = RECORDS["camp_nett"]
    found = show("No to Execution Tuesdays")
    origin = campaign["origin_prison"]
    [began] = _field(found, "originPrison").values
    assert began.id == origin["id"] and began.sources == sorted(origin["sources"])
    assert not began.inherited  # cited for this link
    founders = _by_id(_field(found, "foundingParticipant"))
    assert set(founders) == _ids(campaign["founding_participants"])
    for item in campaign["founding_participants"]:
        assert founders[item["id"]].sources == sorted(item["sources"])
    prisons = _by_id(_field(found, "participatingPrison"))
    assert set(prisons) == _ids(campaign["participating_prisons"])
    for item in campaign["participating_prisons"]:
        if isinstance(item, str):  # a plain id: cited with the record
            assert prisons[item].inherited and prisons[item].sources == _own_sources("camp_nett")
    assert set(_by_id(_field(found, "protest"))) == _ids(campaign["protests"])


def test_a_court_shows_type_city_parent_and_branches(show: Any) -> None:
    court = RECORDS["c_tehran_rev"]
    found = show("c_tehran_rev")
    own = _own_sources("c_tehran_rev")
    [kind] = _field(found, "courtType").values
    assert kind.text == f"{court['type']} court" and kind.sources == own
    assert [v.text for v in _field(found, "city").values] == [court["city"]]
    branches = _by_id(_field(found, "inverse_partOf"))
    expected = {r["id"] for r in RECORDS.values() if r.get("part_of") == "c_tehran_rev"}
    assert expected and set(branches) == expected
    for rid, value in branches.items():  # stated by the branch's record, cited with its sources
        assert value.sources == _own_sources(rid) and value.inherited
    branch = show("c_tehran_rev_b15")
    [parent] = _field(branch, "partOf").values
    assert parent.id == "c_tehran_rev" and parent.sources == _own_sources("c_tehran_rev_b15")
    judges = {
        person["id"]
        for person in RECORDS.values()
        for role in person.get("roles", [])
        if role.get("at") == "c_tehran_rev_b15"
    }
    assert set(_by_id(_field(branch, "inverse_atOrganisation"))) == judges


def test_a_prison_shows_the_campaigns_that_began_and_take_part_there(show: Any) -> None:
    found = show("Ghezel Hesar Prison")
    campaigns = [r for r in RECORDS.values() if "participating_prisons" in r]
    taking_part = {
        c["id"] for c in campaigns if "pr_ghezel_hesar" in _ids(c["participating_prisons"])
    }
    began = {
        c["id"] for c in campaigns if _ids([c.get("origin_prison", "")]) == {"pr_ghezel_hesar"}
    }
    assert set(_by_id(_field(found, "inverse_participatingPrison"))) == taking_part
    [origin] = _field(found, "inverse_originPrison").values
    assert {origin.id} == began
    assert origin.sources == sorted(RECORDS["camp_nett"]["origin_prison"]["sources"])
    assert [v.text for v in _field(found, "city").values] == [RECORDS["pr_ghezel_hesar"]["city"]]
    assert found.events  # a prison keeps its timeline


def test_an_organisation_shows_who_works_there_and_what_it_published(show: Any) -> None:
    found = show("org_iran_judiciary")
    roles = {
        person["id"]: (role.get("text", ""), sorted(role["sources"]))
        for person in RECORDS.values()
        for role in person.get("roles", [])
        if role.get("at") == "org_iran_judiciary"
    }
    shown = {v.id: (v.detail, v.sources) for v in _field(found, "inverse_atOrganisation").values}
    assert roles and shown == roles
    rights = show("org_ihrngo")
    published = {r["id"] for r in RECORDS.values() if r.get("published_by") == "org_ihrngo"}
    assert published and set(_by_id(_field(rights, "inverse_publishedBy"))) == published


def test_a_protest_shows_its_local_protests_and_connected_records(show: Any) -> None:
    found = show("p_wlf")
    parts = {r["id"] for r in RECORDS.values() if r.get("part_of") == "p_wlf"}
    assert parts and set(_by_id(_field(found, "inverse_partOf"))) == parts
    connected = {r["id"] for r in RECORDS.values() if "p_wlf" in _ids(r.get("protests", []))}
    assert connected <= set(_by_id(_field(found, "inverse_protest")))


def test_a_person_shows_the_roles_that_point_at_them(show: Any) -> None:
    found = show("Mohammad Ghobadlou")
    lawyers = {
        person["id"]: sorted(role["sources"])
        for person in RECORDS.values()
        for role in person.get("roles", [])
        if "mohammad_ghobadlou" in role.get("for", [])
    }
    assert len(lawyers) >= 2
    assert {v.id: v.sources for v in _field(found, "inverse_forPerson").values} == lawyers
    relatives = show("hamid_ghare_hasanlou")
    [relative] = _field(relatives, "inverse_forPerson").values
    [role] = RECORDS["farzaneh_ghare_hasanlou"]["roles"]
    assert relative.id == "farzaneh_ghare_hasanlou" and relative.detail == role["text"]
    defendant_in = {
        r["id"] for r in RECORDS.values() if "mohammad_ghobadlou" in r.get("defendants", [])
    }
    assert set(_by_id(_field(found, "inverse_defendant"))) == defendant_in
    assert found.events and found.facts  # the timeline and the claims stay


# --- the CLI: text and json tell the same ----------------------------------------------------------


def _texts(data: dict[str, Any]) -> set[str]:
    """What a JSON dossier says: every value, field label, version difference and source id."""
    said = {data["name"]}
    for section in data["sections"]:
        said.add(section["title"])
        for entry in section["fields"]:
            said.add(entry["label"])
            for value in entry["values"]:
                said |= {value["text"], *value["sources"]} | ({value["detail"]} - {""})
    for version in data["contested"]:
        said |= {version["fact"], version["other"]}
        for diff in version["differences"]:
            said |= {diff["field"], *diff["this"], *diff["other"]}
    said |= {s["id"] for s in data["sources"].values()}
    said |= {s["reliability"] for s in data["sources"].values()} - {""}
    return said


@pytest.mark.parametrize("name", ["ev_shekari_conviction_nov1", "c_tehran_rev", "camp_nett"])
def test_json_and_text_give_the_same_dossier(store_path: Path, name: str) -> None:
    data = json.loads(_run(store_path, "show", name, "--format", "json"))
    text = " ".join(_run(store_path, "show", name).split())
    assert data["sections"] and data["record_id"] == name
    missing = {s for s in _texts(data) if " ".join(s.split()) not in text}
    assert not missing, f"in the JSON dossier of {name} but not its text: {sorted(missing)[:10]}"
    for section in data["sections"]:  # the same order of sections and fields
        assert text.index(section["title"]) >= 0
    keys = {"iri", "record_id", "name", "types", "names", "restricted", "note", "facts"}
    keys |= {"events", "sources", "links", "sections", "contested", "file", "record_sources"}
    assert keys == data.keys()
    assert data["record_sources"] == _own_sources(name)


# --- the description is data -----------------------------------------------------------------------


def test_a_field_added_only_to_the_description_shows_up(store_path: Path, tmp_path: Path) -> None:
    installed = yaml.safe_load((ontology_dir() / "dossier.yaml").read_text(encoding="utf-8"))
    person = RECORDS["amir_raisian"]
    installed["classes"]["Person"]["sections"].append(
        {
            "key": "test",
            "title": "Test section",
            "fields": [{"property": "note", "key": "test_note", "label": "Test note field"}],
        }
    )
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(installed, allow_unicode=True), encoding="utf-8")
    with CaseStore.open(store_path, public=True) as store:
        plain = dossier(store, "amir_raisian")
        extended = dossier(store, "amir_raisian", load_description(path))
    assert all(f.key != "test_note" for s in plain.sections for f in s.fields)
    [value] = _field(extended, "test_note").values
    assert value.text == person["note"] and value.sources == _own_sources("amir_raisian")
    assert "Test note field: " + person["note"][:20] in " ".join(extended.to_text().split())


def test_a_description_naming_an_unknown_property_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(
        "classes:\n  Court:\n    sections:\n      - {key: c, title: C, fields: [{property: courtTyp}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        CasegraphError, match=r"dossier\.yaml, class Court.*'courtTyp' is not a property"
    ):
        load_description(path)


def test_the_differences_are_those_contested_facts_names() -> None:
    """The description's differing fields are the VALUES of contested-facts.rq, field by field."""
    text = (queries_dir() / "contested-facts.rq").read_text(encoding="utf-8")
    block = text[text.index("VALUES (?differing ?prop)") : text.index("FILTER(EXISTS")]
    named: dict[str, set[str]] = {}
    for field_name, prop in re.findall(r'\("([^"]+)" cg:(\w+)\)', block):
        named.setdefault(field_name, set()).add(prop)
    described = {
        name: {str(p).rsplit("#", 1)[-1] for p in props}
        for name, props in load_description().differences
    }
    assert described == named


def test_contested_values_of_any_type_sit_side_by_side(tmp_path: Path) -> None:
    """Contested attribute values about a court (the pattern people's use) need no court code."""
    fixture = ROOT / "tests" / "data" / "dossier" / "contested-court.ttl"
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([fixture], store)
    with CaseStore.open(tmp_path / "store", public=True) as store:
        found = dossier(store, "Testaville Revolutionary Court")
    dates = {f.value: f.sources for f in found.facts if f.label == "start date"}
    assert dates == {"1980": ["src_testaville_gazette"], "1981": ["src_exampleton_almanac"]}
    assert all(f.contested for f in found.facts if f.label == "start date")
    [version] = found.contested
    differences = {d.field: (d.this, d.other) for d in version.differences}
    assert differences["value"] == (["1980"], ["1981"])
    assert differences["sources"] == (["src_testaville_gazette"], ["src_exampleton_almanac"])
    assert found.sources["src_exampleton_almanac"].reliability == "low"


def test_an_event_shows_its_sentence_in_parts_and_charges_as_worded(show: Any) -> None:
    """A composite sentence (see docs/format.md) is shown part by part, each part with its own
    sources when it has them; a charge given with the source's wording shows that wording."""
    event = RECORDS["ev_saleh_mirhashemi_sentence"]
    found = show("ev_saleh_mirhashemi_sentence")
    parts = _field(found, "sentenceComponent").values
    assert len(parts) == len(event["sentence"])
    for written in event["sentence"]:
        [part] = [p for p in parts if written["text"] in p.text]
        assert part.sources == sorted(written.get("sources", event["sources"]))
        assert part.inherited == ("sources" not in written)
    worded = [c for c in event["charges"] if isinstance(c, dict) and "wording" in c]
    shown = " ".join(v.text for v in _field(found, "chargeClaim").values)
    assert worded and all(c["wording"] in shown for c in worded)
