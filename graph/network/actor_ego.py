"""The part of the network an actor view around a focus needs, read locally and no more.

An actor hop is a direct link between two actors or two links through an event (actor, event,
actor), so the part grows from the focus an actor hop at a time, reading which nodes are events
as it goes. The fold then needs every event that links two of the actors found, every actor those
events name (a fold picks its ends by which relations are present), and, for the count of events
naming one actor only, the events around each outer actor. An actor with more than
:data:`~graph.network.hubs.HUB_DEGREE` links (a court with thousands of sentences) is a hub: the
view does not step through it (:mod:`graph.network.hubs`), wherever it is reached. Of a hub's
events, only those naming another actor found are read (those naming two hubs only when one of
them is their subject, found through the index), and its one-actor events are left to its own
view. Otherwise, without a date filter, the actor view of this part is the whole network's (the
tests compare them). A date filter (an entity's existence depends on every
claim naming it) reads as :func:`graph.network.local.ego_network` does, ``2 * depth + 2`` hops;
``--within`` reads the whole network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from graph.network import hubs
from graph.network.build import NetworkSpec, filter_for, node_for
from graph.network.cache import stored_network
from graph.network.filters import NetworkFilter, apply_filter
from graph.network.hubs import HUB_DEGREE

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.stored_network import StoredNetwork
    from graph.store import CaseStore

__all__ = ["HUB_DEGREE", "actor_ego_network"]


def actor_ego_network(
    store: CaseStore, spec: NetworkSpec, focus: str, depth: int
) -> nx.MultiDiGraph | None:
    """The filtered part of the event network an actor view of ``depth`` actor hops around
    ``focus`` needs, with each node's number of links in the whole network as
    ``graph["record_degree"]``; None when it cannot be read locally."""
    from graph.network.local import ego_network

    if spec.within is not None:
        return None
    stored = stored_network(store, spec.include_restricted)
    if stored is None:
        return None
    rule = filter_for(store, spec)
    if rule.timed:
        part = ego_network(store, spec, focus, 2 * depth + 2)
    else:
        node = node_for(store, stored, focus, "--focus")
        if "Case" in stored.part([stored.position[node]]).nodes[node].get("types", ()):
            part = _case_part(stored, node)
        else:
            part = _part(stored, node, max(depth, 1))
        part = part if rule == NetworkFilter() else apply_filter(part, rule)
    if part is not None:
        degree = stored.degrees()
        part.graph["record_degree"] = {
            n: int(degree[stored.position[n]]) for n in part if n in stored.position
        }
    return part


def _part(stored: StoredNetwork, focus: str, depth: int) -> nx.MultiDiGraph:
    """The event network's part around ``focus`` (see the module's docstring)."""
    claim = np.zeros(len(stored), dtype=bool)
    known = np.zeros(len(stored), dtype=bool)

    def events(positions: np.ndarray) -> np.ndarray:
        """The events among ``positions``, reading the kind of the nodes not yet read."""
        unknown = positions[~known[positions]]
        claim[unknown] = stored.claims_at(unknown)
        known[unknown] = True
        return positions[claim[positions]]

    seen = np.zeros(len(stored), dtype=bool)
    ring = np.asarray([stored.position[focus]], dtype=np.int64)
    seen[ring] = True
    for step in range(depth):  # one actor hop: a direct link, or through an event
        if step:  # the focus always opens; a hub never does (graph.network.hubs)
            ring = ring[stored.degrees()[ring] <= hubs.HUB_DEGREE]
        reached = stored.neighbours(ring)
        reached = reached[~seen[reached]]
        seen[reached] = True
        through = stored.neighbours(events(reached))
        through = through[~seen[through]]
        seen[through] = True
        ring = np.setdiff1d(np.union1d(reached, through), events(np.union1d(reached, through)))
    small = ring[stored.degrees()[ring] <= hubs.HUB_DEGREE]
    found = np.flatnonzero(seen)
    actors = np.setdiff1d(found, events(found))
    big = actors[stored.degrees()[actors] > hubs.HUB_DEGREE]
    linking = events(stored.shared_neighbours(big)) if len(big) > 1 else big[:0]
    linking = _led_by(stored, big, linking) if len(linking) else linking
    chosen = np.union1d(np.union1d(found, stored.neighbours(small)), linking)
    chosen = np.union1d(chosen, stored.neighbours(events(chosen)))  # all an event names
    return stored.part(chosen.tolist())


def _subject_relations() -> frozenset[str]:
    """The relations an event names its subjects by (the ``from`` of every folding rule)."""
    from graph.network.fold import actor_rules

    rules = actor_rules()
    found = set(rules["default"].get("from", ()))
    for rule in rules.get("events", {}).values():
        found |= set(rule.get("from", ()))
    return frozenset(found)


def _led_by(stored: StoredNetwork, hubs_at: np.ndarray, linking: np.ndarray) -> np.ndarray:
    """The events among ``linking`` that name one of the hubs at ``hubs_at`` as a subject: only
    those can fold into a link between two hubs (a sentence of someone else names a judge and a
    branch, and folds into links from that person only)."""
    named = {stored.ids[i] for i in hubs_at.tolist()}
    subjects = _subject_relations()
    led = {
        e
        for e, to, _, attrs in stored.edges_between(linking, hubs_at)
        if to in named and attrs.get("relation") in subjects
    }
    return np.asarray(sorted(stored.position[e] for e in led), dtype=np.int64)


def _case_part(stored: StoredNetwork, case: str) -> nx.MultiDiGraph:
    """What a case view shows: the case, its events, everyone they name (two hops), and the
    courts above the branches among them (:func:`graph.network.actorview.case_scope`)."""
    inner = stored.within(case, 2)
    part = stored.part(inner.tolist())
    branches = [stored.position[n] for n, a in part.nodes(data=True) if _is(a, "CourtBranch")]
    if not branches:
        return part
    around = np.setdiff1d(stored.neighbours(np.asarray(branches, dtype=np.int64)), inner)
    courts = [
        stored.position[n]
        for n, a in stored.part(around.tolist()).nodes(data=True)
        if _is(a, "Court")
    ]
    return (
        stored.part(np.union1d(inner, np.asarray(courts, dtype=np.int64)).tolist())
        if courts
        else part
    )


def _is(attrs: dict[str, object], kind: str) -> bool:
    types = attrs.get("types", ())
    return isinstance(types, list | tuple) and kind in types
