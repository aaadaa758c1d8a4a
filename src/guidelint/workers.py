"""Worker processes: how many CPUs they may use, one way to fork them, what a dead one says.

Every pool in guidelint (linting files, loading guides for the link check, reading pages for
the baseline, checking links in several processes) goes through `fork_pool` or `fork_map`:
forked children start in milliseconds with everything imported and inherit the work instead
of receiving it pickled; only results travel back. A child that dies (killed, out of memory)
becomes a `WorkerError` with one clear message, never a traceback.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

# multiprocessing and concurrent.futures (pickle and more) are imported when a pool starts:
# `guidelint lint` on a few files, in a pre-commit hook, never needs them.
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask where the system has one."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity outside Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # fork is safe and fast on Linux; macOS's system libraries are not fork-safe.
    if sys.platform != "linux":
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class WorkerError(RuntimeError):
    """A worker process stopped (killed, out of memory): the run cannot be completed."""

    def __init__(self, task: str) -> None:
        super().__init__(
            f"a process {task} stopped unexpectedly; it may have run out of memory: "
            "run again, or on fewer guides at a time"
        )


def fork_map(
    task: str, function: Callable[[_Item], _Result], items: Sequence[_Item], workers: int
) -> Iterator[_Result]:
    """`function(item)` for each item, in order, computed by `workers` forked processes.

    `task` names the work for `WorkerError` ("linting the guides"). Where processes cannot
    be forked (outside Linux), the items are worked through here, one by one.
    """
    if not can_fork():
        for item in items:
            yield function(item)
        return
    with fork_pool(task, function, items, workers) as pending:
        for future in pending:
            yield future.result()


#: What forked workers run, by pool: set before a pool forks, so its children inherit it.
_INHERITED: dict[int, tuple[Callable[[Any], Any], Sequence[Any]]] = {}
_POOLS = itertools.count()


@contextmanager
def fork_pool(
    task: str,
    function: Callable[[_Item], _Result],
    items: Sequence[_Item],
    workers: int,
    *,
    background: bool = False,
) -> Iterator[list[Future[_Result]]]:
    """Start `function(item)` for every item in `workers` forked processes.

    Yields one future per item, in order, for a caller that takes results as they come
    while it works on. `function` and `items` are inherited, never pickled (a closure will
    do); results and exceptions come back pickled. A future whose process died holds a
    `WorkerError`. When the block ends, work not started is cancelled and processes still
    busy are stopped. Children ignore Ctrl-C: the parent decides, and stops them.
    `background`: the children run at a lower priority (nice 10), for work that keeps ahead
    of a parent that must not wait for the CPU (an event loop checking links meanwhile).
    """
    if not can_fork():
        yield [_here(function, item) for item in items]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool_id = next(_POOLS)
    _INHERITED[pool_id] = (function, items)
    pool = ProcessPoolExecutor(
        max(1, min(workers, len(items))),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_lowered if background else _ignore_interrupts,
    )
    inner: list[Future[_Result]] = []
    try:
        # Python forks every worker at the first submit, with _INHERITED as it is now.
        for index in range(len(items)):
            inner.append(_submit(pool, pool_id, index))
        yield [_translated(task, future) for future in inner]
    finally:
        _INHERITED.pop(pool_id, None)
        _shut(pool, busy=any(not future.done() for future in inner))


def _submit(pool: ProcessPoolExecutor, pool_id: int, index: int) -> Future[Any]:
    """`pool.submit` of one item; a pool a worker already broke (it died while later items
    were still being submitted) gives a future holding that error, as a later death does."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit(_run_inherited, pool_id, index)
    except BrokenProcessPool as error:
        failed: Future[Any] = Future()
        failed.set_exception(error)
        return failed


def _run_inherited(pool_id: int, index: int) -> Any:
    function, items = _INHERITED[pool_id]
    return function(items[index])


def _lowered() -> None:
    _ignore_interrupts()
    with suppress(OSError):  # not allowed here: run at the parent's priority
        os.nice(10)


def _ignore_interrupts() -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent decides and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _here(function: Callable[[_Item], _Result], item: _Item) -> Future[_Result]:
    from concurrent.futures import Future

    future: Future[_Result] = Future()
    try:
        future.set_result(function(item))
    except Exception as error:
        future.set_exception(error)
    return future


def _translated(task: str, inner: Future[_Result]) -> Future[_Result]:
    """A future that settles as `inner` does, with a dead process as a WorkerError."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    outer: Future[_Result] = Future()

    def settle(done: Future[_Result]) -> None:
        if done.cancelled():
            outer.cancel()
            return
        error = done.exception()
        if isinstance(error, BrokenProcessPool):
            stopped = WorkerError(task)
            stopped.__cause__ = error
            error = stopped
        if not outer.set_running_or_notify_cancel():
            return  # the caller gave up on it
        if error is None:
            outer.set_result(done.result())
        else:
            outer.set_exception(error)

    inner.add_done_callback(settle)
    return outer


def _shut(pool: ProcessPoolExecutor, busy: bool) -> None:
    if not busy:
        pool.shutdown(wait=True)
        return
    # Results still due are wanted no more (an error, Ctrl-C, a deadline passed): stop the
    # processes rather than wait for them. ProcessPoolExecutor has no public way to do that
    # before Python 3.14 (terminate_workers).
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    pool.shutdown(wait=True, cancel_futures=True)
