"""Blank nodes renamed in the order of their own content, so Turtle output never depends on their ids.

rdflib's serialisers sort blank nodes by their text id, which a parser hands out in reading order
(``...b9`` sorts after ``...b10``). :func:`relabelled` names every blank node after its rank in an
order that depends only on the graph: a node's key is what it says (its predicates and objects,
nested blank nodes by their own keys, RDF lists as their items). Nodes with equal keys print the
same text unless one of them is printed by its label (used twice, or on a cycle); only then are
ties broken, by where the nodes are used (colour refinement over both directions), and last, for
nodes that refinement cannot tell apart (symmetric ones, which print alike), by their ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from rdflib import RDF, BNode, Graph
from rdflib.term import Node

__all__ = ["blank_node_names", "relabelled"]

#: A blank node's key: (0, its sorted (predicate, kind, value) entries) or (1, its list items).
Key = tuple[int, tuple[tuple[object, ...], ...]]
_TERM, _BLANK, _INSIDE_CYCLE = 0, 1, 2


def relabelled(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are named ``b0001``... in the order of their content."""
    names = blank_node_names(graph)
    out = Graph()
    out.namespace_manager = graph.namespace_manager  # the file's own prefixes, as rdflib's canon
    for triple in graph:
        s, p, o = (names.get(t, t) if isinstance(t, BNode) else t for t in triple)
        out.add((s, p, o))
    return out


def blank_node_names(graph: Graph) -> dict[BNode, BNode]:
    """Each blank node of ``graph`` -> its new name, ``b0001``... in the order of its content."""
    blanks = _blank_nodes(graph)
    keys, plain = _keys(graph, blanks)
    colours = _ranks(keys)
    if _tied(colours, plain):
        colours = _separated(graph, blanks, colours, plain)
    ranked = sorted(blanks, key=lambda b: (colours[b], str(b)))
    width = max(4, len(str(len(ranked))))
    return {b: BNode(f"b{i:0{width}d}") for i, b in enumerate(ranked, 1)}


def _blank_nodes(graph: Graph) -> list[BNode]:
    return sorted({t for triple in graph for t in triple if isinstance(t, BNode)}, key=str)


def _ranks(values: Mapping[BNode, Any]) -> dict[BNode, int]:
    """Each node's value replaced by its rank among the distinct values (equal values, equal rank)."""
    order = {value: rank for rank, value in enumerate(sorted(set(values.values())))}
    return {node: order[value] for node, value in values.items()}


def _tied(colours: dict[BNode, int], plain: dict[BNode, bool]) -> list[BNode]:
    """The first set of nodes that share a colour while one of them shows its label (else [])."""
    groups: dict[int, list[BNode]] = defaultdict(list)
    for blank, colour in colours.items():
        groups[colour].append(blank)
    for colour in sorted(groups):
        group = groups[colour]
        if len(group) > 1 and not all(plain[b] for b in group):
            return group
    return []


def _separated(
    graph: Graph, blanks: list[BNode], colours: dict[BNode, int], plain: dict[BNode, bool]
) -> dict[BNode, int]:
    """``colours`` refined until no two nodes that matter share one: by the colours of what each
    node uses and is used by, repeated until stable; a tie that survives is between nodes that
    refinement cannot tell apart, and the one with the smallest id goes first."""
    uses = {b: [(p.n3(), o) for p, o in graph.predicate_objects(b)] for b in blanks}
    used_by = {b: [(p.n3(), s) for s, p in graph.subject_predicates(b)] for b in blanks}
    while True:
        colours = _refined(blanks, colours, uses, used_by)
        tied = _tied(colours, plain)
        if not tied:
            return colours
        first = min(tied, key=str)
        colours = {b: 2 * c + (b in tied and b != first) for b, c in colours.items()}


def _refined(
    blanks: list[BNode],
    colours: dict[BNode, int],
    uses: dict[BNode, list[tuple[str, Node]]],
    used_by: dict[BNode, list[tuple[str, Node]]],
) -> dict[BNode, int]:
    """Colour refinement: split each colour by the colours of the neighbours, until stable."""

    def term(t: Node) -> tuple[int, int | str]:
        return (_BLANK, colours[t]) if isinstance(t, BNode) else (_TERM, t.n3())

    count = len(set(colours.values()))
    while True:
        signatures = {
            b: (
                colours[b],
                tuple(sorted((p, *term(o)) for p, o in uses[b])),
                tuple(sorted((p, *term(s)) for p, s in used_by[b])),
            )
            for b in blanks
        }
        colours = _ranks(signatures)
        if len(set(colours.values())) == count:
            return colours
        count = len(set(colours.values()))


def _keys(graph: Graph, blanks: list[BNode]) -> tuple[dict[BNode, Key], dict[BNode, bool]]:
    """Each blank node's key, and whether it is plain: printed inline wherever it appears (used at
    most once, on no cycle, and so is everything inside it)."""
    children = {
        b: sorted({o for o in graph.objects(b) if isinstance(o, BNode)}, key=str) for b in blanks
    }
    uses: dict[Node, int] = defaultdict(int)
    for _, _, o in graph:
        uses[o] += 1
    keys: dict[BNode, Key] = {}
    plain: dict[BNode, bool] = {}
    for component in _components(blanks, children):  # each after every component it reaches
        members = set(component)
        cyclic = len(component) > 1 or component[0] in children[component[0]]
        for blank in component:
            keys[blank] = _key(graph, blank, keys, members)
        for blank in component:
            plain[blank] = (
                not cyclic
                and uses[blank] <= 1
                and all(plain[c] for c in children[blank] if c not in members)
            )
    return keys, plain


def _key(graph: Graph, blank: BNode, keys: dict[BNode, Key], members: set[BNode]) -> Key:
    """What ``blank`` says, with the blank nodes it reaches by their keys (those on its own cycle
    by a marker): a well-formed RDF list by its items, flat, so long lists nest no deeper."""
    entries = []
    for p, o in graph.predicate_objects(blank):
        entries.append((p.n3(), *_value(o, keys, members)))
    entries.sort()
    if len(entries) == 2 and entries[0][0] == RDF.first.n3() and entries[1][0] == RDF.rest.n3():
        rest = graph.value(blank, RDF.rest)
        item = entries[0][1:]
        if rest == RDF.nil:
            return (1, (item,))
        if isinstance(rest, BNode) and rest not in members and keys[rest][0] == 1:
            return (1, (item, *keys[rest][1]))
    return (0, tuple(entries))


def _value(term: Node, keys: dict[BNode, Key], members: set[BNode]) -> tuple[int, object]:
    if not isinstance(term, BNode):
        return (_TERM, term.n3())
    if term in members:
        return (_INSIDE_CYCLE, "")
    return (_BLANK, keys[term])


def _components(nodes: list[BNode], children: dict[BNode, list[BNode]]) -> Iterator[list[BNode]]:
    """The strongly connected components of the blank nodes (Tarjan's, without recursion), each
    yielded after every component it reaches."""
    index: dict[BNode, int] = {}
    low: dict[BNode, int] = {}
    stack: list[BNode] = []
    on_stack: set[BNode] = set()
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(children[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            child = next(pending, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(children[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                yield component
