"""Errors and problems that casegraph reports to researchers, in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CasegraphError",
    "Problem",
    "QueryInterrupted",
    "QueryRefused",
    "StoreInUse",
    "ValidationFailed",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file: where it is and what is wrong.

    >>> str(Problem("data/a.yaml", 12, "unknown field 'nmae'", record="javid_khales", field="nmae"))
    "data/a.yaml:12: record 'javid_khales', field 'nmae': unknown field 'nmae'"
    """

    file: str
    line: int | None
    message: str
    record: str | None = None
    field: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = []
        if self.record:
            parts.append(f"record '{self.record}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        context = ", ".join(parts)
        prefix = f"{where}: {context}: " if context else f"{where}: "
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{prefix}{tag}{self.message}"


class CasegraphError(Exception):
    """Base class of errors casegraph raises on purpose; the CLI prints them without a traceback."""


@dataclass
class ValidationFailed(CasegraphError):
    """Input files have problems; nothing was written."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        from graph.limits import printed  # the limits module imports this one

        errors = [p for p in self.problems if p.severity == "error"]
        lines = [f"{len(errors)} problem(s) found; nothing was loaded."]
        lines += printed(self.problems)
        return "\n".join(lines)


class StoreInUse(CasegraphError):
    """Another process is writing the store."""


class QueryRefused(CasegraphError):
    """A query asks for something casegraph does not allow (network access, updates)."""


class QueryInterrupted(CasegraphError):
    """The user stopped a running query (Ctrl-C); the command exits with status 130."""

    exit_code = 130
