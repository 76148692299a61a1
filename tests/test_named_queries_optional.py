"""No named query silently drops a row when an optional value is missing.

For every report in ``ontology/queries/``, the clean fixture (``tests/data/queries/cases.ttl``) is
loaded into a real store; then each value the data model makes optional (``docs/format.md``; none
of them has an ``sh:minCount`` in ``ontology/shapes.ttl``) is removed from the whole fixture in
turn, and every entity the report listed must still have at least as many rows. What a report is
*about* is exempt (``ABOUT``): without a judge there is nothing for ``death-sentences-per-judge``
to count. Queries run through the public library API (``prepare`` and ``CaseStore.select``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph.namespaces import CG
from graph.queries import NamedQuery, list_queries, prepare
from graph.resources import ontology_graph
from graph.store import CaseStore, UnitWrite, unit_for_path

ROOT = Path(__file__).parent.parent
CASES = Path(__file__).parent / "data" / "queries" / "cases.ttl"
REPORTS = [q for q in list_queries() if not q.name.endswith("-violation")]
REQUIRED_VALUES = {
    "judge": "judge_fictivus",
    "person": "testa_personova",
    "entity": "testa_personova",
}

#: Each optional value of the data model, as the predicates that store it (a date is several).
OPTIONAL: dict[str, tuple[URIRef, ...]] = {
    "date": (CG.date, CG.dateEarliest, CG.dateLatest, CG.dateQualifier),
    "date_text": (CG.dateText,),
    "reported": (CG.reportedDate,),
    "week": (CG.weekNumber,),
    "prison_count": (CG.prisonCount,),
    "prisons": (CG.participatingPrison,),
    "joined_prisons": (CG.joinedPrison,),
    "court": (CG.court,),
    "judge": (CG.judge,),
    "charges": (CG.charge,),
    "sentence": (CG.sentenceType,),
    "sentence_term": (CG.sentenceTerm,),
    "place": (CG.place,),
    "protest": (CG.protest,),
    "campaign": (CG.campaign,),
    "case": (CG.case,),
    "people": (CG.person,),
    "co_defendants": (CG.coDefendant,),
    "defendants": (CG.defendant,),
    "documented_by": (CG.documentedBy,),
    "contradicts": (CG.contradicts,),
    "confidence": (CG.confidence,),
    "part_of": (CG.partOf,),
    "independence_key": (CG.independenceKey,),
    "published": (CG.publishedDate,),
    "url": (CG.url,),
    "role_text": (CG.roleText,),
    "start": (CG.startDate,),
    "origin_prison": (CG.originPrison,),
    "city": (CG.city,),
}

#: The column naming the entity each row is about.
ENTITY = {
    "campaign-prisons-by-week": "event",
    "charges-per-court": "court",
    "co-defendants": "person",
    "contested-facts": "fact",
    "corroborated-facts": "fact",
    "death-sentences": "event",
    "death-sentences-per-branch": "court",
    "death-sentences-per-judge": "judge",
    "entity-facts": "fact",
    "executions-after-arrest": "arrest",
    "people-by-protest": "person",
    "person-timeline": "event",
    "reliable-facts": "fact",
    "sentenced-by-judge": "event",
    "single-source-facts": "fact",
    "supreme-court-outcomes": "event",
}

_COMPARED = {  # the fields contested-facts compares: a value removed is a difference gone
    "date", "date_text", "reported", "court", "judge", "charges", "sentence", "sentence_term",
    "place", "people", "co_defendants", "documented_by", "confidence", "role_text",
}  # fmt: skip

#: What each report is about: removing it removes the row by design, not by accident.
ABOUT: dict[str, set[str]] = {
    "campaign-prisons-by-week": {"campaign"},
    "charges-per-court": {"charges", "court", "case"},  # a court, directly or through the case
    "co-defendants": {"co_defendants", "defendants", "people"},
    "contested-facts": {"contradicts"} | _COMPARED,
    "corroborated-facts": {"independence_key"},  # mirrors stop sharing a key: counted apart
    # A death sentence must name a person (death-sentence-without-person-violation).
    "death-sentences": {"sentence", "people"},
    "death-sentences-per-branch": {"court", "sentence", "people"},
    "death-sentences-per-judge": {"judge", "sentence", "people"},
    # Every record that names the entity, and how; rows stating the removed value itself are left
    # out of the count.
    "entity-facts": {"people", "co_defendants", "defendants", "judge"},
    "executions-after-arrest": {"date", "people"},  # days between two exact dates
    "people-by-protest": {"protest", "defendants", "people"},
    "person-timeline": {"people", "co_defendants", "judge"},  # how an event names the person
    "reliable-facts": set(),
    "sentenced-by-judge": {"judge", "people"},
    "single-source-facts": {"independence_key"},
    "supreme-court-outcomes": set(),
}


#: Claims that restate one optional value of an event with its own sources: there the value is
#: the claim's point and required (a sentence component names its kind, a charge claim its charge).
PART_CLAIMS = {CG.SentenceComponent, CG.ChargeClaim}


def _required_predicates() -> set[URIRef]:
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    parts = {
        p
        for c in PART_CLAIMS
        for s in shapes.subjects(SH.targetClass, c)
        for p in shapes.objects(s, SH.property)
    }
    return {
        path
        for shape in shapes.subjects(SH.minCount, None)
        if shape not in parts and isinstance(path := shapes.value(shape, SH.path), URIRef)
    }


def test_the_optional_values_are_optional_in_the_shapes() -> None:
    required = _required_predicates()
    assert required, "no sh:minCount found: the check shows nothing"
    listed = {p for predicates in OPTIONAL.values() for p in predicates}
    assert not listed & required


def test_every_report_is_covered() -> None:
    assert {q.name for q in REPORTS} == set(ENTITY) == set(ABOUT)


#: Values ``cases.ttl`` does not hold, added here so that removing them tests something: the
#: undated death sentence gets a reported date, and a death sentence a documenting organisation.
EXTRA = """
@prefix cg: <https://w3id.org/casegraph/ontology#> .
@prefix cgd: <https://w3id.org/casegraph/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
cgd:ev_dana_death cg:reportedDate "2023-04-02"^^xsd:date .
cgd:ev_testa_death cg:documentedBy cgd:org_fictional_watch .
cgd:org_fictional_watch a cg:Organisation ; cg:recordId "org_fictional_watch" ;
    cg:visibility cg:Public ; cg:name "Fictional Watch" ; cg:source cgd:src_erw .
