"""The ``events`` command: the event finder (graph/events.py) on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from graph.cli.core import Force, IncludeRestricted

__all__ = ["register"]

EventFormat = Literal["table", "csv", "json"]
_NAME = "a name in any spelling, or a record id"


def _opt(flag: str, text: str) -> typer.models.OptionInfo:
    return typer.Option(flag, help=text, show_default=False)


def events(
    ctx: typer.Context,
    type_: Annotated[
        str | None,
        _opt(
            "--type",
            "Event type, e.g. execution (casegraph vocab events); includes its narrower types.",
        ),
    ] = None,
    person: Annotated[
        str | None, _opt("--person", f"Person the event happened to: {_NAME}.")
    ] = None,
    court: Annotated[
        str | None, _opt("--court", f"Court (includes its branches): {_NAME}.")
    ] = None,
    court_type: Annotated[
        str | None, _opt("--court-type", "Court type, e.g. revolutionary (casegraph vocab courts).")
    ] = None,
    judge: Annotated[str | None, _opt("--judge", f"Judge: {_NAME}.")] = None,
    charge: Annotated[
        str | None, _opt("--charge", "Charge, e.g. moharebeh (casegraph vocab charges).")
    ] = None,
    sentence: Annotated[
        str | None, _opt("--sentence", "Sentence, e.g. death (casegraph vocab sentences).")
    ] = None,
    outcome: Annotated[
        str | None,
        _opt(
            "--outcome",
            "Every event of the people who had an event of this type, e.g. supreme_court_overturned: what came before and after.",
        ),
    ] = None,
    prison: Annotated[
        str | None, _opt("--prison", f"Prison where it happened or that took part: {_NAME}.")
    ] = None,
    place: Annotated[
        str | None, _opt("--place", f"Place (includes the places inside it): {_NAME}.")
    ] = None,
    protest: Annotated[
        str | None, _opt("--protest", f"Protest (a wave includes its local protests): {_NAME}.")
    ] = None,
    campaign: Annotated[str | None, _opt("--campaign", f"Campaign: {_NAME}.")] = None,
    documented_by: Annotated[
        str | None,
        _opt(
            "--documented-by",
            f"Organisation that documented it or published a source on it: {_NAME}.",
        ),
    ] = None,
    start: Annotated[
        str | None,
        _opt(
            "--from",
            "Events that may have happened on or after this date (YYYY-MM-DD, YYYY-MM, YYYY, or '... SH').",
        ),
    ] = None,
    end: Annotated[
        str | None,
        _opt(
            "--to", "Events that may have happened on or before this date (same forms as --from)."
        ),
    ] = None,
    include_undated: Annotated[
        bool,
        typer.Option("--include-undated", help="With --from/--to, keep events that have no date."),
    ] = False,
    min_reliability: Annotated[
        str | None,
        _opt(
            "--min-reliability",
            "Events with a source of at least this grade: high, medium, low, unverified.",
        ),
    ] = None,
    contested: Annotated[
        bool, typer.Option("--contested", help="Only events that another report contradicts.")
    ] = False,
    fmt: Annotated[
        EventFormat, typer.Option("--format", "-f", help="table, csv or json.")
    ] = "table",
    view: Annotated[
        Path | None,
        _opt("--view", "Also write a network view of the events found to this HTML file."),
    ] = None,
    with_organisations: Annotated[
        bool,
        typer.Option(
            "--with-organisations",
            help="In the --view, also draw who documented or published what.",
        ),
    ] = False,
    force: Force = False,
    include_restricted: IncludeRestricted = False,
) -> None:
    """List events with their date, people, court, judge, charges, sentence, prison and sources;
    any combination of filters narrows the list (public records only, unless --include-restricted)."""
    from graph.cli.core import _store, checked_output
    from graph.events import EventFilters, event_view, find_events

    filters = EventFilters(
        type_, person, court, court_type, judge, charge, sentence, outcome, prison, place,
        protest, campaign, documented_by, start, end, include_undated, min_reliability, contested,
    )  # fmt: skip
    with _store(ctx, public=not include_restricted) as store:
        target = None if view is None else checked_output(store, view, force, "--view")
        table = find_events(store, filters)
        layers = frozenset({"organisations"} if with_organisations else ())
        data = None if target is None else event_view(store, table, include_restricted, layers)
    typer.echo({"csv": table.to_csv, "json": table.to_json}.get(fmt, table.to_text)().rstrip("\n"))
    if data is not None and target is not None:
        from graph.views.render import write_html  # pyvis and networkx: only for a view

        write_html(data, target)
        typer.echo(
            f"wrote {view} ({len(data['nodes'])} nodes, {len(data['edges'])} edges)", err=True
        )


def register(app: typer.Typer) -> None:
    """Add the events command to the main app."""
    app.command()(events)
