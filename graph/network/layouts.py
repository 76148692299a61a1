"""Positions for a view, worked out before the page opens so nothing moves and no label hides another.

Each node has a box (its label's width and height, and its shape) in page pixels at zoom 1.
Layouts place the boxes (in layers for a case, in rings around the focus, by forces for the
rest) and :func:`separate` then pushes apart any two boxes that still overlap. Seeded and taken
in sorted order, so the same network always gives the same picture. Knows only networkx.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx

__all__ = ["Box", "box_of", "force", "layered", "radial", "separate"]

#: (width, height, drop) of a node's box in pixels at zoom 1, its shape and the label under it;
#: ``drop`` is how far the box's centre lies below the node's.
Box = tuple[float, float, float]
Positions = dict[str, tuple[float, float]]

_GAP = 24.0
_ROW_MIN = 900.0  # a layered layout's rows wrap at this width or more...
_ASPECT = 2.2  # ...wider for more nodes, keeping the picture about as wide as a screen


def box_of(label: str, size: float, font: float) -> Box:
    """The box of a node drawn with its label under it (a generous estimate of the text width,
    which the browser tests measure for real)."""
    lines = label.split("\n") if label else []
    width = max((len(line) for line in lines), default=0) * font * 0.62 + 8
    height = len(lines) * font * 1.25 + 6 if lines else 0.0
    return max(width, 2 * size + 4), 2 * size + height + 6, height / 2


def separate(positions: Positions, boxes: Mapping[str, Box], rounds: int = 400) -> Positions:
    """``positions`` moved as little as it takes for no two boxes to overlap (a gap between);
    near-linear in the number of boxes (see :mod:`graph.network.separation`)."""
    import numpy as np

    from graph.network.separation import push_apart

    order = sorted(positions)
    if len(order) < 2:
        return dict(positions)
    drop = np.array([[0.0, boxes[n][2]] for n in order])
    xy = np.array([positions[n] for n in order], dtype=float) + drop
    half = np.array([boxes[n][:2] for n in order], dtype=float) / 2 + _GAP / 4
    xy, _ = push_apart(xy, half, rounds)
    xy -= drop
    return {
        n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(order, xy, strict=True)
    }


def layered(levels: Mapping[str, int], boxes: Mapping[str, Box], graph: nx.Graph) -> Positions:
    """Layers top to bottom (a court, its branches, judges, defendants...), each ordered by where
    its neighbours above sit, wrapped into more rows when wider than a screen."""
    positions: Positions = {}
    area = sum((w + _GAP) * (h + _GAP) for w, h, _ in (boxes[n] for n in levels))
    widest = max((boxes[n][0] for n in levels), default=0.0)
    row_width = max(_ROW_MIN, widest, math.sqrt(area * _ASPECT))
    y = 0.0
    for level in sorted(set(levels.values())):
        members = sorted(n for n, lv in levels.items() if lv == level)

        def pull(node: str) -> tuple[float, str]:
            above = (
                [positions[m][0] for m in graph[node] if m in positions] if node in graph else []
            )
            return (sum(above) / len(above) if above else 0.0, node)

        members.sort(key=pull)
        rows: list[list[str]] = [[]]
        width = 0.0
        for node in members:
            if rows[-1] and width + boxes[node][0] > row_width:
                rows.append([])
                width = 0.0
            rows[-1].append(node)
            width += boxes[node][0] + _GAP
        for row in rows:
            total = sum(boxes[n][0] + _GAP for n in row) - _GAP
            x = -total / 2
            height = max(boxes[n][1] for n in row)
            for node in row:
                positions[node] = (x + boxes[node][0] / 2, y + height / 2 - boxes[node][2])
                x += boxes[node][0] + _GAP
            y += height + _GAP
        y += _GAP
    return separate(positions, boxes)


def radial(graph: nx.Graph, centre: str, boxes: Mapping[str, Box]) -> Positions:
    """The focus in the middle, its neighbours on a ring around it, theirs on the next ring."""
    hops = nx.single_source_shortest_path_length(graph, centre)
    positions: Positions = {centre: (0.0, 0.0)}
    angle_of: dict[str, float] = {centre: 0.0}
    radius = max(boxes[centre][:2]) / 2
    for ring in range(1, max(hops.values(), default=0) + 1):
        members = [n for n, h in hops.items() if h == ring]

        def parent_angle(node: str) -> tuple[float, str]:
            seen = [angle_of[m] for m in graph[node] if m in angle_of]
            return (sum(seen) / len(seen) if seen else 0.0, node)

        members.sort(key=parent_angle)
        around = sum(max(boxes[n][:2]) + _GAP for n in members)
        deepest = max(max(boxes[n][:2]) for n in members)
        radius = max(radius + deepest + _GAP, around / (2 * math.pi))
        for index, node in enumerate(members):
            angle = 2 * math.pi * index / len(members) - math.pi / 2
            angle_of[node] = angle
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
    for node in graph:  # not reachable from the focus: a row underneath
        if node not in positions:
            positions[node] = (0.0, radius + max(boxes[node][:2]) + _GAP)
    return separate(positions, boxes)


def force(graph: nx.Graph, boxes: Mapping[str, Box], seed: int = 7) -> Positions:
    """Force-directed (Fruchterman-Reingold, seeded), scaled so the boxes have room, then
    separated; for larger graphs and query results."""
    if not len(graph):
        return {}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in graph.edges()))
    area = sum((w + _GAP) * (h + _GAP) for w, h, _ in (boxes[n] for n in ordered))
    scale = max(200.0, 0.9 * math.sqrt(area))
    raw = nx.spring_layout(ordered, seed=seed, scale=scale, weight=None)
    start = {n: (float(x), float(y)) for n, (x, y) in raw.items()}
    return separate(start, boxes)
