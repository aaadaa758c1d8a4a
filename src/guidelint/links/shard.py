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

Fork is used, as for linting many files: children start in milliseconds with everything
imported and inherit the URLs without pickling them. Elsewhere than Linux, and unless `jobs`
asks for several processes, checking stays in one.
"""

from __future__ import annotations

import ctypes
import heapq
import multiprocessing
import multiprocessing.connection
import multiprocessing.sharedctypes
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from guidelint.links.checker import Tally, Work, check_in_loop, registrable_domain, url_authority
from guidelint.links.model import LinkResult, Verdict
from guidelint.links.settings import CheckOptions

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


#: How long after the run deadline a silent child is given before it is stopped.
GRACE_SECONDS: Final = 30.0
_POLL_SECONDS: Final = 0.1


class ShardError(RuntimeError):
    """A checking process failed in a way that is a bug, not a link verdict."""


def can_fork() -> bool:
    # fork is safe and fast on Linux; macOS's system libraries are not fork-safe.
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


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


def site_key(authority: str) -> str:
    """The site a URL's authority belongs to: its host's registrable domain."""
    host = authority.rpartition("@")[2].lower()
    if host.startswith("["):  # IPv6 literal
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    else:
        host = host.partition(":")[0]
    try:
        return registrable_domain(host.encode("idna").decode("ascii") if host else host)
    except UnicodeError:
        return host


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


@dataclass
class _Child:
    slot: int
    urls: list[str]
    process: BaseProcess
    receive: Connection
    tally: Tally | None = None
    failure: str | None = None


def check_in_processes(groups: Sequence[list[str]], work: Work) -> Tally:
    """Check each group of sites in a forked process and merge what they found.

    A child that dies (killed, out of memory) costs only its own URLs, each reported as an
    error that says so; an exception in a child is raised here again.
    """
    context = multiprocessing.get_context("fork")
    done = multiprocessing.sharedctypes.RawArray(ctypes.c_longlong, len(groups))
    urls = work.urls
    shares = concurrency_shares(work.options.concurrency, [len(group) for group in groups])
    children: list[_Child] = []
    try:
        for slot, (group, share) in enumerate(zip(groups, shares, strict=True)):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_child_main,
                args=(
                    send,
                    replace(
                        work,
                        urls={url: urls[url] for url in group},
                        options=replace(work.options, concurrency=share, jobs=1),
                        progress=None,  # the child counts in `done`; the parent reports
                    ),
                    done,
                    slot,
                ),
                name=f"guidelint-links-{slot}",
                daemon=True,
            )
            process.start()
            send.close()  # ours is closed so that a dead child reads as end-of-file
            children.append(_Child(slot, group, process, receive))
        _gather(children, done, work.progress, len(urls), work.run_end + GRACE_SECONDS)
    finally:
        for child in children:
            _stop(child)
    by_url: dict[str, LinkResult] = {}
    checked = unreachable = bytes_read = 0
    for child in children:
        if child.tally is None:
            reason = child.failure or "stopped without a word"
            for url in child.urls:
                by_url[url] = LinkResult(
                    url=url,
                    verdict=Verdict.ERROR,
                    references=tuple(urls[url]),
                    error=f"not checked: the process checking its site {reason}",
                )
            continue
        for result in child.tally.results:
            by_url[result.url] = result
        # Sites never span two children, so host counts add up.
        checked += child.tally.hosts_checked
        unreachable += child.tally.hosts_unreachable
        bytes_read += child.tally.bytes_read
    results = tuple(by_url[url] for url in urls if url in by_url)
    return Tally(results, checked, unreachable, bytes_read)


def _gather(
    children: list[_Child],
    done: Any,
    progress: Callable[[int, int], None] | None,
    total: int,
    give_up_at: float,
) -> None:
    waiting = {child.receive: child for child in children}
    shown = -1
    while waiting:
        ready = multiprocessing.connection.wait(list(waiting), timeout=_POLL_SECONDS)
        for connection in ready:
            assert isinstance(connection, multiprocessing.connection.Connection)
            child = waiting.pop(connection)
            try:
                kind, payload = connection.recv()
            except (EOFError, OSError):
                child.process.join(5)
                code = child.process.exitcode
                child.failure = f"stopped unexpectedly (exit code {code})"
                continue
            if kind == "raise" and isinstance(payload, BaseException):
                raise payload
            if kind == "error":
                raise ShardError(f"a link-checking process failed:\n{payload}")
            child.tally = payload
        if progress is not None:
            current = sum(done) if waiting else total
            if current != shown:
                shown = current
                progress(current, total)
        if waiting and time.monotonic() > give_up_at:
            for child in waiting.values():
                child.failure = "did not finish by the run deadline"
            return


def _stop(child: _Child) -> None:
    child.receive.close()
    if child.process.is_alive():
        child.process.terminate()
    child.process.join(5)
    if child.process.is_alive():
        child.process.kill()
        child.process.join()


def _child_main(send: Connection, work: Work, done: Any, slot: int) -> None:
    # Ctrl-C reaches the whole process group: the parent decides and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def count(finished: int, _total: int) -> None:
        done[slot] = finished

    detail = ""
    try:
        message: tuple[str, object] = (
            "tally",
            check_in_loop(replace(work, progress=count)),
        )
    except Exception as error:  # sent to the parent, which raises it again
        message = ("raise", error)
        detail = traceback.format_exc()
    try:
        send.send(message)
    except Exception:  # what we had to say could not be pickled: say it as text
        send.send(("error", detail or traceback.format_exc()))
    send.close()
