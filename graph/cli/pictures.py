"""Picture commands: ``timeline`` (vis-timeline) and ``chart`` (Vega-Lite), as HTML, PNG, SVG or PDF.

Each command checks its options, makes one library call and says what it wrote. The store, the
charts' plotting library and the browser are imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from graph.cli.core import Force, IncludeRestricted

__all__ = ["register"]

Output = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="The file to write: .html, .png, .svg or .pdf (by its suffix)."
    ),
]
ChartKind = Literal["sentences-per-month", "campaign-weeks", "time-to-execution"]


def timeline(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="A person, case, court (with its branches), judge, prison, protest or campaign: "
            "any spelling, or a record id."
        ),
    ],
    output: Output = Path("casegraph-timeline.html"),
    force: Force = False,
    include_restricted: IncludeRestricted = False,
) -> None:
    """Draw the events of one record on a time axis (public records only, unless
    --include-restricted): partial dates as ranges, contested versions on their own lanes."""
    from graph.cli.core import _store, checked_output
    from graph.views.images import page_suffix, write_page
    from graph.views.timeline import render_timeline
    from graph.views.timeline_data import subject_for, timeline_data

    page_suffix(output)
    with _store(ctx, public=not include_restricted) as store:
        target = checked_output(store, output, force)
        data = timeline_data(store, subject_for(store, name), include_restricted)
    write_page(render_timeline(data), "timeline", target)
    typer.echo(
        f"wrote {output} ({len(data['items'])} dated events, {len(data['undated'])} undated)"
    )


def chart(
    ctx: typer.Context,
    kind: Annotated[
        ChartKind,
        typer.Argument(help="sentences-per-month, campaign-weeks or time-to-execution."),
    ],
    output: Output = Path("casegraph-chart.html"),
    by: Annotated[
        Literal["court", "judge", "protest"] | None,
        typer.Option(
            "--by", help="sentences-per-month: split each month by court, judge or protest."
        ),
    ] = None,
    campaign: Annotated[
        str | None,
        typer.Option("--campaign", help="campaign-weeks: the campaign (default: every campaign)."),
    ] = None,
    force: Force = False,
    include_restricted: IncludeRestricted = False,
) -> None:
    """Chart a series of the record with Vega-Lite: death sentences and executions per month,
    a campaign's prisons week by week, or arrest to sentence to execution per person."""
    from graph.cli.core import _store, checked_output
    from graph.views.charts import build_chart, chart_suffix, write_chart

    chart_suffix(output)
    with _store(ctx, public=not include_restricted) as store:
        target = checked_output(store, output, force)
        built = build_chart(store, kind, by, campaign, include_restricted)
    write_chart(built, target)
    typer.echo(f"wrote {output} ({built.count} {built.unit})")


def register(app: typer.Typer) -> None:
    """Add the picture commands to the main app."""
    app.command()(timeline)
    app.command()(chart)
