"""Push overlapping boxes apart in near-linear time: a grid finds the pairs that can touch.

Every round the boxes are binned into a grid whose cells are as large as the largest box, so two
boxes can overlap only when their cells are neighbours; only those pairs are compared, and all
pushes of a round are summed at once (``np.add.at``). Each overlapping pair is pushed apart along
its smaller overlap, half each way. A crowd that has not come apart after a number of rounds is
spread out around its centre, which ends every crowd, so no two boxes overlap when it returns.
Knows only numpy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["overlapping_pairs", "push_apart"]

_SPREAD_EVERY = 50  # rounds without coming apart before the whole picture is spread out...
_SPREAD = 1.25  # ...by this factor around its centre


def overlapping_pairs(xy: np.ndarray, half: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The index pairs ``(i, j)``, ``i < j``, of boxes (centres ``xy``, half sizes ``half``)
    that overlap, in row-major order."""
    count = len(xy)
    cell = 2 * half.max(axis=0) + 1e-9
    grid = np.floor((xy - xy.min(axis=0)) / cell).astype(np.int64)
    stride = int(grid[:, 1].max()) + 3
    key = (grid[:, 0] + 1) * stride + grid[:, 1] + 1
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    firsts, seconds = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            target = key + dx * stride + dy
            lo = np.searchsorted(sorted_key, target, "left")
            hi = np.searchsorted(sorted_key, target, "right")
            counts = hi - lo
            total = int(counts.sum())
            if not total:
                continue
            first = np.repeat(np.arange(count), counts)
            within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            second = order[np.repeat(lo, counts) + within]
            keep = first < second
            firsts.append(first[keep])
            seconds.append(second[keep])
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    reach = half[i] + half[j] - np.abs(xy[i] - xy[j])
    hit = (reach[:, 0] > 0) & (reach[:, 1] > 0)
    i, j = i[hit], j[hit]
    row_major = np.lexsort((j, i))
    return i[row_major], j[row_major]


def push_apart(xy: np.ndarray, half: np.ndarray, rounds: int = 400) -> tuple[np.ndarray, int]:
    """Centres ``xy`` moved until no two boxes overlap, and how many rounds that took.

    Up to ``rounds`` rounds of pushes; a crowd still overlapping every ``_SPREAD_EVERY`` rounds
    (and after ``rounds``) is spread out around its centre, until it comes apart.
    """
    xy = xy.astype(float).copy()
    taken = 0
    while True:
        i, j = overlapping_pairs(xy, half)
        if not len(i):
            return xy, taken
        taken += 1
        if taken % _SPREAD_EVERY == 0 or taken > rounds:
            centre = xy.mean(axis=0)
            xy = centre + (xy - centre) * _SPREAD
            continue
        delta = xy[i] - xy[j]
        overlap = half[i] + half[j] - np.abs(delta)
        axis = (overlap[:, 1] < overlap[:, 0]).astype(np.int64)  # along the smaller overlap
        rows = np.arange(len(i))
        direction = np.sign(delta[rows, axis])
        direction[direction == 0] = -1.0  # the same place: the earlier one goes first
        step = direction * (overlap[rows, axis] / 2 + 0.5)
        push = np.zeros_like(xy)
        np.add.at(push, (i, axis), step)
        np.add.at(push, (j, axis), -step)
        xy += push
