"""The ``network-export`` command: the filtered (public) network as GraphML, GEXF or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from graph.cli.core import Force
from graph.cli.network_options import (
    AsOf,
    DateMode,
    End,
    Reliability,
    Sources,
    Start,
    Types,
    Undated,
    Within,
    dated,
    network_of,
    spec_of,
)

__all__ = ["register"]


def network_export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="The file to write.")],
    fmt: Annotated[
        Literal["graphml", "gexf", "json"],
        typer.Option("--format", "-f", help="graphml, gexf or json (node-link)."),
    ] = "graphml",
    force: Force = False,
    types: Types = None,
    as_of: AsOf = None,
    start: Start = None,
    end: End = None,
    include_undated: Undated = False,
    dates: DateMode = "overlap",
    within: Within = None,
    min_reliability: Reliability = None,
    min_sources: Sources = 0,
) -> None:
    """Export the (public) network for Gephi and other tools."""
    from graph.cli.core import checked_output
    from graph.network.exports import export_network

    store, network = network_of(
        ctx,
        dated(
            spec_of(types, as_of, start, end, within, min_reliability, min_sources),
            include_undated,
            dates,
        ),
    )
    with store:
        target = checked_output(store, output, force, "OUTPUT")
    export_network(network, fmt, target)
    typer.echo(
        f"wrote {output} ({network.number_of_nodes()} nodes, {network.number_of_edges()} edges)"
    )


def register(app: typer.Typer) -> None:
    """Add the network-export command to the main app."""
    app.command("network-export")(network_export)
