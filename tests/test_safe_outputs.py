"""Safe outputs (issue 8, items 9 and 10, and part of 11): spreadsheet-safe CSV and TSV, an
``--output`` that can never damage the store or an input, and ``--format`` values checked before use.

The commands run as real processes on a real store holding ``tests/data/outputs/formula-names.yaml``
(public records named like spreadsheet formulas).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from graph.outputs import OutputRefused, atomic_output, check_output, csv_text, write_text_atomic

DATA = Path(__file__).parent / "data"
FORMULAS = DATA / "outputs" / "formula-names.yaml"
CASEGRAPH = [sys.executable, "-m", "graph"]

#: What a spreadsheet takes for the start of a formula: OWASP's six, and the full-width forms.
DANGEROUS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
#: What an import may trim before it looks: white space, the BOM, zero-width and bidi marks.
TRIMMED = " \t\r\n\xa0\ufeff\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069"
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _environ(env: dict[str, str]) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}
    return environ | {"PYTHONPATH": str(Path(__file__).parent.parent)} | env


def run_many(
    commands: list[tuple[str | Path, ...]], cwd: Path | None = None, **env: str
) -> list[subprocess.CompletedProcess[str]]:
    """Run ``casegraph`` commands side by side as processes; their results, in order.

    Output is decoded by hand, not in text mode, so that a carriage return stays one."""
    started = [
        (
            args,
            subprocess.Popen(
                [*CASEGRAPH, *map(str, args)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environ(env),
                cwd=cwd,
            ),
        )
        for args in commands
    ]
    done = []
    for args, process in started:
        out, err = process.communicate(timeout=300)  # a hang guard, not a speed check
        done.append(
            subprocess.CompletedProcess(
                args, process.returncode, out.decode("utf-8"), err.decode("utf-8")
            )
        )
    return done


def run(*args: str | Path, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return run_many([args], cwd, **env)[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the formula-named records loaded (from a copy, so tests may attack the copy)."""
    root = tmp_path_factory.mktemp("formulas")
    (root / "data").mkdir()
    shutil.copy(FORMULAS, root / "data" / "formula-names.yaml")
    loaded = run("--store", root / ".casegraph", "load", root / "data")
    assert loaded.returncode == 0, loaded.stderr
    return root / ".casegraph"


def _unsafe(cell: str) -> bool:
    """Would a spreadsheet take this cell for a formula? (Independent of graph.outputs.)"""
    if NUMBER.fullmatch(cell):
        return False
    return bool(cell) and (cell[0] in DANGEROUS or cell.lstrip(TRIMMED)[:1] in DANGEROUS)


# --- spreadsheet formulas ----------------------------------------------------------------------

EVERY_LITERAL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
#: Every command that writes CSV or TSV, and its delimiter.
TABULAR = {
    "query-csv": (("query", EVERY_LITERAL, "--format", "csv"), ","),
    "query-tsv": (("query", EVERY_LITERAL, "--format", "tsv"), "\t"),
    "report": (("report", "--format", "csv"), ","),
    "centrality": (("centrality", "--top", "100", "--format", "csv"), ","),
    "communities": (("communities", "--format", "csv"), ","),
}
JSON = {
    "query-json": ("query", EVERY_LITERAL, "--format", "json"),
    "report-json": ("report", "--format", "json"),
}


@pytest.fixture(scope="module")
def outputs(store: Path) -> dict[str, str]:
    """The standard output of each command of :data:`TABULAR` and :data:`JSON`, by name."""
    commands = {name: args for name, (args, _) in TABULAR.items()} | JSON
    done = run_many([("--store", store, *args) for args in commands.values()])
    for result in done:
        assert result.returncode == 0, result.stderr
    return {name: result.stdout for name, result in zip(commands, done, strict=True)}


