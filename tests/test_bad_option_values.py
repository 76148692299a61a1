"""Every option of every command, given bad values, is a usage error: exit status 2, a message that
names the option, and never a traceback.

The commands and their options are read from the typer app, so a new command or option is covered
without editing this file. A command with required arguments needs an entry in ``_BASE`` (the test
says so when one is missing). Exit status 2 is used for every bad value, including a name that
names nothing (`--person`, `--within`, `--param person=...`). Status 1 is kept for answers
(nothing found, an entity filtered out of the network), store problems, and the errors of a query's
own text: `view --query` reports a query that cannot be read or is refused (SERVICE, updates) as
`casegraph query` does, with status 1 and a message naming `--query` (``_QUERY_TEXT``).

The invocations run in two batches, each one subprocess that calls the CLI's entry point once per
invocation (a real ``casegraph`` start costs about a second; several hundred of them would not
stay under a minute). A traceback in the batch is caught and reported as one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from typer.main import get_command

from graph.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "example-case.yaml"
UNKNOWN = "Testa Nobody-Personova CANARY-404"

#: The values every text option is given: empty, an unknown name or term, an impossible date, a
#: Solar-Hijri-looking date without ' SH', a value that looks like another option's number.
_TEXT = ["", UNKNOWN, "2022-13-01", "1401-08-01"]
_NUMBER = ["abc", "-5", ""]
_CHOICE = ["nonsense-format", ""]
#: Values for options whose good values have a syntax of their own.
_EXTRA = {
    "--param": ["from=2022-13-01", "from=1401-08-01", f"court={UNKNOWN}", "nope=1", "=x"],
    "--query": ["SELECT * WHERE { ?s ?p", "no-such-named-query"],
}
#: Options whose value is a query text: its syntax errors and refusals exit 1 (see above).
_QUERY_TEXT = {"--query"}
#: Commands whose options would be meaningless without other options set.
_ALSO = {"--view": ["--type", "arrest"]}


def _base(tmp: Path, store: Path) -> dict[str, list[str]]:
    """A valid invocation of each command that needs arguments (the bad option is added to it)."""
    return {
        "query": ["death-sentences"],
        "show": ["Testa Personova"],
        "search": ["Testa"],
        "path": ["Testa Personova", "Judge Fictivus"],
        "view": ["-o", str(tmp / "view.html")],
        "network-export": [str(tmp / "network.json")],
        "load": [str(FIXTURE)],
        "validate": [str(FIXTURE)],
        "unload": [str(FIXTURE)],
        "timeline": ["Testa Personova", "-o", str(tmp / "timeline.html")],
        "chart": ["campaign-weeks", "-o", str(tmp / "chart.svg")],
    }


def _values(param: typing.Any, tmp: Path, store: Path) -> list[list[str]]:
    """The bad values to try for one option, each as the words after the option."""
    kind = str(
        param.bare_type()
    )  # typer names the annotation: "Path", "int", "typing.Literal[...]"
    if kind == "Path":
        return [[str(tmp / "no-such-folder" / "x.html")], [str(tmp)], [str(store / "x.html")]]
    if kind in ("int", "float"):
        return [[v] for v in _NUMBER]
    if "Literal[" in kind:
        return [[v] for v in _CHOICE]
    if param.nargs == 2:
        return [[UNKNOWN, UNKNOWN], ["", "Testa Personova"]]
    extra = _EXTRA.get(param.opts[0], [])
    return [[v] for v in [*_TEXT, *extra]]


def _invocations(tmp: Path, store: Path) -> list[tuple[str, list[str]]]:
    base = _base(tmp, store)
    found = []
    for name, command in sorted(get_command(app).commands.items()):  # type: ignore[attr-defined]
        needs = [p for p in command.params if p.param_type_name == "argument" and p.required]
        if needs and name not in base:
            pytest.fail(f"add a valid invocation of '{name}' to _BASE in {__file__}")
        for param in command.params:
            if param.param_type_name != "option" or param.is_flag:
                continue
            for value in _values(param, tmp, store):
                words = [name, *base.get(name, []), param.opts[0], *value]
                found.append((param.opts[0], [*words, *_ALSO.get(param.opts[0], [])]))
    return found


_DRIVER = """
import contextlib, io, json, sys, traceback
from graph.cli import main
results = []
for words in json.load(sys.stdin):
    out, err, code = io.StringIO(), io.StringIO(), 0
    sys.argv = ["casegraph", *words]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            err.write(traceback.format_exc())
            code = 1
    results.append({"code": code, "out": out.getvalue(), "err": err.getvalue()})
json.dump(results, sys.__stdout__)
"""


def _run_batches(
    batches: list[list[list[str]]], store: Path, cwd: Path
) -> list[dict[str, typing.Any]]:
    env = {"CASEGRAPH_STORE": str(store), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _DRIVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,  # not the checkout: a value wrongly taken as a file name lands here
            env=env,
        )
        for _ in batches
    ]
    results = []
    for worker, batch in zip(workers, batches, strict=True):
        out, err = worker.communicate(json.dumps(batch), timeout=600)  # a hang guard only
        assert worker.returncode == 0, err
        results += json.loads(out)
    return results


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / ".casegraph"
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(path), "load", str(FIXTURE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return path


def test_every_option_refuses_bad_values(store: Path, tmp_path: Path) -> None:
    cases = _invocations(tmp_path, store)
    assert len({words[0] for _, words in cases}) >= 10  # the commands were found
    words = [w for _, w in cases]
    results = _run_batches([words[0::2], words[1::2]], store, tmp_path)
    ordered = [None] * len(words)
    ordered[0::2], ordered[1::2] = results[: len(words[0::2])], results[len(words[0::2]) :]
    wrong = []
    for (option, invocation), result in zip(cases, ordered, strict=True):
        assert result is not None
        text = result["out"] + result["err"]
        codes = (1, 2) if option in _QUERY_TEXT else (2,)
        if result["code"] not in codes or option not in result["err"] or "Traceback" in text:
            wrong.append(f"{invocation}: exit {result['code']}: {result['err'].strip()[-300:]}")
    assert wrong == [], "\n".join(wrong)


def test_a_real_process_gives_the_same_answer(store: Path) -> None:
    """One invocation as a real ``casegraph`` process, to check the batch driver's emulation."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "--store",
            str(store),
            "centrality",
            "--as-of",
            "1401-08-01",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "--as-of" in done.stderr and "1401-08-01 SH" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
