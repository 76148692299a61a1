"""A projected network on disk: JSON lines of nodes and edges, indexed by numpy arrays, no pickle.

Files of one stored network (all checked against ``manifest.json``: size and SHA-256)::

    nodes.jsonl   one line per node, ``[id, attributes]``, in the network's node order
    edges.jsonl   one line per edge, ``[u, v, key, attributes]``, in the network's edge order
    graph.json    the network's own attributes (the sources table)
    ids.json      the node ids, in order (node ``i`` is ``ids[i]``)
    index.npz     byte offsets of every line, each edge's end nodes, and per node the edges
                  that touch it (CSR: ``touch_ptr``, ``touch``), so a part of the network is read
                  without reading the rest

A reader reads the whole network back (:meth:`StoredNetwork.network`) or only the part around
some nodes (:meth:`StoredNetwork.within`, :meth:`StoredNetwork.part`). Anything that does not
match the manifest raises :class:`CorruptCache`: a cache is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import CasegraphError
from graph.network.facts import paused_gc

__all__ = ["FORMAT", "CorruptCache", "StoredNetwork", "write_network"]

#: The version of the layout; a reader refuses any other (the cache is rebuilt).
FORMAT = 1
_FILES = ("nodes.jsonl", "edges.jsonl", "graph.json", "ids.json", "index.npz")
_ARRAYS = ("node_offsets", "edge_offsets", "edge_u", "edge_v", "touch_ptr", "touch")


class CorruptCache(CasegraphError):
    """A cached file is missing, truncated or changed: rebuild it."""


def _line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_network(network: nx.MultiDiGraph, target: Path) -> None:
    """Write ``network`` into the (new) directory ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    ids = list(network)
    position = {node: i for i, node in enumerate(ids)}
    node_offsets = [0]
    with (target / "nodes.jsonl").open("wb") as out:
        for node, attrs in network.nodes(data=True):
            node_offsets.append(node_offsets[-1] + out.write(_line([node, attrs])))
    edge_offsets, ends = [0], []
    with (target / "edges.jsonl").open("wb") as out:
        for u, v, key, attrs in network.edges(keys=True, data=True):
            edge_offsets.append(edge_offsets[-1] + out.write(_line([u, v, key, attrs])))
            ends.append((position[u], position[v]))
    (target / "graph.json").write_bytes(_line(network.graph))
    (target / "ids.json").write_bytes(_line(ids))
    pairs = np.asarray(ends, dtype=np.int64).reshape(-1, 2)
    edge_u, edge_v = pairs[:, 0].astype(np.int32), pairs[:, 1].astype(np.int32)
    touch_ptr, touch = _touching(len(ids), edge_u, edge_v)
    np.savez(
        target / "index.npz",
        node_offsets=np.asarray(node_offsets, dtype=np.int64),
        edge_offsets=np.asarray(edge_offsets, dtype=np.int64),
        edge_u=edge_u,
        edge_v=edge_v,
        touch_ptr=touch_ptr,
        touch=touch,
    )
    files = {
        name: {"size": (target / name).stat().st_size, "sha256": _digest(target / name)}
        for name in _FILES
    }
    manifest = {"format": FORMAT, "nodes": len(ids), "edges": len(ends), "files": files}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def _touching(count: int, edge_u: np.ndarray, edge_v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per node, the ids of the edges that touch it (in edge order; a loop once), as CSR."""
    edges = np.arange(len(edge_u), dtype=np.int32)
    loop = edge_u == edge_v
    ends = np.concatenate([edge_u, edge_v[~loop]])
    which = np.concatenate([edges, edges[~loop]])
    order = np.lexsort((which, ends))
    counts = np.bincount(ends, minlength=count)
    ptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, which[order].astype(np.int32)


class StoredNetwork:
    """A network written by :func:`write_network`, checked against its manifest on opening."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            manifest = json.loads((directory / "manifest.json").read_text())
            if manifest.get("format") != FORMAT:
                raise CorruptCache(f"{directory}: cache format {manifest.get('format')}")
            for name in _FILES:
                expected = manifest["files"][name]
                path = directory / name
                if path.stat().st_size != expected["size"] or _digest(path) != expected["sha256"]:
                    raise CorruptCache(f"{path}: does not match the cache manifest")
            with np.load(directory / "index.npz", allow_pickle=False) as arrays:
                loaded = {name: arrays[name] for name in _ARRAYS}
            self.ids: list[str] = json.loads((directory / "ids.json").read_bytes())
            self._arrays = loaded
            self._check(manifest)
        except CorruptCache:
            raise
        except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
            raise CorruptCache(f"{directory}: unreadable cache ({error})") from None
        self.position = {node: i for i, node in enumerate(self.ids)}

    def _check(self, manifest: dict[str, Any]) -> None:
        a, n, m = self._arrays, len(self.ids), manifest["nodes"]
        shapes_ok = (
            n == m
            and len(a["node_offsets"]) == n + 1
            and len(a["edge_offsets"]) == manifest["edges"] + 1
            and len(a["edge_u"]) == len(a["edge_v"]) == manifest["edges"]
            and len(a["touch_ptr"]) == n + 1
            and int(a["touch_ptr"][-1]) == len(a["touch"])
        )
        if not shapes_ok:
            raise CorruptCache(f"{self.directory}: inconsistent cache index")

    def __contains__(self, node: object) -> bool:
        return node in self.position

    def __len__(self) -> int:
        return len(self.ids)

    def _graph_attrs(self) -> dict[str, Any]:
        found = json.loads((self.directory / "graph.json").read_bytes())
        if not isinstance(found, dict):
            raise CorruptCache(f"{self.directory}: graph.json is not an object")
        return found

    def network(self) -> nx.MultiDiGraph:
        """The whole network, as it was written."""
        return self.part(range(len(self.ids)), whole=True)

    def degrees(self) -> np.ndarray:
        """Each node's number of links (either direction), by position."""
        return np.diff(self._arrays["touch_ptr"])

    def claims_at(self, positions: np.ndarray) -> np.ndarray:
        """Whether each node at ``positions`` is a claim (an event), read from its line."""
        rows = np.asarray(positions, dtype=np.int64)
        try:
            found = _lines(
                self.directory / "nodes.jsonl", self._arrays["node_offsets"], rows, False
            )
            return np.asarray([bool(attrs.get("claim")) for _, attrs in found], dtype=bool)
        except (TypeError, ValueError, AttributeError) as error:
            raise CorruptCache(f"{self.directory}: unreadable cache ({error})") from None

    def neighbours(self, nodes: np.ndarray) -> np.ndarray:
        """The node positions one hop (either direction) from ``nodes`` (positions), unsorted."""
        ptr, touch = self._arrays["touch_ptr"], self._arrays["touch"]
        edges = _gather(ptr, touch, nodes)
        u, v = self._arrays["edge_u"][edges], self._arrays["edge_v"][edges]
        return np.unique(np.concatenate([u, v]))

    def shared_neighbours(self, nodes: np.ndarray) -> np.ndarray:
        """The node positions linked (either direction) to at least two of ``nodes``."""
        a = self._arrays
        lengths = a["touch_ptr"][nodes + 1] - a["touch_ptr"][nodes]
        edges = _gather(a["touch_ptr"], a["touch"], nodes)
        owner = np.repeat(nodes, lengths)
        u, v = a["edge_u"][edges], a["edge_v"][edges]
        other = np.where(u == owner, v, u)
        pairs = np.unique(np.stack([other, owner]), axis=1)  # each (neighbour, node) once
        found, counts = np.unique(pairs[0], return_counts=True)
        return found[counts >= 2]

    def edges_between(self, nodes: np.ndarray, others: np.ndarray) -> list[Any]:
        """The edges ``[u, v, key, attributes]`` linking one of ``nodes`` to one of ``others``
        (positions), read without the nodes' own lines."""
        member = np.zeros(len(self.ids), dtype=bool)
        member[others] = True
        a = self._arrays
        edges = np.unique(_gather(a["touch_ptr"], a["touch"], np.asarray(nodes, dtype=np.int64)))
        edges = edges[member[a["edge_u"][edges]] | member[a["edge_v"][edges]]]
        try:
            return _lines(self.directory / "edges.jsonl", a["edge_offsets"], edges, False)
        except (TypeError, ValueError, IndexError) as error:
            raise CorruptCache(f"{self.directory}: unreadable cache ({error})") from None

    def within(self, node: str, hops: int) -> np.ndarray:
        """The positions of the nodes within ``hops`` hops of ``node`` (either direction)."""
        seen = np.zeros(len(self.ids), dtype=bool)
        frontier = np.asarray([self.position[node]], dtype=np.int64)
        seen[frontier] = True
        for _ in range(hops):
            if not len(frontier):
                break
            reached = self.neighbours(frontier)
            frontier = reached[~seen[reached]]
            seen[frontier] = True
        return np.flatnonzero(seen)

    def part(self, positions: Iterable[int], whole: bool = False) -> nx.MultiDiGraph:
        """The subgraph induced by the nodes at ``positions``, attributes and order as written,
        with the whole network's own attributes (its sources table)."""
        try:
            with paused_gc():
                return self._part(positions, whole)
        except (TypeError, ValueError, IndexError) as error:  # lines that are not what was written
            raise CorruptCache(f"{self.directory}: unreadable cache ({error})") from None

    def _part(self, positions: Iterable[int], whole: bool) -> nx.MultiDiGraph:
        chosen = np.unique(np.fromiter(positions, dtype=np.int64))
        a = self._arrays
        if whole:
            edges = np.arange(len(a["edge_u"]), dtype=np.int64)
        else:
            member = np.zeros(len(self.ids), dtype=bool)
            member[chosen] = True
            edges = np.unique(_gather(a["touch_ptr"], a["touch"], chosen))
            edges = edges[member[a["edge_u"][edges]] & member[a["edge_v"][edges]]]
        network = nx.MultiDiGraph(**self._graph_attrs())
        nodes = _lines(self.directory / "nodes.jsonl", a["node_offsets"], chosen, whole)
        for (node, attrs), i in zip(nodes, chosen, strict=True):
            if node != self.ids[i]:
                raise CorruptCache(f"{self.directory}: nodes.jsonl does not match ids.json")
            network.add_node(node, **attrs)
        found = _lines(self.directory / "edges.jsonl", a["edge_offsets"], edges, whole)
        network.add_edges_from((u, v, key, attrs) for u, v, key, attrs in found)
        if network.number_of_nodes() != len(chosen):
            raise CorruptCache(f"{self.directory}: edges name nodes the cache does not hold")
        return network


def _gather(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The CSR entries of ``rows``, concatenated."""
    starts, stops = ptr[rows], ptr[rows + 1]
    lengths = stops - starts
    if not lengths.sum():
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return values[offsets + np.arange(int(lengths.sum()))].astype(np.int64)


def _lines(path: Path, offsets: np.ndarray, rows: np.ndarray, whole: bool) -> list[Any]:
    """The JSON values of some lines of ``path`` (all of them with ``whole``)."""
    try:
        with path.open("rb") as handle:
            if whole:  # one parse: a JSON line holds no raw newline
                found = json.loads(b"[" + handle.read().rstrip(b"\n").replace(b"\n", b",") + b"]")
                if len(found) != len(rows):
                    raise CorruptCache(f"{path}: holds {len(found)} lines, not {len(rows)}")
                return list(found)
            if not path.stat().st_size:
                return []
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return [json.loads(data[offsets[r] : offsets[r + 1]]) for r in rows]
    except (OSError, ValueError) as error:
        raise CorruptCache(f"{path}: unreadable cache ({error})") from None