def _cells(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [row for row in reader if row]  # typer.echo ends the text with one more line break


@pytest.mark.parametrize("name", sorted(TABULAR))
def test_no_cell_starts_a_formula(outputs: dict[str, str], name: str) -> None:
    rows = _cells(outputs[name], TABULAR[name][1])
    cells = [cell for row in rows for cell in row]
    assert len({len(row) for row in rows}) == 1, "a cell broke its row"
    assert [c for c in cells if _unsafe(c)] == []
    # the hostile names are there, neutralised: the test cannot pass on an empty output
    assert any(c.startswith('\'=HYPERLINK("http://x",') for c in cells)


def test_every_obfuscation_is_neutralised(outputs: dict[str, str]) -> None:
    """Each hostile name comes out with the quote in front; a plain number and a plain name do not."""
    for name in ("query-csv", "query-tsv"):
        cells = {c for row in _cells(outputs[name], TABULAR[name][1]) for c in row}
        hostile: tuple[str, ...] = (
            "+1",
            "-1+1",
            "-1+cmd|' /C calc'!A0",
            "\t=1 Testa",
            "\r=1 Personova",
        )
        hostile += ("  =2 Casus", "\ufeff=3 Alter", "\uff1d4 Probus", "@SUM(1+1)", "@note")
        for value in (*hostile, "=cmd|' /C calc'!A0", "=1+2 protests", "+Formula Press"):
            assert "'" + value in cells and value not in cells, (name, value)
        assert "-3" in cells and "Testa Personova" in cells  # a number stays a number


def test_json_keeps_the_values_as_they_are(outputs: dict[str, str]) -> None:
    bindings = json.loads(outputs["query-json"])["results"]["bindings"]
    values = {b["o"]["value"] for b in bindings}
    assert {"+1", "-1+1", "\r=1 Personova", '=HYPERLINK("http://x","y")'} <= values
    labels = {row["label"] for row in json.loads(outputs["report-json"])}
    assert '=HYPERLINK("http://x","Judge")' in labels


def test_csv_text_quotes_line_breaks_so_no_cell_starts_a_row() -> None:
    text = csv_text([["a", "Testa\r=HYPERLINK(1)"], ["b", "Casus\n@SUM(1)"]], "\t")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    assert rows == [["a", "Testa\r=HYPERLINK(1)"], ["b", "Casus\n@SUM(1)"]]
    assert text.count("\n") == 3 and text.endswith("\n")


# --- --output ------------------------------------------------------------------------------------


def test_export_refuses_the_stores_own_files(store: Path, tmp_path: Path) -> None:
    """The attack: ``export -o .casegraph/current/CURRENT`` broke every later command."""
    current = next(p for p in sorted((store / "current").rglob("*")) if p.is_file())
    before = current.read_bytes()
    link = tmp_path / "innocent.trig"
    link.symlink_to(current)
    dotted = tmp_path / ".." / tmp_path.name / "innocent.trig"
    attempts = [("export", "-o", current), ("export", "-o", current, "--force")]
    attempts += [("export", "-o", link, "--force"), ("export", "-o", dotted, "--force")]
    attempts += [("view", "-o", store / "view.html", "--force")]
    attempts += [("network-export", store / "net.json", "--force")]
    for done in run_many([("--store", store, *args) for args in attempts]):
        assert done.returncode == 2, done.stderr
        assert "inside the store" in done.stderr and "Traceback" not in done.stderr
        option = "OUTPUT" if done.args[2] == "network-export" else "--output"
        assert f"casegraph: {option} " in done.stderr, done.stderr
    assert current.read_bytes() == before and link.is_symlink()
    assert not (store / "view.html").exists() and not (store / "net.json").exists()
    assert run("--store", store, "stats").returncode == 0


def test_view_refuses_a_case_file_unless_forced(store: Path, tmp_path: Path) -> None:
    """The attack: ``view -o data/courts.yaml`` replaced a case file with HTML."""
    loaded = store.parent / "data" / "formula-names.yaml"
    before = loaded.read_bytes()
    other = tmp_path / "other-case.yaml"
    other.write_text("casegraph: 1\n", encoding="utf-8")
    refused = [("view", "-o", loaded), ("network-export", other, "--format", "json")]
    refused += [("view", "-o", tmp_path, "--force"), ("view", "-o", tmp_path / "no" / "v.html")]
    checks = ["loaded into the store", "case file", "is a folder", "does not exist"]
    for done, check in zip(
        run_many([("--store", store, *a) for a in refused]), checks, strict=True
    ):
        assert done.returncode == 2 and check in done.stderr, done.stderr
    assert loaded.read_bytes() == before and other.read_text() == "casegraph: 1\n"
    forced = run("--store", store, "network-export", other, "--format", "json", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(other.read_text(encoding="utf-8"))["nodes"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-case.yaml"]  # no temporary


def test_pictures_write_by_suffix_and_refuse_what_they_may_not(store: Path, tmp_path: Path) -> None:
    """``timeline`` and ``chart`` take their format from ``-o``'s suffix: an unknown one, a case
    file, a folder or the store is a usage error (exit 2) and writes nothing."""
    loaded = store.parent / "data" / "formula-names.yaml"
    before = loaded.read_bytes()
    refused = [
        ("timeline", "court_formula", "-o", tmp_path / "t.docx"),
        ("timeline", "court_formula", "-o", loaded, "--force"),
        ("timeline", "court_formula", "-o", store / "t.html"),
        ("chart", "sentences-per-month", "-o", tmp_path / "c.xlsx"),
        ("chart", "sentences-per-month", "-o", tmp_path / "c.yaml"),
        ("chart", "sentences-per-month", "-o", tmp_path / "no" / "c.svg"),
    ]
    checks = ["end the name in", "end the name in", "inside the store"] + ["end the name in"] * 2
    checks += ["does not exist"]
    for done, check in zip(
        run_many([("--store", store, *a) for a in refused]), checks, strict=True
    ):
        assert done.returncode == 2 and check in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert loaded.read_bytes() == before and list(tmp_path.iterdir()) == []
    written = run_many(
        [
            ("--store", store, "timeline", "court_formula", "-o", tmp_path / "t.html"),
            ("--store", store, "chart", "sentences-per-month", "-o", tmp_path / "c.json"),
        ]
    )
    assert [w.returncode for w in written] == [0, 0], [w.stderr for w in written]
    assert "<html" in (tmp_path / "t.html").read_text(encoding="utf-8")[:200]
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["vconcat"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "t.html"]  # no temporary


def test_check_output_rules(tmp_path: Path) -> None:
    """The rules one by one, on the library function every command calls."""
    store, data = tmp_path / "store", tmp_path / "data"
    (store / "current").mkdir(parents=True)
    data.mkdir()
    loaded = data / "cases.ttl"
    loaded.write_text("# loaded\n", encoding="utf-8")
    case = data / "new.yml"
    case.write_text("casegraph: 1\n", encoding="utf-8")
    (tmp_path / "to-store").symlink_to(store)
    inside = [store, store / "current" / "CURRENT", data / ".." / "store" / "x.html"]
    inside.append(tmp_path / "to-store" / "new.html")  # a link to the store, then a new name
    for path in inside:
        for force in (False, True):
            with pytest.raises(OutputRefused, match="inside the store"):
                check_output(path, store, force, [loaded])
    for path in (loaded, case, data / "sub" / ".." / "cases.ttl"):
        with pytest.raises(OutputRefused, match="--force"):
            check_output(path, store, False, [loaded])
        assert check_output(path, store, True, [loaded]) == path.resolve()
    with pytest.raises(OutputRefused, match="-o-name"):
        check_output(data, store, True, [], option="-o-name")
    fresh = data / "view.html"
    assert check_output(fresh, store, False, [loaded]) == fresh.resolve()
    assert check_output(data / "later.yaml", store, False, []) == (data / "later.yaml").resolve()


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "view.html"
    target.write_text("old page", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as temporary:
        temporary.write_text("half a new pa", encoding="utf-8")
        raise RuntimeError("interrupted")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "new page \ud800")  # fails half way through encoding
    assert target.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["view.html"]  # no temporary left
    write_text_atomic(target, "new page")
    assert target.read_text(encoding="utf-8") == "new page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["view.html"]


def test_a_written_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "a.html", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.html").stat().st_mode & 0o777 == 0o640
    (tmp_path / "b.html").write_text("x", encoding="utf-8")
    (tmp_path / "b.html").chmod(0o600)
    write_text_atomic(tmp_path / "b.html", "y")
    assert (tmp_path / "b.html").stat().st_mode & 0o777 == 0o600


# --- --format ------------------------------------------------------------------------------------

#: Every command with a --format option, with the arguments it needs to get that far.
FORMAT_COMMANDS = {
    "query": ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
    "show": ("show", "Testa Personova"),
    "export": ("export",),
    "centrality": ("centrality",),
    "communities": ("communities",),
    "report": ("report",),
    "path": ("path", "person_plus", "person_minus"),
    "network-export": ("network-export", "unused.json"),
    "events": ("events",),
}


def test_every_format_option_is_listed_here() -> None:
    from typer.main import get_command

    from graph.cli import app

    commands = get_command(app).commands  # type: ignore[attr-defined]
    with_format = {
        name
        for name, command in commands.items()
        if any("--format" in p.opts for p in command.params)
    }
    assert with_format == set(FORMAT_COMMANDS)


def test_a_bad_format_is_a_usage_error(store: Path, tmp_path: Path) -> None:
    """Every command with --format, given ``xml`` or nothing: exit 2, the choices, no traceback."""
    commands = [
        ("--store", store, *args, "--format", value)
        for args in FORMAT_COMMANDS.values()
        for value in ("xml", "")
    ]
    for done in run_many(commands, cwd=tmp_path):
        assert done.returncode == 2, (done.args, done.stdout + done.stderr)
        assert "Traceback" not in done.stderr and "--format" in done.stderr, done.args
        assert "is not one of" in done.stderr, done.args
    assert list(tmp_path.iterdir()) == []


def test_format_choices_are_the_librarys() -> None:
    """The CLI's choices are exactly the formats each library function accepts."""
    from graph import results
    from graph.cli import core, network_export, network_options
    from graph.export import EXPORT_FORMATS
    from graph.network import exports, tables

    def choices(alias: object) -> tuple[str, ...]:
        return (
            typing.get_args(typing.get_args(alias)[0])
            if hasattr(alias, "__metadata__")
            else (typing.get_args(alias))
        )

    assert choices(core.QueryFormat) == results.FORMATS
    assert choices(core.ExportFormat) == tuple(EXPORT_FORMATS)
    assert choices(network_options.Format) == tables.FORMATS
    hints = typing.get_type_hints(network_export.network_export, include_extras=True)
    assert choices(hints["fmt"]) == exports.FORMATS


# --- layouts ---------------------------------------------------------------------------------------


def _positions(page: Path) -> list[tuple[str, float, float]]:
    match = re.search(r"var CG_DATA = (\{.*?\});\n", page.read_text(encoding="utf-8"), re.S)
    assert match
    nodes = json.loads(match.group(1))["nodes"]
    return sorted((n["id"], n["x"], n["y"]) for n in nodes)


@pytest.mark.parametrize(
    "view", [("--focus", "judge_formula", "--depth", "1"), ()], ids=["focus", "whole"]
)
def test_layouts_do_not_depend_on_hash_seeds(
    store: Path, tmp_path: Path, view: tuple[str, ...]
) -> None:
    """The same store and command draw the same picture under different ``PYTHONHASHSEED``s."""
    pages = [tmp_path / f"view-{seed}.html" for seed in ("1", "2")]
    for seed, page in zip(("1", "2"), pages, strict=True):
        done = run("--store", store, "view", *view, "-o", page, PYTHONHASHSEED=seed)
        assert done.returncode == 0, done.stderr
    first, second = (_positions(page) for page in pages)
    assert len(first) > 3
    assert len({(x, y) for _, x, y in first}) > 1  # a real layout, not every node at one point
    assert first == second
