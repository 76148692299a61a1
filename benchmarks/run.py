"""Run the benchmark suite: ``python -m benchmarks.run --size small|tiny|10k|100k|1m [--repeat 5]``.

For each size: generate the data if needed, then run every task group of
:mod:`benchmarks.tasks` in its own child process, time the ``casegraph`` command as a process, pair
every figure with its baseline and write ``benchmarks/results/<size>-<date>.json``. A table of the
medians and ratios is printed in Markdown, ready for ``docs/performance.md``.

``--timeout 0`` runs with no time limit at all, so that no figure can be lost to a slow machine,
and ``--groups`` runs only some groups: the smoke test (``tests/test_benchmarks_smoke.py``) uses both.

This module imports only the standard library (see :mod:`benchmarks.measure` for why).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.generate import FORMAT_VERSION, SIZES, data_dir
from benchmarks.measure import machine, run_child, run_process
from benchmarks.processes import PREFIX, markdown_rows, process_group
from graph.progress import configure, should_show, task

__all__ = ["GOALS", "main", "markdown", "run_size"]

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
WORK = ROOT / ".work"
GROUPS = (
    "load-casegraph",
    "load-plain",
    "queries-casegraph",
    "queries-plain",
    "network-casegraph",
    "network-plain",
)
#: Everything :func:`run_size` can run: the task groups, the browser's settle times, the start-up.
ALL_GROUPS = (*GROUPS, "browser", "start-up", "process")
#: The groups that read the store the casegraph load group leaves behind.
_READ_STORE = ("queries-casegraph", "network-casegraph", "start-up")
BIN = Path(sys.executable).parent
FIRST_QUERY = "death-sentences-per-branch"
#: A query joining at least this many triple patterns counts as join-heavy for the 100x goal.
JOIN_HEAVY = 5

#: The goals of issue 4, checked against a size's figures (the load goal is stated for 1M triples).
GOALS = (
    ("load 1M triples in under 30 s", "load", 30.0),
    ("load at under 1.5 GiB peak memory", "load peak", 1536.0),
    ("every named query and the dossier under 200 ms median", "queries", 0.2),
    ("join-heavy queries at least 100 times faster than rdflib", "join ratio", 100.0),
    ("projection of the whole graph to networkx under 15 s", "projection", 15.0),
    ("PageRank under 10 s", "pagerank", 10.0),
    ("approximate betweenness (k=100) under 10 s", "betweenness k=100", 10.0),
    ("ego view of depth 2 written in under 2 s", "ego view", 2.0),
    ("ego view settled in headless Chromium in under 3 s", "settle", 3.0),
    ("`casegraph --help` under 0.3 s", "cli --help", 0.3),
    ("a named query on an existing store, as a process, under 1 s", "query process", 1.0),
    (
        "as a process, warm: show, search, events, a query's first page, ego view, path under 1 s",
        "process local",
        1.0,
    ),
    ("as a process, warm: centrality, communities, report under 2 s", "process analysis", 2.0),
)
#: The commands of the process group each goal of issue 11 is judged on (the slowest of them).
_PROCESS_GOALS = {
    "process local": ("show", "search", "events", "query", "view", "path"),
    "process analysis": ("centrality", "communities", "report"),
}


def _ensure_data(size: str) -> None:
    """Generate (and compile) the size unless its files are there and current."""
    manifest = data_dir(size) / "manifest.json"
    if manifest.exists() and (data_dir(size) / "compiled.nt").exists():
        known = json.loads(manifest.read_text(encoding="utf-8"))
        if known.get("format") == FORMAT_VERSION and "triples" in known:
            return
    print(f"[{size}] generating data", flush=True)
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--size", size], check=True)


def _pair(ours: dict[str, Any] | None, plain: dict[str, Any] | None) -> dict[str, Any]:
    """One figure beside its baseline; ``speedup`` is baseline time / casegraph time."""
    row: dict[str, Any] = {"casegraph": ours, "baseline": plain}
    if ours and plain and "rows" in ours and "rows" in plain:
        row["same_rows"] = ours["rows"] == plain["rows"]
    if ours and plain and ours.get("median_s"):
        if plain.get("timed_out"):
            row["speedup"] = f"> {plain['timeout_s'] / ours['median_s']:.1f}"
        elif plain.get("median_s"):
            row["speedup"] = float(f"{plain['median_s'] / ours['median_s']:.3g}")
    return row


def _startup(store: Path, size: str, repeat: int) -> dict[str, dict[str, Any]]:
    casegraph = str(BIN / "casegraph")
    nt = str(data_dir(size) / "compiled.nt")
    query = str(ROOT.parent / "ontology" / "queries" / f"{FIRST_QUERY}.rq")
    plain_imports = "import rdflib, networkx, pyvis"
    return {
        "cli --help": _pair(
            run_process([casegraph, "--help"], repeat),
            run_process([sys.executable, "-c", plain_imports], repeat),
        ),
        "query process": _pair(
            run_process([casegraph, "--store", str(store), "query", FIRST_QUERY], repeat),
            run_process([sys.executable, "-m", "benchmarks.baseline", query, nt], repeat),
        ),
    }


def run_size(
    size: str,
    repeat: int,
    timeout: float,
    groups: tuple[str, ...] = ALL_GROUPS,
    work_root: Path = WORK,
    cold: bool = True,
) -> dict[str, Any]:
    """Every figure of one size, paired with its baseline (only those of ``groups``).

    ``timeout`` is the time limit of each baseline run (and, three times over, of each casegraph
    query); 0 means no limit at all, so every figure is measured however slow the machine is.
    """
    _ensure_data(size)
    work = work_root / size
    work.mkdir(parents=True, exist_ok=True)
    reads_store = any(g in groups for g in _READ_STORE)
    if reads_store and "load-casegraph" not in groups and not (work / "store").exists():
        raise SystemExit(f"[{size}] no store in {work}: run the load-casegraph group too")
    manifest = json.loads((data_dir(size) / "manifest.json").read_text(encoding="utf-8"))
    limit = timeout or None
    args = {
        "size": size,
        "repeat": repeat,
        "timeout": limit,
        "load_timeout": max(600.0, limit) if limit else None,
        "load_budget": 60.0,
        "hard_limit": 3 * limit if limit else None,
        "browser_timeout": 60.0,
        "work": str(work),
        "store": str(work / "store"),
    }
    started = time.perf_counter()
    sides: dict[str, dict[str, Any]] = {}
    with task(f"[{size}] benchmark groups", total=sum(g in groups for g in GROUPS)) as done:
        for group in (g for g in GROUPS if g in groups):
            print(f"[{size}] {group}", flush=True)
            sides[group] = run_child(group, args, work / f"{group}.json")
            done.advance()
            if group == "load-casegraph" and "error" in sides[group]:
                raise SystemExit(f"[{size}] {sides[group]['error']}: no store to measure")
    if "browser" in groups:
        print(f"[{size}] browser", flush=True)
        sides["browser"] = run_child("browser", args, work / "browser.json")
    figures: dict[str, Any] = {}
    peaks: dict[str, Any] = {}
    for area in ("load", "queries", "network"):
        ours, plain = sides.get(f"{area}-casegraph", {}), sides.get(f"{area}-plain", {})
        peaks[area] = {
            "casegraph": ours.get("peak_rss_mib"),
            "baseline": plain.get("peak_rss_mib"),
            "casegraph_tree_pss": ours.get("peak_tree_pss_mib"),
            "baseline_tree_pss": plain.get("peak_tree_pss_mib"),
        }
        theirs = plain.get("figures", {})
        for name, figure in ours.get("figures", {}).items():
            figures[name] = _pair(figure, theirs.get(name))
        for name, figure in theirs.items():
            figures.setdefault(name, _pair(None, figure))
        for side, result in (("casegraph", ours), ("baseline", plain)):
            if "error" in result:
                figures[f"{area} ({side})"] = {"error": result["error"]}
    if "browser" in sides:
        browser = sides["browser"].get("figures", {})
        figures["ego view settle"] = _pair(browser.get("casegraph"), browser.get("baseline"))
    if "start-up" in groups:
        print(f"[{size}] start-up", flush=True)
        figures.update(_startup(work / "store", size, repeat))
    if "process" in groups:
        print(f"[{size}] process", flush=True)
        figures.update(process_group(size, repeat, work, manifest["sample"], cold))
    command = f"python -m benchmarks.run --size {size} --repeat {repeat} --timeout {timeout:g}"
    if tuple(groups) != ALL_GROUPS:
        command += f" --groups {','.join(groups)}"
    if not cold:
        command += " --no-cold"
    result = {
        "size": size,
        "triples": manifest.get("triples"),
        "date": date.today().isoformat(),
        "command": command,
        "groups": list(groups),
        "repeat": repeat,
        "timeout_s": timeout,
        "machine": machine(),
        "memory": (
            "peak RSS (ru_maxrss) of the child process that ran each group, and the peak PSS sum "
            "of its whole process tree sampled every 0.2 s (the load forks workers), in MiB"
        ),
        "peak_rss_mib": peaks,
        "figures": figures,
        "shape": manifest.get("shape"),
        "wall_s": round(time.perf_counter() - started, 1),
    }
    result["goals"] = goals(result)
    return result


def _median(figures: dict[str, Any], name: str, side: str = "casegraph") -> float | None:
    figure = (figures.get(name) or {}).get(side) or {}
    return figure.get("median_s")


def goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of the issue: the figure it is judged on and whether this run met it."""
    figures = result["figures"]
    query_names = [
        n
        for n in figures
        if (n.startswith(("query ", "bench-query ")) and n != "query process") or n == "dossier"
    ]
    checks = []
    for text, key, limit in GOALS:
        value: float | None
        where = key
        if key == "load peak":
            load = result["peak_rss_mib"]["load"]
            # the larger of the two: the group's own peak, and its process tree's (workers included)
            value = max(load["casegraph"] or 0.0, load.get("casegraph_tree_pss") or 0.0) or None
        elif key == "queries":
            slowest = max(query_names, key=lambda n: _median(figures, n) or 0.0, default=None)
            value, where = (_median(figures, slowest), slowest) if slowest else (None, key)
        elif key == "join ratio":
            heavy = [
                n
                for n in query_names
                if ((figures[n].get("casegraph") or {}).get("joins") or 0) >= JOIN_HEAVY
            ]
            ratios = {n: _speedup(figures[n]) for n in heavy}
            known = {n: r for n, r in ratios.items() if r is not None}
            where = min(known, key=lambda n: known[n], default=key)
            value = known.get(where)
        elif key == "ego view":
            parts = [_median(figures, "ego view data"), _median(figures, "ego view html")]
            value = sum(parts) if None not in parts else None  # type: ignore[arg-type]
        elif key == "settle":
            value = _median(figures, "ego view settle")
        elif key in _PROCESS_GOALS:
            judged = [n for n in figures if n.removeprefix(PREFIX).startswith(_PROCESS_GOALS[key])]
            judged = [n for n in judged if n.startswith(PREFIX)]
            slowest = max(judged, key=lambda n: _median(figures, n) or 0.0, default=None)
            value, where = (_median(figures, slowest), slowest) if slowest else (None, key)
        else:
            value = _median(figures, key)
        if (key.startswith("load") or key in _PROCESS_GOALS) and result["size"] != "1m":
            met = None  # stated for 1M triples: judged only there
        elif value is None:
            met = None
        elif key == "join ratio":
            met = value >= limit
        else:
            met = value < limit
        checks.append({"goal": text, "figure": where, "value": value, "limit": limit, "met": met})
    return checks


