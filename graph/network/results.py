"""The rows of centrality, communities and the accountability report, computed once per version.

Each is computed on the whole filtered network the first time it is asked for and kept with the
store's version (:func:`graph.network.cache.cached_rows`); later calls read the rows back without
projecting anything. What only selects among rows (``--top``, ``--type`` of centrality) is applied
after reading, so one computation serves them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.network.build import NetworkSpec, network_from_store, type_names
from graph.network.cache import cached_rows

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = ["centrality_rows", "community_rows", "report_rows"]


def centrality_rows(
    store: CaseStore,
    spec: NetworkSpec,
    measure: str = "degree",
    top: int = 10,
    types: tuple[str, ...] | list[str] = (),
    k: int | None = None,
) -> list[dict[str, Any]]:
    """:func:`graph.network.analysis.centrality`'s rows as dicts (type, rank, node, label,
    score); ``k`` None samples betweenness as :func:`~graph.network.analysis.default_k` says."""
    chosen = type_names(types)

    def compute() -> list[dict[str, Any]]:
        from graph.network.analysis import centrality, default_k

        network = network_from_store(store, spec)
        sample = k if k is not None else default_k(network)
        rows = centrality(network, measure, len(network) or 1, None, k=sample)
        return [{**r.as_dict(), "types": network.nodes[r.node]["types"]} for r in rows]

    ranked = cached_rows(store, spec, "centrality", {"measure": measure, "k": k}, compute)
    found, counts = [], dict[str, int]()
    for row in ranked:  # already in order, per type; ranks count the rows kept
        if chosen and not chosen.intersection(row["types"]):
            continue
        position = counts[row["type"]] = counts.get(row["type"], 0) + 1
        if position <= top:
            found.append({**{key: v for key, v in row.items() if key != "types"}, "rank": position})
    return found


def community_rows(store: CaseStore, spec: NetworkSpec, seed: int = 0) -> list[dict[str, Any]]:
    """Louvain communities, largest first: number, size and the members' labels."""

    def compute() -> list[dict[str, Any]]:
        from graph.network.analysis import communities

        network = network_from_store(store, spec)
        return [
            {
                "community": i,
                "size": len(c),
                "members": sorted(network.nodes[n]["label"] for n in c),
            }
            for i, c in enumerate(communities(network, seed=seed), start=1)
        ]

    return cached_rows(store, spec, "communities", {"seed": seed}, compute)


def report_rows(store: CaseStore, spec: NetworkSpec, kind: str = "all") -> list[dict[str, Any]]:
    """The accountability report's rows (:func:`graph.network.accountability.accountability`)."""

    def compute() -> list[dict[str, Any]]:
        from graph.network.accountability import accountability

        return [r.as_dict() for r in accountability(network_from_store(store, spec), kind)]

    return cached_rows(store, spec, "report", {"kind": kind}, compute)
