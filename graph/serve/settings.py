"""What a running server was started with, and the checks on it that come before anything binds."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from graph.options import BadOption

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOOPBACK_NAMES",
    "ServeSettings",
    "check_host",
    "new_token",
    "served_store",
]

#: The names a request to a server on loopback may give in its Host header.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Seconds a query of the server may run unless told otherwise (``--query-timeout``).
DEFAULT_TIMEOUT = 10.0


def new_token() -> str:
    """A fresh secret for ``--include-restricted``: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def _concurrency() -> int:
    """How many query workers may run at once: the cores, at least two (so a slow query never
    holds up every other request)."""
    return max(2, os.cpu_count() or 2)


@dataclass(frozen=True)
class ServeSettings:
    """The store served, the limits, and whether (and to whom) restricted records are served."""

    store: Path
    query_timeout: float = DEFAULT_TIMEOUT
    include_restricted: bool = False
    token: str | None = field(default=None, repr=False)  # never printed with the settings
    workers: int = field(default_factory=_concurrency)
    #: Host names a request may address (empty: any). On loopback only the loopback names, so a
    #: web page cannot reach the server through a DNS name it rebinds to 127.0.0.1.
    hosts: tuple[str, ...] = LOOPBACK_NAMES

    def __post_init__(self) -> None:
        if self.include_restricted and not self.token:
            raise ValueError("serving restricted records needs a token")


def check_host(host: str, public_host: bool) -> str:
    """``host`` if the server may bind it: an IP address or ``localhost``; a loopback one unless
    ``public_host`` (anything else would publish the graph to the network by accident)."""
    text = host.strip()
    if text == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise BadOption(
            f"--host: '{host}' is not an IP address; give 127.0.0.1 (the default), ::1, or "
            "another address of this machine"
        ) from None
    if not address.is_loopback and not public_host:
        raise BadOption(
            f"--host: {host} is not a loopback address, so anyone on the network could read the "
            "graph; add --public-host if that is what you want"
        )
    return str(address)


def served_store(option: Path | None, default: Path | None) -> Path:
    """The store to serve: ``--store`` (a usage error when it holds no store), else the global
    one; it must hold loaded data (``make serve`` loads ``data/`` first)."""
    from graph.disk_store import DiskStore, default_store_path

    if option is not None:
        if not DiskStore(option).exists:
            raise BadOption(
                f"--store: {option} holds no casegraph store; load files into it first "
                f"(casegraph --store {option} load data/)"
            )
        return option
    path = default or default_store_path()
    if not DiskStore(path).exists:
        from graph.errors import CasegraphError

        raise CasegraphError(
            f"the store {path} is empty: load some files first (casegraph load data/, or make serve)"
        )
    return path
