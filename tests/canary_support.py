"""Helpers of the canary test: the fixture's canaries, running casegraph, and grepping artefacts.

Every restricted text and id in ``tests/data/canaries/`` carries a unique ``CANARYx…`` string, so a
hit says where the leak came from. :func:`leaks` looks for them in every reading a person or a tool
could make of an artefact: the raw bytes, the text after undoing JSON, HTML and percent escapes,
the text a browser shows of an HTML page, and the text with line breaks and table rules removed.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote

__all__ = [
    "CASE_FIXTURES",
    "LINK_FIXTURES",
    "LOOKALIKES",
    "Run",
    "all_canaries",
    "decoded_variants",
    "leaks",
    "notebook_texts",
    "run_batch",
    "run_casegraph",
    "visible_html_text",
]

FIXTURES = Path(__file__).parent / "data" / "canaries"
#: The fictional case folder loaded into the store of the canary test.
CASE_FIXTURES = FIXTURES / "case"
#: Restricted records pointing at the shipped data, loaded only beside a copy of ``data/``.
LINK_FIXTURES = FIXTURES / "notebook"

#: The restricted look-alike names (close in spelling to public ones) without their canary: they
#: catch a restricted name even where a table cut off the canary that starts it.
LOOKALIKES = (
    "testova",
    "testovana",
    "testovsky",
    "testovich",
    "publikovna",
    "publicova",
    "rights watchers",
    "salavatti",
)

_CANARY = re.compile(r"CANARYx[A-Za-z0-9]+")
_FRAGMENT = re.compile(r"canary[a-z0-9]*", re.IGNORECASE)
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\/")
_RULES = re.compile(r"[\s│┃║|…─━═+]+")


def all_canaries(folder: Path = FIXTURES) -> list[str]:
    """Every canary written in the fixture files under ``folder``, longest first."""
    found: set[str] = set()
    for path in folder.rglob("*"):
        if path.is_file():
            found.update(_CANARY.findall(path.read_text(encoding="utf-8")))
    return sorted(found, key=lambda c: (-len(c), c))


def _json_unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else "/"

    return _JSON_ESCAPE.sub(one, text)


class _Visible(HTMLParser):
    """Collects what a browser shows or reads out: text outside scripts and styles, and the
    attributes a person sees (title, alt, value, placeholder, aria-label)."""

    _SHOWN: ClassVar[set[str]] = {"title", "alt", "value", "placeholder", "aria-label", "content"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(v for k, v in attrs if k in self._SHOWN and v)
        if tag == "iframe":  # a notebook shows a view as an iframe's srcdoc: read that page too
            self.parts.extend(visible_html_text(v) for k, v in attrs if k == "srcdoc" and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_html_text(page: str) -> str:
    """The text of an HTML page outside its scripts and styles, entities decoded."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.parts)


def decoded_variants(text: str) -> list[str]:
    """``text`` as read raw and after undoing each escaping an artefact may apply, lower-cased."""
    variants = [text, html.unescape(text), _json_unescape(text), unquote(text)]
    both = unquote(html.unescape(_json_unescape(text)))
    variants += [both, html.unescape(both), _json_unescape(both)]
    return [v.lower() for v in variants]


def leaks(text: str, canaries: list[str]) -> set[str]:
    """The canaries (and restricted look-alike names, or cut-off canary fragments) in ``text``."""
    known = {c.lower(): c for c in canaries}
    longest_first = sorted(known, key=len, reverse=True)
    found: set[str] = set()
    split: set[str] = set()
    for variant in decoded_variants(text):
        for token in _FRAGMENT.findall(variant):
            found.add(known.get(token, f"canary fragment '{token}'"))
        found.update(f"look-alike name '{w}'" for w in LOOKALIKES if w in variant)
        for token in _FRAGMENT.findall(_RULES.sub("", variant)):  # split by a line or a rule
            match = next((c for c in longest_first if token.startswith(c)), None)
            if match is not None:
                split.add(known[match])
    found.update(f"{c} (split across lines or cells)" for c in split if c not in found)
    return found


@dataclass
class Run:
    """One command as a user runs it, and everything it produced."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    files: dict[str, str] = field(default_factory=dict)

    @property
    def command(self) -> str:
        """The command line, for messages."""
        return "casegraph " + " ".join(self.args)

    def texts(self) -> dict[str, str]:
        """Every text of the artefact by where it came from (stdout, stderr, files, visible text)."""
        texts = {"stdout": self.stdout, "stderr": self.stderr}
        for name, content in self.files.items():
            texts[name] = content
            if name.endswith(".html") or "<html" in content[:2000].lower():
                texts[f"{name} (visible text)"] = visible_html_text(content)
        return texts


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CASEGRAPH_STORE"}


def _read(outputs: Sequence[Path]) -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8", errors="replace")
        for path in outputs
        if path.exists()
    }


def run_casegraph(
    store: Path, args: list[str], cwd: Path, outputs: Sequence[Path] = (), timeout: float = 300
) -> Run:
    """Run ``casegraph --store STORE ARGS`` in its own process in ``cwd``; read what it wrote.

    ``timeout`` is only a guard against a hang, far above what any command needs.
    """
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--store", str(store), *args],
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    return Run(args, done.returncode, done.stdout, done.stderr, _read(outputs))


def run_batch(
    store: Path, jobs: Sequence[tuple[list[str], Sequence[Path]]], cwd: Path, timeout: float = 900
) -> tuple[list[Run], Run]:
    """Run many commands in one process, each through the console script's ``main`` as a user
    runs it (its own argv, stdout, stderr and exit code), to save the start-up of each.

    Returns the runs, and the process itself (anything printed past the redirection, e.g. by
    a worker process, lands there). ``timeout`` is only a guard against a hang.
    """
    results = cwd / f"batch-{os.getpid()}-{id(jobs)}.json"
    argv = [["--store", str(store), *args] for args, _ in jobs]
    done = subprocess.run(
        [sys.executable, __file__, str(results)],
        input=json.dumps(argv),
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    process = Run(["(batch)"], done.returncode, done.stdout, done.stderr)
    answers = json.loads(results.read_text(encoding="utf-8")) if results.exists() else []
    runs = [
        Run(args, code, out, err, _read(outputs))
        for (args, outputs), (code, out, err) in zip(jobs, answers, strict=False)
    ]
    return runs, process


def _drive(argv: list[str]) -> tuple[int, str, str]:
    """One command through ``graph.cli.main`` with its own argv and captured output."""
    from graph.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    sys.argv = ["casegraph", *argv]
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        except Exception:
            traceback.print_exc()
            code = 1
    return code, out.getvalue(), err.getvalue()


def notebook_texts(notebook: Any) -> str:
    """Every output of an executed notebook (streams, plain text, HTML, errors), as one text."""
    parts: list[str] = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            parts.append(json.dumps(output, ensure_ascii=False))
            parts.extend(str(v) for v in output.get("data", {}).values())
            if "text" in output:
                parts.append(str(output["text"]))
    return "\n".join(parts)


if __name__ == "__main__":  # the batch runner: argv from stdin, answers to the file named
    target = Path(sys.argv[1])
    answers = [_drive(argv) for argv in json.load(sys.stdin)]
    target.write_text(json.dumps(answers), encoding="utf-8")
