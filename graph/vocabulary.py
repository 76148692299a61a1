"""Listing the vocabulary notations that case files may use."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDFS, SKOS

from graph.errors import CasegraphError
from graph.namespaces import CGV
from graph.resources import concept_for, notations, ontology_graph

__all__ = ["SCHEMES", "describe"]

#: Short names for the concept schemes, as the ``vocab`` command takes them.
SCHEMES = {
    "charges": CGV.Charges,
    "sentences": CGV.SentenceTypes,
    "events": CGV.EventTypes,
    "roles": CGV.Roles,
    "attributes": CGV.Attributes,
    "courts": CGV.CourtTypes,
    "reliability": CGV.Reliability,
}


def describe(scheme: str | None = None) -> str:
    """The notations of one scheme (or all), each with its English and Persian labels.

    >>> "moharebeh" in describe("charges")
    True
    """
    if scheme is not None and scheme not in SCHEMES:
        raise CasegraphError(f"unknown vocabulary '{scheme}'; choose one of {', '.join(SCHEMES)}")
    vocab = ontology_graph()
    lines: list[str] = []
    for name, iri in SCHEMES.items():
        if scheme is not None and name != scheme:
            continue
        lines.append(f"{name} ({vocab.value(iri, RDFS.comment)})")
        for notation in notations(iri):
            concept = concept_for(iri, notation)
            labels = {
                lit.language: str(lit)
                for lit in vocab.objects(concept, SKOS.prefLabel)
                if isinstance(lit, Literal)
            }
            persian = f"  {labels['fa']}" if "fa" in labels else ""
            lines.append(f"  {notation:<28} {labels.get('en', '')}{persian}")
        lines.append("")
    return "\n".join(lines).rstrip()
