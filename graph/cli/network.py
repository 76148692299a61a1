"""Network commands: centrality, communities, report, path, view, network-export.

Each command builds the filtered network from the store, calls one library function and prints.
networkx, pyvis and rdflib are imported inside the commands, so ``casegraph --help`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from graph.cli.core import Force

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.build import NetworkSpec
    from graph.store import CaseStore

__all__ = ["register"]

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


def _spec(
    types: list[str] | None,
    as_of: str | None,
    start: str | None,
    end: str | None,
    within: str | None,
    reliability: str | None,
    sources: int,
    restricted: bool = False,
) -> NetworkSpec:
    from graph.network.build import NetworkSpec

    return NetworkSpec(
        tuple(types or ()), as_of, start, end, within, reliability, sources, restricted
    )


def _dated(spec: NetworkSpec, include_undated: bool, dates: str = "overlap") -> NetworkSpec:
    """``spec`` with the date options that every network command shares."""
    from dataclasses import replace

    return replace(spec, include_undated=include_undated, dates=dates)


def _store(ctx: typer.Context, spec: NetworkSpec) -> CaseStore:
    from graph.store import CaseStore

    path = ctx.obj.get("store") if ctx.obj else None
    return CaseStore.open(path, public=not spec.include_restricted)  # the public view by default


def _network(ctx: typer.Context, spec: NetworkSpec) -> tuple[CaseStore, nx.MultiDiGraph]:
    from graph.network.build import network_from_store

    store = _store(ctx, spec)
    return store, network_from_store(store, spec)


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

    spec = _spec(None, as_of, start, end, within, min_reliability, min_sources, include_restricted)
    spec = _dated(spec, include_undated, dates)
    with _store(ctx, spec) as store:
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

    spec = _spec(types, as_of, start, end, within, min_reliability, min_sources, include_restricted)
    spec = _dated(spec, include_undated, dates)
    with _store(ctx, spec) as store:
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

    spec = _spec(None, as_of, start, end, within, min_reliability, min_sources, include_restricted)
    spec = _dated(spec, include_undated, dates)
    with _store(ctx, spec) as store:
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

    spec = _spec(None, as_of, None, None, None, min_reliability, min_sources, include_restricted)
    spec = _dated(spec, include_undated)
    with _store(ctx, spec) as store:
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

    spec = _spec(types, as_of, start, end, within, min_reliability, min_sources)
    spec = _dated(spec, include_undated, dates)
    with _store(ctx, spec) as store:
        target = checked_output(store, output, force)
        layers = frozenset({"organisations"} if with_organisations else ())
        shown = ViewRequest(focus, depth, between, query, events, lang, size_by, max_nodes,
                            sample, timeout, layers, physics)  # fmt: skip
        data = view_data_of(store, spec, shown)
    write_view(data, target, physics)  # .png, .svg, .pdf: drawn in headless Chromium
    typer.echo(f"wrote {output} ({len(data['nodes'])} nodes, {len(data['edges'])} edges)")


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

    store, network = _network(
        ctx,
        _dated(
            _spec(types, as_of, start, end, within, min_reliability, min_sources),
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
    """Add the network commands to the main app."""
    for command in (centrality, communities, report, path, view):
        app.command()(command)
    app.command("network-export")(network_export)
