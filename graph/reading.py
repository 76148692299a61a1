"""Reading input files (YAML case files and RDF files) into graphs, with problems in plain words.

This is what the loader calls: :func:`input_files` turns the paths a researcher gives into files,
and :func:`read_file` compiles one file. A file's references to other records are listed, not
checked: their targets may be in other files of the batch or already in the store. The limits of
:mod:`graph.limits` are enforced here and by the readers: a file too big is never read, and a file
with too many problems stops being checked at the limit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from rdflib import Graph

from graph.authoring import RecordInfo, Reference
from graph.authoring.compile import FileCompiler
from graph.authoring.rdf_files import RDF_FORMATS, read_rdf
from graph.authoring.reader import YamlList, YamlMap, decode, read_yaml
from graph.errors import Problem, ValidationFailed
from graph.limits import (
    MAX_RECORDS,
    ProblemList,
    TooManyProblems,
    capped,
    file_limit,
    size_text,
)
from graph.parallel import file_sizes, jobs, map_in_processes
from graph.progress import Task, task
from graph.resources import Added
from graph.statements import Statements
from graph.vocabulary import additions, is_vocabulary, vocabulary_problems

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CompiledFile",
    "RecordInfo",
    "Reference",
    "input_files",
    "read_file",
    "read_files",
]

#: Below this many bytes of input, files are read one after the other (a process costs more).
PARALLEL_BYTES = 4_000_000

_YAML_SUFFIXES = (".yaml", ".yml")

#: The file extensions casegraph reads.
SUPPORTED_SUFFIXES = (*_YAML_SUFFIXES, *RDF_FORMATS)


@dataclass
class CompiledFile:
    """One input file as RDF, with the records it defines, the ids it uses and its problems."""

    path: Path
    checksum: str
    statements: Statements
    records: dict[str, RecordInfo]
    references: list[Reference]
    problems: list[Problem]

    @cached_property
    def graph(self) -> Graph:
        """The file's statements as an rdflib Graph (built on first use)."""
        return self.statements.graph()

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings are allowed)."""
        return not any(p.severity == "error" for p in self.problems)


def _failed(path: Path, checksum: str, problem: Problem) -> CompiledFile:
    return CompiledFile(path, checksum, Statements(), {}, [], [problem])


def _compile_yaml(path: Path, checksum: str, text: str, vocabulary: Added) -> CompiledFile:
    name = str(path)
    data, problems = read_yaml(text, name)
    if data is None:
        return CompiledFile(path, checksum, Statements(), {}, [], capped(problems, name))
    if not isinstance(data, YamlMap):
        message = "a case file is a set of sections, starting with the line 'casegraph: 1'"
        return _failed(path, checksum, Problem(name, getattr(data, "line", 1), message))
    records = sum(len(items) for items in data.values() if isinstance(items, YamlList))
    if records > MAX_RECORDS:
        message = (
            f"the file holds {records:,} records; casegraph reads at most {MAX_RECORDS:,} per "
            "file: split it into smaller files"
        )
        return _failed(path, checksum, Problem(name, None, message))
    compiler = FileCompiler(name, data)
    compiler.vocabulary = vocabulary
    compiler.problems = ProblemList()  # stops the compiler at the limit
    try:
        compiler.problems.extend(problems)  # the reader's problems count too
        compiler.run()
    except TooManyProblems:
        found = capped(sorted(compiler.problems, key=lambda p: p.line or 0), name)
        return CompiledFile(path, checksum, Statements(), {}, [], found)
    found = sorted(compiler.problems, key=lambda p: p.line or 0)
    statements = Statements.of(compiler.graph)
    return CompiledFile(path, checksum, statements, compiler.records, compiler.references, found)


def _read_limited(path: Path, rdf: bool) -> bytes | Problem:
    """The bytes of a file, or a problem if it cannot be read or is over the size limit."""
    name = str(path)
    limit = file_limit(rdf)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        return Problem(name, None, f"cannot read the file: {error.strerror or error}")
    if len(data) > limit:
        size = max(len(data), path.stat().st_size)
        kind = "RDF" if rdf else "YAML"
        message = (
            f"the file is {size_text(size)}, over the limit of {size_text(limit)} for {kind} "
            "files: split it into smaller files (or raise the limit with CASEGRAPH_MAX_FILE_MB)"
        )
        return Problem(name, None, message)
    return data


def read_file(path: Path, vocabulary: Added | None = None) -> CompiledFile:
    """Read and compile one YAML or RDF file; problems are collected, never raised.

    ``vocabulary`` holds the concepts added beside the data (by the store and by the vocabulary
    files of the batch): a YAML file may use their notations, and a vocabulary file may not give
    one of their notations another meaning.
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    data = _read_limited(path, suffix not in _YAML_SUFFIXES)
    if isinstance(data, Problem):
        return _failed(path, hashlib.sha256(b"").hexdigest(), data)
    checksum = hashlib.sha256(data).hexdigest()
    text, problem = decode(data, name)
    if problem is not None or text is None:
        assert problem is not None
        return _failed(path, checksum, problem)
    if not text.strip():
        return _failed(path, checksum, Problem(name, None, "the file is empty"))
    if suffix in _YAML_SUFFIXES:
        return _compile_yaml(path, checksum, text, vocabulary or {})
    read = read_rdf(text, name, RDF_FORMATS[suffix])
    if not read.problems and is_vocabulary(read.graph, scan=not read.records):
        read.problems += vocabulary_problems(read.graph, name, text, vocabulary or {})
    statements = Statements.of(read.graph)
    return CompiledFile(path, checksum, statements, read.records, read.references, read.problems)


