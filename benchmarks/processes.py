"""The "as a process" group: every command timed as a user runs it, a fresh ``casegraph`` process
on an existing store, from its start to its exit.

The load comes first (timed once, into a store of its own). Then each command gets a **cold**
figure, its first run after the load (with ``casegraph cache clear`` before it where that command
exists, so no other command's run has warmed a cache for it), and a **warm** figure, the median of
``repeat`` later runs. After every command has its figures, the cache is cleared once more and
``casegraph cache build`` (what ``load --prepare`` runs) is timed, then each command's first run
after it (**prepared**): what a user who prepared the store at load time meets first. The system
load average (``os.getloadavg``) is recorded beside every figure,
since the machine is shared. Where a plain rdflib baseline runs the same work as a process (parse
the N-Triples, then query), it is timed once beside it.

This module imports only the standard library (see :mod:`benchmarks.measure` for why).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.generate import data_dir
from benchmarks.measure import run_process
from graph.progress import task

__all__ = ["PREFIX", "commands", "markdown_rows", "process_group"]

#: Every figure of this group is named ``process <command>``.
PREFIX = "process "
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent
#: Named queries timed for their first page (the table's screenful), slowest listings among them.
QUERIES = (
    "death-sentences-per-branch",
    "death-sentences",
    "single-source-facts",
    "corroborated-facts",
    "supreme-court-outcomes",
)
#: The query whose plain-rdflib process is timed beside it.
BASELINE_QUERY = "death-sentences-per-branch"


def commands(store: Path, sample: dict[str, str], out: Path) -> list[tuple[str, list[str]]]:
    """The commands timed, each a name and the full command line."""
    casegraph = [str(BIN / "casegraph"), "--quiet", "--store", str(store)]
    runs = [
        ("show", [*casegraph, "show", sample["person"]]),
        ("search", [*casegraph, "search", sample["search_text"]]),
    ]
    runs += [(f"query {name}", [*casegraph, "query", name]) for name in QUERIES]
    person, other = sample["person_id"], sample["other_person_id"]
    view = str(out / "process-view.html")
    # the library's ego-view figure has no size limit: neither has this one
    ego = ["--focus", person, "--depth", "2", "--max-nodes", "100000", "-o", view, "--force"]
    runs += [
        ("events --type execution", [*casegraph, "events", "--type", "execution"]),
        ("view --focus --depth 2", [*casegraph, "view", *ego]),
        ("path", [*casegraph, "path", person, other]),
        ("centrality --measure pagerank", [*casegraph, "centrality", "--measure", "pagerank"]),
        ("communities", [*casegraph, "communities"]),
        ("report --format csv", [*casegraph, "report", "--format", "csv"]),
    ]
    return runs


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _once(command: list[str]) -> dict[str, Any]:
    """One timed run, with the load average just before it."""
    before = _load_average()
    figure = run_process(command, 0)
    figure["load_avg"] = before
    return figure


def _clear_cache(store: Path) -> None:
    """``casegraph cache clear`` on the store, where that command exists (else nothing)."""
    subprocess.run(
        [str(BIN / "casegraph"), "--quiet", "--store", str(store), "cache", "clear"],
        capture_output=True,
        check=False,
    )


def _cold_and_warm(command: list[str], repeat: int, store: Path) -> dict[str, Any]:
    """The first run (after a cache clear) and the median of ``repeat`` later runs."""
    _clear_cache(store)
    cold = _once(command)
    if "error" in cold or not repeat:
        return {"cold": cold, "casegraph": None if "error" in cold else cold}
    return {"cold": cold, "casegraph": _warm(command, repeat)}


def _warm(command: list[str], repeat: int) -> dict[str, Any]:
    """The median of ``repeat`` runs (the first failed run instead, if any failed)."""
    runs = [_once(command) for _ in range(repeat)]
    failed = next((r for r in runs if "error" in r), None)
    if failed:
        return failed
    return {
        "timed_out": False,
        "median_s": statistics.median(r["median_s"] for r in runs),
        "runs_s": [r["median_s"] for r in runs],
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "load_avg": [r["load_avg"] for r in runs],
    }


def _prepared(store: Path, timed: list[tuple[str, list[str]]], figures: dict[str, Any]) -> None:
    """``cache build`` timed after a cache clear, then each command's first run after it."""
    _clear_cache(store)
    build = [str(BIN / "casegraph"), "--quiet", "--store", str(store), "cache", "build"]
    figures[f"{PREFIX}cache build"] = {"cold": _once(build), "casegraph": None}
    for name, command in timed:
        figures[PREFIX + name]["prepared"] = _once(command)


