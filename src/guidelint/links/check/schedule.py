"""When each request may start: which URL goes next, per-host politeness, paused deadlines.

`Schedule` hands a free worker its next URL, spreading the work over hosts; `HostGate`
keeps a few requests in flight per host with a minimum interval between starts; while a
URL queues at a busy host, its own deadline is paused (`deadline_paused`): politeness is our
choice, not the server's slowness.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from guidelint.links.check.hosts import host_key


class HostGate:
    """Per-host politeness: a few requests in flight and a minimum interval between starts.

    It counts what `pace` needs: the requests it let through and how long they held slots.
    """

    def __init__(self, limit: int, interval: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._lock = asyncio.Lock()
        self._interval = interval
        self._next = 0.0
        self.requests = 0
        # Seconds slots were held: each acquire() subtracts its time, each release() adds
        # its own, so once all are released this is the sum of (release - acquire).
        self.held = 0.0

    def defer(self, seconds: float) -> None:
        """The host asked us to wait (Retry-After): nobody talks to it before then."""
        self._next = max(self._next, time.monotonic() + seconds)

    # acquire() and release() rather than an @asynccontextmanager: that costs a generator and
    # two wrapper calls per request for what is, on an idle host, a counter going down and up.
    async def acquire(self) -> None:
        """Wait for a slot and this host's interval; every acquire() needs its release()."""
        if not self._slots.locked() and not self._lock.locked():
            now = time.monotonic()
            if self._next <= now:
                # Free slot, no interval to wait: take it without pausing the URL's clock.
                await self._slots.acquire()  # returns at once: the slot is free
                self._next = now + self._interval
                self.requests += 1
                self.held -= now
                return
        with deadline_paused():
            await self._slots.acquire()
            try:
                async with self._lock:
                    wait = self._next - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._next = time.monotonic() + self._interval
            except BaseException:
                self._slots.release()
                raise
        self.requests += 1
        self.held -= time.monotonic()

    def release(self) -> None:
        self.held += time.monotonic()
        self._slots.release()


class Schedule:
    """Which URL a free worker checks next: one from a host with nothing in flight if any.

    Taking URLs in input order sends bursts to whichever host a guide lists many links of,
    where they queue at the host's gate holding global slots while other hosts sit idle; and
    every request that overlaps another on the same host opens (and keeps alive) one more
    connection. Spreading the work over hosts keeps about one connection per host.

    A host whose answer just came goes on first when its `interval` has passed since that
    request started (always, with no interval): its connection is open, so a run works
    through a few hosts at a time instead of keeping one connection alive to every host
    it has yet to finish (a thousand TLS connections held 70 MB). With a longer interval
    the host goes to the back, and the others' turns fill its wait.
    """

    def __init__(self, urls: list[str], per_host: int, interval: float = 0.0) -> None:
        self._per_host = per_host
        self._interval = interval
        self._started: dict[str, float] = {}  # host -> when its latest URL was taken
        self._queues: dict[str, deque[tuple[int, str]]] = {}
        self._host: dict[str, str] = {}
        for index, url in enumerate(urls):
            key = self._host[url] = host_key(url)
            self._queues.setdefault(key, deque()).append((index, url))
        self._busy: Counter[str] = Counter()
        self._idle: deque[str] = deque(self._queues)  # hosts with work and nothing in flight
        self._pending: deque[str] = deque(self._queues)  # hosts with work, busy or not
        self._listed = set(self._queues)  # hosts in _pending

    def add(self, urls: list[str], start: int) -> None:
        """More URLs, numbered from `start`, found while the run goes on."""
        for index, url in enumerate(urls, start):
            key = self._host[url] = host_key(url)
            queue = self._queues.setdefault(key, deque())
            if not queue and not self._busy[key]:
                self._idle.append(key)
            if key not in self._listed:
                self._listed.add(key)
                self._pending.append(key)
            queue.append((index, url))

    def take(self) -> tuple[int, str] | None:
        while self._idle:
            key = self._idle.popleft()
            if self._queues[key] and not self._busy[key]:
                return self._take_from(key)
        # Every host with work left is busy: share the load among them, least busy first
        # within a round. At most `concurrency` hosts can be busy, so this scan is short.
        chosen: str | None = None
        for _ in range(len(self._pending)):
            key = self._pending[0]
            if not self._queues[key]:
                self._pending.popleft()
                self._listed.discard(key)
                continue
            self._pending.rotate(-1)
            if self._busy[key] < self._per_host:
                chosen = key
                break
            chosen = chosen or key
        return self._take_from(chosen) if chosen is not None else None

    def _take_from(self, key: str) -> tuple[int, str]:
        self._busy[key] += 1
        if self._interval > 0:
            self._started[key] = time.monotonic()
        return self._queues[key].popleft()

    def finished(self, url: str) -> None:
        key = self._host.pop(url)
        self._busy[key] -= 1
        if not self._busy[key] and self._queues[key]:
            if self._interval <= 0 or time.monotonic() - self._started[key] >= self._interval:
                self._idle.appendleft(key)
            else:
                self._idle.append(key)


@dataclass
class Deadline:
    """The current URL's deadline, which time spent queueing for a host does not consume."""

    timeout: asyncio.Timeout
    limit: float  # loop time the run deadline allows at most
    waited: float = 0.0  # seconds spent queueing for hosts so far


_DEADLINE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "guidelint_deadline", default=None
)


def set_deadline(timeout: asyncio.Timeout, run_end: float) -> Deadline:
    """Make `timeout` the current URL's deadline; pauses never push it past `run_end`.

    `run_end` is a time.monotonic() value; the limit is kept in loop time, as `timeout` is.
    Returns the deadline, whose `waited` says how long the URL queued for hosts.
    """
    limit = asyncio.get_running_loop().time() + (run_end - time.monotonic())
    deadline = Deadline(timeout, limit)
    _DEADLINE.set(deadline)
    return deadline


@contextmanager
def deadline_paused() -> Iterator[None]:
    """Stop the current URL's clock while it queues for a host; the run deadline still runs.

    Politeness is our choice, not the server's slowness: waiting for our turn at a busy host
    must not turn into a "timeout" verdict.
    """
    deadline = _DEADLINE.get()
    due = deadline.timeout.when() if deadline is not None else None
    if deadline is None or due is None:
        yield
        return
    queued = time.monotonic()
    deadline.timeout.reschedule(deadline.limit)
    try:
        yield
    finally:
        waited = time.monotonic() - queued
        deadline.waited += waited
        if not deadline.timeout.expired():  # an expired one is already cancelling us
            deadline.timeout.reschedule(min(due + waited, deadline.limit))
