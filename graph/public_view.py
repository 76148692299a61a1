"""The public view of a store version: a separate engine holding only what may be published.

Every public artefact (exports, views, network analysis, public dossiers, and later the server)
reads this engine, never the full one, so restricted statements cannot reach it by a forgotten
filter: they are not there. It is built once per version, on first use, by the allow-list of
:mod:`graph.visibility`, and kept beside the version (see ``DiskStore.build_derived``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import CG, ID

__all__ = ["PUBLIC_VIEW", "build_public_view", "public_quads"]

#: The name of the public view among a version's derived data.
PUBLIC_VIEW = "public"

_RECORDS = str(ID)


def _is_record(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(_RECORDS)


def public_quads(engine: ox.Store) -> Iterator[ox.Quad]:
    """The default-graph statements of ``engine`` that may be published.

    A statement about a record passes only when the record says ``cg:visibility cg:Public`` and
    any record it points at does too; any other statement only when the shipped ontology or
    vocabularies make it. Named graphs (bookkeeping) never pass.
    """
    from graph.rdf_terms import to_engine
    from graph.resources import ontology_graph

    default = ox.DefaultGraph()
    public = {
        q.subject
        for q in engine.quads_for_pattern(
            None, ox.NamedNode(str(CG.visibility)), ox.NamedNode(str(CG.Public)), default
        )
        if _is_record(q.subject)
    }
    shipped = {
        ox.Triple(to_engine(s), to_engine(p), to_engine(o))  # type: ignore[arg-type]
        for s, p, o in ontology_graph()
    }
    for quad in engine.quads_for_pattern(None, None, None, default):
        if _is_record(quad.subject):
            if quad.subject not in public:
                continue
        elif quad.triple not in shipped:
            continue
        if _is_record(quad.object) and quad.object not in public:
            continue
        yield quad


def build_public_view(version: Path, target: Path) -> None:
    """Write the public view of the engine at ``version`` into a new engine at ``target``."""
    source = ox.Store.read_only(str(version))
    view = ox.Store(str(target))
    view.bulk_extend(public_quads(source))
    view.flush()
    del view, source