def process_group(
    size: str, repeat: int, work: Path, sample: dict[str, str], cold: bool = True
) -> dict[str, Any]:
    """Every figure of the group, named ``process <command>``; the store is loaded afresh.
    Without ``cold``, the cache is built once after the load and each command gets its first
    run after that build and its warm runs, no cold run."""
    store = work / "process-store"
    shutil.rmtree(store, ignore_errors=True)
    cases = data_dir(size) / "cases"
    load = [str(BIN / "casegraph"), "--quiet", "--store", str(store), "load", str(cases)]
    figures: dict[str, Any] = {}
    loaded = _once(load)
    figures[f"{PREFIX}load"] = {"cold": loaded, "casegraph": None}
    if "error" in loaded:
        return figures
    timed = commands(store, sample, work)
    partial = work / "process-figures.json"
    if not cold:
        for name, _ in timed:
            figures[PREFIX + name] = {"cold": None, "casegraph": None}
        _prepared(store, timed, figures)
    with task(f"[{size}] commands as processes", total=len(timed)) as done:
        for name, command in timed:
            print(f"[{size}] process {name}", flush=True)
            if cold:
                figures[PREFIX + name] = _cold_and_warm(command, repeat, store)
            else:
                figures[PREFIX + name]["casegraph"] = _warm(command, max(repeat, 1))
            done.advance()
            # what is measured so far survives a run stopped before its end
            partial.write_text(json.dumps(figures, indent=2, sort_keys=True), encoding="utf-8")
    if cold:
        _prepared(store, timed, figures)
    partial.write_text(json.dumps(figures, indent=2, sort_keys=True), encoding="utf-8")
    query = ROOT.parent / "ontology" / "queries" / f"{BASELINE_QUERY}.rq"
    plain = [sys.executable, "-m", "benchmarks.baseline", str(query)]
    figures[f"{PREFIX}query {BASELINE_QUERY}"]["baseline"] = _once(
        [*plain, str(data_dir(size) / "compiled.nt")]
    )
    return figures


def _cell(figure: dict[str, Any] | None) -> str:
    if not figure:
        return "-"
    if figure.get("error"):
        return "fails"
    seconds = figure.get("median_s")
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _load_avg(figure: dict[str, Any] | None) -> str:
    value = (figure or {}).get("load_avg")
    if isinstance(value, list):
        return f"{min(value):.1f}-{max(value):.1f}" if value else "-"
    return "-" if value is None else f"{value:.1f}"


def markdown_rows(result: dict[str, Any]) -> list[str]:
    """The group's table: cold, warm and baseline figures, with the load average beside each."""
    rows = [
        (name.removeprefix(PREFIX), row)
        for name, row in result["figures"].items()
        if name.startswith(PREFIX)
    ]
    if not rows:
        return []
    lines = [
        "",
        f"As a process (`casegraph --store S ...`, a fresh process per run; warm: median of "
        f"{result['repeat']} runs; load average: `uptime`'s 1-minute figure before each run):",
        "",
        "| command | cold | load avg | after `cache build` | load avg | warm | load avg "
        "| plain rdflib process |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in rows:
        cold, warm, plain = row.get("cold"), row.get("casegraph"), row.get("baseline")
        prepared = row.get("prepared")
        extra = f" ({_load_avg(plain)})" if plain else ""
        lines.append(
            f"| {name} | {_cell(cold)} | {_load_avg(cold)} | {_cell(prepared)} "
            f"| {_load_avg(prepared)} | {_cell(warm)} | {_load_avg(warm)} | {_cell(plain)}{extra} |"
        )
    return lines
