"""The SPARQL 1.1 service description the endpoint gives at ``GET /sparql`` without a query."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.namespaces import FORMATS, SD

__all__ = ["service_description"]

_RESULT_FORMATS: tuple[str, ...] = ("SPARQL_Results_JSON", "SPARQL_Results_XML")
_RESULT_FORMATS += ("SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD")
_RESULT_FORMATS += ("RDF_XML",)


def service_description(endpoint: str, public_only: bool) -> Graph:
    """What the endpoint is: SPARQL 1.1 Query only (read-only), its formats, its one dataset."""
    graph = Graph()
    graph.bind("sd", SD)
    service, dataset, default = URIRef(endpoint), BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    scope = "public records only" if public_only else "restricted records too, with the token"
    graph.add(
        (
            service,
            RDFS.comment,
            Literal(
                f"casegraph: read-only ({scope}); SERVICE, updates and outside FROM are refused, "
                "and every query runs under a time and size limit."
            ),
        )
    )
    return graph
