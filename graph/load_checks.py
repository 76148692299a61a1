"""Checking case files before a load: ids, references, dangling references and the shapes.

Nothing here writes: the checks read the files' compiled form and, where given, the store, and
return every problem at once (with its file and line) so that one run shows all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDFS

from graph.concept_use import dropped_concepts_in_use
from graph.errors import Problem
from graph.namespaces import CG
from graph.ownership import extender, units_stating
from graph.progress import task
from graph.rdf_terms import text_of
from graph.reading import CompiledFile, input_files, read_files
from graph.resources import ontology_graph
from graph.store import CaseStore, unit_for_path
from graph.validation import shacl_problems
from graph.vocabulary import additions, store_concepts

__all__ = [
    "Checked",
    "FileSummary",
    "check_all_but_shapes",
    "check_compiled",
    "check_paths",
    "compile_paths",
    "unit_paths",
]


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


@cache
def _superclasses(cls: URIRef) -> frozenset[URIRef]:
    onto = ontology_graph()
    return frozenset(URIRef(str(c)) for c in onto.transitive_objects(cls, RDFS.subClassOf))


def _label(cls: URIRef) -> str:
    label = ontology_graph().value(cls, RDFS.label)
    return str(label) if label is not None else str(cls).rsplit("#", 1)[-1]


def _is_a(types: Iterable[URIRef], expected: URIRef) -> bool:
    return any(expected in _superclasses(t) for t in types)


def unit_paths(store: CaseStore) -> dict[URIRef, str]:
    """The path each loaded unit came from."""
    return {unit.iri: unit.path for unit in store.units()} if store.exists else {}


def _check_ids(files: Sequence[CompiledFile], store: CaseStore | None) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, tuple[CompiledFile, int | None]] = {}
    paths = unit_paths(store) if store is not None else {}
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
    paths = unit_paths(store)
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
    checked = check_all_but_shapes(paths, store)
    if checked.ok:
        with task("Checking the SHACL shapes"):
            checked.problems += shacl_problems(checked.files, store)
    return checked


def check_all_but_shapes(paths: Iterable[Path | str], store: CaseStore | None) -> Checked:
    """Every check but the SHACL shapes (which a load runs while it writes)."""
    return check_compiled(compile_paths(paths, store), store)


def compile_paths(paths: Iterable[Path | str], store: CaseStore | None) -> list[CompiledFile]:
    """Read and compile the files (and those under the folders) named."""
    # the case files may use the notations of the store's vocabulary files, as those of the batch
    return read_files(input_files([Path(p) for p in paths]), additions(store_concepts(store)))


def check_compiled(files: list[CompiledFile], store: CaseStore | None) -> Checked:
    """The compile problems of ``files``, then their ids, references and concepts in use."""
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
