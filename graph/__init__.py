"""casegraph: a sourced knowledge graph of protest-related prosecutions.

The public API is a handful of verbs and nouns; they are imported on first use so that the
``casegraph`` command starts fast.

>>> import graph
>>> sorted(graph.__all__)[:3]
['CaseStore', 'CasegraphError', 'Dossier']
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.dossier import Dossier, dossier
    from graph.errors import CasegraphError, Problem, StoreInUse, ValidationFailed
    from graph.export import export
    from graph.loading import check_paths, load_paths
    from graph.lookup import find_entity, search, search_page
    from graph.querying import run_query
    from graph.stats import stats
    from graph.store import CaseStore

_EXPORTS = {
    "CaseStore": "graph.store",
    "CasegraphError": "graph.errors",
    "Dossier": "graph.dossier",
    "Problem": "graph.errors",
    "StoreInUse": "graph.errors",
    "ValidationFailed": "graph.errors",
    "check_paths": "graph.loading",
    "dossier": "graph.dossier",
    "export": "graph.export",
    "find_entity": "graph.lookup",
    "load_paths": "graph.loading",
    "run_query": "graph.querying",
    "search": "graph.lookup",
    "search_page": "graph.lookup",
    "stats": "graph.stats",
}

__all__ = [
    "CaseStore",
    "CasegraphError",
    "Dossier",
    "Problem",
    "StoreInUse",
    "ValidationFailed",
    "check_paths",
    "dossier",
    "export",
    "find_entity",
    "load_paths",
    "run_query",
    "search",
    "search_page",
    "stats",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
