"""The ``casegraph`` command: a thin layer over the library (heavy imports happen inside commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.cli import analysis, cache, core, events, network_export, pictures, serve, views

app = typer.Typer(
    name="casegraph",
    help="A sourced knowledge graph of protest-related prosecutions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="CASEGRAPH_STORE",
            help="Store directory (default: ./.casegraph).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", help="No progress bars (shown only on a terminal, never in CI)."),
    ] = False,
) -> None:
    """Load case files, validate them, ask SPARQL questions, read dossiers, export public data."""
    from graph import progress

    progress.configure(progress.should_show(sys.stderr, quiet))
    ctx.obj = {"store": store, "quiet": quiet}


core.register(app)
analysis.register(app)
views.register(app)
network_export.register(app)
events.register(app)
serve.register(app)
pictures.register(app)
cache.register(app)


def main() -> None:
    """Entry point of the console script: library errors become plain messages and exit codes."""
    from graph.errors import CasegraphError, StoreInUse

    try:
        app()
    except StoreInUse as error:
        print(f"casegraph: {error}", file=sys.stderr)
        sys.exit(3)
    except CasegraphError as error:
        print(f"casegraph: {error}", file=sys.stderr)
        sys.exit(getattr(error, "exit_code", 1))
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as error:
        print(f"casegraph: {error}", file=sys.stderr)
        sys.exit(1)