"""


@pytest.fixture(scope="module")
def fixture() -> Graph:
    graph = Graph().parse(CASES, format="turtle")
    graph.parse(data=EXTRA, format="turtle")
    return graph


def test_the_fixture_holds_every_optional_value(fixture: Graph) -> None:
    missing = [v for v, ps in OPTIONAL.items() if not any(fixture.triples((None, ps[0], None)))]
    assert not missing


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseStore]:
    """One real store: the ontology as one unit, the fixture (full or reduced) as another."""
    folder = tmp_path_factory.mktemp("optional")
    ontology = folder / "ontology.ttl"
    with CaseStore.open(folder / "store") as opened:
        opened.replace_units(
            [UnitWrite(unit_for_path(ontology), str(ontology), "test", ontology_graph())]
        )
        yield opened


@pytest.fixture(scope="module")
def baseline(store: CaseStore, fixture: Graph) -> dict[str, list[dict]]:
    """Every report's rows on the full fixture."""
    _load(store, fixture)
    return {q.name: _rows(store, q) for q in REPORTS}


def _load(store: CaseStore, data: Graph) -> None:
    store.replace_units([UnitWrite(unit_for_path(CASES), str(CASES), "test", data)])


def _rows(store: CaseStore, query: NamedQuery) -> list[dict]:
    params = {p.name: REQUIRED_VALUES[p.name] for p in query.parameters if p.required}
    prepared = prepare(query.name, params)
    return store.select(prepared.text, prepared.bindings)[1]


def _counts(rows: list[dict], query: NamedQuery, removed: tuple[URIRef, ...]) -> Counter:
    kept = [r for r in rows if r.get("property") not in removed]  # entity-facts' own statement
    return Counter(str(r.get(ENTITY[query.name])) for r in kept)


def _without(data: Graph, predicates: tuple[URIRef, ...]) -> Graph:
    reduced = Graph()
    for triple in data:
        if triple[1] not in predicates:
            reduced.add(triple)
    return reduced


@pytest.mark.parametrize("value", sorted(OPTIONAL))
def test_removing_an_optional_value_drops_no_row(
    store: CaseStore, fixture: Graph, baseline: dict[str, list[dict]], value: str
) -> None:
    predicates = OPTIONAL[value]
    checked = [q for q in REPORTS if value not in ABOUT[q.name]]
    _load(store, _without(fixture, predicates))
    lost = {}
    for query in checked:
        before = _counts(baseline[query.name], query, predicates)
        after = _counts(_rows(store, query), query, predicates)
        dropped = {e: (n, after[e]) for e, n in before.items() if after[e] < n}
        if dropped:
            lost[query.name] = dropped
    assert not lost, f"without {value}: rows lost (entity: before, after): {lost}"


def test_a_campaign_week_without_a_number_is_listed(store: CaseStore, fixture: Graph) -> None:
    """The shipped case of issue 10: a dated campaign week the sources do not number."""
    _load(store, _without(fixture, (CG.weekNumber,)))
    rows = _rows(store, next(q for q in REPORTS if q.name == "campaign-prisons-by-week"))
    assert len(rows) == 4 and all(r.get("week") is None for r in rows)
