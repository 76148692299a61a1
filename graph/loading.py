"""Checking and loading case files: everything is checked first, then written all at once or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDFS

from graph.concept_use import dropped_concepts_in_use, unit_concepts, uses_message, uses_of
from graph.errors import CasegraphError, Problem, ValidationFailed
from graph.namespaces import CG, ONTOLOGY_UNIT
from graph.ownership import extender, shared_ownership, units_stating
from graph.parallel import Background
from graph.progress import task
from graph.rdf_terms import text_of
from graph.reading import CompiledFile, input_files, read_files
from graph.resources import ONTOLOGY_FILES, ontology_dir, ontology_graph
from graph.statements import Statements
from graph.store import CaseStore, UnitWrite, unit_for_path
from graph.validation import context_types, problems_in_context, shacl_problems
from graph.vocabulary import additions, store_concepts

__all__ = ["Checked", "FileSummary", "LoadReport", "check_paths", "load_paths", "unload_paths"]


@dataclass
class FileSummary:
    """What one file holds."""

    path: str
    records: int
    triples: int
    replaced: bool = False


@dataclass
class Checked:
    """The outcome of checking a set of files: their compiled graphs and every problem found."""

    files: list[CompiledFile]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings are allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    def summaries(self) -> list[FileSummary]:
        """One line of figures per file."""
        return [FileSummary(str(f.path), len(f.records), f.statements.count) for f in self.files]


@dataclass
class LoadReport:
    """What a load wrote."""

    files: list[FileSummary]
    warnings: list[Problem]
    ontology_updated: bool


@cache
def _superclasses(cls: URIRef) -> frozenset[URIRef]:
    onto = ontology_graph()
    return frozenset(URIRef(str(c)) for c in onto.transitive_objects(cls, RDFS.subClassOf))


def _label(cls: URIRef) -> str:
    label = ontology_graph().value(cls, RDFS.label)
    return str(label) if label is not None else str(cls).rsplit("#", 1)[-1]


def _is_a(types: Iterable[URIRef], expected: URIRef) -> bool:
    return any(expected in _superclasses(t) for t in types)


def _unit_paths(store: CaseStore) -> dict[URIRef, str]:
    return {unit.iri: unit.path for unit in store.units()} if store.exists else {}


def _check_ids(files: Sequence[CompiledFile], store: CaseStore | None) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, tuple[CompiledFile, int | None]] = {}
    paths = _unit_paths(store) if store is not None else {}
    for compiled in files:
        own_unit = unit_for_path(compiled.path)
        for rid, info in compiled.records.items():
            if rid in first:
                other, line = first[rid]
                where = f"{other.path}:{line}" if line else str(other.path)
                problems.append(
                    Problem(
                        str(compiled.path), info.line, f"id '{rid}' is already used at {where}", rid
                    )
                )
                continue
            first[rid] = (compiled, info.line)
            if store is not None and store.exists:
                unit = store.defining_unit(info.iri)
                if unit is not None and unit != own_unit:
                    problems.append(
                        Problem(
                            str(compiled.path),
                            info.line,
                            f"id '{rid}' is already defined by {paths.get(unit, unit)} in the store",
                            rid,
                        )
                    )
    return problems


def _check_references(
    files: Sequence[CompiledFile],
    store: CaseStore | None,
    removed: AbstractSet[URIRef] = frozenset(),
) -> list[Problem]:
    problems: list[Problem] = []
    batch = {rid: info for f in files for rid, info in f.records.items()}
    for compiled in files:
        for ref in compiled.references:
            if ref.target_id in batch:
                types: set[URIRef] = set(batch[ref.target_id].classes)
            elif ref.target in removed:
                types = set()  # the store has it, but this load takes it out
            elif store is not None and store.exists:
                types = store.types_of(ref.target)
            else:
                types = set()
            if not types:
                message = (
                    f"'{ref.target_id}' is not defined: no {_label(ref.expected)} with this id "
                    "in these files or in the store"
                )
            elif not _is_a(types, ref.expected):
                kinds = ", ".join(sorted(_label(t) for t in types))
                message = (
                    f"'{ref.target_id}' is a {kinds}, but this field needs a {_label(ref.expected)}"
                )
            else:
                continue
            problems.append(Problem(str(compiled.path), ref.line, message, ref.from_id, ref.field))
    return problems


def _removed_records(files: Sequence[CompiledFile], store: CaseStore) -> dict[URIRef, str]:
    """The records (IRI → id) that loading ``files`` takes out of the store: defined by one of
    these files when it was last loaded, and no longer defined by any of them."""
    if not store.exists:
        return {}
    engine = store.backend.engine
    kept = {info.iri for f in files for info in f.records.values()}
    removed: dict[URIRef, str] = {}
    for compiled in files:
        unit = ox.NamedNode(unit_for_path(compiled.path))
        for quad in engine.quads_for_pattern(None, ox.NamedNode(CG.recordId), None, unit):
            iri = URIRef(text_of(quad.subject))
            if iri not in kept:
                removed[iri] = text_of(quad.object)
    return removed


def _check_dangling(
    files: Sequence[CompiledFile], store: CaseStore, removed: dict[URIRef, str]
) -> list[Problem]:
    """Records a reload would remove that another file in the store still points at."""
    problems: list[Problem] = []
    if not removed:
        return problems
    engine = store.backend.engine
    reloading = {unit_for_path(f.path) for f in files}
    paths = _unit_paths(store)
    by_unit = {unit_for_path(f.path): f for f in files}
    for iri, rid in sorted(removed.items()):
        owner = store.defining_unit(iri)
        for use in engine.quads_for_pattern(None, None, ox.NamedNode(iri), ox.DefaultGraph()):
            subject = use.subject
            if not isinstance(subject, ox.NamedNode) or URIRef(subject.value) in removed:
                continue
            # the units that state it (an extension's link is its own); reloaded files are
            # checked as they are now
            user = next((u for u in units_stating(engine, use) if u not in reloading), None)
            if user is None:
                continue
            compiled = by_unit.get(owner) if owner is not None else None
            problems.append(
                Problem(
                    str(compiled.path if compiled is not None else files[0].path),
                    None,
                    f"record '{rid}' was removed from this file, but {paths.get(user, user)} "
                    "still refers to it: remove that reference first, or keep the record",
                    rid,
                )
            )
            break
        else:
            extending = extender(engine, iri, reloading | ({owner} if owner else set()))
            if extending is not None:
                compiled = by_unit.get(owner) if owner is not None else None
                problems.append(
                    Problem(
                        str(compiled.path if compiled is not None else files[0].path),
                        None,
                        f"record '{rid}' was removed from this file, but "
                        f"{paths.get(extending, extending)} still adds claims to it (extends): "
                        "remove that entry first, or keep the record",
                        rid,
                    )
                )
    return problems


def check_paths(paths: Iterable[Path | str], store: CaseStore | None = None) -> Checked:
    """Read, compile and validate files; the store (if given) resolves references, never changes."""
    checked = _check_all_but_shapes(paths, store)
    if checked.ok:
        with task("Checking the SHACL shapes"):
            checked.problems += shacl_problems(checked.files, store)
    return checked


def _check_all_but_shapes(paths: Iterable[Path | str], store: CaseStore | None) -> Checked:
    # the case files may use the notations of the store's vocabulary files, as those of the batch
    files = read_files(input_files([Path(p) for p in paths]), additions(store_concepts(store)))
    checked = Checked(files, [p for f in files for p in f.problems])
    # Every stage runs on what compiled, so one run shows every problem; a reference to a
    # record that failed to compile (or sits in a file that could not be read) is not reported
    # again as undefined.
    with task("Checking record ids and references"):
        _check_batch(checked, files, store)
    return checked


def _check_batch(checked: Checked, files: list[CompiledFile], store: CaseStore | None) -> None:
    """Ids, references, dangling references and concepts in use, added to ``checked``."""
    unknown = {p.record for p in checked.problems if p.record and p.severity == "error"}
    unreadable = any(not f.records and not f.ok for f in files)
    # a file with errors may have lost records only to its mistakes: not counted as removed
    clean = [f for f in files if f.ok]
    removed = _removed_records(clean, store) if store is not None else {}
    checked.problems += _check_ids(files, store)
    references = _check_references(files, store, set(removed))
    checked.problems += [
        p for p in references if not (_undefined(p) and (unreadable or _target(p) in unknown))
    ]
    if store is not None:
        checked.problems += _check_dangling(files, store, removed)
        checked.problems += dropped_concepts_in_use(clean, store)


_UNDEFINED = "' is not defined: "


def _undefined(problem: Problem) -> bool:
    """Whether a reference problem says its target is not defined at all."""
    return _UNDEFINED in problem.message


def _target(problem: Problem) -> str:
    """The id a reference problem is about (its message starts with it, quoted)."""
    return problem.message[1:].split("'", 1)[0]


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
    checked = _check_all_but_shapes(paths, store)
    if not checked.ok:
        raise ValidationFailed(checked.problems)
    units = {u.iri for u in store.units()} if store.exists else set()
    writes = [
        UnitWrite(unit_for_path(f.path), str(Path(f.path).resolve()), f.checksum, f.statements)
        for f in checked.files
    ]
    writes = shared_ownership(writes, store)
    ontology = _ontology_write(store)
    context = context_types(checked.files, store)
    store.close()  # no engine threads while the validating process is forked
    shapes = Background(partial(problems_in_context, checked.files, context))

    def shapes_pass() -> None:
        with task("Checking the SHACL shapes"):
            checked.problems += shapes.result()
        if not checked.ok:
            raise ValidationFailed(checked.problems)

    try:
        store.replace_units(([ontology] if ontology else []) + writes, before_publish=shapes_pass)
    finally:
        shapes.cancel()
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
        paths_of = _unit_paths(store)
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
