"""Finding entities by the names researchers type: any spelling, a surname, a part, or a near miss.

A name resolves in tiers, and the first tier with any match decides:

1. a spelling the sources give, folded (case, accents, Persian/Arabic letter forms);
2. the record id;
3. the name without its parenthetical parts ("A (B) C" as "A C"), or a parenthetical part alone
   (an abbreviation such as "IHRNGO");
4. whole words of a spelling ("Salavati", "Mohsen Shekari" inside a longer name), in any order.

One match resolves; several are listed so the user can choose. A near miss ("Shekary") is never
taken as a match, because the closest spelling can belong to another real person: it is offered
as a suggestion, and ``search`` finds it by fuzzy matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.errors import CasegraphError
from graph.names import fold
from graph.namespaces import ID
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["Match", "SearchPage", "find_entity", "search", "search_page"]

# A near miss must score at least this (rapidfuzz's 0-100 ratio) to be offered; "shekary" scores 86
# against "shekari", while unrelated names of the same length stay under 60.
FUZZY_CUTOFF = 80.0

_WORD = re.compile(r"\w+")
_PARENTHETICAL = re.compile(r"\([^()]*\)")


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


@dataclass(frozen=True)
class SearchPage:
    """The first ``limit`` matches of a search, and how many there were in all."""

    matches: list[Match]
    total: int
    fuzzy: bool = False

    @property
    def cut(self) -> bool:
        """Whether the list stops short of every match."""
        return self.total > len(self.matches)


@dataclass(frozen=True)
class _Keyed:
    """A match with the spelling (folded) that found it."""

    match: Match
    key: str


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _rows(store: CaseStore, query: str, **bindings: str) -> list[_Keyed]:
    _, rows = store.select(internal_query(query), {k: Literal(v) for k, v in bindings.items()})
    return [
        _Keyed(
            Match(URIRef(str(row["entity"])), str(row["name"]), str(row.get("type") or "?")),
            str(row["key"]),
        )
        for row in rows
    ]


def _unique(found: Iterable[_Keyed]) -> list[Match]:
    seen: dict[URIRef, Match] = {}
    for keyed in found:
        seen.setdefault(keyed.match.iri, keyed.match)
    return list(seen.values())


def _containing(store: CaseStore, key: str) -> list[_Keyed]:
    """Spellings that contain the longest word of ``key``: a small superset of tiers 3 and 4."""
    words = _words(key)
    if not words:
        return []
    return _rows(store, "keys-containing", text=max(words, key=len))


def _without_parentheses(key: str) -> list[str]:
    """A spelling without its parenthetical parts, and each part alone, as word lists."""
    outside = _words(_PARENTHETICAL.sub(" ", key))
    inside = [_words(part) for part in _PARENTHETICAL.findall(key)]
    return [" ".join(outside), *(" ".join(words) for words in inside)]


def _tiers(key: str) -> list[Callable[[str], bool]]:
    """Tests of a spelling for tiers 3 and 4 of the module's rules, in order."""
    wanted = _words(key)
    return [
        lambda spelling: " ".join(wanted) in _without_parentheses(spelling),
        lambda spelling: set(wanted) <= set(_words(spelling)),
    ]


def _fuzzy(store: CaseStore, key: str, limit: int) -> list[Match]:
    """Entities with a spelling, or a run of its words, close to ``key``: best first."""
    from rapidfuzz import fuzz, process

    width = max(1, len(_words(key)))
    choices: list[str] = []
    owners: list[_Keyed] = []
    for keyed in _rows(store, "all-keys"):
        words = _words(keyed.key)
        runs = {keyed.key} | {" ".join(words[i : i + width]) for i in range(len(words))}
        for run in runs:
            choices.append(run)
            owners.append(keyed)
    best = process.extract(
        " ".join(_words(key)), choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
    )
    best.sort(key=lambda hit: (-hit[1], owners[hit[2]].match.name))
    return _unique(owners[index] for _, _, index in best)[:limit]


def _ranked(found: list[_Keyed], key: str) -> list[Match]:
    """Exact spellings first, then spellings that start with the text, then by name."""
    best: dict[URIRef, tuple[bool, bool, str]] = {}
    for keyed in found:
        rank = (keyed.key != key, not keyed.key.startswith(key), keyed.match.name)
        best[keyed.match.iri] = min(best.get(keyed.match.iri, rank), rank)
    return sorted(_unique(found), key=lambda match: best[match.iri])


def search_page(store: CaseStore, text: str, limit: int = 20) -> SearchPage:
    """Entities whose spelling contains ``text`` or all its words, best first; fuzzy if none.

    ``limit`` 0 means every match. The page says how many matched in all, so a caller can say
    when it cut the list.
    """
    key = fold(text)
    if not key:
        raise CasegraphError("give some text to search for")
    if limit < 0:
        raise CasegraphError(f"--limit must be 0 (every match) or more, not {limit}")
    found = _rows(store, "keys-containing", text=key)
    words = set(_words(key))
    if len(words) > 1:
        found += [k for k in _containing(store, key) if words <= set(_words(k.key))]
    matches, fuzzy = _ranked(found, key), False
    if not matches:
        matches, fuzzy = _fuzzy(store, key, limit=10_000), True
    shown = matches if limit == 0 else matches[:limit]
    return SearchPage(shown, len(matches), fuzzy)


def search(store: CaseStore, text: str, limit: int = 20) -> list[Match]:
    """The matches of :func:`search_page`, without the count."""
    return search_page(store, text, limit).matches


def _ambiguous(name: str, matches: list[Match]) -> CasegraphError:
    options = "; ".join(f"{m.name} ({m.type}, id {m.record_id})" for m in matches[:20])
    more = f"; and {len(matches) - 20} more" if len(matches) > 20 else ""
    return CasegraphError(
        f"'{name}' names several entities: {options}{more}. Use the record id or a fuller name."
    )


def find_entity(store: CaseStore, name: str) -> URIRef:
    """The one entity called ``name`` (see the module's tiers); a clear error otherwise."""
    if not store.exists:
        raise CasegraphError(f"the store {store.path} is empty: load some files first")
    key = fold(name)
    exact = _unique(_rows(store, "lookup-by-key", key=key))
    if len(exact) == 1:
        return exact[0].iri
    if len(exact) > 1:
        raise _ambiguous(name, exact)
    if store.has_record(name):
        return ID[name]
    candidates = _containing(store, key)
    for accepts in _tiers(key):
        matches = _unique(k for k in candidates if accepts(k.key))
        if len(matches) == 1:
            return matches[0].iri
        if matches:
            raise _ambiguous(name, matches)
    hint = ""
    if key:
        close = _fuzzy(store, key, limit=5)
        if close:
            hint = " Did you mean: " + "; ".join(f"{m.name} (id {m.record_id})" for m in close)
    raise CasegraphError(f"no entity called '{name}'.{hint}")
