"""Linear time, measured: does a function cost at most ~5x as much on an input 4x as long?

Reading a regular expression cannot tell whether it runs in linear time (regexploit finds
nothing wrong with a look-ahead that rescans a long run from every position), so the tests
time the code: the same kind of input at n and at 4n characters, the best of a few runs each.
Linear work grows 4x; a quadratic pass grows 16x. n is chosen per input so that one run takes
about a tenth of a millisecond: long enough to measure, short enough to try thousands.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Final, TypeVar

_Input = TypeVar("_Input")

#: 4n may cost this many times n (linear: 4; the rest is noise on a shared machine).
LIMIT: Final = 5.0
#: Grow n until one run takes this long (seconds), or until `cap`.
TARGET: Final = 0.0001
#: A scan faster than this per character of the 4n input is linear whatever the ratio says:
#: a quadratic pass over even a thousand characters costs half a million steps.
FAST_PER_CHAR: Final = 2e-9


def _once(run: Callable[[_Input], object], argument: _Input) -> float:
    # CPU time of this thread: on a shared machine another process takes the CPU for
    # milliseconds at a time, which would count against the longer run (4n) more often.
    started = time.thread_time()
    run(argument)
    return time.thread_time() - started


def best(run: Callable[[_Input], object], argument: _Input, repeats: int) -> float:
    """The fastest of `repeats` runs, with the collector off (as timeit does)."""
    return pair(run, argument, argument, repeats)[0]


def pair(
    run: Callable[[_Input], object], first: _Input, second: _Input, repeats: int
) -> tuple[float, float]:
    """The fastest of `repeats` runs on each input, taken in turns so that a busy spell of
    the machine slows both alike, with the collector off (as timeit does)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        times = [(_once(run, first), _once(run, second)) for _ in range(repeats)]
    finally:
        if enabled:
            gc.enable()
    return min(t for t, _ in times), min(t for _, t in times)


def superlinear(
    run: Callable[[_Input], object],
    make: Callable[[int], _Input],
    *,
    start: int = 256,
    cap: int = 1 << 16,
    target: float = TARGET,
    limit: float = LIMIT,
) -> str | None:
    """None if `run(make(4n))` costs at most `limit` times `run(make(n))`; else the figures.

    A real quadratic pass is 16x, far over the limit, however often it is measured; a ratio
    over the limit is measured again, more often, before it counts.
    """
    n = start
    while n * 2 <= cap and best(run, make(n), 1) < target:
        n *= 2
    small, large = make(n), make(4 * n)
    ratio = 0.0
    for repeats in (3, 9, 25):
        at_n, at_4n = pair(run, small, large, repeats)
        if at_4n < FAST_PER_CHAR * 4 * n:
            return None
        ratio = at_4n / max(at_n, 1e-9)
        if ratio <= limit:
            return None
    return f"n={n}: {at_n * 1e3:.3f} ms, 4n: {at_4n * 1e3:.3f} ms ({ratio:.1f}x)"
