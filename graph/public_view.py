"""The public view of a store version: a separate engine holding only what may be published.

Every public artefact (exports, views, network analysis, public dossiers, and later the server)
reads this engine, never the full one, so restricted statements cannot reach it by a forgotten
filter: they are not there. It is built once per version, on first use, by the allow-list below,
and kept beside the version (see ``DiskStore.build_derived``).

The allow-list, statement by statement:

- a statement about a record passes only when the record is public, and any record it points at
  is public too; any other statement only when the shipped ontology or vocabularies make it;
- a record is public when it says ``cg:visibility cg:Public`` and not also ``cg:Restricted``, and
  a claim inside a record (``cgd:X/role/1``, or any claim ``cg:about`` something) only when that
  record is public too: its id names the record;
- a statement that only restricted claims made (a restricted spelling of a public person, marked
  in the store's ``urn:casegraph:restricted:`` graphs, see :class:`graph.statements.Statements`)
  never passes;
- a public source's ``cg:independenceKey`` passes only when nothing it was derived from (the
  sources it mirrors, the organisations that published them) is restricted; otherwise the
  source gets the key of its own public fields (see :func:`graph.authoring.sources.source_key`);
- named graphs (bookkeeping) never pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.namespaces import CG, ID, RESTRICTED

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = ["PUBLIC_VIEW", "build_public_view", "public_quads", "public_reading", "public_records"]

#: The name of the public view among a version's derived data.
PUBLIC_VIEW = "public"

_RECORDS = str(ID)
_DEFAULT = ox.DefaultGraph()
_KEY = ox.NamedNode(str(CG.independenceKey))

Links = dict[ox.NamedNode, list[object]]


def _is_record(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(_RECORDS)


def _objects(engine: ox.Store, predicate: object) -> Links:
    found: Links = defaultdict(list)
    for quad in engine.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, _DEFAULT):
        found[quad.subject].append(quad.object)  # type: ignore[index]
    return found


def public_records(engine: ox.Store) -> set[ox.NamedNode]:
    """The records of ``engine`` that may be published (see the module's rules)."""
    visibility = ox.NamedNode(str(CG.visibility))

    def saying(value: object) -> set[ox.NamedNode]:
        pattern = engine.quads_for_pattern(None, visibility, ox.NamedNode(str(value)), _DEFAULT)
        return {q.subject for q in pattern if _is_record(q.subject)}  # type: ignore[misc]

    public = saying(CG.Public) - saying(CG.Restricted)
    about = _objects(engine, CG.about)
    while True:  # a claim about a claim about a restricted record is restricted too
        drop = set()
        for node in public:
            rid = node.value[len(_RECORDS) :]
            parent = ox.NamedNode(_RECORDS + rid.split("/", 1)[0])
            if ("/" in rid and parent not in public) or any(
                _is_record(o) and o not in public for o in about.get(node, ())
            ):
                drop.add(node)
        if not drop:
            return public
        public -= drop


def _marked(engine: ox.Store) -> set[ox.Triple]:
    """The statements the store marks as made only by restricted claims."""
    prefix = str(RESTRICTED)
    graphs = [g for g in engine.named_graphs() if isinstance(g, ox.NamedNode)]
    return {
        quad.triple
        for graph in graphs
        if graph.value.startswith(prefix)
        for quad in engine.quads_for_pattern(None, None, None, graph)
    }


def _withheld_keys(
    engine: ox.Store, public: set[ox.NamedNode], marked: set[ox.Triple]
) -> dict[ox.NamedNode, ox.Literal]:
    """The public sources whose key comes from a restricted record, with the key they get
    instead: that of their own public fields."""
    from graph.authoring.sources import source_key

    mirrors, publishers = _objects(engine, CG.mirrorOf), _objects(engine, CG.publishedBy)

    def hidden(target: object) -> bool:
        return _is_record(target) and target not in public

    def derived_from_restricted(source: ox.NamedNode) -> bool:
        seen, todo = {source}, [source]
        while todo:
            node = todo.pop()
            if any(hidden(org) for org in publishers.get(node, ())):
                return True
            for target in mirrors.get(node, ()):
                if hidden(target):
                    return True
                if isinstance(target, ox.NamedNode) and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return False

    withheld = {}
    for quad in engine.quads_for_pattern(None, _KEY, None, _DEFAULT):
        source = quad.subject
        if not isinstance(source, ox.NamedNode) or source in withheld or source not in public:
            continue
        if quad.triple not in marked and not derived_from_restricted(source):
            continue
        orgs = sorted(
            o.value
            for o in publishers.get(source, ())
            if isinstance(o, ox.NamedNode) and _is_record(o) and not hidden(o)
        )
        names = engine.quads_for_pattern(source, ox.NamedNode(str(CG.publisher)), None, _DEFAULT)
        publisher = sorted(q.object.value for q in names if isinstance(q.object, ox.Literal))
        if orgs:
            key = source_key("", orgs[0][len(_RECORDS) :])
        elif publisher and source_key(publisher[0], None):
            key = source_key(publisher[0], None)
        else:
            key = "source:" + source.value[len(_RECORDS) :]
        withheld[source] = ox.Literal(key)
    return withheld


def public_quads(engine: ox.Store) -> Iterator[ox.Quad]:
    """The default-graph statements of ``engine`` that may be published (the module's rules)."""
    from graph.rdf_terms import to_engine
    from graph.resources import ontology_graph

    public = public_records(engine)
    marked = _marked(engine)
    withheld = _withheld_keys(engine, public, marked)
    shipped = {
        ox.Triple(to_engine(s), to_engine(p), to_engine(o))  # type: ignore[arg-type]
        for s, p, o in ontology_graph()
    }
    for quad in engine.quads_for_pattern(None, None, None, _DEFAULT):
        if _is_record(quad.subject):
            if quad.subject not in public:
                continue
        elif quad.triple not in shipped:
            continue
        if _is_record(quad.object) and quad.object not in public:
            continue
        if quad.triple in marked or (quad.predicate == _KEY and quad.subject in withheld):
            continue
        yield quad
    for source, key in withheld.items():
        yield ox.Quad(source, _KEY, key, _DEFAULT)


def build_public_view(version: Path, target: Path) -> None:
    """Write the public view of the engine at ``version`` into a new engine at ``target``."""
    source = ox.Store.read_only(str(version))
    view = ox.Store(str(target))
    view.bulk_extend(public_quads(source))
    view.flush()
    del view, source


@contextmanager
def public_reading(store: CaseStore) -> Iterator[CaseStore]:
    """``store`` if it reads the public view, else a handle on the public view of the same store
    (closed on leaving), for library calls that must publish whatever store they are given."""
    if store.public:
        yield store
        return
    view = type(store)(store.disk, public=True)
    try:
        yield view
    finally:
        view.close()
