"""Collapsed views for questions about actors: who shares a case, judge, court or prison with whom.

A bipartite graph links people to the contexts they share; projecting it onto people gives a
weighted person-person graph. Events and cases act as hyperedges: everyone an event names as
``person``/``coDefendant`` (or a case as ``defendant``) shares that event's case, judge, court and
place. Knows only networkx.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from graph.errors import CasegraphError

__all__ = ["CONTEXTS", "affiliations", "judge_network", "person_network"]

#: What people can share, and how a context is recognised: by node type, or by the relation
#: an event names it with (a judge is a person, so is recognised by relation).
CONTEXTS = {
    "case": ("type", "Case"),
    "court": ("type", "Court"),
    "prison": ("type", "Prison"),
    "judge": ("relation", "judge"),
}
_MEMBER_RELATIONS = frozenset({"person", "coDefendant", "defendant"})


def _out(network: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, str]]:
    for _, target, attrs in network.out_edges(node, data=True):
        yield target, attrs.get("relation", "")


def _is_context(network: nx.MultiDiGraph, node: str, relation: str, kinds: set[str]) -> str | None:
    for kind in sorted(kinds):
        how, value = CONTEXTS[kind]
        if how == "type" and value in network.nodes[node].get("types", ()):
            return kind
        if how == "relation" and relation == value:
            return kind
    return None


def affiliations(network: nx.MultiDiGraph, through: Iterable[str]) -> set[tuple[str, str, str]]:
    """(person, context, kind) triples: who is tied to which case, judge, court or prison."""
    kinds = set(through)
    unknown = kinds - set(CONTEXTS)
    if unknown:
        raise CasegraphError(f"cannot collapse through {sorted(unknown)}; use {sorted(CONTEXTS)}")
    found: set[tuple[str, str, str]] = set()
    for hub, attrs in network.nodes(data=True):
        links = list(_out(network, hub))
        members = {t for t, r in links if r in _MEMBER_RELATIONS}
        contexts = {(t, k) for t, r in links if (k := _is_context(network, t, r, kinds))}
        own = _is_context(network, hub, "", kinds)
        if own:
            contexts.add((hub, own))
        if "Person" in attrs.get("types", ()):
            found |= {(hub, t, k) for t, r in links if (k := _is_context(network, t, r, kinds))}
        found |= {(m, c, k) for m in members for c, k in contexts if m != c}
    return found


def _project(pairs: dict[str, set[str]], network: nx.MultiDiGraph) -> nx.Graph:
    result = nx.Graph()
    by_context: dict[str, set[str]] = defaultdict(set)
    for member, contexts in pairs.items():
        result.add_node(member, **_brief(network, member))
        for context in contexts:
            by_context[context].add(member)
    for context, members in sorted(by_context.items()):
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if result.has_edge(a, b):
                    result[a][b]["weight"] += 1
                    result[a][b]["via"].append(context)
                else:
                    result.add_edge(a, b, weight=1, via=[context])
    return result


def _brief(network: nx.MultiDiGraph, node: str) -> dict[str, object]:
    attrs = network.nodes[node]
    return {
        k: attrs[k] for k in ("label", "type", "type_label", "types", "record_id") if k in attrs
    }


def person_network(
    network: nx.MultiDiGraph, through: Iterable[str] = ("case", "judge", "court", "prison")
) -> nx.Graph:
    """People linked when they share a context; ``weight`` counts shared contexts, ``via`` names them.

    A person tied to a context as its judge is a member too: the judge and the defendants share it.
    """
    pairs: dict[str, set[str]] = defaultdict(set)
    for person, context, _ in affiliations(network, through):
        if "Person" in network.nodes[person].get("types", ()):
            pairs[person].add(context)
    return _project(pairs, network)


def judge_network(network: nx.MultiDiGraph) -> nx.Graph:
    """Judges linked when they tried the same defendant; ``weight`` counts shared defendants."""
    pairs: dict[str, set[str]] = defaultdict(set)
    for event in network:
        links = list(_out(network, event))
        judges = {t for t, r in links if r == "judge"}
        defendants = {t for t, r in links if r in _MEMBER_RELATIONS}
        for judge in judges:
            pairs[judge] |= defendants - {judge}
    return _project(pairs, network)
