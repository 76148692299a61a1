"""Settle time of a network page in headless Chromium: from navigation until vis-network is still.

A casegraph view draws precomputed positions with physics off, so it is settled once the network
exists and a frame has been drawn; a pyvis page is settled when vis-network's physics reports
``stabilized`` (after its stabilisation iterations and the simulation that follows them).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "settle_times"]

CHROMIUM = "/usr/bin/chromium"

_SETTLED = """() => {
  const net = window.cgNetwork || window.network;
  if (!net || !net.physics) return false;
  return net.physics.physicsEnabled === false || net.physics.stabilized === true;
}"""
_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def settle_times(pages: dict[str, Path], repeat: int, timeout: float = 60.0) -> dict[str, Any]:
    """For each page: a warm-up load, then ``repeat`` timed loads in fresh tabs (``0``: one load,
    no warm-up); medians in s."""
    from playwright.sync_api import Error, sync_playwright

    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            for name, path in pages.items():
                runs: list[float] = []
                timed_out = False
                for index in range(repeat + 1):
                    page = browser.new_page(viewport={"width": 1280, "height": 800})
                    start = time.perf_counter()
                    try:
                        page.goto(path.resolve().as_uri())
                        page.wait_for_function(_SETTLED, timeout=timeout * 1000, polling=20)
                        page.evaluate(_FRAME)
                    except Error:
                        timed_out = True
                    elapsed = time.perf_counter() - start
                    page.close()
                    if timed_out:
                        break
                    if index or not repeat:
                        runs.append(elapsed)
                results[name] = (
                    {"timed_out": True, "timeout_s": timeout, "runs_s": runs, "median_s": None}
                    if timed_out
                    else {"timed_out": False, "median_s": statistics.median(runs), "runs_s": runs}
                )
        finally:
            browser.close()
    return results