def _read_all(paths: Sequence[Path], vocabulary: Added, done: Task) -> list[CompiledFile]:
    if file_sizes(paths) < PARALLEL_BYTES:
        return map_in_processes(partial(read_file, vocabulary=vocabulary), paths, 1, done.advance)
    # the added concepts go to each process with the work, not through a global set before forking
    work = partial(read_file, vocabulary=vocabulary)
    return map_in_processes(work, paths, workers=jobs(), done=done.advance)


def read_files(paths: Sequence[Path], vocabulary: Added | None = None) -> list[CompiledFile]:
    """:func:`read_file` for each path, in order; a big batch is compiled on every core.

    RDF files are read first, so the case files of the batch can use the notations that its
    vocabulary files add (besides those of ``vocabulary``, the store's additions).
    """
    with task("Compiling files", total=len(paths)) as compiling:
        return _read_files(paths, dict(vocabulary or {}), compiling)


def _read_files(paths: Sequence[Path], known: Added, compiling: Task) -> list[CompiledFile]:
    rdf = [p for p in paths if p.suffix.lower() not in _YAML_SUFFIXES]
    done = {p: f for p, f in zip(rdf, _read_all(rdf, known, compiling), strict=True)}
    for path in rdf:
        compiled = done[path]
        if not compiled.ok or compiled.records or not is_vocabulary(compiled.graph):
            continue
        added = additions(compiled.graph)
        for (scheme, notation), concept in sorted(added.items()):
            if known.get((scheme, notation), concept) != concept:
                message = (
                    f"the notation '{notation}' is added as {concept} here and as "
                    f"{known[(scheme, notation)]} by another file; one notation has one meaning"
                )
                compiled.problems.append(Problem(str(path), None, message))
        known = {**added, **known}
    yaml = [p for p in paths if p.suffix.lower() in _YAML_SUFFIXES]
    done.update(zip(yaml, _read_all(yaml, known, compiling), strict=True))
    return [done[p] for p in paths]


def _walk(folder: Path) -> list[Path]:
    """The supported files under a folder, skipping hidden files and folders."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            if not file.startswith(".") and Path(file).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(Path(root) / file)
    return found


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: named files as given, folders searched recursively; sorted, no repeats.

    Raises :class:`ValidationFailed` when a path does not exist or a named file has an extension
    casegraph does not read.
    """
    found: list[Path] = []
    problems = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += _walk(path)
        elif not path.exists():
            problems.append(Problem(str(path), None, "no such file or folder"))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            known = " ".join(SUPPORTED_SUFFIXES)
            message = (
                f"casegraph does not read '{path.suffix or path.name}' files (it reads {known})"
            )
            problems.append(Problem(str(path), None, message))
        else:
            found.append(path)
    if problems:
        raise ValidationFailed(problems)
    unique: dict[Path, Path] = {}
    for path in sorted(found):
        unique.setdefault(path.resolve(), path)
    return list(unique.values())
