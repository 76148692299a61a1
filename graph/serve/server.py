"""Starting the server: bind the socket first (so ``--port 0`` can say which port it got), then
hand it to uvicorn. The token, if any, is printed once on standard output, never logged."""

from __future__ import annotations

import copy
import logging
import socket
import sys
from collections.abc import Callable

from graph.errors import CasegraphError
from graph.serve.settings import ServeSettings

__all__ = ["serve"]


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise CasegraphError(
            f"cannot listen on {host} port {port}: {error.strerror}; choose another --port "
            "(0 picks a free one)"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class WithoutQueryStrings(logging.Filter):
    """Drops the query string from access-log lines: it holds the names people search for and
    the SPARQL they ask, which a log kept on a shared machine must not."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def _log_config() -> dict[str, object]:
    """uvicorn's logging, every line on standard error (standard output is the announcement),
    and access lines without their query strings."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    config["filters"] = {"no_query": {"()": WithoutQueryStrings}}
    config["handlers"]["access"]["filters"] = ["no_query"]
    return config


def serve(
    settings: ServeSettings, host: str, port: int, announce: Callable[[str], None] | None = None
) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM). ``host`` was checked by :func:`check_host`."""
    import uvicorn

    from graph.serve.app import SecurityHeaders, create_app

    say = announce or (lambda line: print(line, flush=True))
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    app = SecurityHeaders(create_app(settings))  # outside too: also on the 500 page
    config = uvicorn.Config(
        app,
        log_config=_log_config(),
        server_header=False,
        proxy_headers=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
    )
    say(f"casegraph serve: http://{shown}:{bound}/  (store {settings.store}; Ctrl-C stops it)")
    if settings.include_restricted:
        say(
            "restricted records are served only to requests with the header "
            f"'Authorization: Bearer {settings.token}'; everyone else gets the public records"
        )
    else:
        say("serving public records only")
    sys.stdout.flush()
    uvicorn.Server(config).run(sockets=[sock])
