"""The canary test: no restricted text or id reaches any public artefact (issue 8, "Visibility").

A store is loaded (``casegraph load``, in a subprocess) from ``tests/data/canaries/case/``: public
records carrying ``PUBLICxOK…`` control strings, and restricted records, restricted parts of public
records and records with no visibility at all, each text and id carrying a unique ``CANARYx…``
string. Every public artefact is then made the way a user makes it, without
``--include-restricted``, and everything it wrote (files, stdout, stderr) is grepped raw, decoded
and as a browser shows it (see ``tests/canary_support.py``). A test fails naming the command, the
part of the artefact and each canary found, so the canary says where the leak came from.

To cover a new command (``serve``…): add its artefacts to ``CASES`` below, or, if it writes no
data from the store, add it to ``NOT_ARTEFACTS`` with the reason. ``test_every_command_is_covered``
fails until one or the other is done.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from canary_support import (
    CASE_FIXTURES,
    LINK_FIXTURES,
    LOOKALIKES,
    Run,
    all_canaries,
    leaks,
    notebook_texts,
    run_batch,
    run_casegraph,
)
from rdflib import Graph

from graph.namespaces import CG, ID

ROOT = Path(__file__).parent.parent


@dataclass(frozen=True)
class Case:
    """One public artefact: the command that makes it and the public strings it must show."""

    name: str
    args: tuple[str, ...]  # after ``casegraph --store STORE``; "{out}" is the output file
    output: str | None = None  # the file the command writes, in the work folder
    controls: tuple[str, ...] = ()  # public strings that prove the artefact holds the data
    must_succeed: bool = True  # False for probes whose answer is an error (hints)
    absent: tuple[str, ...] = ()  # public strings it must not show (found by a restricted key)


# --- What is covered. Extend these when a command or an option is added. ------------------------

#: Commands that make no artefact from the store's data, and why they are not grepped.
NOT_ARTEFACTS = {
    "load": "writes the store; prints only the files it loaded (tested by the fixture load)",
    "validate": "reads only the files it is given",
    "unload": "removes load units from the store; prints only the paths it removed",
    "serve": "a server, not a file: tests/test_serve_security.py greps its every page and endpoint",
}

#: The public records of the fixture, with a public string each one's dossier must show.
PUBLIC_RECORDS = {
    "src_pub_daily": "PUBLICxOKSRCTITLE",
    "src_pub_rights": "Publicton Rights Watch statement",
    "src_pub_mirror": "PUBLICxOKMIRRORTITLE",
    "src_pub_by_restricted_org": "src_pub_by_restricted_org",  # cited by a person only
    "org_pub_rights": "PUBLICxOKORG",
    "court_publicton": "PUBLICxOKCOURT",
    "court_publicton_b1": "PUBLICxOKBRANCH",
    "prison_publicton": "PUBLICxOKPRISON",
    "protest_publicton": "PUBLICxOKPROTEST",
    "campaign_publicton": "PUBLICxOKCAMPAIGN",
    "publio_testov": "PUBLICxOKPERSON",
    "secunda_publikova": "PUBLICxOKPERSON2",
    "judge_publicus": "PUBLICxOKJUDGE",
    "turtlo_publicus": "PUBLICxOKTTLPERSON",
    "jsonia_publica": "PUBLICxOKJSONPERSON",
    "case_publicton": "PUBLICxOKCASE",
    "ev_pub_arrest": "PUBLICxOKEVENTNOTE",
    "ev_pub_sentence": "PUBLICxOKSRCTITLE",
    "ev_pub_campaign_week": "PUBLICxOKSRCTITLE",
    "ev_ttl_trial": "PUBLICxOKSRCTITLE",
    "ev_json_detention": "PUBLICxOKSRCTITLE",
}

#: Values for the parameters of named queries (public records of the fixture).
QUERY_PARAMETERS = {
    "entity": "publio_testov",
    "person": "publio_testov",
    "judge": "judge_publicus",
    "campaign": "campaign_publicton",
    "court": "court_publicton",
    "protest": "protest_publicton",
}

#: Names close in spelling to restricted ones (and to public ones): what a user may mistype.
LOOKALIKE_PROBES = (
    "Publio Testova",  # part of a restricted name
    "pubIio testovana rhee",  # a fuzzy match of a restricted spelling only
    "Publicton Rights Watchers",  # a restricted organisation beside a public one
    "Secunda Publikovna",  # a record with no visibility
    "Turtlo Publicova",  # restricted in the Turtle file
    "Jsonia Publicova",  # restricted in the JSON-LD file
)

EXPORT_CONTROLS = (
    "PUBLICxOKPERSON",
    "PUBLICxOKALTNAME",
    "PUBLICxOKAGE31",
    "PUBLICxOKSRCTITLE",
    "PUBLICxOKCAMPAIGN",
    "PUBLICxOKEVENTNOTE",
    "PUBLICxOKTTLPERSON",
    "PUBLICxOKJSONPERSON",
)
NETWORK_CONTROLS = ("PUBLICxOKPERSON", "PUBLICxOKJUDGE", "PUBLICxOKCOURT", "PUBLICxOKCAMPAIGN")
EVERYTHING_SELECT = "SELECT ?s WHERE { ?s ?p ?o }"
EVERYTHING_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _named_queries() -> list[Case]:
    from graph.queries import list_queries

    cases = []
    for named in list_queries():
        args = ["query", named.name, "--format", "csv"]
        for p in named.parameters:
            if p.required and p.name in QUERY_PARAMETERS:
                args += ["--param", f"{p.name}={QUERY_PARAMETERS[p.name]}"]
        cases.append(Case(f"query-{named.name}", tuple(args)))
    return cases


def _cases() -> list[Case]:
    cases = [Case("export-stdout", ("export",), controls=EXPORT_CONTROLS)]
    for fmt, ext in (("trig", "trig"), ("nquads", "nq"), ("turtle", "ttl"), ("jsonld", "jsonld")):
        for extra in ((), ("--with-ontology",)):
            name = f"export-{fmt}{'-ontology' if extra else ''}"
            args = ("export", "--format", fmt, "-o", "{out}", *extra)
            cases.append(Case(name, args, f"{name}.{ext}", EXPORT_CONTROLS))
    views = {
        "network": ((), (*NETWORK_CONTROLS, "PUBLICxOKTTLPERSON", "PUBLICxOKJSONPERSON")),
        "focus-person": (
            ("--focus", "Publio Testov PUBLICxOKPERSON", "--depth", "2"),
            ("PUBLICxOKPERSON",),
        ),
        "focus-judge": (("--focus", "judge_publicus", "--depth", "2"), ("PUBLICxOKJUDGE",)),
        "focus-person-fa-events": (
            ("--focus", "publio_testov", "--depth", "2", "--lang", "fa", "--events"),
            ("PUBLICxOKPERSON",),
        ),
        "path": (
            ("--path", "publio_testov", "secunda_publikova"),
            ("PUBLICxOKPERSON", "PUBLICxOKPERSON2"),
        ),
        "query-select": (("--query", EVERYTHING_SELECT), NETWORK_CONTROLS),
        "query-construct": (("--query", EVERYTHING_CONSTRUCT), NETWORK_CONTROLS),
        "query-named": (("--query", "death-sentences"), ("PUBLICxOKPERSON2",)),
    }
    for name, (args, controls) in views.items():
        cases.append(Case(f"view-{name}", ("view", *args, "-o", "{out}"), f"{name}.html", controls))
    for fmt in ("graphml", "gexf", "json"):
        cases.append(
            Case(
                f"network-export-{fmt}",
                ("network-export", "{out}", "--format", fmt),
                f"network.{fmt}",
                NETWORK_CONTROLS,
            )
        )
    for a, b, controls in (
        ("publio_testov", "secunda_publikova", ("PUBLICxOKPERSON", "PUBLICxOKPERSON2")),
        ("secunda_publikova", "judge_publicus", ("PUBLICxOKPERSON2", "PUBLICxOKJUDGE")),
        ("campaign_publicton", "court_publicton", ("PUBLICxOKCAMPAIGN", "PUBLICxOKCOURT")),
    ):
        for fmt in ("table", "json"):
            cases.append(
                Case(f"path-{a}-{b}-{fmt}", ("path", a, b, "--format", fmt), None, controls)
            )
    for fmt in ("table", "csv", "json"):
        cases.append(Case(f"report-{fmt}", ("report", "--format", fmt), None, ("PUBLICxOKJUDGE",)))
        cases.append(
            Case(f"centrality-{fmt}", ("centrality", "--format", fmt), None, ("PUBLICxOKPERSON",))
        )
        cases.append(
            Case(f"communities-{fmt}", ("communities", "--format", fmt), None, ("PUBLICxOKPERSON",))
        )
    for measure in ("betweenness", "pagerank"):
        cases.append(
            Case(
                f"centrality-{measure}",
                ("centrality", "--measure", measure),
                None,
                ("PUBLICxOKJUDGE",),
            )
        )
    for record, control in PUBLIC_RECORDS.items():
        cases.append(Case(f"show-{record}", ("show", record), None, (control,)))
        cases.append(
            Case(f"show-{record}-json", ("show", record, "--format", "json"), None, (control,))
        )
    cases += [
        Case("search-substring", ("search", "Testov"), None, ("PUBLICxOKPERSON",)),
        Case("search-organisation", ("search", "Publicton Rights Watch"), None, ("PUBLICxOKORG",)),
        Case("search-canary", ("search", "canaryx"), must_succeed=False),
        Case("show-restricted-id", ("show", "CANARYxIDRPERSON"), must_succeed=False),
        Case(
            "path-restricted-id", ("path", "CANARYxIDRPERSON", "publio_testov"), must_succeed=False
        ),
    ]
    for i, probe in enumerate(LOOKALIKE_PROBES, start=1):
        cases += [
            Case(f"search-lookalike-{i}", ("search", probe), must_succeed=False),
            Case(f"show-hint-{i}", ("show", probe), must_succeed=False),
            Case(f"path-hint-{i}", ("path", probe, "publio_testov"), must_succeed=False),
            Case(f"path-hint-end-{i}", ("path", "publio_testov", probe), must_succeed=False),
            Case(
                f"view-focus-hint-{i}",
                ("view", "--focus", probe, "-o", "{out}"),
                f"hint-{i}.html",
                must_succeed=False,
            ),
        ]
    for alias in ("CANARYxRALTNAMEPLAIN Publio Testovich", "CANARYxRALTNAMEFA پوبلیو"):
        # restricted spellings of a public person: they must not find the person
        cases += [
            Case(
                f"search-alias-{alias[7:17]}",
                ("search", alias),
                None,
                (),
                False,
                ("publio_testov",),
            ),
            Case(
                f"show-alias-{alias[7:17]}", ("show", alias), None, (), False, ("PUBLICxOKAGE31",)
            ),
        ]
    cases += [
        Case("show-close-id", ("show", "publio_testova"), must_succeed=False),
        Case("path-close-id", ("path", "publio_testova", "secunda_publikova"), must_succeed=False),
        Case(
            "query-param-close-id",
            ("query", "entity-facts", "--param", "entity=publio_testova"),
            must_succeed=False,
        ),
        Case(
            "query-param-restricted-id",
            ("query", "person-timeline", "--param", "person=CANARYxIDRPERSON", "--format", "csv"),
            must_succeed=False,
        ),
        Case(
            "query-param-name",
            ("query", "entity-facts", "--param", "entity=Publio Testova"),
            must_succeed=False,
        ),
        Case(
            "view-within-public-protest",
            ("view", "--within", "protest_publicton", "-o", "{out}"),
            "within.html",
            ("PUBLICxOKPROTEST",),
        ),
        Case(
            "report-within-public-campaign",
            ("report", "--within", "campaign_publicton", "--format", "json"),
        ),
        Case(
            "view-within-restricted", ("view", "--within", "CANARYxIDRPROTEST"), must_succeed=False
        ),
        Case("report-within-hint", ("report", "--within", "Publio Testova"), must_succeed=False),
        Case(
            "view-query-restricted-text",
            (
                "view",
                "--query",
                "SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), 'testova')) }",
                "-o",
                "{out}",
            ),
            "query-text.html",
            must_succeed=False,
        ),
        # The event finder (issue 10): every format, a view with organisations, name probes.
        *(
            Case(f"events-{fmt}", ("events", "--format", fmt), None, ("PUBLICxOKPERSON2",))
            for fmt in ("table", "csv", "json")
        ),
        Case(
            "events-view",
            ("events", "--view", "{out}", "--with-organisations"),
            "events.html",
            ("PUBLICxOKPERSON2",),
        ),
        *(
            Case(f"events-person-hint-{i}", ("events", "--person", probe), must_succeed=False)
            for i, probe in enumerate(LOOKALIKE_PROBES, start=1)
        ),
        # Timelines and charts (issue 12): every kind of record, every chart, HTML and images.
        *(
            Case(
                f"timeline-{record}",
                ("timeline", record, "-o", "{out}"),
                f"tl-{record}.html",
                (control,),
            )
            for record, control in (
                ("publio_testov", "PUBLICxOKPERSON"),
                ("case_publicton", "PUBLICxOKCASE"),
                ("court_publicton", "PUBLICxOKCOURT"),
                ("judge_publicus", "PUBLICxOKJUDGE"),
                ("prison_publicton", "PUBLICxOKPRISON"),
                ("protest_publicton", "PUBLICxOKPROTEST"),
                ("campaign_publicton", "PUBLICxOKCAMPAIGN"),
            )
        ),
        Case(
            "timeline-svg",
            ("timeline", "secunda_publikova", "-o", "{out}"),
            "timeline.svg",
            ("PUBLICxOKPERSON2",),
        ),
        Case("timeline-restricted", ("timeline", "CANARYxIDRPERSON"), must_succeed=False),
        *(
            Case(
                f"chart-by-{by}",
                ("chart", "sentences-per-month", "--by", by, "-o", "{out}"),
                out,
                (control,),
            )
            for by, out, control in (
                ("court", "chart-court.json", "PUBLICxOKBRANCH"),
                ("judge", "chart-judge.svg", "PUBLICxOKJUDGE"),
                ("protest", "chart-protest.html", "PUBLICxOKPROTEST"),
            )
        ),
        Case(
            "chart-campaign-weeks",
            ("chart", "campaign-weeks", "-o", "{out}"),
            "chart-weeks.json",
            ("PUBLICxOKPRISON",),
        ),
        Case("chart-time-to-execution", ("chart", "time-to-execution", "-o", "{out}"), "tte.svg"),
        Case(
            "chart-restricted-campaign",
            ("chart", "campaign-weeks", "--campaign", "CANARYxIDRCAMPAIGN"),
            must_succeed=False,
        ),
        Case("query-list", ("query", "--list"), controls=("death-sentences",)),
        Case("cache-info", ("cache", "info"), controls=("version",)),
        Case("cache-build", ("cache", "build"), controls=("public view",)),
        Case("stats", ("stats",)),
        Case("vocab", ("vocab",), controls=("moharebeh",)),
        Case(
            "query-select-all-csv",
            ("query", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"),
            controls=EXPORT_CONTROLS,
        ),
        Case(
            "query-select-all-json",
            ("query", "SELECT * WHERE { ?s ?p ?o }", "--format", "json"),
            controls=EXPORT_CONTROLS,
        ),
        Case("query-select-all-table", ("query", "SELECT * WHERE { ?s ?p ?o }")),
        Case("query-construct-all", ("query", EVERYTHING_CONSTRUCT), controls=EXPORT_CONTROLS),
        Case(
            "query-describe-public-person",
            ("query", f"DESCRIBE <{ID['publio_testov']}>"),
            controls=("PUBLICxOKPERSON",),
        ),
        Case(
            "query-search-keys",
            ("query", f"SELECT ?k WHERE {{ ?s <{CG.searchKey}> ?k }}", "--format", "csv"),
            controls=("publicxokperson",),
        ),
    ]
    return cases + _named_queries()


CASES = _cases()
#: How many processes run the cases side by side.
BATCHES = 3
CANARIES = all_canaries(CASE_FIXTURES)


# --- Building the store and every artefact, once. ------------------------------------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder holding a store loaded from the canary fixtures by ``casegraph load``."""
    folder = tmp_path_factory.mktemp("canaries")
    run = run_casegraph(folder / "store", ["load", str(CASE_FIXTURES)], folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 file(s)" in run.stdout, run.stdout
    return folder


@pytest.fixture(scope="module")
def full_export(work: Path) -> Path:
    """The whole store, restricted records included, as Turtle (what the grep must find)."""
    out = work / "full-export.ttl"
    args = ["export", "--include-restricted", "--format", "turtle", "-o", str(out)]
    run = run_casegraph(work / "store", args, work)
    assert run.returncode == 0, run.stderr
    return out


def _job(work: Path, case: Case) -> tuple[list[str], list[Path]]:
    out = work / "out" / case.output if case.output else None
    return [str(out) if a == "{out}" else a for a in case.args], [out] if out else []


@pytest.fixture(scope="module")
def artefacts(work: Path) -> dict[str, Run]:
    """Every case of ``CASES``, run in a few processes side by side (see ``run_batch``)."""
    (work / "out").mkdir()
    warm = run_casegraph(work / "store", ["stats"], work)  # the first read builds derived data
    assert warm.returncode == 0, warm.stderr
    batches = [CASES[i::BATCHES] for i in range(BATCHES)]
    with ThreadPoolExecutor(max_workers=BATCHES) as pool:
        done = list(
            pool.map(
                lambda cases: run_batch(
                    work / "store", [_job(work, c) for c in cases], work / "out"
                ),
                batches,
            )
        )
    runs: dict[str, Run] = {}
    for cases, (results, process) in zip(batches, done, strict=True):
        assert len(results) == len(cases), f"the batch runner failed:\n{process.stderr[-3000:]}"
        runs.update({case.name: run for case, run in zip(cases, results, strict=True)})
        runs[f"batch process {len(runs)}"] = process
    return runs


def _typed(case: Case) -> Iterator[str]:
    """What a probe itself types that looks restricted (an error may echo what the user typed)."""
    for arg in case.args:
        if "canaryx" in arg.lower() or any(word in arg.lower() for word in LOOKALIKES):
            yield arg
            yield arg.partition("=")[2] or arg  # the value of name=value


def _found(case: Case, run: Run) -> dict[str, set[str]]:
    found = {}
    for where, text in run.texts().items():
        for typed in _typed(case):
            text = text.replace(typed, "")
        hits = leaks(text, CANARIES)
        if hits:
            found[where] = hits
    return found


def _describe(found: dict[str, set[str]]) -> str:
    return "; ".join(f"{where}: {', '.join(sorted(hits))}" for where, hits in sorted(found.items()))


# --- The tests. --------------------------------------------------------------------------------


def test_every_command_is_covered() -> None:
    import typer

    from graph.cli import app

    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    covered = {case.args[0] for case in CASES} | set(NOT_ARTEFACTS)
    assert commands - covered == set(), "add these commands to CASES or NOT_ARTEFACTS"


def test_fixture_has_canaries_everywhere() -> None:
    """The fixtures hold a canary per restricted place (enough of them, none twice in a value)."""
    assert len(CANARIES) >= 100
    assert len(set(c.lower() for c in CANARIES)) == len(CANARIES)


def _public_ids(full_export: Path) -> set[str]:
    """The ids of the records and claims that say they are public (``X`` and ``X/role/1``)."""
    data = Graph().parse(full_export, format="turtle")
    public = {str(s) for s in data.subjects(CG.visibility, CG.Public)}
    return {iri[len(str(ID)) :] for iri in public if iri.startswith(str(ID))}


def test_public_records_are_the_fixture_public_records(full_export: Path) -> None:
    """``PUBLIC_RECORDS`` lists every public record of the fixture, so each one is shown."""
    assert {i for i in _public_ids(full_export) if "/" not in i} == set(PUBLIC_RECORDS)


def test_stats_count_public_records_only(full_export: Path, artefacts: dict[str, Run]) -> None:
    """The figures of the public view count public records and claims only."""
    expected = len(_public_ids(full_export))
    counts = re.findall(r"^\s*([\d,]+)\s+records$", artefacts["stats"].stdout, re.MULTILINE)
    assert counts and int(counts[0].replace(",", "")) == expected, artefacts["stats"].stdout


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_canary_in_public_artefact(case: Case, artefacts: dict[str, Run]) -> None:
    run = artefacts[case.name]
    found = _found(case, run)
    assert not found, f"`{run.command}` leaks restricted data: {_describe(found)}"
    assert "Traceback" not in run.stderr, f"`{run.command}` crashed:\n{run.stderr[-2000:]}"


@pytest.mark.parametrize("case", [c for c in CASES if c.absent], ids=lambda c: c.name)
def test_restricted_spelling_finds_nothing(case: Case, artefacts: dict[str, Run]) -> None:
    run = artefacts[case.name]
    text = "\n".join(run.texts().values()).lower()
    shown = [a for a in case.absent if a.lower() in text]
    assert not shown, f"`{run.command}` finds a public record by a restricted spelling: {shown}"


def test_network_names_public_records_only(full_export: Path, artefacts: dict[str, Run]) -> None:
    """Every node, claim and source of the public network is a public record or claim (a
    restricted claim between public records would carry no canary, only its id)."""
    public = _public_ids(full_export)
    network = json.loads(artefacts["network-export-json"].files["network.json"])
    named = {node["id"] for node in network["nodes"]}
    for edge in network["edges"]:
        named |= {edge["source"], edge["target"], *edge.get("sources", [])}
        if isinstance(edge.get("claim"), str):
            named.add(edge["claim"])
    assert named - public == set()
    claims = {c for row in json.loads(artefacts["report-json"].stdout) for c in row["claims"]}
    assert claims - public == set()


def test_no_canary_in_batch_processes(artefacts: dict[str, Run]) -> None:
    """Whatever the commands printed past their own redirected output (e.g. from a worker)."""
    for name, run in artefacts.items():
        if name.startswith("batch process"):
            found = {w: h for w, t in run.texts().items() if (h := leaks(t, CANARIES))}
            assert not found, f"{name} printed restricted data: {_describe(found)}"
            assert run.returncode == 0, run.stderr[-3000:]


@pytest.mark.parametrize("case", [c for c in CASES if c.must_succeed], ids=lambda c: c.name)
def test_public_artefact_holds_public_data(case: Case, artefacts: dict[str, Run]) -> None:
    run = artefacts[case.name]
    assert run.returncode == 0, f"`{run.command}` exited {run.returncode}:\n{run.stderr[-2000:]}"
    if case.output:
        assert case.output in run.files, f"`{run.command}` wrote no {case.output}"
    text = "\n".join(run.texts().values()).lower()
    assert text.strip(), f"`{run.command}` produced nothing"
    missing = [c for c in case.controls if c.lower() not in text]
    assert not missing, f"`{run.command}` lacks the public data {missing}"


def test_include_restricted_reveals_every_canary(full_export: Path) -> None:
    """The grep finds what is there: an export with ``--include-restricted`` holds every canary."""
    found = leaks(full_export.read_text(encoding="utf-8"), CANARIES)
    assert set(CANARIES) - found == set()


#: Local commands given ``--include-restricted``, and canaries they must then show.
LOCAL = {
    "show": (
        ("show", "publio_testov"),
        ("CANARYxRATTRVALUE", "CANARYxRALTNAMEPLAIN", "CANARYxIDREVENT"),
    ),
    "show-json": (
        ("show", "publio_testov", "--format", "json"),
        ("CANARYxRATTRVALUE", "CANARYxRALTNAMEPLAIN", "CANARYxIDREVENT"),
    ),
    "search": (("search", "Testov"), ("CANARYxRWITNESSNAME", "CANARYxRPERSONNAME")),
    "report": (("report", "--format", "json"), ("CANARYxIDREVENT", "CANARYxIDREXECUTION")),
    "query": (("query", EVERYTHING_SELECT, "--format", "csv"), ("CANARYxIDRPERSON",)),
}


@pytest.fixture(scope="module")
def local_runs(work: Path) -> dict[str, Run]:
    jobs: list[tuple[list[str], list[Path]]] = [
        ([*args, "--include-restricted"], []) for args, _ in LOCAL.values()
    ]
    runs, process = run_batch(work / "store", jobs, work)
    assert len(runs) == len(jobs), process.stderr[-3000:]
    return dict(zip(LOCAL, runs, strict=True))


@pytest.mark.parametrize("command", LOCAL)
def test_include_restricted_shows_canaries_locally(
    command: str, local_runs: dict[str, Run]
) -> None:
    """Asked for restricted data, a local command shows it (so the public default is a choice,
    and the grep would see it), and the dossier marks it."""
    run = local_runs[command]
    assert run.returncode == 0, run.stderr[-2000:]
    assert set(LOCAL[command][1]) - leaks(run.stdout, CANARIES) == set()
    if command.startswith("show"):
        assert "restricted" in run.stdout.lower()


@pytest.mark.parametrize(
    "text",
    [
        "CANARYxRPERSONNAME",
        "canaryxrpersonname",
        '{"name": "\\u0043ANARYxRPERSONNAME"}',
        "&#67;ANARYxRPERSONNAME &amp;",
        "https://example.org/%43ANARYxRPERSONNAME/",
        "<p title='CANARYxRPERSONNAME'>x</p>",
        "| CANARYxRPER |\n| SONNAME |",
    ],
)
def test_grep_finds_escaped_canaries(text: str) -> None:
    assert leaks(text, CANARIES) & {
        "CANARYxRPERSONNAME",
        "CANARYxRPERSONNAME (split across lines or cells)",
    }


def test_grep_finds_cut_off_names() -> None:
    assert leaks("CANARYxRPERS… | Publio Testovsky", CANARIES) == {
        "canary fragment 'canaryxrpers'",
        "look-alike name 'testovsky'",
    }
    assert leaks("Publio Testov PUBLICxOKPERSON", CANARIES) == set()


def test_restricted_events_do_not_count(artefacts: dict[str, Run]) -> None:
    """Derived figures count public claims only: the judge's restricted death sentence and
    execution, the unmarked arrest and the restricted contradiction add nothing to the report."""
    rows = json.loads(artefacts["report-json"].stdout)
    judge = next(r for r in rows if r["label"] == "Judge Publicus PUBLICxOKJUDGE")
    assert judge["death_sentences"] == ["Secunda Publikova PUBLICxOKPERSON2"]
    assert judge["executions"] == []
    assert sorted(judge["defendants"]) == [
        "Secunda Publikova PUBLICxOKPERSON2",
        "Turtlo Publicus PUBLICxOKTTLPERSON",
    ]
    assert judge["claims"] == ["ev_pub_sentence", "ev_ttl_trial"]
    assert judge["sources"] == 3  # not the unmarked source the Turtle trial also cites
    assert judge["contested"] == 0  # only a restricted event contradicts the public sentence


def test_restricted_sources_do_not_corroborate(artefacts: dict[str, Run]) -> None:
    """The public arrest cites one public and one restricted source: it is not corroborated."""
    rows = artefacts["query-corroborated-facts"].stdout
    assert ID["ev_pub_sentence"] in rows
    assert ID["ev_pub_arrest"] not in rows


def test_notebook_shows_no_canary(tmp_path: Path) -> None:
    """The walkthrough, run on a copy of data/ plus the canary fixtures (some restricted records
    point at the people, judge and campaign it shows), prints and draws no canary."""
    import nbformat
    from nbclient import NotebookClient

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(CASE_FIXTURES, tmp_path / "data" / "zz-canary-case")
    shutil.copytree(LINK_FIXTURES, tmp_path / "data" / "zz-canary-links")
    notebook = nbformat.read(ROOT / "notebooks" / "walkthrough.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    text = notebook_texts(notebook)
    assert "Javid Khales" in text and "Abolqasem Salavati" in text
    assert '"output_type": "error"' not in text, text[-3000:]
    found = leaks(text, all_canaries())
    assert not found, f"notebooks/walkthrough.ipynb outputs leak restricted data: {sorted(found)}"
