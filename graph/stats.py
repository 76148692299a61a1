"""A summary of what a store holds: records by class, events by type, sources by grade, loads."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.resources import internal_query
from graph.store import CaseStore, LoadUnit

__all__ = ["Stats", "stats"]


@dataclass
class Stats:
    """Figures about a store."""

    path: str
    public: bool = False
    summary: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    units: list[LoadUnit] = field(default_factory=list)

    def to_text(self) -> str:
        """The figures as aligned text."""
        if self.public:  # the public view keeps no bookkeeping about the files loaded
            lines = [f"Store: {self.path}  (public records only; --include-restricted for all)"]
        else:
            lines = [f"Store: {self.path}  ({len(self.units)} files loaded)"]
        for title, figures in (
            ("Summary", self.summary),
            ("Records by class", self.classes),
            ("Events by type", self.events),
        ):
            lines.append("")
            lines.append(title)
            lines += [f"  {count:>8}  {label}" for label, count in figures.items()]
        return "\n".join(lines)


def _figures(store: CaseStore, name: str) -> dict[str, int]:
    _, rows = store.select(internal_query(name))
    return {str(row["label"]): int(row["count"]) for row in rows}  # type: ignore[call-overload]


def stats(store: CaseStore) -> Stats:
    """Count what the store holds (what may be published, on a public store)."""
    if not store.exists:
        return Stats(str(store.path), store.public)
    return Stats(
        path=str(store.path),
        public=store.public,
        summary=_figures(store, "stats-summary"),
        classes=_figures(store, "stats-classes"),
        events=_figures(store, "stats-events"),
        units=store.units(),
    )
