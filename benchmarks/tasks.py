"""The measured task groups, each run in its own child process (``python -m benchmarks.tasks``).

A group measures one side (casegraph or the plain way) of several figures and reports its peak
memory; the parent (:mod:`benchmarks.run`) pairs the sides into ratios.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import cases_dir, data_dir
from benchmarks.measure import once, peak_rss_mib, timed, watched

__all__ = ["TASKS", "join_patterns", "main"]

QUERIES = Path(__file__).resolve().parent / "queries"
#: Standard SPARQL forms of the queries casegraph writes with LATERAL (see standard_form).
STANDARD = QUERIES / "standard"
#: The parameter values given to named queries, by parameter name (from the manifest's sample).
PARAMETERS = {
    "person": "person_id",
    "judge": "judge_id",
    "court": "branch_id",
    "campaign": "campaign_id",
    "protest": "protest_id",
    "prison": "prison_id",
    "case": "case_id",
    "source": "source_id",
}


def _manifest(size: str) -> dict[str, Any]:
    return json.loads((data_dir(size) / "manifest.json").read_text(encoding="utf-8"))


def join_patterns(text: str) -> int:
    """How many triple patterns a query's WHERE clause joins (a rough count: ``.`` and ``;`` ends)."""
    body = text[text.upper().find("WHERE") :]
    body = re.sub(r"#[^\n]*", "", body)
    return len(re.findall(r"\?\w+\s+[^\s{}]+\s+[^{}]*?\s*[.;](?=\s|$)", body))


def _workload(size: str) -> list[tuple[str, str, dict[str, str]]]:
    """Every named query (with its required parameters) and the benchmark's own queries."""
    from graph.queries import list_queries

    sample = _manifest(size)["sample"]
    work = []
    for query in list_queries():
        params = {}
        for param in query.parameters:
            if param.required:
                params[param.name] = sample[PARAMETERS.get(param.name, "person_id")]
        work.append((f"query {query.name}", query.name, params))
    for path in sorted(QUERIES.glob("*.rq")):
        work.append((f"bench-query {path.stem}", str(path), {}))
    return work


# --- load ------------------------------------------------------------------------------------


def load_casegraph(args: dict[str, Any]) -> dict[str, Any]:
    """casegraph's load_paths (validation included) into a fresh on-disk store; check_paths alone.

    The store of the last run becomes the one the query and network groups read.
    """
    from graph.loading import check_paths, load_paths
    from graph.store import CaseStore

    folder = cases_dir(args["size"])
    target = Path(args["work"]) / "load-store"

    def fresh() -> None:
        shutil.rmtree(target, ignore_errors=True)

    def load() -> None:
        with CaseStore.open(target) as store:
            load_paths([folder], store)

    budget = args["load_budget"]
    os.environ["CASEGRAPH_JOBS"] = "1"
    figures = {"load, one process": timed(load, args["repeat"], setup=fresh, budget=budget)}
    del os.environ["CASEGRAPH_JOBS"]
    figures["load"] = timed(load, args["repeat"], setup=fresh, budget=budget)
    with CaseStore.open(target) as store:
        _, rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        figures["load"]["triples"] = int(rows[0]["n"])
    figures["validate"] = timed(lambda: check_paths([folder]), args["repeat"], budget=budget)
    shutil.rmtree(args["store"], ignore_errors=True)
    shutil.move(target, args["store"])  # the last load is the store the other groups read
    return figures


def load_plain(args: dict[str, Any]) -> dict[str, Any]:
    """rdflib's in-memory Graph parsing the same statements as N-Triples."""
    from benchmarks import baseline

    path = data_dir(args["size"]) / "compiled.nt"
    figure = timed(lambda: baseline.load(path), args["repeat"], args["load_timeout"])
    figure["triples"] = len(baseline.load(path)) if figure.get("median_s") else None
    return {"load": figure}


# --- queries, dossier, search ----------------------------------------------------------------


