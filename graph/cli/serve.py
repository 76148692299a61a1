"""The ``serve`` command: the case graph as local web pages and a SPARQL endpoint (graph/serve/)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.cli.core import IncludeRestricted

__all__ = ["register"]


def serve(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Store directory to serve (default: the global --store).",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; loopback unless --public-host.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free one).")
    ] = 8000,
    query_timeout: Annotated[
        float,
        typer.Option(
            "--query-timeout", min=0.1, help="Stop a query after this many seconds (503)."
        ),
    ] = 10.0,
    include_restricted: IncludeRestricted = False,
    public_host: Annotated[
        bool,
        typer.Option(
            "--public-host", help="Allow a non-loopback --host (the network can read it)."
        ),
    ] = False,
) -> None:
    """Serve the graph to a browser and to SPARQL clients at /sparql (public records only; with
    --include-restricted, restricted ones too, but only to requests carrying the printed token)."""
    import ipaddress

    from graph.serve.server import serve as run
    from graph.serve.settings import (
        LOOPBACK_NAMES,
        ServeSettings,
        check_host,
        new_token,
        served_store,
    )

    address = check_host(host, public_host)
    path = served_store(store, ctx.obj.get("store") if ctx.obj else None)
    token = new_token() if include_restricted else None
    hosts = LOOPBACK_NAMES if ipaddress.ip_address(address).is_loopback else ()
    settings = ServeSettings(path, query_timeout, include_restricted, token, hosts=hosts)
    run(settings, address, port)


def register(app: typer.Typer) -> None:
    """Add the serve command to the main app."""
    app.command()(serve)
