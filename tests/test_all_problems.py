"""``validate`` reports every problem of every record in one run, each once, at its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.loading import check_paths

TEAM = Path(__file__).parent / "data" / "team"
SIX = TEAM / "six-mistakes.yaml"

#: (line, record, what the message names) for each of the six mistakes in the fixture.
MISTAKES = {
    (16, "testa_sixova", "unknown field 'nickname'"),
    (18, "testa_sixova", "'protestor' is not in the vocabulary of roles"),
    (19, "testa_sixova", "'src_no_such_source' is not defined"),
    (21, "testa_sixova", "'sure' is not allowed here"),
    (26, "ev_sixova_arrest", "'arest' is not in the vocabulary of event types"),
    (27, "ev_sixova_arrest", "'2026-02-30' is not a real calendar date"),
}


def _found(problems: list[tuple[int | None, str | None, str]]) -> set[tuple[int, str, str]]:
    found = set()
    for line, record, message in problems:
        for want_line, want_record, text in MISTAKES:
            if text in message and line == want_line and record == want_record:
                found.add((want_line, want_record, text))
    return found


def test_six_mistakes_in_two_records_are_all_reported_in_one_run() -> None:
    checked = check_paths([SIX])
    errors = [(p.line, p.record, p.message) for p in checked.problems if p.severity == "error"]
    assert _found(errors) == MISTAKES
    assert len(errors) == len(MISTAKES), errors  # no follow-on problem, none twice


def test_a_record_that_fails_is_not_reported_again_as_undefined(tmp_path: Path) -> None:
    """A source with a missing field is one problem, not one more for every record citing it."""
    text = SIX.read_text(encoding="utf-8").replace("    reliability: medium\n", "", 1)
    broken = tmp_path / "broken-source.yaml"
    broken.write_text(text, encoding="utf-8")
    checked = check_paths([broken])
    messages = [p.message for p in checked.problems]
    assert any("missing required field 'reliability'" in m for m in messages)
    assert not any("'src_six_daily' is not defined" in m for m in messages)
    assert len(messages) == len(MISTAKES) + 1


def test_an_unreadable_file_does_not_hide_the_problems_of_the_others(tmp_path: Path) -> None:
    (tmp_path / "a-broken.yaml").write_text("casegraph: 1\npeople: [\n", encoding="utf-8")
    (tmp_path / "b-six.yaml").write_bytes(SIX.read_bytes())
    checked = check_paths([tmp_path])
    mine = [
        (p.line, p.record, p.message) for p in checked.problems if p.file.endswith("b-six.yaml")
    ]
    assert _found(mine) == MISTAKES - {(19, "testa_sixova", "'src_no_such_source' is not defined")}
    assert any(p.file.endswith("a-broken.yaml") for p in checked.problems)


def test_the_cli_counts_every_problem() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}
    result = subprocess.run(
        [sys.executable, "-m", "graph", "validate", "--no-store", str(SIX)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "6 problem(s) found." in result.stderr
    assert "Traceback" not in result.stderr
    for line, _, _ in MISTAKES:
        assert f"six-mistakes.yaml:{line}:" in result.stderr


def test_a_broken_reload_does_not_report_its_records_as_removed(tmp_path: Path) -> None:
    """A syntax error in a loaded file is one problem, not one more per record others use."""
    from graph.loading import load_paths
    from graph.store import CaseStore

    team = Path(__file__).parent.parent / "docs" / "examples" / "team"
    base = tmp_path / "base.yaml"
    base.write_bytes((team / "base" / "exampleton.yaml").read_bytes())
    with CaseStore.open(tmp_path / "store") as store:
        load_paths([base, team / "second-researcher"], store)
        base.write_text(base.read_text(encoding="utf-8") + "people: [\n", encoding="utf-8")
        checked = check_paths([base], store)
    assert len([p for p in checked.problems if p.severity == "error"]) == 1, checked.problems
