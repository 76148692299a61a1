"""Finding entities by any spelling of their name."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.errors import CasegraphError
from graph.names import fold
from graph.namespaces import ID
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["Match", "find_entity", "search"]


@dataclass(frozen=True)
class Match:
    """An entity found by name."""

    iri: URIRef
    name: str
    type: str

    @property
    def record_id(self) -> str:
        """The id the researcher gave the record."""
        return str(self.iri)[len(str(ID)) :]


def _matches(store: CaseStore, query: str, **bindings: str) -> list[Match]:
    _, rows = store.select(internal_query(query), {k: Literal(v) for k, v in bindings.items()})
    seen: dict[URIRef, Match] = {}
    for row in rows:
        iri = URIRef(str(row["entity"]))
        if iri not in seen:
            seen[iri] = Match(iri, str(row["name"]), str(row["type"]))
    return list(seen.values())


def search(store: CaseStore, text: str, limit: int = 20) -> list[Match]:
    """Entities whose name or any spelling contains ``text`` (folded), best first; fuzzy if none."""
    key = fold(text)
    if not key:
        raise CasegraphError("give some text to search for")
    found = _matches(store, "search-keys", text=key)
    found.sort(key=lambda m: (fold(m.name) != key, not fold(m.name).startswith(key), m.name))
    if found:
        return found[:limit]
    _, rows = store.select(internal_query("all-keys"))
    keys = {str(row["key"]): row for row in rows}
    close = difflib.get_close_matches(key, list(keys), n=limit, cutoff=0.6)
    result: dict[URIRef, Match] = {}
    for k in close:
        row = keys[k]
        result.setdefault(
            URIRef(str(row["entity"])), Match(URIRef(str(row["entity"])), str(row["name"]), "?")
        )
    return list(result.values())


def find_entity(store: CaseStore, name: str) -> URIRef:
    """The one entity called ``name`` (any spelling, or its record id); a clear error otherwise."""
    if not store.exists:
        raise CasegraphError(f"the store {store.path} is empty: load some files first")
    exact = _matches(store, "lookup-by-key", key=fold(name))
    if len(exact) == 1:
        return exact[0].iri
    if not exact and store.has_record(name):
        return ID[name]
    if len(exact) > 1:
        options = "; ".join(f"{m.name} ({m.type}, id {m.record_id})" for m in exact)
        raise CasegraphError(f"'{name}' names several entities: {options}. Use the record id.")
    suggestions = search(store, name, limit=5)
    hint = ""
    if suggestions:
        hint = " Did you mean: " + "; ".join(f"{m.name} (id {m.record_id})" for m in suggestions)
    raise CasegraphError(f"no entity called '{name}'.{hint}")
