"""Time one ``casegraph load`` as a user runs it, with the peak memory of its whole process tree.

    python -m benchmarks.memload_cli NEW-STORE FOLDER

prints the wall time, the CPU time (user + system, the load's worker processes included), the
largest PSS sum of the process tree sampled every 0.2 s (shared pages counted once) and the load
average. The load forks workers and a validating process, so the main process's RSS alone would
miss most of its memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure import _sample_tree_pss

__all__ = ["main"]


def main() -> None:
    """Load FOLDER into NEW-STORE with casegraph and print the figures."""
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m benchmarks.memload_cli NEW-STORE FOLDER")
    store, folder = sys.argv[1], sys.argv[2]
    if Path(store).exists():
        raise SystemExit(f"{store}: give a store that does not exist yet (a new load)")
    casegraph = Path(sys.executable).parent / "casegraph"
    command = [str(casegraph), "--quiet", "--store", store, "load", folder]
    load_avg = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = _sample_tree_pss(process, 3600)
    code = process.wait()
    wall = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"exit={code} wall={wall:.1f}s cpu={used.ru_utime + used.ru_stime:.1f}s "
        f"peak_tree_pss={peak:.0f}MiB load_avg_before={load_avg:.1f}"
    )


if __name__ == "__main__":
    main()
