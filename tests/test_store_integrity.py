"""The store's integrity and privacy under attack: one lock over check and write, dangling
references on reload, owner-only files, removed data really gone, workers that die with their parent.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph import load_checks
from graph.errors import ValidationFailed
from graph.loading import load_paths
from graph.namespaces import ID
from graph.store import CaseStore

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-case.yaml"
LOADING = DATA / "loading"
CASEGRAPH = [sys.executable, "-m", "graph"]

_SOURCE = """\
sources:
  - id: src_{tag}
    title: A report of {tag}
    publisher: Exampleton Daily
    url: https://example.org/{tag}
    date: 2025-01-01
    reliability: medium
"""


def _people_file(path: Path, tag: str, people: dict[str, str], visibility: str = "public") -> Path:
    """A case file with one source and the given people (id → name), all citing the source."""
    lines = [f"casegraph: 1\nvisibility: {visibility}\n", _SOURCE.format(tag=tag), "people:\n"]
    for rid, name in people.items():
        lines.append(f"  - id: {rid}\n    name: {name}\n    sources: [src_{tag}]\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _event_file(path: Path, person: str) -> Path:
    """A case file with an arrest of ``person`` (defined elsewhere)."""
    path.write_text(
        textwrap.dedent(
            f"""\
            casegraph: 1
            visibility: public
            sources:
              - id: src_events
                title: Events report
                publisher: Exampleton Herald
                url: https://example.org/events
                date: 2025-02-01
                reliability: medium
            events:
              - id: ev_arrest_of_{person}
                type: arrest
                date: "2025-01-15"
                people: [{person}]
                sources: [src_events]
            """
        ),
        encoding="utf-8",
    )
    return path


def _run(*args: str, store: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CASEGRAPH, "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kw,  # type: ignore[arg-type]
    )


# --- one lock over check and write ----------------------------------------------------------


def test_a_second_load_during_the_checks_of_a_first_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race an attacker found: while a load was still checking, a second load of a file that
    defines the same id succeeded, and both files then defined it."""
    store_dir = tmp_path / "store"
    first = _people_file(tmp_path / "first.yaml", "first", {"testa_raceova": "Testa Raceova"})
    second = _people_file(tmp_path / "second.yaml", "second", {"testa_raceova": "Testa Raceova"})
    seen: list[subprocess.CompletedProcess[str]] = []
    check_ids = load_checks._check_ids

    def checking_while_another_loads(*args: object, **kw: object) -> object:
        if not seen:  # the first load is between reading the store and writing it
            seen.append(_run("load", str(second), store=store_dir))
        return check_ids(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(load_checks, "_check_ids", checking_while_another_loads)
    with CaseStore.open(store_dir) as store:
        load_paths([first], store)
    assert len(seen) == 1
    assert seen[0].returncode == 3, seen[0].stderr
    assert "in use" in seen[0].stderr
    with CaseStore.open(store_dir) as store:
        paths = [Path(u.path).name for u in store.units() if u.path.endswith(".yaml")]
        assert paths == ["first.yaml"]
        assert store.has_record("testa_raceova")


def test_a_load_waits_for_no_one_and_leaves_the_store_unlocked(tmp_path: Path) -> None:
    """After a load (and after a failed one) the next writer is not told the store is in use."""
    store_dir = tmp_path / "store"
    good = _people_file(tmp_path / "a.yaml", "a", {"testa_personova": "Testa Personova"})
    assert _run("load", str(good), store=store_dir).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("casegraph: 1\npeople:\n  - id: x\n", encoding="utf-8")
    assert _run("load", str(bad), store=store_dir).returncode == 1
    assert _run("load", str(good), store=store_dir).returncode == 0


# --- dangling references on reload ----------------------------------------------------------


def test_reloading_a_file_without_a_person_another_file_refers_to_is_refused(
    tmp_path: Path,
) -> None:
    people = _people_file(
        tmp_path / "people.yaml",
        "people",
        {"testa_personova": "Testa Personova", "otto_examplov": "Otto Examplov"},
    )
    events = _event_file(tmp_path / "events.yaml", "otto_examplov")
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([people, events], store)
        _people_file(people, "people", {"testa_personova": "Testa Personova"})
        with pytest.raises(ValidationFailed) as failure:
            load_paths([people], store)
        message = str(failure.value)
        assert "otto_examplov" in message and "events.yaml" in message
        store.close()
        assert store.has_record("otto_examplov")  # nothing was written
        _, rows = store.select(
            (Path("ontology/queries/dangling-reference-violation.rq")).read_text()
        )
        assert rows == []


def test_a_file_loaded_with_the_reload_may_not_point_at_what_the_reload_removes(
    tmp_path: Path,
) -> None:
    people = _people_file(
        tmp_path / "people.yaml",
        "people",
        {"testa_personova": "Testa Personova", "otto_examplov": "Otto Examplov"},
    )
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([people], store)
        _people_file(people, "people", {"testa_personova": "Testa Personova"})
        events = _event_file(tmp_path / "events.yaml", "otto_examplov")
        with pytest.raises(ValidationFailed) as failure:
            load_paths([people, events], store)
        assert "'otto_examplov' is not defined" in str(failure.value)


def test_a_reload_that_removes_a_record_no_one_uses_is_accepted(tmp_path: Path) -> None:
    people = _people_file(
        tmp_path / "people.yaml",
        "people",
        {"testa_personova": "Testa Personova", "otto_examplov": "Otto Examplov"},
    )
    events = _event_file(tmp_path / "events.yaml", "testa_personova")
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([people, events], store)
        _people_file(people, "people", {"testa_personova": "Testa Personova"})
        load_paths([people], store)
        store.close()
        assert not store.has_record("otto_examplov")
        assert store.has_record("testa_personova")


# --- the store is private -------------------------------------------------------------------


def _loose_modes(root: Path) -> list[str]:
    loose = []
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            loose.append(f"{path.relative_to(root)}: {oct(mode)}")
    return loose


def test_every_file_of_the_store_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    people = _people_file(tmp_path / "a.yaml", "a", {"testa_personova": "Testa Personova"})
    loose_umask = {"preexec_fn": lambda: os.umask(0o000)}
    assert _run("load", str(people), store=store_dir, **loose_umask).returncode == 0
    assert _run("load", str(people), store=store_dir, **loose_umask).returncode == 0
    public_view = (
        "from graph.store import CaseStore; CaseStore.open(sys.argv[1], public=True).engine_dir()"
    )
    built = subprocess.run(
        [sys.executable, "-c", f"import sys; {public_view}", str(store_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **loose_umask,  # type: ignore[arg-type]
    )
    assert built.returncode == 0, built.stderr
    assert (store_dir / "derived").is_dir()
    assert _loose_modes(store_dir) == []
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o700


def test_an_existing_store_directory_made_readable_by_others_is_closed_again(
    tmp_path: Path,
) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir(mode=0o755)
    store_dir.chmod(0o755)
    people = _people_file(tmp_path / "a.yaml", "a", {"testa_personova": "Testa Personova"})
    assert _run("load", str(people), store=store_dir).returncode == 0
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o700


# --- removed data is gone from the files ----------------------------------------------------


def _files_containing(root: Path, needle: bytes) -> list[str]:
    return [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and needle in p.read_bytes()
    ]


def test_a_removed_restricted_record_leaves_no_trace_in_the_store_files(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    canary = "CANARYxREMOVEDxWITNESS"
    path = tmp_path / "witnesses.yaml"
    _people_file(path, "w", {"testa_personova": "Testa Personova", "secret_w": canary})
    assert _run("load", str(path), store=store_dir).returncode == 0
    assert _run("export", store=store_dir).returncode == 0
    assert _files_containing(store_dir, canary.encode()), "the canary must be stored at first"
    _people_file(path, "w", {"testa_personova": "Testa Personova"})
    reloaded = _run("load", str(path), store=store_dir)
    assert reloaded.returncode == 0, reloaded.stderr
    assert _files_containing(store_dir, canary.encode()) == []
    assert "Testa Personova" in _run("show", "Testa Personova", store=store_dir).stdout


# --- worker processes die with their parent -------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def _wait_gone(pid: int, guard_s: float = 60.0) -> bool:
    deadline = time.monotonic() + guard_s  # a hang guard, not a speed requirement
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


_PARENT = """
import os, sys, time
sys.path.insert(0, {root!r})
from graph import parallel
def sleep_forever(_=None):
    os.write(1, b"%d\\n" % os.getpid())  # one write: two workers' lines never interleave
    time.sleep(3600)
if {pool!r}:
    parallel.map_in_processes(sleep_forever, [1, 2], 2)
else:
    parallel.Background(sleep_forever)
    time.sleep(3600)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="Linux process table needed")
@pytest.mark.parametrize("pool", [False, True], ids=["background", "pool"])
def test_workers_die_when_their_parent_is_killed(pool: bool) -> None:
    root = str(Path(__file__).parent.parent)
    code = _PARENT.format(root=root, pool=pool)
    env = {**os.environ, "CASEGRAPH_JOBS": "2"}
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert child != parent.pid and _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=60)
    assert _wait_gone(child), f"worker {child} outlived its killed parent"


def test_the_record_is_still_there_when_the_store_is_read_by_id(tmp_path: Path) -> None:
    """A control for the tests above: the helpers really write and read what they say."""
    people = _people_file(tmp_path / "a.yaml", "a", {"testa_personova": "Testa Personova"})
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([people], store)
        store.close()
        assert ID["testa_personova"] in {
            row["s"] for row in store.select("SELECT ?s WHERE { ?s a ?c }")[1]
        }


def test_what_a_killed_write_or_build_left_behind_is_removed_by_the_next_write(
    tmp_path: Path,
) -> None:
    """A write killed while rewriting leaves a dump of every statement beside the versions; a
    killed public-view build leaves its scratch copy. Neither may stay on disk."""
    store_dir = tmp_path / "store"
    people = _people_file(tmp_path / "a.yaml", "a", {"testa_personova": "Testa Personova"})
    assert _run("load", str(people), store=store_dir).returncode == 0
    version = (store_dir / "current").resolve().name
    dump = store_dir / "v-1.nq"
    dump.write_text("CANARYxDUMP\n")
    (store_dir / "v-1.fresh").mkdir()
    scratch = store_dir / "derived" / version / ".public.999999999.1"
    scratch.mkdir(parents=True)
    (scratch / "000001.sst").write_text("CANARYxSCRATCH")
    assert _run("load", str(people), store=store_dir).returncode == 0
    assert not dump.exists() and not (store_dir / "v-1.fresh").exists()
    assert _files_containing(store_dir, b"CANARYx") == []


def test_the_version_is_rewritten_only_when_a_removed_text_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rewriting costs a copy of the whole store: a reload that removes no text skips it."""
    from graph import disk_store

    rewrites: list[Path] = []
    rewrite = disk_store._rewrite

    def counted(version: Path) -> None:
        rewrites.append(version)
        rewrite(version)

    monkeypatch.setattr(disk_store, "_rewrite", counted)
    path = tmp_path / "a.yaml"
    both = {"testa_personova": "Testa Personova", "otto_examplov": "Otto Examplov"}
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([_people_file(path, "a", both)], store)
        load_paths([path], store)  # the same statements again
        assert rewrites == []
        load_paths([_people_file(path, "a", {"testa_personova": "Testa Personova"})], store)
        assert len(rewrites) == 1
