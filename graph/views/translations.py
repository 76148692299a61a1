"""The names and terms a view draws in another language (``view --lang fa``), read from the store.

Only what the store holds in that language is returned: a record's name or other spelling tagged
with it, a concept's label (an event type such as "death sentence"). Whatever has none keeps its
English name. Read through the store the view reads, so a public view gets public names only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from graph.namespaces import ID
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["LANGUAGES", "Translations", "translations"]

#: The languages a view can be drawn in, and whether each is written right to left.
LANGUAGES = {"en": False, "fa": True}


@dataclass(frozen=True)
class Translations:
    """Node id -> name, and concept notation -> label, in one language."""

    lang: str = "en"
    names: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)

    @property
    def rtl(self) -> bool:
        """Whether the language is written right to left."""
        return LANGUAGES.get(self.lang, False)


def translations(store: CaseStore, lang: str) -> Translations:
    """The names and terms the store has in ``lang`` (none for English: it is the default)."""
    if lang == "en":
        return Translations()
    _, rows = store.select(internal_query("view-labels"), {"lang": Literal(lang)})
    names: dict[str, str] = {}
    terms: dict[str, str] = {}
    for row in rows:
        term, label = row["term"], str(row["label"])
        if "notation" in row:
            terms.setdefault(str(row["notation"]), label)
        elif isinstance(term, URIRef) and str(term).startswith(str(ID)):
            rid = str(term)[len(str(ID)) :]
            if "/" not in rid:  # a record, not one of its name claims
                names.setdefault(rid, label)
    return Translations(lang, names, terms)
