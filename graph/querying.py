"""Running a user's query on a store and formatting the answer."""

from __future__ import annotations

from rdflib.term import Node

from graph.errors import CasegraphError
from graph.queries import prepare
from graph.results import PREFIXES, format_rows
from graph.store import CaseStore

__all__ = ["run_query"]


def run_query(
    store: CaseStore, text_or_name: str, params: dict[str, str] | None = None, fmt: str = "table"
) -> str:
    """Check, bind and run a query; SELECT as a table/CSV/TSV/JSON, ASK as true/false, graphs as Turtle."""
    prepared = prepare(text_or_name, params)
    try:
        return _execute(store, prepared.text, prepared.form, prepared.bindings, fmt)
    except SyntaxError as error:
        raise CasegraphError(f"the query is not valid SPARQL: {error}") from None
    except RuntimeError as error:
        hint = ""
        if "projection" in str(error):
            hint = " (list every --param variable in the SELECT clause, or use SELECT *)"
        raise CasegraphError(f"the query failed: {error}{hint}") from None


def _execute(store: CaseStore, text: str, form: str, bindings: dict[str, Node], fmt: str) -> str:
    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = store.construct(text, bindings)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return graph.serialize(format="turtle")
    if form == "ASK":
        answer = store.ask(text, bindings)
        return "true" if answer else "false"
    columns, rows = store.select(text, bindings)
    return format_rows(columns, rows, fmt)
