"""Keep the Turtle files in ``ontology/`` in one deterministic layout so their diffs stay readable.

``python -m graph.normalise`` rewrites them; ``--check`` only reports files that would change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph

from graph.resources import ontology_dir

__all__ = ["main", "normalised"]

_FILES = ("casegraph.ttl", "vocabularies.ttl", "shapes.ttl")


def normalised(path: Path) -> str:
    """The file's triples serialised as rdflib's long-form Turtle (sorted, one statement per block)."""
    graph = Graph()
    graph.parse(path, format="turtle")
    for prefix, namespace in Graph().parse(path, format="turtle").namespaces():
        graph.bind(prefix, namespace, override=True)
    return graph.serialize(format="longturtle")


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check``, check) every ontology Turtle file; return an exit code."""
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for name in _FILES:
        path = ontology_dir() / name
        text = normalised(path)
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
