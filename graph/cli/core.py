"""Core commands: validate, load, unload, query, show, search, stats, export, vocab."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from graph.store import CaseStore

__all__ = ["Force", "checked_output", "register"]

Paths = Annotated[list[Path], typer.Argument(help="Case files or folders (YAML or RDF).")]
#: Without it, a reading command sees only the store's public view (what may be published).
IncludeRestricted = Annotated[
    bool,
    typer.Option(
        "--include-restricted",
        help="Also read restricted records (local use only; by default only public ones).",
    ),
]
#: --force of the commands that write a file (see graph.outputs.check_output).
Force = Annotated[
    bool,
    typer.Option(
        "--force", help="Overwrite an existing case file or loaded file (never the store)."
    ),
]
#: The choices of each --format (the library's FORMATS; tests/test_safe_outputs.py checks them).
QueryFormat = Literal["table", "csv", "tsv", "json"]
ShowFormat = Literal["text", "json"]
ExportFormat = Literal["trig", "nquads", "turtle", "jsonld"]


def _store(ctx: typer.Context, public: bool = False) -> CaseStore:
    from graph.store import CaseStore

    return CaseStore.open(ctx.obj.get("store") if ctx.obj else None, public=public)


def checked_output(store: CaseStore, path: Path, force: bool, option: str = "--output") -> Path:
    """The real path an output may be written to; a refused one is a usage error (exit 2)."""
    from graph.outputs import OutputRefused, check_output

    with type(store)(store.disk) as full:  # a public view holds no load bookkeeping
        loaded = [Path(unit.path) for unit in full.units()]
    try:
        return check_output(path, store.path, force, loaded, option)
    except OutputRefused as error:
        typer.echo(f"casegraph: {error}", err=True)
        raise typer.Exit(2) from None


def _params(values: list[str]) -> dict[str, str]:
    from graph.options import BadOption

    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise BadOption(f"--param takes name=value, not '{item}'")
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
    from graph.limits import printed
    from graph.loading import check_paths

    with _store(ctx) as store:
        checked = check_paths(paths, None if no_store else store)
    for line in printed(checked.problems):
        typer.echo(line, err=True)
    for summary in checked.summaries():
        typer.echo(f"{summary.path}: {summary.records} records, {summary.triples} statements")
    errors = sum(p.severity == "error" for p in checked.problems)
    if errors:
        typer.echo(f"{errors} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {len(checked.files)} file(s) valid.")


def load(
    ctx: typer.Context,
    paths: Paths,
    prepare: Annotated[
        bool,
        typer.Option(
            "--prepare",
            help="Then build the public view, network, analyses and named-query answers now, "
            "not on first use (as 'casegraph cache build').",
        ),
    ] = False,
) -> None:
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
    if prepare:
        from graph.network.prepare import prepare_version

        with _store(ctx) as store:
            prepared = prepare_version(store)
        if not (ctx.obj and ctx.obj.get("quiet")):
            typer.echo("\n".join(prepared.lines()))


def unload(ctx: typer.Context, paths: Paths) -> None:
    """Remove exactly what loaded files (or the loaded files under folders) contributed."""
    from graph.loading import unload_paths

    with _store(ctx) as store:
        removed = unload_paths(paths, store)
    for path in removed:
        typer.echo(f"unloaded {path}")
    typer.echo(f"OK: {len(removed)} file(s) removed from {store.path}.")


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
        QueryFormat,
        typer.Option("--format", "-f", help="table, csv, tsv or json (graphs: Turtle)."),
    ] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    include_restricted: IncludeRestricted = False,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.1, help="Stop the query after this many seconds."),
    ] = 30.0,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help="Rows to give (default: all; a table shows 50 and says how many there are).",
        ),
    ] = None,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help="Rows to skip before the first one given.")
    ] = 0,
) -> None:
    """Ask a SPARQL question (read-only; SERVICE and updates are refused) of the public records,
    or of all of them with --include-restricted. Rows are written as they are found."""
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
    from graph.querying import write_query

    with _store(ctx, public=not include_restricted) as store:
        write_query(
            store, text, _params(param or []), fmt, sys.stdout, timeout, limit=limit, offset=offset
        )


def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Any spelling of the name, or the record id.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="text or json.")] = "text",
    include_restricted: IncludeRestricted = False,
) -> None:
    """Print the dossier of any record (person, event, case, campaign, court, prison, organisation,
    protest): each fact with its sources, contested versions side by side (public records only,
    unless --include-restricted: then every restricted part is marked)."""
    from graph.dossier import dossier

    with _store(ctx, public=not include_restricted) as store:
        result = dossier(store, name)
    if fmt == "json":
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        typer.echo(result.to_text())


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Part of a name, in any spelling.")],
    limit: Annotated[
        int, typer.Option("--limit", help="Show at most this many matches (0: every match).")
    ] = 20,
    include_restricted: IncludeRestricted = False,
) -> None:
    """Find entities by name (public records only, unless --include-restricted)."""
    from graph.lookup import search_page
    from graph.options import BadOption

    if limit < 0:
        raise BadOption(f"--limit must be 0 (every match) or a positive number, not {limit}")
    with _store(ctx, public=not include_restricted) as store:
        page = search_page(store, text, limit)
    if not page.matches:
        typer.echo("No match.")
        raise typer.Exit(1)
    if page.fuzzy:
        typer.echo(f"No name contains '{text}'; close spellings:", err=True)
    for match in page.matches:
        typer.echo(f"{match.name}  [{match.type}]  id: {match.record_id}")
    if page.cut:
        typer.echo(
            f"Showing {len(page.matches)} of {page.total} matches; use --limit 0 for all.",
            err=True,
        )


def stats(ctx: typer.Context, include_restricted: IncludeRestricted = False) -> None:
    """Summarise the store (its public view, unless --include-restricted)."""
    from graph.stats import stats as figures

    with _store(ctx, public=not include_restricted) as store:
        typer.echo(figures(store).to_text())


def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="trig, nquads, turtle or jsonld.")
    ] = "trig",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    force: Force = False,
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
    from graph.outputs import write_text_atomic

    with _store(ctx) as store:
        target = None if output is None else checked_output(store, output, force)
        text = write(store, fmt, include_restricted, with_ontology)
    if target is None:
        typer.echo(text)
    else:
        write_text_atomic(target, text)
        typer.echo(f"wrote {output}", err=True)


def vocab(
    ctx: typer.Context,
    scheme: Annotated[
        str | None, typer.Argument(help="charges, sentences, events, roles...")
    ] = None,
) -> None:
    """List the vocabulary notations a case file may use, with their definitions (and the
    concepts the store's vocabulary files added)."""
    from graph.vocabulary import describe

    with _store(ctx) as store:  # like validate: what case files may use, for the researcher
        typer.echo(describe(scheme, store))


def register(app: typer.Typer) -> None:
    """Add the core commands to the main app."""
    for command in (validate, load, unload, query, show, search, stats, export, vocab):
        app.command()(command)
