"""The dossiers a view's side panel shows: the same facts as ``casegraph show``, as plain data.

Each is read with :func:`graph.dossier.dossier` through the store the view reads (its public view
unless restricted records were asked for), so the panel can hold nothing the picture may not.
The dossier is taken as its own JSON form when it has one, else as its dataclass fields; the
page renders whatever keys it finds, writing every text with ``textContent``.

A dossier costs a few store reads per claim naming the record, so a view embeds at most
:data:`MAX_FULL` of them, together linked to at most :data:`LINK_BUDGET` claims: the focus
always, then the nodes nearest it (without a focus, the most linked), the least linked first
among equals, leaving out what does not fit and every hub (more than
:data:`~graph.network.hubs.HUB_DEGREE` links: a court with thousands of sentences has a report
of its own). The other nodes keep their card (type, facts, the sources of their drawn links)
with a line saying the dossier is not embedded and how to read it in full. An embedded dossier's
timeline holds its first :data:`MAX_EVENTS` events in date order; a longer one says how many it
has and how to read them all (``events_total`` and ``events_note``). Links are counted in
the store's whole projection when the view reads a local part of it, else in the network read
(under a filter the two can choose differently; the picture is the same).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from graph.errors import CasegraphError
from graph.network import hubs
from graph.store import CaseStore

__all__ = [
    "LINK_BUDGET",
    "MAX_DOSSIERS",
    "MAX_EVENTS",
    "MAX_FULL",
    "abridge",
    "dossiers",
    "embedded",
]

#: Above this many nodes a view embeds no dossiers (the panel shows the network's facts).
MAX_DOSSIERS = 400
#: A view embeds at most this many full dossiers (0.05-0.4 s each, more in a larger store)...
MAX_FULL = 16
#: ...of records linked to at most this many claims together (the focus is always embedded).
LINK_BUDGET = 600
#: An embedded dossier's timeline shows at most this many events (``casegraph show`` shows all).
MAX_EVENTS = 20


def _plain(found: Any) -> dict[str, Any]:
    """A dossier as plain JSON data, whatever form this version of the model takes."""
    to_json = getattr(found, "to_json", None)
    if callable(to_json):
        text = to_json()
        return dict(json.loads(text) if isinstance(text, str) else text)
    if dataclasses.is_dataclass(found) and not isinstance(found, type):
        return dict(json.loads(json.dumps(dataclasses.asdict(found), default=str)))
    to_dict = getattr(found, "to_dict", None)
    return dict(to_dict()) if callable(to_dict) else {}


def dossiers(store: CaseStore, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Node id -> its dossier, for the records among ``ids`` that have one (at most
    :data:`MAX_DOSSIERS`; none at all for a larger view)."""
    from graph.dossier import dossier

    wanted = sorted(set(ids))
    if len(wanted) > MAX_DOSSIERS:
        return {}
    found = {}
    for rid in wanted:
        try:
            found[rid] = _bounded(store, _plain(dossier(store, rid, max_events=MAX_EVENTS)))
        except CasegraphError:
            continue  # not an entity the dossier knows (or not in this view of the store)
    return found


def _bounded(store: CaseStore, plain: dict[str, Any]) -> dict[str, Any]:
    """Say on a dossier whose timeline was cut how many events it has and how to read them."""
    from graph.dossier.timeline import event_count
    from graph.namespaces import ID

    shown = len(plain.get("events") or ())
    if shown < MAX_EVENTS:
        return plain
    total = event_count(store, ID[str(plain["record_id"])])
    if total > shown:
        plain["events_total"] = total
        plain["events_note"] = (
            f"the first {shown} of {total} events, in date order: "
            f"run casegraph show '{plain['record_id']}' for all of them"
        )
    return plain


def embedded(view: Mapping[str, Any], links: Mapping[str, int]) -> list[str]:
    """The nodes of ``view`` whose full dossier the page embeds (see the module's docstring);
    ``links`` is each record's number of links in the network (nodes not in it have none)."""
    ids = [str(n["id"]) for n in view["nodes"] if n["id"] in links]
    focus = view.get("focus")
    hops = _hops(view, str(focus)) if focus in ids else {}
    far = len(ids) + 1
    if hops:
        ranked = sorted(ids, key=lambda n: (hops.get(n, far), links.get(n, 0), n))
    else:
        ranked = sorted(ids, key=lambda n: (-links.get(n, 0), n))
    chosen: list[str] = [str(focus)] if focus in ids else []
    spent = sum(links.get(n, 0) for n in chosen)
    for node in ranked:
        if len(chosen) >= MAX_FULL:
            break
        if node in chosen or links.get(node, 0) > hubs.HUB_DEGREE:
            continue
        if spent + links.get(node, 0) <= LINK_BUDGET:
            chosen.append(node)
            spent += links.get(node, 0)
    return sorted(chosen)


def _hops(view: Mapping[str, Any], focus: str) -> dict[str, int]:
    """Each node's number of drawn links from ``focus`` (breadth first)."""
    around: dict[str, set[str]] = {}
    for edge in view["edges"]:
        around.setdefault(str(edge["from"]), set()).add(str(edge["to"]))
        around.setdefault(str(edge["to"]), set()).add(str(edge["from"]))
    found, ring, level = {focus: 0}, [focus], 0
    while ring:
        level += 1
        ring = sorted({m for n in ring for m in around.get(n, ()) if m not in found})
        found.update((node, level) for node in ring)
    return found


def abridge(view: dict[str, Any], chosen: Iterable[str], records: Iterable[str]) -> int:
    """Add to every node among ``records`` left out of ``chosen`` (see :func:`embedded`) a line
    saying how to read its dossier in full; how many were left out."""
    kept, wanted = set(chosen), set(records)
    missing = 0
    for node in view["nodes"]:
        if node["id"] in kept or node["id"] not in wanted:
            continue
        missing += 1
        note = f"not embedded in this view: run casegraph show '{node['id']}' for it in full"
        node["facts"] = [*node.get("facts", ()), ["dossier", note]]
    return missing
