"""Cache commands: ``casegraph cache build``, ``casegraph cache info`` and ``casegraph cache clear``.

The cache holds what is computed once per store version (the projected network, centrality,
communities and report rows, the answers of named queries); see :mod:`graph.network.cache` and
:mod:`graph.query_cache`. ``build`` computes it (and the
public view) now rather than on first use; see :mod:`graph.network.prepare`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = ["register"]

cache_app = typer.Typer(
    help="What is computed once per store version and kept beside it (network, analysis, queries).",
    no_args_is_help=True,
)


def _store(ctx: typer.Context) -> CaseStore:
    from graph.store import CaseStore

    parent = ctx.find_root()
    path = parent.obj.get("store") if parent.obj else None
    return CaseStore.open(path)


def _quiet(ctx: typer.Context) -> bool:
    root = ctx.find_root()
    return bool(root.obj.get("quiet")) if root.obj else False


@cache_app.command()
def build(
    ctx: typer.Context,
    include_restricted: Annotated[
        bool,
        typer.Option(
            "--include-restricted",
            help="Also build the network and analyses of all records (kept apart, local only).",
        ),
    ] = False,
) -> None:
    """Build now what commands would build on first use: the public view, the network,
    centrality, communities and report results, and the answers of the named queries; prints
    what it built and how long it took."""
    from graph.network.prepare import prepare_version

    with _store(ctx) as store:
        report = prepare_version(store, include_restricted)
    if not _quiet(ctx):
        typer.echo("\n".join(report.lines()))


@cache_app.command()
def clear(ctx: typer.Context) -> None:
    """Delete the kept projections, analysis results and query answers (rebuilt when next needed)."""
    from graph.network.cache import clear_cache
    from graph.query_cache import clear_query_cache

    with _store(ctx) as store:
        removed = clear_cache(store) + clear_query_cache(store)
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
    from graph.query_cache import query_cache_info

    with _store(ctx) as store:
        rows = cache_info(store) + query_cache_info(store)
    typer.echo(format_rows(rows, ["version", "name", "scope", "files", "bytes"], fmt))


def register(app: typer.Typer) -> None:
    """Add the ``cache`` command group to the main app."""
    app.add_typer(cache_app, name="cache")
