"""The event finder's query text, cut to the filters given (``ontology/queries/internal/events.rq``).

The template marks each filter's block (``# <filter f_x>`` ... ``# </filter>``) and each filter's
seed (``# <seed f_x>`` ... ``# </seed>``). Only the blocks of the filters given are kept, and of
the seeds only one, so the engine starts from that filter's few events. Lines of the template are
only dropped (or, for a probe, framed by a fixed count): the values travel as bindings.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache

__all__ = ["PROBE_LIMIT", "events_query", "seed_for", "seed_probe", "seeds_given"]

_OPEN = re.compile(r"^\s*# <(filter|seed) (f_\w+)>\s*$")
_CLOSE = re.compile(r"^\s*# </(filter|seed)>\s*$")


@cache
def _template() -> tuple[tuple[str, str | None, str], ...]:
    """The template's lines, each with its block kind and binding (None outside every block)."""
    from graph.resources import internal_query

    lines: list[tuple[str, str | None, str]] = []
    block: tuple[str, str] | None = None
    for number, line in enumerate(internal_query("events").splitlines(), 1):
        opened, closed = _OPEN.match(line), _CLOSE.match(line)
        if opened:
            if block is not None:
                raise ValueError(f"events.rq line {number}: a block opens inside another")
            block = (opened.group(1), opened.group(2))
        elif closed:
            if block is None or closed.group(1) != block[0]:
                raise ValueError(f"events.rq line {number}: a block closes that is not open")
            block = None
        elif block is None:
            lines.append(("", None, line))
        else:
            lines.append((block[0], block[1], line))
    if block is not None:
        raise ValueError("events.rq: a block is never closed")
    return tuple(lines)


def _seed_order() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for kind, binding, _ in _template():
        if kind == "seed" and binding is not None:
            seen.setdefault(binding)
    return tuple(seen)


def seeds_given(given: Collection[str]) -> list[str]:
    """The bindings among ``given`` that have a seed, in the template's order."""
    return [binding for binding in _seed_order() if binding in given]


def seed_for(given: Collection[str]) -> str | None:
    """The first of the template's seeds that is given (None: no filter has a seed)."""
    return next(iter(seeds_given(given)), None)


#: A probe counts at most this many events of a seed: enough to tell a small seed from a large
#: one, and a bound on what a probe costs.
PROBE_LIMIT = 1000


def seed_probe(seed: str) -> str:
    """A query counting the events of ``seed`` (at most :data:`PROBE_LIMIT`), in ``?n``; it
    takes the seed's binding only."""
    if seed not in _seed_order():
        raise ValueError(f"{seed} has no seed in events.rq")
    prefixes = [line for kind, _, line in _template() if not kind and line.startswith("PREFIX")]
    block = [line for kind, binding, line in _template() if (kind, binding) == ("seed", seed)]
    return "\n".join(
        [
            *prefixes,
            f"SELECT ?{seed} (COUNT(*) AS ?n) WHERE {{",
            f"  {{ SELECT ?{seed} ?event WHERE {{",
            *block,
            f"  }} LIMIT {PROBE_LIMIT} }}",
            f"}} GROUP BY ?{seed}",
            "",
        ]
    )


def events_query(given: Collection[str], seed: str | None) -> str:
    """The finder's query for the filters whose bindings are ``given``, starting from the events
    of ``seed`` (one of them, see :func:`seed_for`), or from every event of the store if None."""
    if seed is not None and (seed not in given or seed not in _seed_order()):
        raise ValueError(f"{seed} is not a seed among the filters given")
    kept = [
        line
        for kind, binding, line in _template()
        if kind == ""
        or (kind == "filter" and binding in given)
        or (kind, binding) == ("seed", seed)
    ]
    return "\n".join(kept) + "\n"
