"""Bounded input: files, values, texts, nesting and problems over the limits of graph.limits are
clear errors with the file and line, in bounded time and memory, with capped output."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import limits
from graph.authoring import reader
from graph.errors import CasegraphError, Problem, ValidationFailed
from graph.loading import check_paths
from graph.reading import read_file

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-case.yaml"
CASEGRAPH = [sys.executable, "-m", "graph"]
MEMORY = (
    1536 * 1024 * 1024
)  # address space of a CLI process under test: a regression fails, not the machine
HEADER = (
    "casegraph: 1\nsources:\n  - id: s1\n    title: T\n    publisher: P\n    reliability: medium\n"
)


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The casegraph command in a process with at most 1.5 GB of address space."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEGRAPH_")}
    environment.update(env or {})
    return subprocess.run(
        [*CASEGRAPH, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only
        env=environment,
        preexec_fn=_bounded,
    )


def problems_of(path: Path) -> list[Problem]:
    return read_file(path).problems


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- big files ---------------------------------------------------------------------------------


def test_fifty_megabytes_of_junk_yaml_is_one_short_error(tmp_path: Path) -> None:
    """The attack of issue 8: 50 MB of repeated junk; refused by size, quickly and briefly."""
    junk = write(tmp_path / "junk.yaml", "casegraph: 1\n" + "junk: [x, {y: z}\n" * 3_100_000)
    assert junk.stat().st_size > 50_000_000
    result = run("--store", tmp_path / "store", "validate", junk)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3
    assert (
        f"{junk}: the file is 5" in result.stderr and "over the limit of 8.0 MiB" in result.stderr
    )
    assert "CASEGRAPH_MAX_FILE_MB" in result.stderr


@pytest.mark.parametrize(
    ("kind", "unit"),
    [
        ("block items", "- x\n"),
        ("flow items", "x, "),
        ("duplicate keys", "a: 1\n"),
        ("items after a tab (the pure-Python reader's case)", "- x\t\n"),
    ],
)
def test_junk_just_under_the_size_limit_stops_at_the_values_limit(
    tmp_path: Path, kind: str, unit: str
) -> None:
    """Junk that fits the size limit is refused at the values limit, with a line, in bounded memory."""
    head = "casegraph: 1\nnote: 'tab\there'\npeople: " + ("[" if unit == "x, " else "\n")
    junk = write(tmp_path / "junk.yaml", head + unit * ((limits.MAX_YAML_BYTES - 200) // len(unit)))
    result = run("--store", tmp_path / "store", "validate", junk)
    assert result.returncode == 1, kind
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3
    assert "more than 500,000 values; split it" in result.stderr
    assert f"{junk}:" in result.stderr.split("values")[0].rsplit("\n", 1)[-1]


def test_many_problems_are_collected_up_to_the_limit_and_printed_up_to_another(
    tmp_path: Path,
) -> None:
    """20,000 bad records: 1,000 problems kept, 100 printed, then how many more there are."""
    junk = write(tmp_path / "junk.yaml", "casegraph: 1\npeople:\n" + "- {nme: 1}\n" * 20_000)
    found = problems_of(junk)
    assert len(found) == limits.MAX_PROBLEMS + 1
    assert all(p.line is not None for p in found[:-1])
    assert found[-1].message.startswith("more problems were found")
    result = run("--store", tmp_path / "store", "validate", junk)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == limits.MAX_PRINTED + 2  # 100 problems, "… and 901 more", the count
    assert lines[limits.MAX_PRINTED] == (
        "… and 901 more problems (fix these first, or run validate on fewer files)"
    )
    loaded = run("--store", tmp_path / "store", "load", junk)
    assert loaded.returncode == 1 and "Traceback" not in loaded.stderr
    assert "… and 901 more problems" in loaded.stderr
    assert len(loaded.stderr.splitlines()) < limits.MAX_PRINTED + 5


def test_validation_failed_prints_a_capped_list() -> None:
    error = ValidationFailed([Problem("a.yaml", 1, "bad")] * 17_500_000)
    text = str(error).splitlines()
    assert text[0] == "17500000 problem(s) found; nothing was loaded."
    assert len(text) == limits.MAX_PRINTED + 2
    assert text[-1] == (
        "… and 17,499,900 more problems (fix these first, or run validate on fewer files)"
    )


def test_the_file_size_limit_can_be_raised_and_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CASEGRAPH_MAX_FILE_MB raises the limit; a value that is not a size is a clear error."""
    padding = "# " + "x" * 1000 + "\n"
    big = write(tmp_path / "big.yaml", padding * (9 * 1024) + EXAMPLE.read_text(encoding="utf-8"))
    assert "over the limit of 8.0 MiB for YAML files" in problems_of(big)[0].message
    monkeypatch.setenv("CASEGRAPH_MAX_FILE_MB", "16")
    assert problems_of(big) == []
    monkeypatch.setenv("CASEGRAPH_MAX_FILE_MB", "lots")
    with pytest.raises(CasegraphError, match="CASEGRAPH_MAX_FILE_MB='lots' is not a size"):
        read_file(big)
    result = run("--store", tmp_path / "store", "validate", big, env={"CASEGRAPH_MAX_FILE_MB": "0"})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "is not a size" in result.stderr


