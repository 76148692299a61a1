"""The ASGI application of ``casegraph serve``: routes, security headers, and shared state."""

from __future__ import annotations

from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.serve.settings import ServeSettings

__all__ = ["SECURITY_HEADERS", "create_app"]

_HERE = Path(__file__).resolve().parent

#: Sent with every answer: nothing but this server's own files, no inline script, no framing
#: by other sites, no guessing of types, no referrer sent elsewhere.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in headers}
                # A page may set a stricter policy of its own (the sandboxed network view).
                headers += [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k not in present
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    from graph.serve.pages import error_page

    return await error_page(request, 404, "There is no page at this address.")


async def _server_error(request: Request, exc: Exception) -> Response:
    from graph.serve.pages import error_page

    return await error_page(request, 500, "Something went wrong; the error was not shown.")


def create_app(settings: ServeSettings) -> Starlette:
    """The application serving ``settings.store``."""
    from graph.serve import pages, query_pages
    from graph.serve.sparql import named_endpoint, sparql_endpoint

    routes = [
        Route("/", pages.home),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/queries", query_pages.query_list),
        Route("/query", query_pages.sparql_page),
        Route("/queries/{name}", named_endpoint),
        Route("/search", pages.search),
        Route("/entity/{rid}", pages.entity),
        Route("/entity/{rid}/view", pages.entity_view),
        Route("/events", pages.events),
        Route("/reports/{kind}", pages.report),
        Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            *(
                [Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.hosts))]
                if settings.hosts
                else []
            ),
        ],
        exception_handlers={404: _not_found, 500: _server_error},
    )
    app.state.settings = settings
    app.state.limiter = anyio.CapacityLimiter(settings.workers)
    app.state.pages = anyio.CapacityLimiter(settings.workers)
    return app
