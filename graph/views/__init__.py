"""Interactive, offline HTML views of the case network (plain view data in, one HTML file out)."""

from graph.views.render import render_html, write_html

__all__ = ["render_html", "write_html"]
