"""Running a user's query on a store and formatting the answer."""

from __future__ import annotations

from graph.queries import prepare
from graph.results import PREFIXES, format_rows
from graph.store import CaseStore

__all__ = ["run_query"]


def run_query(
    store: CaseStore, text_or_name: str, params: dict[str, str] | None = None, fmt: str = "table"
) -> str:
    """Check, bind and run a query; SELECT as a table/CSV/TSV/JSON, ASK as true/false, graphs as Turtle."""
    prepared = prepare(text_or_name, params)
    if prepared.form in ("CONSTRUCT", "DESCRIBE"):
        graph = store.construct(prepared.text, prepared.bindings)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return graph.serialize(format="turtle")
    if prepared.form == "ASK":
        answer = store.ask(prepared.text, prepared.bindings)
        return "true" if answer else "false"
    columns, rows = store.select(prepared.text, prepared.bindings)
    return format_rows(columns, rows, fmt)