def _speedup(row: dict[str, Any]) -> float | None:
    value = row.get("speedup")
    if isinstance(value, str):
        return float(value.lstrip("> "))
    return value


def _cell(figure: dict[str, Any] | None) -> str:
    if not figure:
        return "-"
    if figure.get("error"):
        return "fails"
    if figure.get("timed_out"):
        return f"> {figure['timeout_s']:g} s"
    seconds = figure.get("median_s")
    if seconds is None:
        return "not run"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def markdown(result: dict[str, Any]) -> str:
    """The figures of one size as a Markdown table (median time, baseline, speed-up)."""
    lines = [
        f"#### {result['size']} ({result['triples']} triples), `{result['command']}`",
        "",
        "| figure | casegraph | baseline | speed-up |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, row in result["figures"].items():
        if name.startswith(PREFIX):
            continue  # in the table of their own below
        if "error" in row:
            lines.append(f"| {name} | error: {row['error']} | | |")
            continue
        ours, plain = row.get("casegraph"), row.get("baseline")
        speed = row.get("speedup")
        shown = f"{speed}x" if isinstance(speed, str) else (f"{speed:g}x" if speed else "-")
        extra = ""
        if ours and ours.get("triples") and ours.get("median_s"):
            extra = f" ({ours['triples'] / ours['median_s']:,.0f} triples/s)"
        lines.append(f"| {name} | {_cell(ours)}{extra} | {_cell(plain)} | {shown} |")
    lines += markdown_rows(result)
    lines += ["", "| goal | figure | value | met |", "| --- | --- | ---: | --- |"]
    for goal in result["goals"]:
        value = goal["value"]
        shown = "-" if value is None else f"{value:.3g}"
        met = {True: "met", False: "**missed**", None: "not judged at this size"}[goal["met"]]
        lines.append(f"| {goal['goal']} | {goal['figure']} | {shown} | {met} |")
    peaks = result["peak_rss_mib"]
    lines += [
        "",
        "Peak memory (MiB, casegraph vs baseline; RSS of the group's process, then in brackets the "
        "PSS sum of its process tree, workers included): "
        + "; ".join(
            f"{a}: {p['casegraph']} [{p.get('casegraph_tree_pss')}] vs "
            f"{p['baseline']} [{p.get('baseline_tree_pss')}]"
            for a, p in peaks.items()
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the chosen sizes, write their JSON results and print their tables."""
    parser = argparse.ArgumentParser(description="casegraph benchmarks against the plain way")
    parser.add_argument("--size", default="small", choices=["small", *SIZES])
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="timed runs after one warm-up (0: one run, no warm-up)",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="time limit per baseline run (0: no limit)"
    )
    parser.add_argument(
        "--groups",
        default=",".join(ALL_GROUPS),
        help=f"comma-separated groups to run (default all: {','.join(ALL_GROUPS)})",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the JSON results go")
    parser.add_argument("--work", type=Path, default=WORK, help="where the stores and pages go")
    parser.add_argument("--no-save", action="store_true", help="write no JSON result")
    parser.add_argument("--report", type=Path, help="print the table of a saved result and stop")
    parser.add_argument(
        "--no-cold",
        action="store_true",
        help="process group: no cold run per command, only cache build, the first run after it "
        "and the warm runs (at 5M a cold run per command rebuilds the network each time)",
    )
    args = parser.parse_args()
    groups = tuple(g for g in args.groups.split(",") if g)
    unknown = sorted(set(groups) - set(ALL_GROUPS))
    if unknown or not groups:
        parser.error(f"--groups: unknown {unknown or 'none'}; choose from {','.join(ALL_GROUPS)}")
    if args.repeat < 0:
        parser.error("--repeat: give 0 or more runs")
    if args.timeout < 0:
        parser.error("--timeout: give seconds, or 0 for no limit")
    if args.report:
        print(markdown(json.loads(args.report.read_text(encoding="utf-8"))))
        return
    configure(should_show())  # progress bars on stderr, on a terminal and outside CI only
    sizes = ["10k", "100k"] if args.size == "small" else [args.size]
    for size in sizes:
        result = run_size(size, args.repeat, args.timeout, groups, args.work, not args.no_cold)
        if not args.no_save:
            args.output.mkdir(parents=True, exist_ok=True)
            out = args.output / f"{size}-{result['date']}.json"
            out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            print(f"[{size}] wrote {out}")
        print(markdown(result), flush=True)


if __name__ == "__main__":
    main()
