"""Build a store version's derived data ahead of its first use (``casegraph cache build``,
``casegraph load --prepare``), so that no command pays for it later.

What is built is what a command would otherwise build on first use, under the same names, by the
same code: the public view (:mod:`graph.public_view`), the projected network and the rows of the
whole-graph analyses as the commands ask for them without filters (:mod:`graph.network.cache`),
and the whole answers of the named queries (:mod:`graph.query_cache`).
Each part is built by ``DiskStore.build_derived``: in a scratch directory renamed into place only
when complete, so a killed build leaves nothing that is later trusted, and two processes preparing
at once each build in their own directory and the first to finish wins. The restricted scope (the
full projection and its analyses) is built only when asked: it is one more copy of restricted
data on disk, and commands read the public view unless told otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.query_cache import build_named_query_rows

if TYPE_CHECKING:
    from graph.network.build import NetworkSpec
    from graph.store import CaseStore

__all__ = ["EXTRA_BUILDERS", "Part", "PrepareReport", "prepare_version"]

#: An analysis kept per version: its name, and the call that computes (or reads) its rows.
Analysis = tuple[str, Callable[["CaseStore", "NetworkSpec"], object]]
#: More derived data to build, after the network: ``(name, build)``, where ``build(store)``
#: builds it for the scope ``store`` reads (its public view, or all records) and returns
#: whether it built anything (False: it was already kept).
Builder = tuple[str, Callable[["CaseStore"], bool]]


def _centrality(measure: str) -> Analysis:
    def rows(store: CaseStore, spec: NetworkSpec) -> object:
        from graph.network.results import centrality_rows

        return centrality_rows(store, spec, measure)

    return f"centrality {measure}", rows


def _communities(store: CaseStore, spec: NetworkSpec) -> object:
    from graph.network.results import community_rows

    return community_rows(store, spec)


def _report(kind: str) -> Analysis:
    def rows(store: CaseStore, spec: NetworkSpec) -> object:
        from graph.network.results import report_rows

        return report_rows(store, spec, kind)

    return f"report {kind}", rows


#: The analyses kept per version, each as its command computes it with no filter and its
#: defaults (``--k`` sampled as the command does, ``--seed 0``); ``--top`` and ``--type`` of
#: centrality only select among the kept rows.
ANALYSES: tuple[Analysis, ...] = (
    _centrality("degree"),
    _centrality("pagerank"),
    _centrality("betweenness"),
    ("communities", _communities),
    _report("all"),
    _report("judge"),
    _report("court"),
)

#: More per-version derived data, built once per scope after the network and its analyses: the
#: whole answers of the named queries (see :mod:`graph.query_cache`).
EXTRA_BUILDERS: list[Builder] = [("named queries", build_named_query_rows)]


@dataclass(frozen=True)
class Part:
    """One piece of derived data: its name, scope, whether this run built it (False: it was
    already kept), and how long building or checking it took."""

    name: str
    scope: str
    built: bool
    seconds: float


@dataclass
class PrepareReport:
    """What :func:`prepare_version` built, part by part; ``version`` None for an empty store."""

    version: str | None
    parts: list[Part] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """The time of every part together."""
        return sum(part.seconds for part in self.parts)

    def lines(self) -> list[str]:
        """The report as lines a person reads."""
        if self.version is None:
            return ["the store is empty: nothing to build"]
        found = [
            f"{'built' if p.built else 'kept '} {p.name} ({p.scope}): {p.seconds:.1f} s"
            for p in self.parts
        ]
        built = sum(p.built for p in self.parts)
        found.append(
            f"version {self.version}: {built} part(s) built, {len(self.parts) - built} already "
            f"kept, in {self.seconds:.1f} s"
        )
        return found


def _builds() -> int:
    from graph.network.cache import BUILDS

    return sum(BUILDS.values())


def _public_view(store: CaseStore) -> bool:
    """Build the public view of the version ``store`` (opened on it) reads; whether it was
    built now (False: it was already kept)."""
    from graph.progress import task
    from graph.public_view import PUBLIC_VIEW

    version = store.disk.current_dir()
    kept = store.disk.derived_dir(version, PUBLIC_VIEW).is_dir()
    with task("Building the public view (kept for this store version)"):
        store.engine_dir()
    return not kept and store.version_dir() == version


def _steps(include_restricted: bool) -> list[tuple[str, bool, Callable[[CaseStore], bool]]]:
    """Every part to build, in order: (name, restricted scope, build)."""
    from graph.network.build import NetworkSpec

    def network(restricted: bool) -> Callable[[CaseStore], bool]:
        def build(store: CaseStore) -> bool:
            from graph.network.cache import projected

            before = _builds()
            projected(store, restricted)
            return _builds() > before

        return build

    def analysis(
        call: Callable[[CaseStore, NetworkSpec], object], restricted: bool
    ) -> Callable[[CaseStore], bool]:
        def build(store: CaseStore) -> bool:
            before = _builds()
            call(store, NetworkSpec(include_restricted=restricted))
            return _builds() > before

        return build

    steps: list[tuple[str, bool, Callable[[CaseStore], bool]]] = [
        ("public view", False, _public_view)
    ]
    for restricted in (False, True) if include_restricted else (False,):
        steps.append(("network", restricted, network(restricted)))
        steps += [(name, restricted, analysis(call, restricted)) for name, call in ANALYSES]
        steps += [(name, restricted, build) for name, build in EXTRA_BUILDERS]
    return steps


def prepare_version(store: CaseStore, include_restricted: bool = False) -> PrepareReport:
    """Build the derived data of ``store``'s current version that commands would otherwise build
    on first use: the public view, the public network and its analyses, and with
    ``include_restricted`` also the network and analyses of all records. Parts already kept are
    checked (read back), not built again."""
    from graph.errors import StoreInUse
    from graph.network.cache import holding
    from graph.progress import task

    if not store.exists:
        return PrepareReport(None)
    steps = _steps(include_restricted)
    with ExitStack() as stack:
        full = stack.enter_context(type(store)(store.disk))
        version = full.version_dir()  # held (read lock) until the end: no write deletes it
        if version is None:
            return PrepareReport(None)
        public = stack.enter_context(type(store)(store.disk, public=True))
        report = PrepareReport(version.name)
        held = stack.enter_context(ExitStack())
        held.enter_context(holding())  # each network is read once, for all its analyses
        with task("Preparing this store version", total=len(steps)) as progress:
            for index, (name, restricted, build) in enumerate(steps):
                if index and restricted != steps[index - 1][1]:
                    held.close()  # one network in memory at a time
                    held.enter_context(holding())
                progress.update(description=f"Preparing: {name}")
                started = time.perf_counter()
                built = build(full if restricted else public)
                scope = "restricted" if restricted else "public"
                report.parts.append(Part(name, scope, built, time.perf_counter() - started))
                progress.advance()
        if public.version_dir() != version:
            raise StoreInUse(
                f"the store {store.path} was changed while it was being prepared: run "
                "'casegraph cache build' again"
            )
    return report
