"""Core commands: validate, load, query, show, search, stats, export, vocab."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = ["register"]

Paths = Annotated[list[Path], typer.Argument(help="Case files or folders (YAML or RDF).")]


def _store(ctx: typer.Context) -> CaseStore:
    from graph.store import CaseStore

    return CaseStore.open(ctx.obj.get("store") if ctx.obj else None)


def _params(values: list[str]) -> dict[str, str]:
    from graph.errors import CasegraphError

    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CasegraphError(f"--param takes name=value, not '{item}'")
        params[name] = value
    return params


def validate(
    ctx: typer.Context,
    paths: Paths,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Do not resolve references against the store.")
    ] = False,
) -> None:
    """Check files without changing the store; exit 1 if any has an error."""
    from graph.loading import check_paths

    with _store(ctx) as store:
        checked = check_paths(paths, None if no_store else store)
    for problem in checked.problems:
        typer.echo(str(problem), err=True)
    for summary in checked.summaries():
        typer.echo(f"{summary.path}: {summary.records} records, {summary.triples} statements")
    errors = sum(p.severity == "error" for p in checked.problems)
    if errors:
        typer.echo(f"{errors} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {len(checked.files)} file(s) valid.")


def load(ctx: typer.Context, paths: Paths) -> None:
    """Validate files and load them into the store, all or nothing; reloading a file replaces it."""
    from graph.loading import load_paths

    with _store(ctx) as store:
        report = load_paths(paths, store)
    for problem in report.warnings:
        typer.echo(str(problem), err=True)
    for summary in report.files:
        verb = "replaced" if summary.replaced else "loaded"
        typer.echo(
            f"{verb} {summary.path}: {summary.records} records, {summary.triples} statements"
        )
    typer.echo(f"OK: {len(report.files)} file(s) in {store.path}.")


def query(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="SPARQL text, a .rq file, or a named query.")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="name=value, passed as a binding (repeatable)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv or json (graphs: Turtle).")
    ] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
) -> None:
    """Ask a SPARQL question (read-only; SERVICE and updates are refused)."""
    from graph.errors import CasegraphError

    if list_:
        from graph.queries import list_queries

        for named in list_queries():
            params = ", ".join(
                f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in named.parameters
            )
            typer.echo(f"{named.name}\n    {named.purpose}\n    parameters: {params or 'none'}")
        return
    if text is None:
        raise CasegraphError("give a query (text, file or name), or --list")
    from graph.querying import run_query

    with _store(ctx) as store:
        typer.echo(run_query(store, text, _params(param or []), fmt))


def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Any spelling of the name, or the record id.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print the dossier of a person, court, campaign or any entity."""
    from graph.dossier import dossier

    with _store(ctx) as store:
        result = dossier(store, name)
    if fmt == "json":
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        typer.echo(result.to_text())


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Part of a name, in any spelling.")],
) -> None:
    """Find entities by name."""
    from graph.lookup import search as find

    with _store(ctx) as store:
        matches = find(store, text)
    if not matches:
        typer.echo("No match.")
        raise typer.Exit(1)
    for match in matches:
        typer.echo(f"{match.name}  [{match.type}]  id: {match.record_id}")


def stats(ctx: typer.Context) -> None:
    """Summarise the store."""
    from graph.stats import stats as figures

    with _store(ctx) as store:
        typer.echo(figures(store).to_text())


def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="trig, nquads, turtle or jsonld.")
    ] = "trig",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    include_restricted: Annotated[
        bool,
        typer.Option(
            "--include-restricted", help="Also export restricted records (never publish)."
        ),
    ] = False,
    with_ontology: Annotated[
        bool, typer.Option("--with-ontology", help="Add the ontology and vocabularies.")
    ] = False,
) -> None:
    """Write the store's public records as RDF (restricted records only on explicit request)."""
    from graph.export import export as write

    with _store(ctx) as store:
        text = write(store, fmt, include_restricted, with_ontology, output)
    if output is None:
        typer.echo(text)
    else:
        typer.echo(f"wrote {output}", err=True)


def vocab(
    scheme: Annotated[
        str | None, typer.Argument(help="charges, sentences, events, roles...")
    ] = None,
) -> None:
    """List the vocabulary notations a case file may use."""
    from graph.vocabulary import describe

    typer.echo(describe(scheme))


def register(app: typer.Typer) -> None:
    """Add the core commands to the main app."""
    for command in (validate, load, query, show, search, stats, export, vocab):
        app.command()(command)