def queries_casegraph(args: dict[str, Any]) -> dict[str, Any]:
    """Every named query through run_query on the on-disk store; the dossier; search by name.

    A call past the time limit cannot be interrupted inside Oxigraph: a watchdog writes the
    figures so far, marks that one ``> N s`` and ends the process; the runner starts the group
    again, which goes on after the figures already done.
    """
    from graph.dossier import dossier
    from graph.lookup import search
    from graph.queries import prepare
    from graph.querying import run_query
    from graph.store import CaseStore

    sample = _manifest(args["size"])["sample"]
    budget = args["timeout"]
    limit = args["hard_limit"]
    figures: dict[str, Any] = dict(args.get("done", {}))

    def measure(label: str, call: Callable[[], object]) -> dict[str, Any] | None:
        if label in figures:
            return None

        def overrun() -> None:
            figures[label] = {"timed_out": True, "timeout_s": limit, "median_s": None}
            _write(Path(args["out"]), figures)

        figures[label] = timed(watched(call, limit, overrun), args["repeat"], budget=budget)
        return figures[label]

    with CaseStore.open(args["store"]) as store:
        for label, name, params in _workload(args["size"]):
            figure = measure(label, lambda n=name, p=params: run_query(store, n, p))
            if figure is None or figure.get("median_s") is None:
                continue
            prepared = prepare(name, params)
            if prepared.form == "SELECT":
                figure["rows"] = len(store.select(prepared.text, prepared.bindings)[1])
            figure["joins"] = join_patterns(prepared.text)
        measure("dossier", lambda: dossier(store, sample["person"]))
        found = measure("search", lambda: search(store, sample["search_text"]))
        if found is not None and found.get("median_s") is not None:
            found["rows"] = len(search(store, sample["search_text"]))
    return figures


def standard_form(name: str) -> Path | None:
    """The standard SPARQL 1.1 text of a query that casegraph writes with Oxigraph's ``LATERAL``.

    rdflib cannot parse ``LATERAL``; its baseline runs this form instead, which asks the same
    question (casegraph's own text before the ``LATERAL`` rewrite; ``tests/test_benchmarks_smoke.py``
    checks that both give the same rows).
    """
    path = STANDARD / f"{Path(name).stem}.rq"
    return path if path.exists() else None


def _dossier_queries(graph: Any, name: str) -> Callable[[], None]:
    """The dossier the plain way: the same lookup and dossier SPARQL on rdflib."""
    from rdflib import Literal

    from benchmarks import baseline
    from graph.names import fold
    from graph.resources import internal_query

    def text(query: str) -> str:
        standard = standard_form(query)
        return standard.read_text(encoding="utf-8") if standard else internal_query(query)

    texts = {q: text(q) for q in ("lookup-by-key", "dossier-entity", "dossier-claims")}
    texts |= {q: text(q) for q in ("dossier-events", "dossier-sources")}

    def run() -> None:
        rows = list(graph.query(texts["lookup-by-key"], initBindings={"key": Literal(fold(name))}))
        entity = rows[0][0]
        for query in ("dossier-entity", "dossier-claims", "dossier-events", "dossier-sources"):
            baseline.select(graph, texts[query], {"entity": entity})

    return run


def queries_plain(args: dict[str, Any]) -> dict[str, Any]:
    """The same queries with rdflib's SPARQL engine on an in-memory Graph, each under a time limit."""
    from rdflib import Literal

    from benchmarks import baseline
    from graph.names import fold
    from graph.queries import prepare
    from graph.resources import internal_query

    sample = _manifest(args["size"])["sample"]
    graph = baseline.load(data_dir(args["size"]) / "compiled.nt")
    figures: dict[str, Any] = {}
    timeout = args["timeout"]
    for label, name, params in _workload(args["size"]):
        standard = standard_form(name)
        # the query text and rdflib terms; not timed
        prepared = prepare(str(standard) if standard else name, params)
        text, bindings = prepared.text, prepared.bindings
        figure = timed(
            lambda t=text, b=bindings: baseline.select(graph, t, b), args["repeat"], timeout
        )
        if figure.get("median_s") is not None:
            figure["rows"] = baseline.select(graph, text, bindings)
        figures[label] = figure
    figures["dossier"] = timed(_dossier_queries(graph, sample["person"]), args["repeat"], timeout)
    search = internal_query("search-keys")
    key = {"text": Literal(fold(sample["search_text"]))}
    figures["search"] = timed(lambda: baseline.select(graph, search, key), args["repeat"], timeout)
    return figures


# --- network ---------------------------------------------------------------------------------


#: Exact betweenness is timed only up to this many nodes of the projection.
EXACT_BETWEENNESS_NODES = 20_000


