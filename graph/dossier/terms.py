"""Small readers of query rows shared by the dossier's gatherers: record ids, labels, flags."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Node

from graph.namespaces import ID

__all__ = ["flag", "local", "rid", "text_of"]


def rid(node: Node | None) -> str:
    """The record id of a record IRI ("" for anything else)."""
    return str(node)[len(str(ID)) :] if node is not None and str(node).startswith(str(ID)) else ""


def local(node: Node) -> str:
    """The local name of an ontology term."""
    return str(node).rsplit("#", 1)[-1]


def text_of(row: dict[str, Node]) -> str:
    """A row's value as the dossier shows it: its label, else its record id, else as written."""
    label = row.get("label")
    value = row["value"]
    if label is not None:
        return str(label)
    if isinstance(value, URIRef):
        return rid(value) or local(value)
    return str(value)


def flag(row: dict[str, Node], name: str = "") -> bool:
    """Whether a boolean column is true (default: ``hidden``, else ``restricted``)."""
    value = row.get(name) if name else row.get("hidden", row.get("restricted"))
    return value is not None and str(value).lower() == "true"
