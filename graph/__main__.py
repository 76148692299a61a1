"""``python -m graph`` runs the casegraph command."""

from graph.cli import main

main()
