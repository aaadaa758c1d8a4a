"""Check a large run in several processes, each owning whole sites.

The checker is one asyncio thread, and per URL it does real CPU work: TLS in Python, HTTP
parsing, an HTML parse for soft-404, fragment and change checks. Against fast servers (an
intranet, a CDN) with many requests in flight that thread can run out of CPU before the
network is busy. With `jobs` > 1 a run is therefore split by site (registrable domain):
each forked process checks its sites with its own event loop and its share of the
`concurrency` slots, so the per-host limit, the host interval and the soft-404 probe cache
stay exact, and the parent merges the results in input order. Only redirects that lead
several sites to one shared host (a login or CDN host) can meet that host from two
processes at once.

Fork is used, as for linting many files (`workers.fork_pool`): children start in
milliseconds with everything imported and inherit the URLs without pickling them. Elsewhere
than Linux, and unless `jobs` asks for several processes, checking stays in one.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import heapq
import multiprocessing.sharedctypes
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, Final

from guidelint.links.check.hosts import site_key, url_authority
from guidelint.links.check.loop import check_in_loop
from guidelint.links.check.pace import merge
from guidelint.links.check.records import FailureKind
from guidelint.links.model import LinkResult, Tally, Verdict, Work
from guidelint.links.settings import CheckOptions
from guidelint.workers import can_fork, fork_pool

#: How long after the run deadline a silent child is given before it is stopped.
GRACE_SECONDS: Final = 30.0
_POLL_SECONDS: Final = 0.1


def plan(urls: Sequence[str], options: CheckOptions) -> list[list[str]]:
    """The URLs split into groups of whole sites, one group per process, in input order.

    One group unless `jobs` asks for more and sharding is possible. Groups are balanced by
    URL count (largest site first to the least-loaded group).
    """
    # One loop by default: it keeps 64 requests in flight at 50 ms (1,280 a second) with CPU
    # to spare. On the benchmark's 2 cores, where the servers share the CPUs, two processes
    # were 3% slower at 64 in flight and no faster at 128; they pay only with spare cores
    # and fast servers, so they are asked for (`jobs`), not guessed.
    jobs = min(options.jobs or 1, options.concurrency)
    if jobs < 2 or not can_fork():
        return [list(urls)]
    sites: dict[str, int] = {}
    site_of: list[str] = []
    keys: dict[str, str] = {}
    for url in urls:
        authority = url_authority(url)
        key = keys.get(authority)
        if key is None:
            key = keys[authority] = site_key(authority)
        site_of.append(key)
        sites[key] = sites.get(key, 0) + 1
    if len(sites) < 2:
        return [list(urls)]
    count = min(jobs, len(sites))
    loads = [(0, group) for group in range(count)]
    group_of: dict[str, int] = {}
    # Stable: equal sites go in first-seen order, so a plan is the same run after run.
    for key, size in sorted(sites.items(), key=lambda item: -item[1]):
        load, group = heapq.heappop(loads)
        group_of[key] = group
        heapq.heappush(loads, (load + size, group))
    groups: list[list[str]] = [[] for _ in range(count)]
    for url, key in zip(urls, site_of, strict=True):
        groups[group_of[key]].append(url)
    return groups


def concurrency_shares(total: int, sizes: Sequence[int]) -> list[int]:
    """`total` slots split in proportion to `sizes` (largest remainders), at least 1 each."""
    if total <= len(sizes):
        return [1] * len(sizes)
    spare = total - len(sizes)
    weight = sum(sizes) or 1
    exact = [spare * size / weight for size in sizes]
    shares = [1 + int(value) for value in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda index: int(exact[index]) - exact[index])
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def check_in_processes(groups: Sequence[list[str]], work: Work) -> Tally:
    """Check each group of sites in a forked process and merge what they found.

    A process that dies (killed, out of memory) stops the run with a WorkerError; an
    exception in a process is raised here again. A process still busy well after the run
    deadline is stopped, and its URLs are reported as errors that say so.
    """
    done = multiprocessing.sharedctypes.RawArray(ctypes.c_longlong, len(groups))
    urls = work.urls
    shares = concurrency_shares(work.options.concurrency, [len(group) for group in groups])

    def check_group(slot: int) -> Tally:  # in a forked child
        def count(finished: int, _total: int) -> None:
            done[slot] = finished

        return check_in_loop(
            replace(
                work,
                urls={url: urls[url] for url in groups[slot]},
                options=work.options.replace(concurrency=shares[slot], jobs=1),
                progress=count,  # the child counts in `done`; the parent reports
                on_result=None,  # the parent records the results once they are back
            )
        )

    with fork_pool("checking links", check_group, range(len(groups)), len(groups)) as pending:
        _gather(pending, done, work.progress, len(urls), work.run_end + GRACE_SECONDS)
        tallies = [future.result() if future.done() else None for future in pending]
    by_url: dict[str, LinkResult] = {}
    kinds: dict[str, FailureKind] = {}
    bytes_read = 0
    for group, tally in zip(groups, tallies, strict=True):
        if tally is None:
            for url in group:
                by_url[url] = LinkResult(
                    url=url,
                    verdict=Verdict.ERROR,
                    references=tuple(urls[url]),
                    error="not checked: the process checking its site did not finish by the run deadline",
                )
            continue
        for result in tally.results:
            by_url[result.url] = result
        kinds.update(tally.kinds)
        bytes_read += tally.bytes_read
    results = tuple(by_url[url] for url in urls if url in by_url)
    pace = merge(tally.pace for tally in tallies if tally is not None and tally.pace is not None)
    return Tally(results, kinds, bytes_read, pace)


def _gather(
    pending: list[Future[Tally]],
    done: Any,
    progress: Callable[[int, int], None] | None,
    total: int,
    give_up_at: float,
) -> None:
    """Wait for every process, reporting progress, until `give_up_at` at the latest.

    Raises what a process raised (WorkerError for one that died) as soon as it is known.
    """
    waiting = set(pending)
    shown = -1
    while waiting:
        finished, waiting = concurrent.futures.wait(
            waiting, timeout=_POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED
        )
        for future in finished:
            future.result()  # raises a process's error here
        if progress is not None:
            current = sum(done) if waiting else total
            if current != shown:
                shown = current
                progress(current, total)
        if waiting and time.monotonic() > give_up_at:
            return