# --- long texts --------------------------------------------------------------------------------


def test_a_fifty_megabyte_string_value_never_reaches_the_store(tmp_path: Path) -> None:
    """The 50 MB value of issue 8: refused before reading; a 2 MiB one at its line."""
    huge = write(tmp_path / "huge.yaml", HEADER + "    note: " + "x" * 50_000_000 + "\n")
    result = run("--store", tmp_path / "store", "load", huge)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "over the limit of 8.0 MiB" in result.stderr
    assert "OK" not in result.stdout
    for note in ("x" * (2 * 1024 * 1024), "'x\t" + "x" * (2 * 1024 * 1024) + "'"):
        long = write(tmp_path / "long.yaml", HEADER + "    note: " + note + "\n")
        [problem] = problems_of(long)
        assert problem.line == 7
        assert f"a text of {len(note.strip(chr(39))):,} characters starts here" in problem.message


def test_a_key_over_the_text_limit_is_refused(tmp_path: Path) -> None:
    key = "k" * (limits.MAX_TEXT + 1)
    long = write(tmp_path / "key.yaml", f"casegraph: 1\n? {key}\n: 1\n")
    [problem] = problems_of(long)
    assert (problem.line, "the longest casegraph takes is 1,048,576" in problem.message) == (
        2,
        True,
    )


# --- nesting -----------------------------------------------------------------------------------


def _block(depth: int) -> str:
    return "casegraph: 1\nnote:\n" + "".join("  " * i + "- \n" for i in range(1, depth + 1))


@pytest.mark.parametrize(
    ("style", "text", "line"),
    [
        ("flow", "casegraph: 1\nnote: " + "[" * 5000 + "]" * 5000 + "\n", 2),
        ("flow mappings", "casegraph: 1\nnote: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", 2),
        ("block", _block(5000), 66),
        ("flow, pure-Python reader", "casegraph: 1\nx: '\t'\nnote: " + "[" * 5000 + "]" * 5000, 3),
        ("block, pure-Python reader", _block(5000).replace("note:", "x: '\t'\nnote:"), 67),
    ],
)
def test_yaml_nested_five_thousand_deep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str, text: str, line: int
) -> None:
    """Too deep is a problem at the line where the limit is passed, in either reader (the
    block file is 25 MB of indentation, so the size limit is raised for it)."""
    monkeypatch.setenv("CASEGRAPH_MAX_FILE_MB", "64")
    [problem] = problems_of(write(tmp_path / "deep.yaml", text))
    assert problem.line == line, style
    assert "nested more than 64 levels deep" in problem.message


def test_yaml_nesting_up_to_the_limit_is_read() -> None:
    for text in (_block(limits.MAX_DEPTH - 1), "a: " + "[" * 63 + "]" * 63 + "\n"):
        data, problems = reader.read_yaml(text, "ok.yaml")
        assert problems == [] and data is not None
        assert reader._read_with_python(text, "ok.yaml")[1] == []


def test_nesting_cli_has_no_traceback(tmp_path: Path) -> None:
    deep = write(tmp_path / "deep.yaml", "casegraph: 1\nnote: " + "[" * 100_000 + "]" * 100_000)
    result = run("--store", tmp_path / "store", "load", deep)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{deep}:2: the data is nested more than 64 levels deep" in result.stderr


