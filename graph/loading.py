"""Loading and unloading case files: everything is checked first (see graph.load_checks), then written all at once or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from graph.concept_use import unit_concepts, uses_message, uses_of
from graph.errors import CasegraphError, Problem, ValidationFailed
from graph.load_checks import (
    Checked,
    FileSummary,
    check_compiled,
    check_paths,
    compile_paths,
    unit_paths,
)
from graph.namespaces import CG, ONTOLOGY_UNIT
from graph.ownership import extender, shared_ownership, units_stating
from graph.parallel import Background
from graph.progress import task
from graph.rdf_terms import text_of
from graph.reading import CompiledFile
from graph.resources import ONTOLOGY_FILES, ontology_dir, ontology_graph
from graph.statements import Statements
from graph.store import CaseStore, UnitWrite, unit_for_path
from graph.validation import context_types, problems_in_context

__all__ = ["Checked", "FileSummary", "LoadReport", "check_paths", "load_paths", "unload_paths"]


@dataclass
class LoadReport:
    """What a load wrote."""

    files: list[FileSummary]
    warnings: list[Problem]
    ontology_updated: bool


def _ontology_checksum() -> str:
    digest = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        digest.update((ontology_dir() / name).read_bytes())
    return digest.hexdigest()


def _ontology_write(store: CaseStore) -> UnitWrite | None:
    checksum = _ontology_checksum()
    current = {u.iri: u.checksum for u in store.units()} if store.exists else {}
    if current.get(ONTOLOGY_UNIT) == checksum:
        return None
    statements = Statements.of(ontology_graph())
    return UnitWrite(ONTOLOGY_UNIT, "(built-in ontology and vocabularies)", checksum, statements)


def load_paths(paths: Iterable[Path | str], store: CaseStore) -> LoadReport:
    """Check files and load them into ``store`` in one all-or-nothing write.

    Raises :class:`ValidationFailed` (and writes nothing) when any file has an error. The SHACL
    shapes are checked in another process while the new version is written; it is published
    only when they pass.
    """
    with store.disk.writing():  # no other writer between the checks and the write
        return _load_locked(paths, store)


def _load_locked(paths: Iterable[Path | str], store: CaseStore) -> LoadReport:
    """:func:`load_paths`, with the store's write lock held."""
    store.close()  # read the version as it is now that no one else can write
    files = compile_paths(paths, store)
    context = context_types(files, store)
    store.close()  # no engine threads while the validating process is forked
    # the shapes are checked in another process from here on, beside the other checks and the
    # write; their answer is awaited only before the new version is published
    shapes = Background(partial(problems_in_context, files, context))
    try:
        return _check_and_write(files, store, shapes)
    finally:
        shapes.cancel()


def _check_and_write(
    files: list[CompiledFile], store: CaseStore, shapes: Background[list[Problem]]
) -> LoadReport:
    """The checks but the shapes, then the write, published only once ``shapes`` passed."""
    checked = check_compiled(files, store)
    if not checked.ok:
        raise ValidationFailed(checked.problems)
    units = {u.iri for u in store.units()} if store.exists else set()
    writes = [
        UnitWrite(unit_for_path(f.path), str(Path(f.path).resolve()), f.checksum, f.statements)
        for f in checked.files
    ]
    writes = shared_ownership(writes, store)
    ontology = _ontology_write(store)

    def shapes_pass() -> None:
        with task("Checking the SHACL shapes"):
            checked.problems += shapes.result()
        if not checked.ok:
            raise ValidationFailed(checked.problems)

    store.replace_units(([ontology] if ontology else []) + writes, before_publish=shapes_pass)
    summaries = checked.summaries()
    for summary, write in zip(summaries, writes, strict=True):
        summary.replaced = write.iri in units
    return LoadReport(summaries, checked.problems, ontology is not None)


def unload_paths(paths: Iterable[Path | str], store: CaseStore) -> list[str]:
    """Take out of ``store`` exactly what these files (or the loaded files under these folders)
    contributed, all or nothing; returns the paths of the units removed.

    Refused when another loaded file still refers to a record they define, or still uses a
    concept they add (a vocabulary file).
    """
    with store.disk.writing():  # the same lock as a load: no writer in between
        store.close()
        units = _units_for(paths, store)
        leaving = {iri for iri, _ in units}
        defined: dict[URIRef, str] = {}
        engine = store.backend.engine
        for iri, _ in units:
            for quad in engine.quads_for_pattern(
                None, ox.NamedNode(CG.recordId), None, ox.NamedNode(iri)
            ):
                defined[URIRef(text_of(quad.subject))] = text_of(quad.object)
        paths_of = unit_paths(store)
        for record, rid in sorted(defined.items()):
            user = _user_outside(store, record, set(defined), leaving)
            user = user or extender(engine, record, leaving)
            if user is not None:
                raise CasegraphError(
                    f"cannot unload: {paths_of.get(user, user)} still refers to '{rid}', which "
                    "these files define; unload or change that file first"
                )
        concepts = set().union(*(unit_concepts(engine, iri) for iri in leaving))
        uses = uses_of(store, concepts, leaving) if concepts else []
        if uses:
            raise CasegraphError(
                "cannot unload: loaded files still use concepts these files add: "
                f"{uses_message(uses)}; unload or change those files first"
            )
        store.replace_units([], remove=sorted(leaving))
        return [path for _, path in units]


def _units_for(paths: Iterable[Path | str], store: CaseStore) -> list[tuple[URIRef, str]]:
    """The loaded units for these paths (a folder means every loaded file under it)."""
    loaded = {u.iri: u.path for u in store.units()} if store.exists else {}
    found: dict[URIRef, str] = {}
    for given in paths:
        path = Path(given).resolve()
        iri = unit_for_path(path)
        if iri in loaded:
            found[iri] = loaded[iri]
            continue
        inside = {i: p for i, p in loaded.items() if Path(p).is_relative_to(path)}
        if not inside:
            raise CasegraphError(
                f"{given}: this file was never loaded into {store.path}, so there is nothing to "
                "unload (`casegraph stats` lists what is in the store)"
            )
        found.update(inside)
    return sorted(found.items(), key=lambda item: item[1])


def _user_outside(
    store: CaseStore, record: URIRef, leaving_records: set[URIRef], leaving: set[URIRef]
) -> URIRef | None:
    """A unit that stays and still has a statement pointing at ``record``, if any."""
    engine = store.backend.engine
    for use in engine.quads_for_pattern(None, None, ox.NamedNode(record), ox.DefaultGraph()):
        subject = use.subject
        if not isinstance(subject, ox.NamedNode) or URIRef(subject.value) in leaving_records:
            continue
        for unit in units_stating(engine, use):
            if unit not in leaving:
                return unit
    return None
