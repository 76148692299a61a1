"""The documentation is complete: every command is in the README, every named query in docs/queries.md."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from graph.cli import app
from graph.queries import list_queries

ROOT = Path(__file__).parent.parent


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    assert len(commands) >= 14
    assert [c for c in commands if f"casegraph {c}" not in readme] == []


def test_the_readme_quick_start_is_the_three_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [
        line.split("#")[0].strip() for line in quick.splitlines() if line.startswith("    ")
    ]
    assert commands == ["make demo", "make test", "make serve"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_named_query_is_documented_with_its_parameters() -> None:
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    missing = []
    for named in list_queries():
        section = re.search(
            rf"^#+ `?{re.escape(named.name)}`?\s*$(.*?)(?=^#+ |\Z)", doc, re.M | re.S
        )
        if section is None:
            missing.append(named.name)
            continue
        missing += [
            f"{named.name}:{p.name}" for p in named.parameters if p.name not in section.group(1)
        ]
    assert missing == []


def test_docs_name_only_files_that_exist() -> None:
    for doc in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
