"""Progress bars on long work: on stderr when it is a terminal, never in a pipe, in CI or with
``--quiet``, and never on stdout. The command runs as a real process with its stderr on a
pseudo-terminal (``os.openpty``) or a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph import progress

FIXTURE = Path(__file__).parent / "data" / "example-case.yaml"
CASEGRAPH = [sys.executable, "-c", "from graph.cli import main; main()"]
#: What a load reports, stage by stage.
STAGES = ("Compiling files", "Checking record ids and references", "Writing statements")


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return env | {"COLUMNS": "120", **extra}


def _load(store: Path, *, terminal: bool, args: tuple[str, ...] = (), **env: str) -> tuple:
    """Run ``casegraph load`` on the fixture: (exit status, stdout, stderr as text)."""
    command = [*CASEGRAPH, *args, "--store", str(store), "load", str(FIXTURE)]
    if not terminal:
        done = subprocess.run(
            command, capture_output=True, text=True, env=_environment(**env), timeout=300
        )
        return done.returncode, done.stdout, done.stderr
    leader, follower = os.openpty()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=follower, env=_environment(**env)
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed when the command ends
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    out = process.stdout.read().decode() if process.stdout else ""
    return process.wait(timeout=300), out, seen.decode("utf-8", "replace")


def _plain_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


def test_a_load_on_a_terminal_shows_each_stage_on_stderr_only(tmp_path: Path) -> None:
    code, out, err = _load(tmp_path / "store", terminal=True)
    assert code == 0, err
    for stage in STAGES:
        assert stage in err, (stage, err[-2000:])
    assert "Checking the SHACL shapes" in err
    assert "\x1b" not in out and not any(stage in out for stage in STAGES)
    assert _plain_lines(out)[-1].startswith("OK: 1 file(s)")


@pytest.mark.parametrize(
    ("terminal", "args", "env"),
    [
        (False, (), {}),  # a pipe
        (True, ("--quiet",), {}),
        (True, (), {"CI": "true"}),
    ],
    ids=["pipe", "quiet", "ci"],
)
def test_no_progress_in_a_pipe_with_quiet_or_in_ci(
    tmp_path: Path, terminal: bool, args: tuple[str, ...], env: dict[str, str]
) -> None:
    code, out, err = _load(tmp_path / "store", terminal=terminal, args=args, **env)
    assert code == 0, err
    assert not any(stage in err for stage in STAGES), err[-2000:]
    assert "\x1b" not in err and "\x1b" not in out
    assert _plain_lines(out)[-1].startswith("OK: 1 file(s)")


def test_should_show_reads_the_terminal_ci_and_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    leader, follower = os.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            monkeypatch.delenv("CI", raising=False)
            assert progress.should_show(terminal)
            assert not progress.should_show(terminal, quiet=True)
            assert not progress.should_show(io.StringIO())
            for value, shown in (("true", False), ("1", False), ("false", True), ("", True)):
                monkeypatch.setenv("CI", value)
                assert progress.should_show(terminal) is shown, value
    finally:
        os.close(leader)
        os.close(follower)


def test_a_task_is_silent_and_harmless_when_progress_is_off() -> None:
    progress.configure(False)
    with progress.task("Nothing to see", total=3) as line:
        line.advance()
        line.update(total=5, description="still nothing")
    assert not progress.is_on()
