"""Source records: their fields, web address and independence key (following mirrors once the
whole file is read)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import rdflib.namespace as _rdfns
from rdflib import Literal, URIRef

from graph.authoring.fields import text
from graph.authoring.reader import YamlMap
from graph.names import fold
from graph.namespaces import CG, CGV

if TYPE_CHECKING:
    from graph.authoring.compile import FileCompiler

__all__ = ["finish", "source", "source_key"]

_ANY_URI: URIRef = _rdfns.XSD.anyURI


def source(c: FileCompiler, r: Any, raw: YamlMap) -> None:
    """The triples of one record of the ``sources`` section."""
    node = c.start("sources", r, raw, CG.Source)
    text(c, node, CG.title, r.title)
    text(c, node, CG.publisher, r.publisher)
    if r.url is not None:
        _url(c, node, r.url, r.id, raw)
    found = c.typed_date(r.date, r.id, raw, ("date",))
    if found is not None:
        c.graph.add((node, CG.publishedDate, found[0]))
        c.original(node, found[1])
    text(c, node, CG.dateBasis, r.date_basis)
    text(c, node, CG.language, r.language)
    grade = c.concept(CGV.Reliability, r.reliability, r.id, raw, ("reliability",))
    if grade is not None:
        c.graph.add((node, CG.reliability, grade))
    if r.mirror_of is not None:
        c.ref(node, CG.mirrorOf, r.mirror_of, CG.Source, r.id, raw, ("mirror_of",))
    if r.published_by is not None:
        c.ref(node, CG.publishedBy, r.published_by, CG.Organisation, r.id, raw, ("published_by",))
    c.source_keys[r.id] = (
        node,
        source_key(r.publisher, r.published_by),
        r.mirror_of,
        r.published_by,
    )


def source_key(publisher: str, published_by: str | None) -> str:
    """A source's own independence key: its organisation's id, else its publisher folded.

    >>> source_key("Example Daily (A. Writer)", None), source_key("Example Daily", "org_x")
    ('example daily', 'org:org_x')
    """
    if published_by is not None:
        return f"org:{published_by}"  # one organisation, however its name is written
    return fold(publisher.split("(", 1)[0]) or fold(publisher)  # the publisher up to any "("


#: A web address: http or https, a host, then no spaces (the shapes' sh:pattern on cg:url says
#: the same, so YAML and RDF files are held to one rule).
_WEB_ADDRESS = re.compile(r"^https?://[^/?#\s]+([/?#]\S*)?$", re.IGNORECASE)


def _url(c: FileCompiler, node: URIRef, url: str, rid: str, raw: YamlMap) -> None:
    """A source's address, typed xsd:anyURI; only a web address (http or https, with a host)."""
    if not _WEB_ADDRESS.match(url) or any(char.isspace() for char in url):
        shown = url if len(url) <= 80 else url[:80] + "…"
        message = (
            f"'{shown}' is not a web address: a url starts with http:// or https:// and a host, "
            "such as https://example.org/page"
        )
        c.problem(raw, ("url",), message, rid)
        return
    c.graph.add((node, CG.url, Literal(url, datatype=_ANY_URI)))


def finish(c: FileCompiler) -> None:
    """What needs the whole file: ``cg:independenceKey`` of each source, following its mirrors.

    A mirror takes the key of the source it mirrors when that source is in the same file. A key
    that comes from a restricted record of the file (a mirrored source, or the organisation that
    published the source the key is taken from) is marked restricted: it names that record.
    """
    for rid, (node, key, mirror_of, published_by) in c.source_keys.items():
        seen = {rid}
        hidden = False
        while mirror_of is not None and mirror_of in c.source_keys and mirror_of not in seen:
            seen.add(mirror_of)
            hidden = hidden or mirror_of not in c.public_ids
            _, key, mirror_of, published_by = c.source_keys[mirror_of]
        if published_by is not None and published_by in c.records:
            hidden = hidden or published_by not in c.public_ids
        c.graph.add((node, CG.independenceKey, Literal(key)), hidden and rid in c.public_ids)
