"""The case store: the one small interface through which the rest of casegraph reads and writes RDF."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.disk_store import DiskStore, default_store_path
from graph.errors import CasegraphError
from graph.namespaces import CG, LOAD, META_GRAPH
from graph.rdf_terms import from_engine, solution_rows, text_of, to_engine
from graph.statements import Statements
from graph.unit_writes import add_unit, drop_unit, restricted_marks, vanished

__all__ = [
    "Backend",
    "CaseStore",
    "LoadUnit",
    "UnitWrite",
    "restricted_marks",
    "unit_for_path",
]


@dataclass(frozen=True)
class LoadUnit:
    """What the store remembers about one loaded file."""

    iri: URIRef
    path: str
    checksum: str
    loaded_at: str
    triples: int


@dataclass(frozen=True)
class UnitWrite:
    """One file's new contribution (compiled statements, or any rdflib Graph): replaces whatever
    the unit held before."""

    iri: URIRef
    path: str
    checksum: str
    statements: Statements | Graph


def unit_for_path(path: Path) -> URIRef:
    """The load-unit IRI of a file: stable for the same absolute path, so a reload replaces it."""
    digest = hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()
    return LOAD[digest]


class Backend(Protocol):
    """What a store engine must offer; a remote SPARQL server could implement it later."""

    def select(
        self, query: str, bindings: Mapping[str, Node] | None = None
    ) -> tuple[list[str], list[dict[str, Node]]]: ...

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph: ...

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool: ...

    def raw(self, query: str, bindings: Mapping[str, Node] | None = None) -> object: ...

    def triples(self) -> Iterator[tuple[Node, Node, Node]]: ...


def _substitutions(
    bindings: Mapping[str, Node] | None,
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None:
    if not bindings:
        return None
    return {ox.Variable(name): to_engine(value) for name, value in bindings.items()}


class _EngineReader:
    """Read access to one engine version (the Backend of the embedded store)."""

    def __init__(self, engine: ox.Store) -> None:
        self.engine = engine

    def raw(self, query: str, bindings: Mapping[str, Node] | None = None) -> object:
        """The engine's own result object, for fast serialisation."""
        return self.engine.query(query, substitutions=_substitutions(bindings))

    def select(
        self, query: str, bindings: Mapping[str, Node] | None = None
    ) -> tuple[list[str], list[dict[str, Node]]]:
        result = self.raw(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("expected a SELECT query")
        return solution_rows(result)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self.raw(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise TypeError("expected a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result:
            graph.add(
                (
                    from_engine(triple.subject),
                    from_engine(triple.predicate),
                    from_engine(triple.object),
                )
            )
        return graph

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        return bool(self.raw(query, bindings))

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        for quad in self.engine.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield from_engine(quad.subject), from_engine(quad.predicate), from_engine(quad.object)


class CaseStore(AbstractContextManager["CaseStore"]):
    """A persistent case store: read it with queries, write it with :meth:`replace_units`.

    Open it with ``CaseStore.open(path)`` as a context manager. Reads see the version that was
    current when the store was opened (or after the last write through this object).
    """

    def __init__(self, disk: DiskStore, public: bool = False) -> None:
        self.disk = disk
        self.public = public
        self._stack = ExitStack()
        self._reader: _EngineReader | None = None
        self._engine_dir: Path | None = None
        self._version: Path | None = None

    @classmethod
    def open(cls, path: Path | str | None = None, *, public: bool = False) -> CaseStore:
        """Open the store at ``path`` (default: ``$CASEGRAPH_STORE`` or ``./.casegraph``).

        With ``public=True`` every read sees only the public view of the store (what may be
        published), and writing is refused.
        """
        disk = DiskStore(Path(path) if path is not None else default_store_path())
        disk.check_writable()
        return cls(disk, public)

    @property
    def path(self) -> Path:
        """Where the store lives on disk."""
        return self.disk.path

    @property
    def exists(self) -> bool:
        """Whether anything was ever loaded into this store."""
        return self.disk.exists

    @property
    def backend(self) -> _EngineReader:
        """The engine reader of the current version (opened on first use)."""
        if self._reader is None:
            directory = self.engine_dir()
            engine = ox.Store() if directory is None else ox.Store.read_only(str(directory))
            self._reader = _EngineReader(engine)
        return self._reader

    def engine_dir(self) -> Path | None:
        """The engine directory this object reads (the version, or its public view), held
        against deletion until :meth:`close`; None while the store is empty.

        A worker process may open it read-only while this object stays open.
        """
        if self._engine_dir is None:
            version = self._stack.enter_context(self.disk.read_lock())
            if version is None:
                return None
            self._version = version
            if self.public:
                from graph.public_view import PUBLIC_VIEW, build_public_view

                version = self.disk.build_derived(
                    version, PUBLIC_VIEW, lambda target: build_public_view(version, target)
                )
            self._engine_dir = version
        return self._engine_dir

    def version_dir(self) -> Path | None:
        """The version this object reads (held like :meth:`engine_dir`); None while empty: what
        is computed from it can be kept under its name (``DiskStore.build_derived``)."""
        self.engine_dir()
        return self._version

    def close(self) -> None:
        """Release the engine handle and the read lock."""
        self._reader = None
        self._engine_dir = None
        self._version = None
        self._stack.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------------

    def select(
        self, query: str, bindings: Mapping[str, Node] | None = None
    ) -> tuple[list[str], list[dict[str, Node]]]:
        """Run a trusted SELECT query with bindings; returns (column names, rows)."""
        return self.backend.select(query, bindings)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a trusted CONSTRUCT or DESCRIBE query; returns an rdflib Graph."""
        return self.backend.construct(query, bindings)

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run a trusted ASK query."""
        return self.backend.ask(query, bindings)

    def has_record(self, record_id: str) -> bool:
        """Whether a record with this id is in the store."""
        pattern = self.backend.engine.quads_for_pattern(
            None, ox.NamedNode(CG.recordId), ox.Literal(record_id), ox.DefaultGraph()
        )
        return next(iter(pattern), None) is not None

    def types_of(self, iri: URIRef) -> set[URIRef]:
        """The classes the store states for a node (none when it is not in the store)."""
        found = self.backend.engine.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(RDF.type), None, ox.DefaultGraph()
        )
        return {URIRef(text_of(q.object)) for q in found}

    def defining_unit(self, iri: URIRef) -> URIRef | None:
        """The load unit (file) whose statements give this record its id, if any."""
        pattern = self.backend.engine.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(CG.recordId), None, None
        )
        for quad in pattern:
            name = quad.graph_name
            if isinstance(name, ox.NamedNode) and text_of(name).startswith(str(LOAD)):
                return URIRef(text_of(name))
        return None

    def graph(self, include_restricted: bool = False) -> Graph:
        """All statements (data and ontology) as an in-memory rdflib Graph; only those of the
        public view (see :mod:`graph.public_view`) unless ``include_restricted``."""
        if not include_restricted and not self.public:
            from graph.public_view import public_reading

            with public_reading(self) as view:
                return view.graph()
        graph = Graph()
        for triple in self.backend.triples():
            graph.add(triple)
        return graph

    def units(self) -> list[LoadUnit]:
        """The files loaded into the store, with their checksums."""
        units = []
        for quad in self.backend.engine.quads_for_pattern(
            None, ox.NamedNode(RDF.type), ox.NamedNode(CG.LoadUnit), ox.NamedNode(META_GRAPH)
        ):
            iri = URIRef(text_of(quad.subject))
            values: dict[URIRef, str] = {}
            for q in self.backend.engine.quads_for_pattern(
                quad.subject, None, None, ox.NamedNode(META_GRAPH)
            ):
                values[URIRef(text_of(q.predicate))] = text_of(q.object)
            units.append(
                LoadUnit(
                    iri=iri,
                    path=values.get(CG.loadPath, ""),
                    checksum=values.get(CG.checksum, ""),
                    loaded_at=values.get(CG.loadedAt, ""),
                    triples=int(values.get(CG.tripleCount, "0")),
                )
            )
        return sorted(units, key=lambda u: u.path)

    # --- writing -----------------------------------------------------------------------------

    def replace_units(
        self,
        writes: Sequence[UnitWrite],
        remove: Iterable[URIRef] = (),
        before_publish: Callable[[], None] | None = None,
    ) -> None:
        """Replace (or add) load units and remove others, all or nothing.

        ``before_publish`` runs after the new version is written and before it replaces the
        current one; if it raises, the new version is thrown away.

        Each unit's statements go into the default graph, where queries look. The unit's named
        graph keeps its bookkeeping (see :class:`Statements`), so a later reload can take out
        exactly what the file put in.
        """
        if self.public:
            raise CasegraphError("this store was opened as its public view, which is read-only")
        self.close()
        removals = [w.iri for w in writes] + list(remove)

        def apply(engine: ox.Store) -> bool:
            from graph.progress import task

            removed = [quad for iri in removals for quad in drop_unit(engine, iri)]
            sizes = [
                len(w.statements) if isinstance(w.statements, Graph) else w.statements.count
                for w in writes
            ]
            with task("Writing statements", total=sum(sizes)) as writing:
                for write, size in zip(writes, sizes, strict=True):
                    add_unit(engine, write)
                    writing.advance(size)
            if before_publish is not None:
                before_publish()
            return vanished(engine, removed)  # then rewrite, so it leaves no trace

        self.disk.write(apply)
