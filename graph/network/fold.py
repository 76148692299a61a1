"""Fold events into labelled, dated edges between actors: the network a reader asks about.

"Javid Khales -sentenced to death by (2022-11-20, Branch 15)-> judge" instead of a person, an
event node and a judge. Which relation of an event gives the edge's ends and words is declared
in ``ontology/views/actor-edges.yaml``, never here. Each edge keeps every claim folded into it,
with the claim's own dates and sources, so a view can say what backs the line it draws. Knows
only networkx.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

import networkx as nx

from graph.network.filters import claim_span

__all__ = ["ActorRules", "actor_rules", "claim_when", "fold_events", "placed_day"]

ActorRules = dict[str, Any]
_QUALIFIER = 26


@cache
def actor_rules() -> ActorRules:
    """The shipped folding rules (``ontology/views/actor-edges.yaml``), read once per process."""
    import yaml

    from graph.resources import ontology_dir

    path = ontology_dir() / "views" / "actor-edges.yaml"
    rules: ActorRules = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rules


def placed_day(attrs: dict[str, Any]) -> str | None:
    """The day a claim is placed at under the time rules (its earliest possible day, else the
    last day of a span open on the left, such as a reported date), as ISO text; None if undated."""
    span = claim_span(attrs)
    if span is None:
        return None
    first, last = span
    day = first if first is not None else last
    return day.isoformat() if day is not None else None


def claim_when(attrs: dict[str, Any]) -> str:
    """A claim's date as a reader writes it: a day or month, a range, "before X", "reported X"."""
    if attrs.get("date"):
        return str(attrs["date"])
    first, last = attrs.get("date_earliest"), attrs.get("date_latest")
    if first and last:
        return str(first) if first == last else f"{first} to {last}"
    if last:
        return f"before {last}"
    if first:
        return f"after {first}"
    if attrs.get("start"):
        return f"from {attrs['start']}"
    return f"reported {attrs['reported']}" if attrs.get("reported") else ""


def _short(label: str) -> str:
    """A court's name as a qualifier: "Tehran Revolutionary Court, Branch 15" -> "Branch 15"."""
    tail = label.rsplit(", ", 1)[-1]
    text = tail if len(tail) <= _QUALIFIER else label
    return text if len(text) <= _QUALIFIER else text[: _QUALIFIER - 1] + "\u2026"


