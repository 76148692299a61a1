"""Derived data built ahead of first use (issue 11): ``casegraph cache build`` and ``casegraph load
--prepare`` build the public view, the network and its analyses, so the next command builds
nothing; restricted data never enters public derived files; a build killed with SIGKILL leaves
nothing that is later trusted; two processes preparing at once corrupt nothing.

Builds are counted (``graph.network.cache.BUILDS``) or seen on disk (names, inodes, mtimes),
never timed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from canary_support import CASE_FIXTURES, all_canaries, leaks, run_batch, run_casegraph
from typer.testing import CliRunner

from graph.cli import app
from graph.network.cache import BUILDS
from graph.network.prepare import ANALYSES, EXTRA_BUILDERS, prepare_version
from graph.network.stored_network import StoredNetwork
from graph.store import CaseStore

CANARIES = all_canaries()
PERSON, JUDGE = "publio_testov", "judge_publicus"
#: Network commands as a user runs them (the ``-o`` of ``view`` is added per store).
COMMANDS = (
    ["centrality"],
    ["centrality", "--measure", "pagerank"],
    ["centrality", "--measure", "betweenness", "--format", "json"],
    ["communities", "--format", "json"],
    ["report", "--format", "csv"],
    ["report", "--kind", "judge", "--format", "json"],
    ["path", PERSON, JUDGE],
)
#: Runs ``casegraph`` with ``DiskStore.build_derived`` hooked: CG_KILL=prefix kills the process
#: (SIGKILL) while it builds the first derived data whose name starts with prefix, before it is
#: renamed into place; CG_BARRIER=dir makes every build wait, once written, until two processes
#: have written it, so that both race to rename it.
HOOK = r"""
import os, signal, sys, threading, time
from pathlib import Path
from graph.disk_store import DiskStore

real = DiskStore.build_derived

def hooked(self, version, name, build):
    kill, barrier = os.environ.get("CG_KILL"), os.environ.get("CG_BARRIER")

    def written(scratch):
        try:
            return any(f.is_file() and f.stat().st_size for f in scratch.rglob("*"))
        except OSError:  # a file renamed or removed while looking
            return False

    def wrapped(scratch):
        if kill and name.startswith(kill):
            worker = threading.Thread(target=build, args=(scratch,), daemon=True)
            worker.start()
            while worker.is_alive() and not written(scratch):
                time.sleep(0.001)
            os.kill(os.getpid(), signal.SIGKILL)  # mid-write, or at the latest before the rename
        build(scratch)
        if barrier:
            (Path(barrier) / f"{name}.{os.getpid()}").touch()
            deadline = time.monotonic() + 120  # only a guard against a hang
            while len(list(Path(barrier).glob(f"{name}.*"))) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)

    return real(self, version, name, wrapped)

DiskStore.build_derived = hooked
sys.argv = ["casegraph", *sys.argv[1:]]
from graph.cli import main
main()
"""


def _hooked(tmp: Path, store: Path, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    script = tmp / "hooked.py"
    script.write_text(HOOK)
    return subprocess.Popen(
        [sys.executable, str(script), "--store", str(store), *args],
        cwd=tmp,
        env={**os.environ, "CI": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _derived(store: Path) -> dict[str, tuple[int, int]]:
    """Every file under the store's derived data, with its inode and mtime."""
    return {
        str(path.relative_to(store)): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in sorted(store.glob("derived/**/*"))
        if path.is_file()
    }


#: What a build makes after the public view, in order.
_AFTER_VIEW = ["network", *[n for n, _ in ANALYSES], *[n for n, _ in EXTRA_BUILDERS]]


def _parts(store: Path) -> list[str]:
    return sorted(p.name for p in store.glob("derived/*/*"))


