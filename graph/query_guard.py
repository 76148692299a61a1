"""The first layer against hostile SPARQL: a nesting pre-check before any parser, then a real
SPARQL 1.1 parse whose tree is searched for SERVICE, updates and outside FROM.

The engine still receives the user's own text (see the decision record
``docs/decisions/2026-12-02-queries-cannot-reach-the-network.md``): regenerating text from
rdflib's algebra loses or changes meaning, and the second layer (the sandbox worker without a
network, :mod:`graph.sandbox`) holds even where the two parsers could disagree.
"""

from __future__ import annotations

import heapq
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from graph.errors import CasegraphError, QueryRefused

__all__ = [
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "check_depth",
    "check_user_query",
    "engine_text",
    "nesting_depth",
]

#: The deepest nesting of ``{``, ``(`` and ``[`` (counted together) a query may have.
MAX_DEPTH = 64
#: The longest query text accepted, in characters.
MAX_QUERY_CHARS = 500_000
#: Allowed graph names in FROM / FROM NAMED: the store's own graphs, written in full.
STORE_GRAPHS = "urn:casegraph:"

_OPEN, _CLOSE = "({[", ")}]"
_CODE_STOP = re.compile(r"[(){}\[\]<>\"'#\\\n\r]")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_SHORT = {q: re.compile(rf"{q}(?:[^{q}\\\n\r]|\\.)*{q}", re.DOTALL) for q in "\"'"}
_LONG = {q: re.compile(rf"{q * 3}(?:{q}{{0,2}}(?:[^{q}\\]|\\.))*{q * 3}", re.DOTALL) for q in "\"'"}
_LINE_END = re.compile(r"[\n\r]")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _expand_escapes(text: str) -> str:
    """SPARQL's codepoint escapes, which both parsers expand before they read the grammar."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _UCHAR.sub(one, text)


def _depth_of(text: str) -> int:
    """An upper bound of the bracket nesting any reading of ``text`` as SPARQL can have.

    Strings, comments and IRIs are skipped, except where the lexing is ambiguous: a ``<`` may
    start an IRI or be "less than", a backslash may escape the next character in a prefixed
    name. There both readings are followed (from each position the deepest one is kept), so the
    bound holds whichever reading a parser takes. Closing brackets never go below zero.
    """
    best: dict[int, int] = {0: 0}
    todo = [0]
    peak, steps, budget = 0, 0, 20 * len(text) + 1000
    while todo:
        pos = heapq.heappop(todo)
        depth = best.pop(pos, None)
        if depth is None:
            continue
        steps += 1
        if steps > budget:
            return MAX_DEPTH + 1  # too ambiguous to bound: refuse rather than guess
        match = _CODE_STOP.search(text, pos)
        if match is None:
            continue
        at, char = match.start(), match.group()
        nexts: list[tuple[int, int]] = []
        if char in _OPEN:
            depth += 1
            peak = max(peak, depth)
            nexts.append((at + 1, depth))
        elif char in _CLOSE:
            nexts.append((at + 1, max(depth - 1, 0)))
        elif char == "<":
            nexts.append((at + 1, depth))
            iri = _IRIREF.match(text, at)
            if iri:
                nexts.append((iri.end(), depth))
        elif char in "\"'":
            literal = _LONG[char].match(text, at) or _SHORT[char].match(text, at)
            if text.startswith(char * 3, at) and not literal:
                continue  # an unterminated long string: nothing after it is parsed
            nexts.append((literal.end() if literal else at + 1, depth))
        elif char == "#":
            end = _LINE_END.search(text, at)
            if end is not None:
                nexts.append((end.start(), depth))
        elif char == "\\":
            nexts += [(at + 1, depth), (at + 2, depth)]
        else:
            nexts.append((at + 1, depth))
        for where, value in nexts:
            if where < len(text) and best.get(where, -1) < value:
                if where not in best:
                    heapq.heappush(todo, where)
                best[where] = value
    return peak


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets a SPARQL text may have (over-counted, never under).

    >>> nesting_depth("SELECT * WHERE { FILTER((1 < 2)) }")
    3
    >>> nesting_depth('SELECT * WHERE { ?s ?p "((((" } # ((((')
    1
    """
    depth = _depth_of(text)
    expanded = _expand_escapes(text)
    return depth if expanded == text else max(depth, _depth_of(expanded))


