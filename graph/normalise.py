"""Keep the Turtle files in ``ontology/`` in one deterministic layout so their diffs stay readable.

``python -m graph.normalise`` rewrites them; ``--check`` only reports files that would change.
Blank nodes are ordered by their own content (:mod:`graph.blank_nodes`), never by the ids a
parser gave them, so renumbering or reordering them in a file does not change its normal form.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from graph.blank_nodes import relabelled
from graph.errors import CasegraphError
from graph.resources import ontology_dir

__all__ = ["main", "normalised"]

_FILES = ("casegraph.ttl", "vocabularies.ttl", "shapes.ttl")


def normalised(path: Path) -> str:
    """The file's triples serialised as rdflib's long-form Turtle (sorted, one statement per block);
    refused when the serialiser would lose statements."""
    graph = Graph()
    graph.parse(path, format="turtle")
    for prefix, namespace in Graph().parse(path, format="turtle").namespaces():
        graph.bind(prefix, namespace, override=True)
    text = relabelled(graph).serialize(format="longturtle")
    if _outline(Graph().parse(data=text, format="turtle")) != _outline(graph):
        raise CasegraphError(
            f"{path}: its normal form would not say the same (rdflib's longturtle loses an RDF "
            "list cell that is also used elsewhere); give that list its own cells"
        )
    return text


def _outline(graph: Graph) -> tuple[int, int, set[tuple[Node, Node, Node]]]:
    """What a round trip must keep, cheap to compare: how many statements and blank nodes, and
    every statement without a blank node (a full isomorphism test is slow on symmetric graphs)."""
    blanks = {t for triple in graph for t in triple if isinstance(t, BNode)}
    ground = {
        (s, p, o) for s, p, o in graph if not isinstance(s, BNode) and not isinstance(o, BNode)
    }
    return len(graph), len(blanks), ground


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check``, check) every ontology Turtle file; return an exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m graph.normalise",
        description="Rewrite ontology/*.ttl in their normal form (rdflib's longturtle, blank "
        "nodes ordered by content).",
    )
    parser.add_argument(
        "--check", action="store_true", help="Change nothing; exit 1 if a file is not normalised."
    )
    check = parser.parse_args(argv).check
    stale = []
    for name in _FILES:
        path = ontology_dir() / name
        try:
            text = normalised(path)
        except CasegraphError as error:
            print(f"casegraph: {error}", file=sys.stderr)
            return 1
        if path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    if check and stale:
        names = ", ".join(str(p) for p in stale)
        print(f"not normalised: {names}; run 'make format'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
