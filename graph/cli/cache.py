"""Cache commands: ``casegraph cache info`` and ``casegraph cache clear``.

The cache holds what is computed once per store version (the projected network, centrality,
communities and report rows); see :mod:`graph.network.cache`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = ["register"]

cache_app = typer.Typer(
    help="What is computed once per store version and kept beside it (network, analysis).",
    no_args_is_help=True,
)


def _store(ctx: typer.Context) -> CaseStore:
    from graph.store import CaseStore

    parent = ctx.find_root()
    path = parent.obj.get("store") if parent.obj else None
    return CaseStore.open(path)


@cache_app.command()
def clear(ctx: typer.Context) -> None:
    """Delete the kept projections and analysis results (rebuilt when next needed)."""
    from graph.network.cache import clear_cache

    with _store(ctx) as store:
        removed = clear_cache(store)
    typer.echo(f"removed {len(removed)} cached item(s) from {store.path}")


@cache_app.command()
def info(
    ctx: typer.Context,
    fmt: Annotated[
        Literal["table", "csv", "json"], typer.Option("--format", "-f", help="table, csv or json.")
    ] = "table",
) -> None:
    """List what is kept per store version: name, scope (public or restricted), size."""
    from graph.network.cache import cache_info
    from graph.network.tables import format_rows

    with _store(ctx) as store:
        rows = cache_info(store)
    typer.echo(format_rows(rows, ["version", "name", "scope", "files", "bytes"], fmt))


def register(app: typer.Typer) -> None:
    """Add the ``cache`` command group to the main app."""
    app.add_typer(cache_app, name="cache")