def network_casegraph(args: dict[str, Any]) -> dict[str, Any]:
    """Projection, measures, judge report, shortest path and the depth-2 ego view, casegraph's way."""

    from graph.network.accountability import accountability
    from graph.network.analysis import scores, simple
    from graph.network.build import build_view, network_from_store, node_for
    from graph.network.paths import shortest_paths
    from graph.store import CaseStore
    from graph.views.render import write_html

    sample = _manifest(args["size"])["sample"]
    repeat, timeout = args["repeat"], args["timeout"]
    work = Path(args["work"])
    for old in ("ego-casegraph.html", "ego-pyvis.html", "ego-view.json"):
        (work / old).unlink(missing_ok=True)
    figures: dict[str, Any] = {}
    with CaseStore.open(args["store"]) as store:
        figures["projection"] = timed(lambda: network_from_store(store), repeat, budget=timeout)
        network = network_from_store(store)
        figures["projection"]["nodes"] = network.number_of_nodes()
        figures["projection"]["edges"] = network.number_of_edges()
        start = node_for(store, network, sample["person_id"])
        end = node_for(store, network, sample["other_person_id"])
        view: dict[str, Any] = {}

        def ego() -> None:
            view.update(build_view(store, network, focus=sample["person_id"], depth=2))

        figures["ego view data"] = timed(ego, repeat)
        page = work / "ego-casegraph.html"
        figures["ego view html"] = timed(lambda: write_html(view, page), repeat)
    plain = simple(network)
    figures["degree"] = timed(lambda: scores(network, "degree"), repeat, timeout)
    figures["pagerank"] = timed(lambda: scores(network, "pagerank"), repeat, timeout)
    if len(plain) <= EXACT_BETWEENNESS_NODES:
        exact = once(lambda: scores(network, "betweenness"), timeout)[1]
        figures["betweenness exact"] = {
            "timed_out": exact is None,
            "timeout_s": timeout,
            "median_s": exact,
            "runs_s": [exact] if exact is not None else [],
            "note": "one run: the library's scores(network, 'betweenness') is exact, with no k",
        }
    else:  # igraph's C code cannot be interrupted by the time limit; minutes at this size
        figures["betweenness exact"] = {
            "median_s": None,
            "note": f"not run above {EXACT_BETWEENNESS_NODES:,} nodes (the CLI samples k=100 there)",
        }
    figures["betweenness k=100"] = timed(
        lambda: scores(network, "betweenness", k=min(100, len(plain)), seed=0), repeat, timeout
    )
    figures["judge report"] = timed(lambda: accountability(network, "judge"), repeat, timeout)
    figures["shortest path"] = timed(lambda: shortest_paths(network, start, end), repeat, timeout)
    figures["ego view data"]["nodes"] = len(view["nodes"])
    figures["ego view data"]["edges"] = len(view["edges"])
    (work / "ego-view.json").write_text(json.dumps(view), encoding="utf-8")
    return figures


def network_plain(args: dict[str, Any]) -> dict[str, Any]:
    """rdflib's networkx conversion, networkx's measures, a SPARQL judge report, pyvis's page."""
    from rdflib import URIRef

    from benchmarks import baseline
    from graph.namespaces import ID

    sample = _manifest(args["size"])["sample"]
    repeat, timeout = args["repeat"], args["timeout"]
    work = Path(args["work"])
    graph = baseline.load(data_dir(args["size"]) / "compiled.nt")
    figures: dict[str, Any] = {"projection": timed(lambda: baseline.project(graph), repeat)}
    network = baseline.project(graph)
    figures["projection"]["nodes"] = network.number_of_nodes()
    figures["projection"]["edges"] = network.number_of_edges()
    figures["degree"] = timed(lambda: baseline.degree(network), repeat, timeout)
    figures["pagerank"] = timed(lambda: baseline.pagerank(network), repeat, timeout)
    figures["betweenness k=100"] = timed(lambda: baseline.betweenness(network), repeat, timeout)
    report = (QUERIES / "judge-report.rq").read_text(encoding="utf-8")
    figures["judge report"] = timed(lambda: baseline.select(graph, report), repeat, timeout)
    a, b = URIRef(ID[sample["person_id"]]), URIRef(ID[sample["other_person_id"]])
    figures["shortest path"] = timed(lambda: baseline.shortest_path(network, a, b), repeat, timeout)
    view = json.loads((work / "ego-view.json").read_text(encoding="utf-8"))
    page = work / "ego-pyvis.html"
    figures["ego view html"] = timed(
        lambda: baseline.pyvis_page(view["nodes"], view["edges"], page), repeat, timeout
    )
    return figures


def browser(args: dict[str, Any]) -> dict[str, Any]:
    """Settle time of both ego pages in headless Chromium."""
    from benchmarks.browser import settle_times

    work = Path(args["work"])
    pages = {"casegraph": work / "ego-casegraph.html", "baseline": work / "ego-pyvis.html"}
    present = {side: page for side, page in pages.items() if page.exists()}
    return settle_times(present, args["repeat"], args["browser_timeout"])


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "load-casegraph": load_casegraph,
    "load-plain": load_plain,
    "queries-casegraph": queries_casegraph,
    "queries-plain": queries_plain,
    "network-casegraph": network_casegraph,
    "network-plain": network_plain,
    "browser": browser,
}


def _write(out: Path, figures: dict[str, Any]) -> None:
    result = {"figures": figures, "peak_rss_mib": peak_rss_mib()}
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


def main() -> None:
    """``python -m benchmarks.tasks TASK ARGS-JSON OUT``: run one group, write its figures."""
    task, args, out = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    _write(out, TASKS[task](args | {"out": str(out)}))


if __name__ == "__main__":
    main()