# --- records -----------------------------------------------------------------------------------


def test_records_per_file_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.reading.MAX_RECORDS", 3)
    text = "casegraph: 1\npeople:\n" + "- {id: p}\n" * 4
    [problem] = problems_of(write(tmp_path / "many.yaml", text))
    assert "the file holds 4 records; casegraph reads at most 3 per file" in problem.message


# --- source URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "ftp://example.org/a",
        "example.org/a",
        "//example.org/a",
        "http:///no-host",
        "https://exa mple.org/",
        "mailto:someone@example.org",
    ],
)
def test_yaml_source_urls_must_be_web_addresses(tmp_path: Path, url: str) -> None:
    text = HEADER + f"    url: '{url}'\n"
    checked = check_paths([write(tmp_path / "s.yaml", text)])
    [problem] = checked.problems
    assert (problem.line, problem.field, problem.record) == (7, "url", "s1")
    assert "is not a web address: a url starts with http:// or https://" in problem.message


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=c#d", "http://example.org", "HTTPS://Example.org/x"]
)
def test_yaml_web_addresses_are_accepted(tmp_path: Path, url: str) -> None:
    assert check_paths([write(tmp_path / "s.yaml", HEADER + f"    url: '{url}'\n")]).ok


def test_every_shipped_source_url_is_a_web_address() -> None:
    """The real data keeps validating under the rule (test_real_data loads it all)."""
    urls = [
        line.split("url:", 1)[1].strip().strip("'\"")
        for path in (Path(__file__).parent.parent / "data").rglob("*.yaml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("url:")
    ]
    assert urls and all(u.startswith(("https://", "http://")) for u in urls)


# --- fuzzing -----------------------------------------------------------------------------------

_VALID = EXAMPLE.read_bytes()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255), st.sampled_from("rid")),
        min_size=1,
        max_size=8,
    )
)
def test_mutated_yaml_gives_problems_never_exceptions(tmp_path: Path, edits: list[Any]) -> None:
    """Random byte replacements, insertions and deletions of a valid case file."""
    data = bytearray(_VALID)
    for position, byte, kind in edits:
        position = min(position, len(data) - 1)
        if kind == "r":
            data[position] = byte
        elif kind == "i":
            data.insert(position, byte)
        elif len(data) > 1:
            del data[position]
    path = tmp_path / "mutant.yaml"
    path.write_bytes(bytes(data))
    checked = check_paths([path])  # raises nothing: every problem is a Problem
    assert all(isinstance(p, Problem) and p.file == str(path) for p in checked.problems)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: 1\nb: {c: [1, 2], c: 3}\na:\n  - x\n  - {y: z}\nd: e\n",
        "a: 1\na: &anchor 2\n",
        "a: 1\na: [*x]\n",
        "a: 1\na: !!str 2\n",
        "a: {b: 1}\na: {b: 1, b: 2}\n",
        "1: a\n1.0: b\ntrue: c\n",
        "a: 1\na: " + "[" * 70 + "]" * 70 + "\n",
        "a: 1\na: [x?y]\n",
        "a: 1\na: 0x_\n",
        "- {a: 1, a: {b: [c, d]}, e: f}\n- {a: 2}\n",
    ],
)
def test_duplicate_keys_read_past_on_the_fast_path_like_python(text: str) -> None:
    """The LibYAML reader reports duplicate keys itself (junk of repeated keys stays fast),
    with exactly the pure-Python reader's data and problems."""
    fast = reader.read_yaml(text, "case.yaml")
    slow = reader._read_with_python(text, "case.yaml")
    assert fast[1] == slow[1]
    assert _tree(fast[0]) == _tree(slow[0])


def _tree(value: Any) -> Any:
    """Data with every line it remembers, to compare the two readers' trees."""
    if isinstance(value, reader.YamlMap):
        return ("map", value.line, [(k, value.key_lines[k], _tree(v)) for k, v in value.items()])
    if isinstance(value, reader.YamlList):
        return ("list", value.line, value.item_lines, [_tree(v) for v in value])
    return (type(value).__name__, value)