def _answers(store: Path, cwd: Path) -> list[str]:
    """What the network commands print (and that the ego view is drawn) on ``store``, run in
    one new process as a user runs them."""
    view = cwd / f"view-{store.name}.html"
    jobs: list[tuple[list[str], list[Path]]] = [(list(args), []) for args in COMMANDS]
    jobs.append((["view", "--focus", PERSON, "--depth", "2", "-o", str(view), "--force"], []))
    runs, process = run_batch(store, jobs, cwd)
    assert process.returncode == 0 and len(runs) == len(jobs), process.stderr
    for run in runs:
        assert run.returncode == 0, (run.args, run.stderr)
    assert view.stat().st_size
    return [run.stdout for run in runs[:-1]]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The canary fixture loaded twice: with ``--prepare`` and without (the reference answers)."""
    work = tmp_path_factory.mktemp("prepare")
    found = {"work": work}
    for name, extra in (("prepared", ["--prepare"]), ("plain", [])):
        store = work / name
        run = run_casegraph(store, ["load", str(CASE_FIXTURES), *extra], work)
        assert run.returncode == 0, run.stderr
        found[name], found[f"{name}-stdout"] = store, Path(work / f"{name}.txt")
        found[f"{name}-stdout"].write_text(run.stdout)
    return found


@pytest.fixture(scope="module")
def reference(stores: dict[str, Path]) -> list[str]:
    """The answers of the plain store, each part built on first use."""
    return _answers(stores["plain"], stores["work"])


def _copy(stores: dict[str, Path], tmp_path: Path, name: str = "prepared") -> Path:
    """A copy of the store ``name`` as its load left it (the plain one: no derived data)."""
    target = tmp_path / "store"
    shutil.copytree(stores[name], target, symlinks=True)
    if name == "plain":
        shutil.rmtree(target / "derived", ignore_errors=True)
    return target


def test_load_prepare_builds_every_part_and_says_so(stores: dict[str, Path]) -> None:
    printed = stores["prepared-stdout"].read_text()
    parts = ["public view", *_AFTER_VIEW]
    for part in parts:
        assert f"built {part} (public):" in printed
    assert f"{len(parts)} part(s) built" in printed
    info = run_casegraph(stores["prepared"], ["cache", "info", "--format", "json"], stores["work"])
    rows = json.loads(info.stdout)
    assert {row["scope"] for row in rows} == {"public"}  # restricted only when asked
    kinds = sorted(row["name"].split("-")[3] for row in rows if row["name"].startswith("analysis"))
    assert kinds == sorted(name.split()[0] for name, _ in ANALYSES)
    assert sum(row["name"].startswith("network-v1-public-") for row in rows) == 1
    assert (next(stores["prepared"].glob("derived/*")) / "public").is_dir()
    plain = stores["plain-stdout"].read_text()
    assert "built" not in plain and not list(stores["plain"].glob("derived/*/*"))


def test_the_next_commands_build_nothing(
    stores: dict[str, Path], reference: list[str], tmp_path: Path
) -> None:
    """After ``load --prepare`` the network commands, each in its own process, change nothing
    under ``derived/`` (no new part, no file rewritten), and answer as without it."""
    store = _copy(stores, tmp_path)
    before = _derived(store)
    assert _answers(store, tmp_path) == reference
    assert _derived(store) == before


def test_the_next_commands_build_nothing_by_count(stores: dict[str, Path], tmp_path: Path) -> None:
    store = _copy(stores, tmp_path)
    built = sum(BUILDS.values())
    for args in COMMANDS:
        result = CliRunner().invoke(app, ["--store", str(store), *args])
        assert result.exit_code == 0, result.output
    assert sum(BUILDS.values()) == built


def test_cache_build_again_builds_nothing_and_quiet_prints_nothing(
    stores: dict[str, Path], tmp_path: Path
) -> None:
    store = _copy(stores, tmp_path)
    before = _derived(store)
    run = run_casegraph(store, ["cache", "build"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "built " not in run.stdout and "0 part(s) built" in run.stdout
    assert _derived(store) == before
    quiet = run_casegraph(store, ["--quiet", "cache", "build"], tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_cache_build_after_clear_builds_the_cache_again(
    stores: dict[str, Path], tmp_path: Path
) -> None:
    store = _copy(stores, tmp_path)
    kept = _parts(store)
    assert run_casegraph(store, ["cache", "clear"], tmp_path).returncode == 0
    assert _parts(store) == ["public"]
    with CaseStore.open(store) as opened:
        report = prepare_version(opened)
    assert [p.name for p in report.parts if p.built] == _AFTER_VIEW
    assert _parts(store) == kept


def test_empty_store_has_nothing_to_build(tmp_path: Path) -> None:
    run = run_casegraph(tmp_path / "empty", ["cache", "build"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "the store is empty: nothing to build"


def test_restricted_data_never_enters_public_derived_files(
    stores: dict[str, Path], tmp_path: Path
) -> None:
    """Both scopes built in one process (``cache clear`` first): the public parts hold no
    canary, the restricted ones do (so the grep finds what is there)."""
    store = _copy(stores, tmp_path)
    assert run_casegraph(store, ["cache", "clear"], tmp_path).returncode == 0
    run = run_casegraph(store, ["cache", "build", "--include-restricted"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "built network (public)" in run.stdout and "built network (restricted)" in run.stdout
    version = next(store.glob("derived/*"))
    public = [p for p in version.iterdir() if p.name == "public" or "-public-" in p.name]
    restricted = [p for p in version.iterdir() if "-restricted-" in p.name]
    assert len(public) == len(restricted) + 1  # the public view, and the same parts twice

    def text(parts: list[Path]) -> str:
        files = [f for part in parts for f in sorted(part.rglob("*")) if f.is_file()]
        return "\n".join(f.read_bytes().decode("utf-8", "replace") for f in files)

    assert not leaks(text(public), CANARIES)
    # each analysis of all records names restricted records; of the named queries' answers
    # (some of which are empty), some do
    answers = [part for part in restricted if part.name.startswith("query-")]
    assert answers and leaks(text(answers), CANARIES)
    for part in restricted:
        if part not in answers:
            assert leaks(text([part]), CANARIES), part.name
    import pyoxigraph as ox

    engine = ox.Store.read_only(str(version / "public"))
    dumped = (engine.dump(format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
    del engine
    assert "PUBLICxOKPERSON" in dumped
    assert not leaks(dumped, CANARIES)


@pytest.mark.parametrize(
    ("prefix", "part", "command"),
    [
        ("public", "public view", 0),
        ("network-v1-public", "network", 6),
        ("analysis-v1-public-report", "report all", 4),
    ],
)
def test_a_killed_build_is_never_trusted(
    prefix: str,
    part: str,
    command: int,
    stores: dict[str, Path],
    reference: list[str],
    tmp_path: Path,
) -> None:
    """SIGKILL while a part is being written leaves only a scratch copy, never the part; the
    next command that needs it builds it and answers as on an untouched store."""
    store = _copy(stores, tmp_path, "plain")
    killed = _hooked(tmp_path, store, ["cache", "build"], {"CG_KILL": prefix})
    _, err = killed.communicate(timeout=300)
    assert killed.returncode == -signal.SIGKILL, err
    version = next(store.glob("derived/*"))
    left = [p.name for p in version.iterdir() if p.name.lstrip(".").startswith(prefix)]
    assert left and all(name.startswith(".") for name in left)  # only a scratch copy
    again = run_casegraph(store, list(COMMANDS[command]), tmp_path)  # builds it on first use
    assert again.returncode == 0 and again.stdout == reference[command], again.stderr
    assert [p for p in version.iterdir() if p.name.startswith(prefix)]
    run = run_casegraph(store, ["cache", "build"], tmp_path)  # the rest of the version
    assert run.returncode == 0, run.stderr
    assert f"kept  {part} (public)" in run.stdout


def test_two_processes_preparing_at_once(
    stores: dict[str, Path], reference: list[str], tmp_path: Path
) -> None:
    """Both build every part in their own directory and race to rename it: both succeed, each
    part is kept once, no scratch copy is left, and every part reads back whole."""
    store = _copy(stores, tmp_path, "plain")
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    runs = [_hooked(tmp_path, store, ["cache", "build"], {"CG_BARRIER": str(barrier)})]
    runs.append(_hooked(tmp_path, store, ["cache", "build"], {"CG_BARRIER": str(barrier)}))
    for process in runs:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert f"{1 + len(_AFTER_VIEW)} part(s) built" in out  # both built every part
    version = next(store.glob("derived/*"))
    names = [p.name for p in version.iterdir()]
    assert not [n for n in names if n.startswith(".")]
    answers = [n for n in names if n.startswith("query-")]
    assert answers
    assert len(names) == len(set(names)) == 2 + len(ANALYSES) + len(answers)
    assert len(list(barrier.iterdir())) == 2 * len(names)  # every part raced
    StoredNetwork(next(version.glob("network-v1-public-*")))  # reads back, manifest checked
    assert _answers(store, tmp_path) == reference