def _claim(network: nx.MultiDiGraph, claim: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """What one folded claim shows: its id, words, date, sources and how they are cited."""
    return {
        "claim": claim,
        "label": str(network.nodes[claim].get("label", claim)) if claim in network else claim,
        "when": claim_when(attrs),
        "placed": placed_day(attrs),
        "sources": list(attrs.get("sources", ())),
        "inherited": bool(attrs.get("sources_inherited")),
        "link_claim": str(attrs.get("link_claim", "")),
        "contested": bool(attrs.get("contested") or attrs.get("contradicts")),
    }


def _add(
    actors: nx.MultiDiGraph, u: str, v: str, phrase: str, claim: dict[str, Any], **extra: Any
) -> None:
    data = actors.get_edge_data(u, v, key=phrase)
    if data is None:
        actors.add_edge(u, v, key=phrase, phrase=phrase, claims=[], qualifiers=[], **extra)
        data = actors.get_edge_data(u, v, key=phrase)
    if all(c["claim"] != claim["claim"] for c in data["claims"]):
        data["claims"].append(claim)


def _fold_event(
    network: nx.MultiDiGraph, event: str, rules: ActorRules, actors: nx.MultiDiGraph
) -> bool:
    """Add the edges one event folds into; False if it names fewer than two actors to link."""
    attrs = network.nodes[event]
    kind = str(attrs.get("event_type", ""))
    rule = {**rules["default"], **rules.get("events", {}).get(kind, {})}
    by_relation: dict[str, list[str]] = defaultdict(list)
    for _, target, edge in sorted(network.out_edges(event, data=True), key=lambda e: e[1]):
        if target in actors and target not in by_relation[edge.get("relation", "")]:
            by_relation[edge.get("relation", "")].append(target)
    subjects = next((by_relation[r] for r in rule["from"] if by_relation.get(r)), [])
    chosen = next((r for r in rule["to"] if by_relation.get(r)), None)
    if not subjects or chosen is None:
        return False
    verb = str(rule.get("verb") or attrs.get("event_label") or kind or "event")
    prepositions = rules.get("prepositions", {})
    phrase = f"{verb} {prepositions.get(chosen, '')}".strip()
    qualifiers = [
        _short(str(network.nodes[q].get("label", q)))
        for r in rule.get("qualify", ())
        if r != chosen
        for q in by_relation.get(r, ())
    ]
    claim = _claim(network, event, attrs)
    drawn = False
    for subject in subjects:
        for target in by_relation[chosen]:
            if target == subject:
                continue
            _add(
                actors, subject, target, phrase, claim, event_type=kind, relation="event", to=chosen
            )
            data = actors.get_edge_data(subject, target, key=phrase)
            data["qualifiers"] += [q for q in qualifiers if q not in data["qualifiers"]]
            drawn = True
    for layer in ("documentedBy", "publishedBy"):  # only there when the layer is drawn
        for org in by_relation.get(layer, ()):
            for subject in subjects:
                label = f"{verb}: {prepositions.get(layer, layer)}"
                _add(actors, subject, org, label, claim, event_type=kind, relation=layer)
    return drawn


def _link_rule(rules: ActorRules, relation: str, role: str, types: list[str]) -> dict[str, Any]:
    for rule in rules.get("links", ()):
        if rule["relation"] != relation or rule.get("role", role) != role:
            continue
        if "subject" not in rule or rule["subject"] in types:
            return dict(rule)
    return {}


def _fold_links(network: nx.MultiDiGraph, rules: ActorRules, actors: nx.MultiDiGraph) -> None:
    """Copy the links between actors (a case's defendants, a lawyer's client), relabelled."""
    for u, v, attrs in sorted(network.edges(data=True), key=lambda e: (e[0], e[1])):
        if u not in actors or v not in actors or u == v:
            continue
        relation, role = str(attrs.get("relation", "")), str(attrs.get("role", ""))
        rule = _link_rule(rules, relation, role, list(network.nodes[u].get("types", ())))
        phrase = str(rule.get("label") or attrs.get("label") or relation)
        start, end = (v, u) if rule.get("reverse") else (u, v)
        claim = _claim(network, str(attrs.get("claim", "")), attrs)
        if attrs.get("role_text"):
            claim["role_text"] = str(attrs["role_text"])
        _add(actors, start, end, phrase, claim, relation=relation, layer=attrs.get("layer"))


def _finish(actors: nx.MultiDiGraph) -> None:
    """Each edge's label, dates, sources and contested flag, from the claims folded into it."""
    for _, _, attrs in actors.edges(data=True):
        claims = sorted(attrs["claims"], key=lambda c: (c["placed"] or "9999", c["claim"]))
        attrs["claims"] = claims
        whens = list(dict.fromkeys(c["when"] for c in claims if c["when"]))
        parts = whens[:2] + (["\u2026"] if len(whens) > 2 else []) + attrs["qualifiers"][:1]
        attrs["detail"] = (f" ({', '.join(parts)})" if parts else "") + (
            f" \u00d7{len(claims)}" if len(claims) > 1 else ""
        )
        attrs["label"] = attrs["phrase"] + attrs["detail"]
        attrs["contested"] = any(c["contested"] for c in claims)
        attrs["sources"] = sorted({s for c in claims for s in c["sources"]})
        days = [c["placed"] for c in claims if c["placed"]]
        attrs["earliest"] = min(days) if days else None
        attrs["undated"] = len(days) < len(claims)
        attrs["weight"] = len(claims)


def fold_events(network: nx.MultiDiGraph, rules: ActorRules | None = None) -> nx.MultiDiGraph:
    """The actor network of ``network``: its entities, with every event folded into edges.

    ``graph["unfolded"]`` lists the events that name fewer than two actors (an arrest of one
    person with nothing else named): the dossiers list them, the picture cannot draw them.
    """
    rules = rules or actor_rules()
    actors = nx.MultiDiGraph()
    actors.graph.update(network.graph)
    actors.add_nodes_from((n, dict(a)) for n, a in network.nodes(data=True) if not a.get("claim"))
    unfolded = [
        event
        for event in sorted(n for n, a in network.nodes(data=True) if a.get("claim"))
        if not _fold_event(network, event, rules, actors)
    ]
    _fold_links(network, rules, actors)
    _finish(actors)
    actors.graph["unfolded"] = unfolded
    return actors
