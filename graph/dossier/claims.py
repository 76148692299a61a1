"""The entity itself and the claims about it: names, attributes (contested ones flagged), roles,
any other kind of claim (a sentence component, a charge as worded), and its links."""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.dossier.model import Dossier, Fact, LinkFact, Name
from graph.dossier.terms import flag, local, rid, text_of
from graph.namespaces import CG
from graph.resources import internal_query
from graph.store import CaseStore

__all__ = ["basics", "claims", "links"]

#: What a claim of another kind says that the dossier does not repeat in its value.
_BOOKKEEPING = {"about", "recordId", "visibility", "source", "confidence", "sourcesInherited"}


def _restricted(values: dict[str, list[str]]) -> bool:
    return not any(v.lower() == "public" for v in values.get("visibility", []))


def basics(store: CaseStore, entity: URIRef) -> tuple[Dossier, list[str]]:
    """The entity's names, types, visibility and note, and its own sources."""
    _, rows = store.select(internal_query("dossier-entity"), {"entity": entity})
    values: dict[str, list[str]] = defaultdict(list)
    types: list[str] = []
    names: dict[str, bool] = {}
    for row in rows:
        prop = row["property"]
        if prop == RDF.type:
            types.append(text_of(row))
        elif prop == CG.altName:
            text = text_of(row)
            names[text] = names.get(text, True) and flag(row)  # restricted if only so
        elif prop == CG.source:
            values["source"].append(rid(row["value"]))
        else:
            values[local(prop)].append(text_of(row))
    found = Dossier(
        iri=str(entity),
        record_id=rid(entity),
        # A source has a title, an event only its type.
        name=(
            values.get("name") or values.get("title") or values.get("eventType") or [rid(entity)]
        )[0],
        types=sorted(set(types)),
        names=[Name(text, hidden) for text, hidden in sorted(names.items())],
        restricted=_restricted(values),
        note=" ".join(values.get("note", [])),
    )
    return found, sorted(set(values.get("source", [])))


def _role_value(values: dict[str, list[str]], hidden: set[str]) -> str:
    def marked(x: str) -> str:
        return f"{x} [restricted]" if x in hidden else x

    detail = [*values.get("roleText", [])]
    detail += [f"at {marked(x)}" for x in values.get("atOrganisation", [])]
    detail += [f"for {marked(x)}" for x in values.get("forPerson", [])]
    detail += [f"in {marked(x)}" for x in values.get("inCase", [])]
    return "; ".join(detail)


def claims(store: CaseStore, entity: URIRef) -> list[Fact]:
    """Every claim about the entity but its names and links, each with its sources."""
    _, rows = store.select(internal_query("dossier-claims"), {"entity": entity})
    by_claim: dict[Node, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[Node, dict[str, str]] = defaultdict(dict)
    kinds: dict[Node, tuple[str, str]] = {}
    single: set[str] = set()
    hidden: dict[Node, set[str]] = defaultdict(set)
    for row in rows:
        claim, prop = row["claim"], local(row["property"])
        kinds[claim] = (local(row["kind"]), str(row.get("klabel") or local(row["kind"])))
        text = rid(row["value"]) if prop == "source" else text_of(row)
        if flag(row):
            hidden[claim].add(text)
        if flag(row, "single"):
            single.add(text)
        if text not in by_claim[claim][prop]:
            by_claim[claim][prop].append(text)
        labels[claim][prop] = str(row.get("plabel") or prop)
    facts = []
    for claim, values in by_claim.items():
        kind, kind_label = kinds[claim]
        if kind == "NameClaim":
            continue
        if kind == "AttributeClaim":
            label, value, shown_kind = values["attribute"][0], values["value"][0], "attribute"
        elif kind == "RoleClaim":
            label, value, shown_kind = values["role"][0], _role_value(values, hidden[claim]), "role"
        else:  # another kind of claim: every field it gives, by its label
            label, shown_kind = kind_label, kind_label
            value = "; ".join(
                f"{labels[claim][p]}: {', '.join(v)}"
                for p, v in sorted(values.items())
                if p not in _BOOKKEEPING and p != "type"
            )
        facts.append(
            Fact(
                kind=shown_kind,
                label=label,
                value=value,
                sources=sorted(values.get("source", [])),
                confidence=(values.get("confidence") or [""])[0],
                restricted=_restricted(values),
                restricted_parts=sorted(hidden[claim]),
                claim=rid(claim),
            )
        )
    values_by_label: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if fact.kind == "attribute":
            values_by_label[fact.label].add(fact.value)
    for fact in facts:
        fact.contested = (
            fact.kind == "attribute"
            and fact.label in single
            and len(values_by_label[fact.label]) > 1
        )
    order = {"role": 0, "attribute": 1}
    return sorted(facts, key=lambda f: (order.get(f.kind, 2), f.label, f.value))


def links(store: CaseStore, entity: URIRef, own: list[str]) -> list[LinkFact]:
    """The entity's links, each with its link claim's sources, else the record's (inherited)."""
    _, rows = store.select(internal_query("dossier-links"), {"entity": entity})
    found: dict[tuple[str, str], LinkFact] = {}
    for row in rows:
        key = (local(row["property"]), rid(row["value"]))
        fact = found.get(key)
        if fact is None:
            label = str(row.get("plabel") or key[0])
            fact = found[key] = LinkFact(label, key[1], text_of(row), [], True, "", flag(row))
        claim = row.get("claim")
        if claim is not None and "source" in row:
            fact.claim = rid(claim)
            fact.inherited = flag(row, "inherited")
            if rid(row["source"]) not in fact.sources:
                fact.sources.append(rid(row["source"]))
    for fact in found.values():
        fact.sources = sorted(fact.sources) if fact.claim else list(own)
    return sorted(found.values(), key=lambda f: (f.label, f.name, f.id))
