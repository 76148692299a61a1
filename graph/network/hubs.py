"""Which actors a focus view opens: it steps on through the focus and through every actor of at
most :data:`HUB_DEGREE` links, never through a hub (a branch, a judge or a prison with thousands
of sentences), so a view of two or more steps stays the size of a person's world, not of the store.

A hub reached before the last step is drawn with its links to what the view shows, and says on
its card that its other links are not drawn and how to see them (its own focus view). Links are
counted in the store's whole network, so the local read (:mod:`graph.network.actor_ego`) and the
whole network choose the same hubs. A view of one step opens nothing but the focus, so it draws
the same actors; its count of events naming one actor only (listed in the panel) counts those
of the focus and of actors that are not hubs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graph.errors import CasegraphError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["HUB_DEGREE", "is_hub", "mark_hubs", "opened_neighbourhood"]

#: An actor with more links than this is drawn but not stepped through (a person in the shipped
#: data has at most a few dozen; a judge or a branch in a large store, hundreds or thousands).
HUB_DEGREE = 40


def is_hub(node: str, centre: str, degree: Mapping[str, int]) -> bool:
    """Whether a focus view around ``centre`` does not step through ``node``."""
    return node != centre and degree.get(node, 0) > HUB_DEGREE


def opened_neighbourhood(
    actors: nx.MultiDiGraph, centre: str, depth: int, degree: Mapping[str, int]
) -> tuple[set[str], list[str]]:
    """The actors within ``depth`` steps of ``centre`` (ignoring direction), stepping only
    through the centre and actors that are not hubs; and the hubs reached before the last step,
    whose further links are left out."""
    from graph.network.analysis import undirected

    if centre not in actors:
        raise CasegraphError(f"'{centre}' is not in this network (check the filters)")
    plain = undirected(actors)
    found, ring, closed = {centre}, [centre], []
    for _ in range(depth):
        reached: set[str] = set()
        for node in ring:
            if is_hub(node, centre, degree):
                closed.append(node)
                continue
            reached.update(m for m in plain[node] if m not in found)
        found |= reached
        ring = sorted(reached)
    return found, sorted(closed)


def mark_hubs(view: dict[str, Any], degree: Mapping[str, int]) -> int:
    """Add to every hub the view did not step through (``view["closed"]``) a line saying how
    many links it has and how to see them; how many there are."""
    closed = set(view.get("closed", ()))
    for node in view["nodes"]:
        if node["id"] in closed:
            note = (
                f"{degree.get(node['id'], 0)} in the record, more than {HUB_DEGREE}: this view "
                f"does not step through it; run casegraph view --focus '{node['id']}' for them"
            )
            node["facts"] = [*node.get("facts", ()), ["links", note]]
    return len(closed)
