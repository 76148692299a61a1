"""The event finder starts from the most selective filter given (graph/events_query.py), and
that changes its cost, never its rows: on ``data/`` and on a generated 10k store, for many filter
combinations, its rows are those an independent computation over the store's triples (plain
rdflib, here) lets through, in the order of the unfiltered list, whichever seed the search starts
from."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from events_reference import Plain, combinations, filter_values, record_id

from graph.events import EventFilters, bindings_for, choose_seed, find_events, finder_rows
from graph.events_query import events_query, seed_for, seeds_given
from graph.loading import load_paths
from graph.namespaces import CG, ID
from graph.store import CaseStore

ROOT = Path(__file__).resolve().parent.parent
WINDOW_KEYS = {"start", "end", "include_undated"}
FIXTURE = Path(__file__).parent / "data" / "events" / "events-case.yaml"


def _loaded(path: Path, *sources: Path) -> Path:
    with CaseStore.open(path) as store:
        load_paths(list(sources), store)
    return path


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _loaded(tmp_path_factory.mktemp("events-data") / ".casegraph", ROOT / "data")


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the benchmark generator's 10k size (fictional names, seeded)."""
    from benchmarks.generate import generate

    folder = tmp_path_factory.mktemp("events-generated")
    generate("10k", folder=folder / "data")
    return _loaded(folder / ".casegraph", folder / "data" / "cases")


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _loaded(tmp_path_factory.mktemp("events-fixture") / ".casegraph", FIXTURE)


# --- the checks ---------------------------------------------------------------------------------


def _expected(
    plain: Plain, store: CaseStore, every: list[dict[str, str]], filters: EventFilters
) -> list[dict[str, str]]:
    """The unfiltered rows of the events the plain computation lets through."""
    resolved = bindings_for(store, filters)
    names = {f.name for f in fields(EventFilters)} - {"start", "end", "include_undated"}
    wanted = {name: getattr(filters, name) for name in names if getattr(filters, name)}
    binding = {
        "type": "f_type",
        "charge": "f_charge",
        "sentence": "f_sentence",
        "court_type": "f_court_type",
        "outcome": "f_outcome",
        "person": "f_person",
        "court": "f_court",
        "judge": "f_judge",
        "prison": "f_prison",
        "place": "f_place",
        "protest": "f_protest",
        "campaign": "f_campaign",
        "documented_by": "f_org",
        "min_reliability": "f_rank",
        "contested": "f_contested",
    }
    start, end = (str(resolved[b]) if b in resolved else None for b in ("f_from", "f_to"))
    passing = {
        record_id(event)
        for event in plain.events()
        if all(plain.passes(event, n, resolved[binding[n]]) for n in wanted)
        and plain.in_window(event, start, end, filters.include_undated)
    }
    return [row for row in every if row["event"] in passing]


def _check_store(path: Path, public: bool) -> int:
    """Every combination's rows against the plain computation; returns how many were checked."""
    with CaseStore.open(path, public=public) as store:
        plain = Plain(store.graph(include_restricted=not public))
        events = plain.events()
        assert all(len(set(plain.graph.objects(e, CG.eventType))) == 1 for e in events)  # type: ignore[arg-type]
        every = find_events(store).rows
        order = sorted(
            events,
            key=lambda e: (plain.days(e)[0] is None, plain.days(e)[0] or "", str(e)),
        )
        assert [row["event"] for row in every] == [record_id(e) for e in order]
        checked, answered = 0, 0
        for given in combinations(filter_values(plain)):
            filters = EventFilters(**given)  # type: ignore[arg-type]
            found = find_events(store, filters).rows
            assert found == _expected(plain, store, every, filters), given
            checked, answered = checked + 1, answered + bool(found)
        assert answered > checked / 3, "most combinations find nothing: a weak check"
        return checked


def test_every_combination_on_data(data_store: Path) -> None:
    assert _check_store(data_store, public=True) > 100


@pytest.mark.parametrize("public", [True, False])
def test_every_combination_on_a_generated_store(generated_store: Path, public: bool) -> None:
    assert _check_store(generated_store, public=public) > 100


def test_every_seed_gives_the_same_rows(generated_store: Path, fixture_store: Path) -> None:
    """Whichever filter the search starts from, or none, the rows are the same."""
    for path in (generated_store, fixture_store):
        with CaseStore.open(path, public=True) as store:
            plain = Plain(store.graph())
            values = filter_values(plain)
            multi = [g for g in combinations(values) if len(g.keys() - WINDOW_KEYS) > 1][::3]
            assert len(multi) > 10
            for given in multi:
                bindings = bindings_for(store, EventFilters(**given))  # type: ignore[arg-type]
                seeds: list[str | None] = [*seeds_given(bindings), None]
                answers = [finder_rows(store, bindings, seed) for seed in seeds]
                assert all(answer == answers[0] for answer in answers), given


def test_the_search_starts_from_the_smaller_filter(generated_store: Path) -> None:
    """Of two filters, the probe starts from the one with fewer events, in either order."""
    with CaseStore.open(generated_store, public=True) as store:
        plain = Plain(store.graph())
        values = filter_values(plain)

        def size(name: str, value: object) -> int:
            resolved = bindings_for(store, EventFilters(**{name: value}))  # type: ignore[arg-type]
            binding = "f_type" if name == "type" else "f_court"
            return sum(plain.passes(e, name, resolved[binding]) for e in plain.events())

        types = sorted(values["type"], key=lambda v: size("type", v))
        courts = sorted(values["court"], key=lambda v: size("court", v))
        small_type, big_type = types[0], types[-1]
        small_court, big_court = courts[0], courts[-1]
        assert 2 * size("type", small_type) < size("court", big_court)
        assert 2 * size("court", small_court) < size("type", big_type)
        for given, expected in (
            ({"court": big_court, "type": small_type}, "f_type"),
            ({"court": small_court, "type": big_type}, "f_court"),
        ):
            bindings = bindings_for(store, EventFilters(**given))  # type: ignore[arg-type]
            assert choose_seed(store, bindings) == expected, given


def test_the_query_keeps_only_the_blocks_given() -> None:
    """Filters not given leave no trace in the text; the seed is the first given in the
    template's order; a date window alone starts from every event."""
    bare = events_query({}, None)
    inner = bare.split("SELECT DISTINCT", 1)[1].split("WHERE {", 1)[1].split("GROUP BY")[0]
    assert "?f_" not in inner and "seed_" not in inner
    person = events_query({"f_person": ID.x, "f_type": ID.y}, seed_for({"f_person", "f_type"}))
    assert seed_for({"f_person", "f_type"}) == "f_person"
    assert "{ ?event cg:person ?f_person } UNION" in person
    assert "?seed_type skos:broader* ?f_type" not in person
    assert "FILTER EXISTS { ?type_concept skos:broader* ?f_type }" in person
    assert seed_for({"f_from", "f_to", "f_undated", "f_rank"}) is None
    with pytest.raises(ValueError):
        events_query({"f_type": ID.y}, "f_person")


def test_the_template_itself_is_a_query() -> None:
    """With every block kept, the file is still a query the engine runs (no rows when empty)."""
    import pyoxigraph as ox

    from graph.resources import internal_query

    assert list(ox.Store().query(internal_query("events"))) == []  # type: ignore[arg-type]