def check_depth(text: str, where: str = "the query") -> None:
    """Refuse a query too long or too deeply nested for the parsers, before any of them runs."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(
            f"{where}: the query is {len(text):,} characters long; the limit is "
            f"{MAX_QUERY_CHARS:,}. Split it, or load the values it lists as data."
        )
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise QueryRefused(
            f"{where}: brackets ({{, ( or [) are nested {depth} deep; the limit is {MAX_DEPTH}. "
            "Flatten the query (a subquery or a UNION instead of nested groups)."
        )


_PARSING = threading.Lock()
_STACK_BYTES = 512 * 2**20  # virtual; only the pages a deep parse touches are used
_RECURSION = 20_000

T = TypeVar("T")


def _parse_deep(parse: Callable[[str], T], text: str) -> T:
    """Run an rdflib parser where deep recursion ends in RecursionError, never a crash.

    rdflib recurses a few hundred frames per bracket (and forever on some inputs, such as
    nested SERVICE), so it runs in a thread with a large stack and a raised recursion limit.
    The limit is global to the interpreter: one parse runs at a time.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(parse(text))
        except BaseException as error:
            failure.append(error)

    with _PARSING:
        previous_stack = threading.stack_size(_STACK_BYTES)
        previous_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous_limit, _RECURSION))
        try:
            worker = threading.Thread(target=work, name="casegraph-sparql-parse", daemon=True)
            worker.start()
            worker.join()
        finally:
            sys.setrecursionlimit(previous_limit)
            threading.stack_size(previous_stack)
    if failure:
        raise failure[0]
    return outcome[0]


def engine_text(text: str) -> str:
    """The text the engine receives for a user's query: exactly what rdflib parsed, i.e. the
    user's text with SPARQL's codepoint escapes (``\\u0053``) expanded, which rdflib does
    before parsing and the engine does not, so that both read the same tokens."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    return expandUnicodeEscapes(text)


_FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "AskQuery": "ASK",
    "DescribeQuery": "DESCRIBE",
}
_UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


def _read_only_refusal(word: str) -> QueryRefused:
    return QueryRefused(
        f"{word} is refused: casegraph queries are read-only (SELECT, CONSTRUCT, ASK, DESCRIBE); "
        "change the store with 'casegraph load'"
    )


def _nodes(tree: object) -> Iterator[object]:
    """Every node of a parse tree, without recursion (the tree may be deep)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))  # type: ignore[call-overload]


def _update_word(text: str) -> str | None:
    """The first operation of ``text`` if it is a SPARQL update, else None."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        tree = _parse_deep(parseUpdate, text)
    except Exception:
        return None
    for node in _nodes(tree):
        name = getattr(node, "name", None)
        if isinstance(name, str) and name in _UPDATES:
            return _UPDATES[name]
    return "an update"


def _syntax_error(error: Exception, text: str, where: str) -> CasegraphError:
    line = getattr(error, "lineno", None)
    place = f"{where}, line {line}" if isinstance(line, int) else where
    detail = getattr(error, "msg", None) or str(error) or type(error).__name__
    hint = ""
    if re.search(r"\bLATERAL\b", text, re.IGNORECASE):
        hint = (
            " LATERAL is an extension of the engine that ad-hoc queries may not use: write"
            " standard SPARQL 1.1 (a subquery or OPTIONAL instead)."
        )
    elif isinstance(error, RecursionError):
        detail = "the query is nested too deeply to read"
    return CasegraphError(f"{place}: not valid SPARQL 1.1: {detail}.{hint}")


def check_user_query(text: str, where: str = "the query") -> str:
    """Check a query a user wrote; return its form (SELECT, CONSTRUCT, ASK, DESCRIBE).

    The text must be standard SPARQL 1.1 as rdflib parses it; SERVICE in any form, updates
    (LOAD included), and FROM / FROM NAMED of anything but the store's own graphs are refused.

    >>> check_user_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT'
    """
    check_depth(text, where)
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import URIRef

    try:
        tree = _parse_deep(parseQuery, text)
    except Exception as error:
        word = _update_word(text)
        if word is not None:
            raise _read_only_refusal(word) from None
        raise _syntax_error(error, text, where) from None
    form = None
    for node in _nodes(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryRefused(f"{where}: SERVICE is refused: queries may not reach other servers")
        if name in _UPDATES:
            raise _read_only_refusal(_UPDATES[name])
        if name == "DatasetClause" and isinstance(node, dict):
            graph = dict.get(node, "default") or dict.get(node, "named")  # CompValue.get differs
            if not (isinstance(graph, URIRef) and str(graph).startswith(STORE_GRAPHS)):
                raise QueryRefused(
                    f"{where}: FROM and FROM NAMED may only name the store's own graphs, written"
                    f" in full as <{STORE_GRAPHS}...>; leave FROM out to query the whole store"
                )
        if isinstance(name, str) and name in _FORMS and form is None:
            form = _FORMS[name]
    if form is None:
        raise _read_only_refusal("an update")
    return form
