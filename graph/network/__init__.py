"""Network analysis of the case graph: projection, filters, measures, reports, paths and exports.

Import the submodules you need; this package re-exports the main verbs.
"""

from graph.network.accountability import AccountabilityRow, accountability
from graph.network.analysis import centrality, communities, component_of, neighbourhood
from graph.network.build import (
    NetworkSpec,
    build_view,
    network_from_graph,
    network_from_store,
    node_for,
)
from graph.network.collapse import judge_network, person_network
from graph.network.exports import export_network
from graph.network.filters import NetworkFilter, apply_filter
from graph.network.paths import shortest_paths
from graph.network.projection import project
from graph.network.viewdata import view_data

__all__ = [
    "AccountabilityRow",
    "NetworkFilter",
    "NetworkSpec",
    "accountability",
    "apply_filter",
    "build_view",
    "centrality",
    "communities",
    "component_of",
    "export_network",
    "judge_network",
    "neighbourhood",
    "network_from_graph",
    "network_from_store",
    "node_for",
    "person_network",
    "project",
    "shortest_paths",
    "view_data",
]
