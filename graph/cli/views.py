"""Commands that show part of the network: view (an HTML page or image) and path (chains).

networkx, pyvis and rdflib are imported inside the commands, so ``casegraph --help`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from graph.cli.core import Force
from graph.cli.network_options import (
    AsOf,
    DateMode,
    End,
    Measure,
    PathFormat,
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


def path(
    ctx: typer.Context,
    start_name: Annotated[
        str, typer.Argument(metavar="A", help="Where the chain starts (any spelling).")
    ],
    end_name: Annotated[str, typer.Argument(metavar="B", help="Where it ends.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many chains at most.")] = 5,
    time_ordered: Annotated[
        bool, typer.Option("--time-ordered", help="Only chains that never go back in time.")
    ] = False,
    max_depth: Annotated[
        int, typer.Option("--max-depth", min=1, help="Look for chains of at most this many hops.")
    ] = 12,
    as_of: AsOf = None,
    include_undated: Undated = False,
    min_reliability: Reliability = None,
    min_sources: Sources = 0,
    include_restricted: Restricted = False,
    fmt: PathFormat = "table",
) -> None:
    """The shortest chains between two entities, each hop with its claims and sources."""
    from graph.network.local import chains
    from graph.network.tables import format_paths

    spec = spec_of(None, as_of, None, None, None, min_reliability, min_sources, include_restricted)
    spec = dated(spec, include_undated)
    with store_of(ctx, spec) as store:
        found = chains(store, spec, start_name, end_name, limit, time_ordered, max_depth)
    typer.echo(format_paths(found, fmt))
    if fmt == "table":
        typer.echo(spec.caption())


def view(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The HTML file to write (.png, .svg, .pdf: an image)."),
    ] = Path("casegraph-view.html"),
    focus: Annotated[
        str | None, typer.Option("--focus", help="Show the neighbourhood of this entity.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="Hops around --focus.")] = 1,
    between: Annotated[
        tuple[str, str] | None, typer.Option("--path", help="Show the chains between two entities.")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query", help="A CONSTRUCT or SELECT (.rq file, name or text) naming the nodes."
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Stop --query after this many seconds.")
    ] = 30.0,
    size_by: Annotated[
        Measure, typer.Option("--size-by", help="degree, betweenness or pagerank.")
    ] = "degree",
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=1, help="Refuse views larger than this.")
    ] = 1000,
    sample: Annotated[
        bool, typer.Option("--sample", help="Above --max-nodes, draw the most central nodes.")
    ] = False,
    physics: Annotated[bool, typer.Option("--physics", help="Start with physics on.")] = False,
    events: Annotated[
        bool, typer.Option("--events", help="Draw events as nodes instead of folding them.")
    ] = False,
    lang: Annotated[
        Literal["en", "fa"],
        typer.Option("--lang", help="Label language: en, or fa (Persian where the data has it)."),
    ] = "en",
    with_organisations: Annotated[
        bool,
        typer.Option(
            "--with-organisations",
            help="Also draw who documented or published what (always counted in analysis).",
        ),
    ] = False,
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
    """Write one self-contained, offline HTML view of the (public) network: actors, with events
    folded into labelled, dated links (--events draws the events themselves)."""
    from graph.cli.core import checked_output
    from graph.views.images import write_view
    from graph.views.page import ViewRequest, view_data_of

    spec = spec_of(types, as_of, start, end, within, min_reliability, min_sources)
    spec = dated(spec, include_undated, dates)
    with store_of(ctx, spec) as store:
        target = checked_output(store, output, force)
        layers = frozenset({"organisations"} if with_organisations else ())
        shown = ViewRequest(focus, depth, between, query, events, lang, size_by, max_nodes,
                            sample, timeout, layers, physics)  # fmt: skip
        data = view_data_of(store, spec, shown)
    write_view(data, target, physics)  # .png, .svg, .pdf: drawn in headless Chromium
    typer.echo(f"wrote {output} ({len(data['nodes'])} nodes, {len(data['edges'])} edges)")


def register(app: typer.Typer) -> None:
    """Add the path and view commands to the main app."""
    for command in (path, view):
        app.command()(command)
