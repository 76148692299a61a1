"""Network analysis commands: centrality, communities, report.

Each command builds the filtered network from the store, calls one library function and prints.
networkx and rdflib are imported inside the commands, so ``casegraph --help`` stays light.
"""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from graph.cli.network_options import (
    AsOf,
    DateMode,
    End,
    Format,
    Measure,
    Reliability,
    Restricted,
    Sources,
    Start,
    Types,
    Undated,
    Within,
    dated,
    spec_of,
    store_of,
)

__all__ = ["register"]


def centrality(
    ctx: typer.Context,
    measure: Annotated[
        Measure, typer.Option("--measure", "-m", help="degree, betweenness or pagerank.")
    ] = "degree",
    top: Annotated[int, typer.Option("--top", min=1, help="How many of each type.")] = 10,
    k: Annotated[
        int | None,
        typer.Option(
            "--k",
            min=1,
            help="Estimate betweenness from K sampled nodes (seeded). Default: exact up to "
            "5,000 nodes, 100 samples above.",
        ),
    ] = None,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="List only these types (measured on the whole network)."),
    ] = None,
    as_of: AsOf = None,
    start: Start = None,
    end: End = None,
    include_undated: Undated = False,
    dates: DateMode = "overlap",
    within: Within = None,
    min_reliability: Reliability = None,
    min_sources: Sources = 0,
    include_restricted: Restricted = False,
    fmt: Format = "table",
) -> None:
    """Rank entities by centrality, per entity type."""
    from graph.network.results import centrality_rows
    from graph.network.tables import format_rows

    spec = spec_of(
        None, as_of, start, end, within, min_reliability, min_sources, include_restricted
    )
    spec = dated(spec, include_undated, dates)
    with store_of(ctx, spec) as store:
        rows = centrality_rows(store, spec, measure, top, types or [], k)
    typer.echo(format_rows(rows, ["type", "rank", "label", "score", "node"], fmt))
    if fmt == "table":
        typer.echo(spec.caption())


def communities(
    ctx: typer.Context,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed of the Louvain method.")
    ] = 0,
    types: Types = None,
    as_of: AsOf = None,
    start: Start = None,
    end: End = None,
    include_undated: Undated = False,
    dates: DateMode = "overlap",
    within: Within = None,
    min_reliability: Reliability = None,
    min_sources: Sources = 0,
    include_restricted: Restricted = False,
    fmt: Format = "table",
) -> None:
    """Find communities (Louvain) and list their members."""
    from graph.network.results import community_rows
    from graph.network.tables import format_rows

    spec = spec_of(
        types, as_of, start, end, within, min_reliability, min_sources, include_restricted
    )
    spec = dated(spec, include_undated, dates)
    with store_of(ctx, spec) as store:
        rows = community_rows(store, spec, seed)
    typer.echo(format_rows(rows, ["community", "size", "members"], fmt))
    if fmt == "table":
        typer.echo(spec.caption())


def report(
    ctx: typer.Context,
    kind: Annotated[
        Literal["judge", "court", "all"], typer.Option("--kind", help="judge, court or all.")
    ] = "all",
    as_of: AsOf = None,
    start: Start = None,
    end: End = None,
    include_undated: Undated = False,
    dates: DateMode = "overlap",
    within: Within = None,
    min_reliability: Reliability = None,
    min_sources: Sources = 0,
    include_restricted: Restricted = False,
    fmt: Format = "table",
) -> None:
    """Accountability report per judge and per court branch, with the sources counted."""
    from graph.network.results import report_rows
    from graph.network.tables import format_rows

    spec = spec_of(
        None, as_of, start, end, within, min_reliability, min_sources, include_restricted
    )
    spec = dated(spec, include_undated, dates)
    with store_of(ctx, spec) as store:
        rows = report_rows(store, spec, kind)
    columns = [
        "kind",
        "label",
        "includes",
        "defendants",
        "death_sentences",
        "death_sentence_count",
        "executions",
        "charges",
        "supreme_court",
        "contested",
        "sources",
        "independent_sources",
    ]
    if fmt == "table":
        for row in rows:
            for key in ("defendants", "death_sentences", "executions"):
                row[key] = len(row[key])
    typer.echo(format_rows(rows, columns + (["claims"] if fmt != "table" else []), fmt))
    if fmt == "table":
        typer.echo(spec.caption())


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the main app."""
    for command in (centrality, communities, report):
        app.command()(command)
