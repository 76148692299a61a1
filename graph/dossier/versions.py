"""Contested facts side by side: for each pair of conflicting versions about the entity, the fields
that differ (as the description's ``differences`` name them) and what each version says."""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef
from rdflib.term import Node

from graph.dossier.description import Description
from graph.dossier.model import Difference, Version
from graph.dossier.terms import flag, local, rid, text_of
from graph.namespaces import CG
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["versions"]

_MARK = " [restricted]"

Said = dict[URIRef, set[str]]


def _kind(said: Said) -> str:
    """What the version is: its event type, or its attribute (as labels)."""
    for prop in (CG.eventType, CG.attribute, CG.role):
        if said.get(prop):
            return sorted(said[prop])[0]
    return ""


def versions(
    store: CaseStore, entity: URIRef, description: Description
) -> tuple[list[Version], set[str]]:
    """The conflicting versions about ``entity``, and the ids of the sources they cite.

    On a full store, a restricted record a version names is marked ``[restricted]`` in its value,
    and a restricted version says so in its kind.
    """
    _, rows = store.select(internal_query("dossier-versions"), {"entity": entity})
    said: dict[Node, Said] = defaultdict(lambda: defaultdict(set))
    pairs: set[tuple[Node, Node]] = set()
    cited: set[str] = set()
    for row in rows:
        fact, other = row["fact"], row["other"]
        # The entity's own version first; otherwise in record-id order, so each pair is one entry.
        if other == entity or (fact != entity and rid(other) < rid(fact)):
            fact, other = other, fact
        pairs.add((fact, other))
        subject = row["fact"]
        prop = row["property"]
        if isinstance(prop, URIRef):
            if prop == CG.source:  # a restricted source is marked by the source list
                said[subject][prop].add(rid(row["value"]))
                cited.add(rid(row["value"]))
            else:
                said[subject][prop].add(text_of(row) + (_MARK if flag(row) else ""))
    found = []
    for fact, other in sorted(pairs, key=lambda p: (rid(p[0]), rid(p[1]))):
        mine, theirs = said[fact], said[other]
        differences = []
        for name, props in description.differences:
            a = sorted(set().union(*(mine.get(p, set()) for p in props)))
            b = sorted(set().union(*(theirs.get(p, set()) for p in props)))
            if a != b:
                differences.append(Difference(name, a, b))
        if not differences:
            differences.append(Difference("other (see the notes)", [], []))
        kinds = {_kind(mine), _kind(theirs)} - {""}
        restricted = any(
            v != local(CG.Public) for side in (mine, theirs) for v in side.get(CG.visibility, ())
        )
        kind = " / ".join(sorted(kinds)) + (_MARK if restricted else "")
        sources = sorted(mine.get(CG.source, set())), sorted(theirs.get(CG.source, set()))
        found.append(Version(rid(fact), rid(other), kind, differences, *sources))
    return found, cited
