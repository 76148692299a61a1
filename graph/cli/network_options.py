"""Options and helpers shared by the network commands (analysis, views, export).

The filter options every network command takes, and how they become a ``NetworkSpec`` and an open
store. networkx and rdflib are imported inside the helpers, so ``casegraph --help`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.build import NetworkSpec
    from graph.store import CaseStore

__all__ = [
    "AsOf",
    "DateMode",
    "End",
    "Format",
    "Measure",
    "PathFormat",
    "Reliability",
    "Restricted",
    "Sources",
    "Start",
    "Types",
    "Undated",
    "Within",
    "dated",
    "network_of",
    "spec_of",
    "store_of",
]

Types = Annotated[
    list[str] | None,
    typer.Option(
        "--type", "-t", help="Keep only these entity types, e.g. Person, Court (repeatable)."
    ),
]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Only claims that may have happened by YYYY-MM-DD.")
]
Start = Annotated[str | None, typer.Option("--from", help="Only claims on or after YYYY-MM-DD.")]
End = Annotated[str | None, typer.Option("--to", help="Only claims on or before YYYY-MM-DD.")]
Undated = Annotated[
    bool,
    typer.Option(
        "--include-undated", help="With a date filter, keep claims that have no date at all."
    ),
]
DateMode = Annotated[
    Literal["overlap", "within"],
    typer.Option(
        "--dates", help="A claim's possible dates must overlap the window, or lie within."
    ),
]
Within = Annotated[
    str | None, typer.Option("--within", help="Only the part of one protest or campaign.")
]
Reliability = Annotated[
    str | None,
    typer.Option(
        "--min-reliability",
        help="Claims need a source at least this reliable (high, medium, low, unverified).",
    ),
]
Sources = Annotated[
    int,
    typer.Option("--min-sources", min=0, help="Claims need this many independent sources."),
]
Restricted = Annotated[
    bool,
    typer.Option(
        "--include-restricted",
        help="Include restricted records (never shared: output stays on this machine).",
    ),
]
#: The measures of centrality (graph.network.analysis.MEASURES), checked by typer: exit 2.
Measure = Literal["degree", "betweenness", "pagerank"]
Format = Annotated[
    Literal["table", "csv", "json"], typer.Option("--format", "-f", help="table, csv or json.")
]
PathFormat = Annotated[
    Literal["table", "json"], typer.Option("--format", "-f", help="table or json.")
]


def spec_of(
    types: list[str] | None,
    as_of: str | None,
    start: str | None,
    end: str | None,
    within: str | None,
    reliability: str | None,
    sources: int,
    restricted: bool = False,
) -> NetworkSpec:
    """The network filter of the shared options (restricted records only when asked for)."""
    from graph.network.build import NetworkSpec

    return NetworkSpec(
        tuple(types or ()), as_of, start, end, within, reliability, sources, restricted
    )


def dated(spec: NetworkSpec, include_undated: bool, dates: str = "overlap") -> NetworkSpec:
    """``spec`` with the date options that every network command shares."""
    from dataclasses import replace

    return replace(spec, include_undated=include_undated, dates=dates)


def store_of(ctx: typer.Context, spec: NetworkSpec) -> CaseStore:
    """The store named by ``--store``, opened on its public view unless ``spec`` asks otherwise."""
    from graph.store import CaseStore

    path = ctx.obj.get("store") if ctx.obj else None
    return CaseStore.open(path, public=not spec.include_restricted)  # the public view by default


def network_of(ctx: typer.Context, spec: NetworkSpec) -> tuple[CaseStore, nx.MultiDiGraph]:
    """The open store and its network filtered by ``spec``."""
    from graph.network.build import network_from_store

    store = store_of(ctx, spec)
    return store, network_from_store(store, spec)
