"""Exports of the store for other tools: its public view, unless restricted records are asked for."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from graph.results import PREFIXES
from graph.store import CaseStore
from graph.visibility import is_record

__all__ = ["EXPORT_FORMATS", "export"]

#: Export format name → rdflib serializer name.
EXPORT_FORMATS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "jsonld": "json-ld"}


def _data_only(graph: Graph) -> Graph:
    kept = Graph()
    for triple in graph:
        if is_record(triple[0]):
            kept.add(triple)
    return kept


def export(
    store: CaseStore,
    fmt: str = "trig",
    include_restricted: bool = False,
    with_ontology: bool = False,
    output: Path | None = None,
) -> str:
    """Serialise the store's records as TriG, N-Quads, Turtle or JSON-LD: its public view (see
    :mod:`graph.public_view`) unless ``include_restricted`` and ``store`` is not itself public."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(
            f"unknown export format '{fmt}'; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    if include_restricted:
        graph = store.graph(include_restricted=True)  # a public store has only public records
    else:
        from graph.public_view import public_reading

        with public_reading(store) as view:
            graph = view.graph(include_restricted=True)  # the view holds only what may be published
    if not with_ontology:
        graph = _data_only(graph)
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.default_graph += graph
        target: Graph | Dataset = dataset
    else:
        target = graph
    for prefix, namespace in PREFIXES.items():
        target.bind(prefix, namespace, override=True)
    text = target.serialize(format=EXPORT_FORMATS[fmt])
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return text
