"""Local work stays local: an ego view and a path read only the part of the network they need.

Both read the version's stored projection (:mod:`graph.network.cache`) through its index, so their
cost follows the size of the part they touch, not of the store. Their answers are the whole-graph
answers (the tests compare them):

- an ego view of ``depth`` hops reads the nodes within ``depth`` hops (at least 1), which hold
  every edge between the nodes it can show; under a date filter one hop more (at least 2), since
  whether an entity exists then depends on the claims that mention it. It then filters and draws
  that part as the whole network would be: a node the view shows is reached by a kept, drawn edge
  inside the part, so what the part cannot see (edges beyond it) never changes the answer;
- a path expands from both ends at once (bidirectional breadth-first search), up to
  ``max_depth`` hops, then reads only the nodes on a shortest chain and those linked to two of
  them (a hop lists the events that name both its ends).

A ``--within`` filter (a protest's part is not local), or a filtered or time-ordered path, reads
the whole (cached) network instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.errors import CasegraphError
from graph.network.build import NetworkSpec, build_view, filter_for, network_from_store, node_for
from graph.network.cache import stored_network
from graph.network.filters import NetworkFilter, apply_filter
from graph.network.paths import Hop, shortest_paths
from graph.network.viewdata import MAX_NODES
from graph.sandbox import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.stored_network import StoredNetwork
    from graph.store import CaseStore

__all__ = ["MAX_DEPTH", "chains", "ego_network", "view_of"]

#: How many hops a path search goes at most, unless told otherwise.
MAX_DEPTH = 12


def ego_network(
    store: CaseStore, spec: NetworkSpec, focus: str, depth: int
) -> nx.MultiDiGraph | None:
    """The filtered part of the network that an ego view of ``depth`` hops around ``focus``
    needs, read locally; None when it cannot be (a ``--within`` filter, an empty store)."""
    if spec.within is not None:
        return None
    stored = stored_network(store, spec.include_restricted)
    if stored is None:
        return None
    rule = filter_for(store, spec)
    node = node_for(store, stored, focus, "--focus")
    hops = max(depth + 1, 2) if rule.timed else max(depth, 1)
    part = stored.part(stored.within(node, hops))
    return part if rule == NetworkFilter() else apply_filter(part, rule)


def view_of(
    store: CaseStore,
    spec: NetworkSpec,
    focus: str | None = None,
    depth: int = 1,
    between: tuple[str, str] | None = None,
    query: str | None = None,
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    sample: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    layers: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The view data :func:`graph.network.build.build_view` gives on the whole filtered
    network; an ego view (``focus`` alone) reads only its part."""
    network = None
    if focus is not None and between is None and query is None:
        network = ego_network(store, spec, focus, depth)
    if network is None:
        network = network_from_store(store, spec)
    shown = (focus, depth, between, query, size_by, max_nodes, sample, timeout)
    return build_view(store, network, *shown, caption=spec.caption(), layers=layers)


def chains(
    store: CaseStore,
    spec: NetworkSpec,
    start: str,
    end: str,
    limit: int = 5,
    time_ordered: bool = False,
    max_depth: int = MAX_DEPTH,
) -> list[list[Hop]]:
    """The shortest chains between two entities (see :func:`graph.network.paths.shortest_paths`),
    of at most ``max_depth`` hops: a longer one is an error that says so. Without filters (and
    not ``time_ordered``) only the part of the network around the chains is read."""
    stored = None
    if not time_ordered and spec.within is None:
        stored = stored_network(store, spec.include_restricted)
    if stored is not None and filter_for(store, spec) == NetworkFilter():
        a, b = node_for(store, stored, start), node_for(store, stored, end)
        on_chains = _on_shortest_chains(stored, a, b, max_depth)
        if on_chains is None:
            return []
        if not len(on_chains):
            raise _too_far(start, end, max_depth)
        near = np.union1d(on_chains, stored.shared_neighbours(on_chains))
        return shortest_paths(_explained(stored, near), a, b, limit)
    network = network_from_store(store, spec)
    a, b = node_for(store, network, start), node_for(store, network, end)
    found = shortest_paths(network, a, b, limit, time_ordered)
    if found and len(found[0]) > max_depth:
        raise _too_far(start, end, max_depth)
    return found


def _named(value: Any) -> Iterator[str]:
    """Every text inside an attribute value (lists and dicts, keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _named(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _named(item)


def _explained(stored: StoredNetwork, positions: np.ndarray) -> nx.MultiDiGraph:
    """The part at ``positions`` and the nodes its attributes name, two levels deep (the claim
    behind a link, the claims that contradict that one): a hop's explanation looks them up."""
    chosen = set(positions.tolist())
    for _ in range(2):
        part = stored.part(sorted(chosen))
        values = [*(a for _, a in part.nodes(data=True)), *(a for _, _, a in part.edges(data=True))]
        named = {stored.position[t] for v in values for t in _named(v) if t in stored.position}
        if named <= chosen:
            return part
        chosen |= named
    return stored.part(sorted(chosen))


def _too_far(start: str, end: str, max_depth: int) -> CasegraphError:
    return CasegraphError(
        f"no chain of at most {max_depth} hops links '{start}' and '{end}' in this network; "
        "a longer one may exist: raise --max-depth to look further"
    )


def _on_shortest_chains(stored: StoredNetwork, a: str, b: str, max_depth: int) -> np.ndarray | None:
    """The positions of the nodes on a shortest chain from ``a`` to ``b`` (ignoring direction),
    found by growing the smaller of two searches, one from each end, until they meet. None when
    no chain exists at all, empty when none has at most ``max_depth`` hops."""
    count = len(stored)
    far = [np.full(count, -1, dtype=np.int32), np.full(count, -1, dtype=np.int32)]
    ends = [stored.position[a], stored.position[b]]
    frontiers = [np.asarray([ends[0]]), np.asarray([ends[1]])]
    levels = [0, 0]
    far[0][ends[0]] = far[1][ends[1]] = 0
    met = ends[0] == ends[1]
    while not met:
        if sum(levels) >= max_depth:
            return np.zeros(0, dtype=np.int64)
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        reached = stored.neighbours(frontiers[side])
        new = reached[far[side][reached] < 0]
        if not len(new):
            return None  # this end's component is exhausted: no chain at all
        levels[side] += 1
        far[side][new] = levels[side]
        frontiers[side] = new
        met = bool((far[1 - side][new] >= 0).any())
    both = (far[0] >= 0) & (far[1] >= 0)
    total = far[0] + far[1]
    length = int(total[both].min())
    meeting = np.flatnonzero(both & (total == length))
    found = [meeting]
    for side in (0, 1):  # walk back from where they met to each end, a level at a time
        layer = meeting
        for level in range(int(far[side][meeting[0]]) - 1, -1, -1):
            reached = stored.neighbours(layer)
            layer = reached[far[side][reached] == level]
            found.append(layer)
    return np.unique(np.concatenate(found))
