"""Timing tests of the form "4x the input takes at most k x the time" (linear time on hostile
input), made to hold on a busy machine.

CPU time of this process, not wall time: other processes on a shared CI runner slow the
clock on the wall, not the work done here. The best of several runs: a collection or a
scheduler hiccup only ever adds time.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def best_cpu_seconds(work: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def growth(work: Callable[[str], object], small: str, large: str, repeats: int = 5) -> float:
    """How many times longer `work(large)` takes than `work(small)`, at best."""
    base = best_cpu_seconds(lambda: work(small), repeats)
    return best_cpu_seconds(lambda: work(large), repeats) / max(base, 1e-6)
