"""``casegraph serve``: the case graph as local web pages and a read-only SPARQL 1.1 endpoint.

Modules: :mod:`settings` (options, host check, token), :mod:`access` (who reads what, and which
store version), :mod:`running` (queries in sandbox workers off the event loop),
:mod:`formats` and :mod:`description` (the answers), :mod:`sparql` (the protocol), :mod:`pages`
(server-rendered HTML), :mod:`app` (routes and headers), :mod:`server` (uvicorn).
"""
