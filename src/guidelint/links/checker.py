"""Check URLs with one aiohttp session, politely and safely, and classify each (PRODUCT.md §4).

For each distinct URL: documents and media (judged by the path) get a HEAD first, and a GET
only when HEAD fails (servers that answer HEAD with 404, 405 or 501 are common) or turns out
to be a web page; web pages get a GET at once, since their content is needed anyway (soft-404
signals, the page snapshot, `#fragment` checks). Every redirect is followed by hand so that
each hop is recorded and vetted by the address guard. Bodies are streamed and capped (after
decompression). Transient failures are retried by `retry_reason`, with exponential backoff,
jitter and `Retry-After`. Three deadlines bound time: per request, per URL (paused while the
URL waits for its turn at a busy host) and per run.

The library returns a `RunOutcome`; it never prints. A run in which (nearly) every host
failed at the connection level is marked offline so the CLI can say so instead of reporting
a wall of dead links.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime
import email.utils
import errno
import functools
import ipaddress
import random
import re
import secrets
import socket
import ssl
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote

import aiohttp
from publicsuffixlist import PublicSuffixList
from selectolax.lexbor import LexborHTMLParser
from yarl import URL

from guidelint.links import signals
from guidelint.links.content import (
    Extracted,
    decode,
    extract_tree,
    lowered_source,
    main_text,
    parse,
)
from guidelint.links.guard import UnsafeAddressError, unsafe_cause
from guidelint.links.model import Feed, Hop, LinkResult, Page, Reference, Verdict
from guidelint.links.resolver import GuardedResolver
from guidelint.links.settings import CheckOptions

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

PERMANENT: Final = frozenset({301, 308})
BLOCKED_STATUSES: Final = frozenset({401, 407, 429, 999})
# Failure kinds that mean "could not even talk to the host": the evidence for an offline run.
CONNECTION_KINDS: Final = frozenset(
    {"dns", "dns-temporary", "refused", "connect-timeout", "network"}
)
# Small bodies of error responses are read to tell storage "AccessDenied" and bot walls apart.
ERROR_BODY_BYTES: Final = 64 * 1024
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK: Final = 64 * 1024
# Enough visible text to compare a page with its baseline, without holding whole sites in memory.
MAX_PAGE_TEXT: Final = 200_000
OFFLINE_MIN_HOSTS: Final = 3
OFFLINE_SHARE: Final = 0.9


@dataclass(frozen=True)
class RunOutcome:
    started_at: datetime.datetime
    finished_at: datetime.datetime
    results: tuple[LinkResult, ...]
    offline: bool = False
    hosts_checked: int = 0
    hosts_unreachable: int = 0
    bytes_read: int = 0  # decompressed body bytes read, all URLs together
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes | None  # None when not read (HEAD, redirects)
    truncated: bool = False
    charset: str | None = None
    parsed: URL | None = None  # URL(url), as requested: parsed once

    @property
    def mime(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass
class _Outcome:
    """One attempt's result, before it becomes a LinkResult."""

    verdict: Verdict
    kind: str  # "status", "content", or the failure kind ("dns", "reset", "timeout", ...)
    status: int | None = None
    hops: tuple[Hop, ...] = ()
    final_url: str | None = None
    error: str | None = None
    page: Page | None = None
    retry_after: float | None = None
    cross_domain: bool = False
    notes: tuple[str, ...] = ()


class _Failure(Exception):
    def __init__(self, outcome: _Outcome) -> None:
        super().__init__(outcome.error)
        self.outcome = outcome


def retry_reason(outcome: _Outcome) -> str | None:
    """Why an attempt deserves another try, or None when its answer is final.

    After lychee's retry.rs: retry what the network or an overloaded server might answer
    differently a moment later, never what the server said on purpose.
    """
    if outcome.kind == "status":
        if outcome.status == 429:
            return "rate limited: the server asked us to come back later"
        if outcome.status == 408:
            return "the server timed out waiting for our request: transient"
        if outcome.verdict is Verdict.SERVER_ERROR:
            return "5xx: overloaded or restarting servers recover"
        # Other statuses (2xx, 4xx, bot walls) are deliberate answers; asking again is noise.
        return None
    if outcome.kind in ("timeout", "connect-timeout"):
        return "timeouts are often congestion that passes"
    if outcome.kind in ("reset", "payload"):
        return "a connection dropped mid-exchange can succeed on a fresh connection"
    if outcome.kind == "refused":
        return "a restarting server refuses connections for a moment"
    if outcome.kind in ("dns-temporary", "network"):
        return "temporary resolver or routing failure"
    # dns (name does not exist), tls, unsafe, invalid URLs, content verdicts: the same input
    # gives the same answer.
    return None


def backoff_delay(attempt: int, base: float, retry_after: float | None) -> float:
    """Exponential backoff with jitter (attempt 0 = first retry), at least `retry_after`."""
    delay: float = base * 2.0**attempt * random.uniform(0.5, 1.5)
    return max(delay, retry_after or 0.0)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    current = now if now is not None else time.time()
    return max(0.0, float(when.timestamp()) - current)


def registrable_domain(host: str) -> str:
    host = host.lower().rstrip(".").strip("[]")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _psl().privatesuffix(host) or host


@functools.cache
def _psl() -> PublicSuffixList:
    # The list shipped in the package: never fetched at run time.
    return PublicSuffixList()


class _HostGate:
    """Per-host politeness: a few requests in flight and a minimum interval between starts."""

    def __init__(self, limit: int, interval: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._lock = asyncio.Lock()
        self._interval = interval
        self._next = 0.0

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
                return
        with _deadline_paused():
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

    def release(self) -> None:
        self._slots.release()


def url_authority(url: str) -> str:
    """The `user@host:port` part of an absolute URL, cheaply (no URL object, no validation)."""
    _, separator, rest = url.partition("://")
    if not separator:
        return ""
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop, 0, end)
        if found >= 0:
            end = found
    return rest[:end]


def _host_key(url: str) -> str:
    """The host and port a URL is requested from, as written: for spreading and counting.

    Parsing 10,000 URLs with yarl took 40-50 ms in the host tally alone; a host written two ways
    (a default port spelt out, Unicode and punycode) only counts twice here, while the
    per-host limit itself is keyed by the parsed URL.
    """
    return url_authority(url).rpartition("@")[2].lower()


class _Schedule:
    """Which URL a free worker checks next: one from a host with nothing in flight if any.

    Taking URLs in input order sends bursts to whichever host a guide lists many links of,
    where they queue at the host's gate holding global slots while other hosts sit idle; and
    every request that overlaps another on the same host opens (and keeps alive) one more
    connection. Spreading the work over hosts keeps about one connection per host.
    """

    def __init__(self, urls: list[str], per_host: int) -> None:
        self._per_host = per_host
        self._queues: dict[str, deque[tuple[int, str]]] = {}
        self._host: dict[str, str] = {}
        for index, url in enumerate(urls):
            key = self._host[url] = _host_key(url)
            self._queues.setdefault(key, deque()).append((index, url))
        self._busy: Counter[str] = Counter()
        self._idle: deque[str] = deque(self._queues)  # hosts with work and nothing in flight
        self._pending: deque[str] = deque(self._queues)  # hosts with work, busy or not
        self._listed = set(self._queues)  # hosts in _pending

    def add(self, urls: list[str], start: int) -> None:
        """More URLs, numbered from `start`, found while the run goes on."""
        for index, url in enumerate(urls, start):
            key = self._host[url] = _host_key(url)
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
        return self._queues[key].popleft()

    def finished(self, url: str) -> None:
        key = self._host[url]
        self._busy[key] -= 1
        if not self._busy[key] and self._queues[key]:
            self._idle.append(key)


@dataclass
class _Deadline:
    """The current URL's deadline, which time spent queueing for a host does not consume."""

    timeout: asyncio.Timeout
    limit: float  # loop time the run deadline allows at most


_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar(
    "guidelint_deadline", default=None
)


@contextmanager
def _deadline_paused() -> Iterator[None]:
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
        if not deadline.timeout.expired():  # an expired one is already cancelling us
            deadline.timeout.reschedule(min(due + waited, deadline.limit))


@dataclass
class _Probe:
    extracted: Extracted | None
    final_url: str | None
    segment: str = ""  # the random last path segment the probe asked for


@dataclass
class _Run:
    options: CheckOptions
    session: aiohttp.ClientSession
    head_session: aiohttp.ClientSession  # its connections are never reused
    gates: dict[str, _HostGate] = field(default_factory=dict)
    probes: dict[tuple[str, str], asyncio.Future[_Probe]] = field(default_factory=dict)
    bytes_read: int = 0
    kinds: dict[str, str] = field(default_factory=dict)  # url -> failure kind of last attempt
    literals: dict[str, UnsafeAddressError | None] = field(default_factory=dict)

    def literal_refusal(self, raw_host: str) -> UnsafeAddressError | None:
        """The guard's verdict on an IP-literal host, worked out once per host."""
        if raw_host not in self.literals:
            self.literals[raw_host] = self.options.allow.check_literal(raw_host)
        return self.literals[raw_host]

    def gate(self, url: URL) -> _HostGate:
        key = f"{(url.host or '').lower()}:{url.port}"
        if key not in self.gates:
            self.gates[key] = _HostGate(self.options.per_host, self.options.min_interval)
        return self.gates[key]


# asyncio gives every TLS connection a 256 KiB read buffer (SSLProtocol.max_size) and fills
# it with zeros at once; with a connection kept alive per host, 100 hosts hold 25 MB of them.
# TLS records are at most 16 KiB, so a smaller buffer reads as fast.
TLS_READ_BUFFER: Final = 32 * 1024


@contextmanager
def _small_tls_buffers() -> Iterator[None]:
    from asyncio import sslproto

    original = getattr(sslproto.SSLProtocol, "max_size", None)
    if not isinstance(original, int) or original <= TLS_READ_BUFFER:
        yield  # another Python's asyncio: leave it alone
        return
    sslproto.SSLProtocol.max_size = TLS_READ_BUFFER
    try:
        yield
    finally:
        sslproto.SSLProtocol.max_size = original


def check_urls(
    urls: Mapping[str, Sequence[Reference]],
    options: CheckOptions,
    resolver: AbstractResolver | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: datetime.date | None = None,
    feed: Feed | None = None,
) -> RunOutcome:
    """Check every URL (each once), in one event loop or in several processes that each own
    whole sites (`jobs`, see `links.shard`).

    With a `feed`, `urls` is still growing: the loop checks what is known while the rest
    arrives, and each result's references are the complete list once the feed is done.
    """
    from guidelint.links import shard

    started = datetime.datetime.now(datetime.UTC)
    day = today or started.date()
    if feed is not None and (options.jobs or 1) > 1:
        # Sites are split between processes up front, so every URL must be known first.
        for _ in feed.pending:
            feed.take()
        feed = None
    run_end = time.monotonic() + options.run_deadline
    work = Work(urls, options, resolver, progress, day, run_end, feed)
    shards = shard.plan(list(urls), options)
    tally = shard.check_in_processes(shards, work) if len(shards) > 1 else check_in_loop(work)
    return _outcome(started, tally, options, day)


@dataclass(frozen=True)
class Work:
    """What one event loop (or a process of several) is asked to check, and by when."""

    urls: Mapping[str, Sequence[Reference]]
    options: CheckOptions
    resolver: AbstractResolver | None
    progress: Callable[[int, int], None] | None
    day: datetime.date  # for exclusion expiry
    run_end: float  # a time.monotonic() value; CLOCK_MONOTONIC is shared by forked children
    feed: Feed | None = None  # one loop only


@dataclass(frozen=True)
class Tally:
    """What one event loop checked, and the evidence for an offline run."""

    results: tuple[LinkResult, ...]
    hosts_checked: int
    hosts_unreachable: int  # hosts at which every URL failed at the connection level
    bytes_read: int


def check_in_loop(work: Work) -> Tally:
    """Check `work.urls` in one asyncio event loop."""
    tally: list[Tally] = []

    async def main() -> None:
        # Returns nothing on purpose: Python 3.11's asyncio.run formats repr() of its main
        # task, result included, when it restores the SIGINT handler; 10,000 results took a
        # quarter of a second to format for nothing.
        tally.append(await _check_loop(work))

    with _small_tls_buffers():
        asyncio.run(main())
    return tally[0]


def _outcome(
    started: datetime.datetime, tally: Tally, options: CheckOptions, day: datetime.date
) -> RunOutcome:
    notes = [
        f"exclusion {exclusion.label} expired on {exclusion.expires}; its links are checked again"
        for exclusion in options.exclude
        if exclusion.expired(day)
    ]
    checked, failed = tally.hosts_checked, tally.hosts_unreachable
    offline = checked >= OFFLINE_MIN_HOSTS and failed >= OFFLINE_SHARE * checked
    if offline:
        notes.append(
            f"{failed} of {checked} hosts could not be reached at all: the checker looks offline"
        )
    return RunOutcome(
        started,
        datetime.datetime.now(datetime.UTC),
        tally.results,
        offline,
        checked,
        failed,
        tally.bytes_read,
        tuple(notes),
    )


async def _check_loop(work: Work) -> Tally:
    urls, options, progress = work.urls, work.options, work.progress
    guarded = GuardedResolver(options.allow, work.resolver)
    context = _ssl_context(options.ca_file)
    # GETs reuse connections (keep-alive): a TLS handshake per URL cost more than the request
    # itself. A connection goes back to the pool only when its response was read to the end;
    # aiohttp closes it when the body was left unread, and we close it ourselves when a body
    # is abandoned at its cap, on any error and after redirects (see _request).
    connector = aiohttp.TCPConnector(
        resolver=guarded,
        ssl=context,
        limit=max(options.concurrency * 2, 8),
        limit_per_host=options.per_host + 1,  # +1: the soft-404 probe may overlap a release
        ttl_dns_cache=300,
    )
    # HEAD gets a connection of its own, closed after each answer: aiohttp returns a HEAD's
    # connection to the pool as soon as its headers are parsed, so a body the server sends
    # anyway would be read as the next response's. HEAD is for documents and media only.
    head_connector = aiohttp.TCPConnector(
        resolver=guarded,
        ssl=context,
        limit=max(options.concurrency, 8),
        limit_per_host=options.per_host + 1,
        ttl_dns_cache=300,
        force_close=True,
    )
    timeout = aiohttp.ClientTimeout(
        total=None, connect=options.timeout * 0.9, sock_connect=options.timeout * 0.9
    )
    # Some sites set a cookie and redirect to the same URL to check it sticks; without
    # cookies that is an endless loop a browser never sees. Kept in memory for this run.
    cookies = aiohttp.CookieJar(unsafe=True)
    results: list[LinkResult | None] = [None] * len(urls)
    feed = work.feed if work.feed is not None and work.feed.pending else None
    async with (
        _session(connector, timeout, cookies) as session,
        _session(head_connector, timeout, cookies) as head_session,
    ):
        run = _Run(options, session, head_session)
        schedule = _Schedule(list(urls), options.per_host)
        done = 0
        feeding = feed is not None
        arrived = asyncio.Event()

        async def feeder(feed: Feed) -> None:
            nonlocal feeding
            try:
                for future in feed.pending:
                    with suppress(Exception):  # take() says what went wrong
                        await asyncio.wrap_future(future)
                    new = feed.take()
                    if new:
                        schedule.add(new, len(results))
                        results.extend([None] * len(new))
                        arrived.set()  # wakes the workers waiting now
                        arrived.clear()
            finally:
                feeding = False
                arrived.set()

        async def worker() -> None:
            # A fixed pool of workers rather than one task per URL: 10,000 URLs would be
            # 10,000 suspended tasks, held in memory only to wait for one of the slots.
            nonlocal done
            while True:
                taken = schedule.take()
                if taken is None:
                    if not feeding:
                        return
                    await arrived.wait()
                    continue
                index, url = taken
                try:
                    references = tuple(urls[url])
                    results[index] = await _check_one(run, url, references, work.run_end, work.day)
                finally:
                    schedule.finished(url)
                done += 1
                if progress is not None:
                    progress(done, len(results))

        # Without a feed every URL is known: no more workers than URLs.
        workers = options.concurrency if feed is not None else min(options.concurrency, len(urls))
        tasks = [worker() for _ in range(workers)]
        if feed is not None:
            tasks.append(feeder(feed))
        await asyncio.gather(*tasks)
    await guarded.close()  # the connector closes only resolvers it created itself
    if feed is not None:
        # A URL checked before a later guide was loaded learns of that guide's uses now.
        for index, result in enumerate(results):
            if result is not None and len(result.references) != len(urls[result.url]):
                results[index] = result.evolve(references=tuple(urls[result.url]))
    checked_results = tuple(result for result in results if result is not None)
    checked, failed = _host_tally(checked_results, run.kinds)
    return Tally(checked_results, checked, failed, run.bytes_read)


def _session(
    connector: aiohttp.TCPConnector, timeout: aiohttp.ClientTimeout, cookies: aiohttp.CookieJar
) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        trust_env=False,  # a proxy from the environment would bypass the address guard
        cookie_jar=cookies,
        # Real sites send long CSP and cookie headers; aiohttp's 8 KiB default calls them broken.
        max_line_size=65536,
        max_field_size=65536,
    )


def _ssl_context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        # Added to the system roots, not instead of them: an intranet CA alongside the web's.
        context.load_verify_locations(cafile=ca_file)
    return context


def _host_tally(results: tuple[LinkResult, ...], kinds: Mapping[str, str]) -> tuple[int, int]:
    """(hosts checked, hosts at which every URL failed at the connection level)."""
    hosts: dict[str, bool] = {}
    for result in results:
        if result.verdict is Verdict.SKIPPED:
            continue
        host = _host_key(result.url)
        if not host:
            continue
        # A failure after a redirect means the first host did answer.
        failed = kinds.get(result.url) in CONNECTION_KINDS and not result.redirects
        hosts[host] = hosts.get(host, True) and failed
    return len(hosts), sum(hosts.values())


async def _check_one(
    run: _Run, url: str, references: tuple[Reference, ...], run_end: float, today: datetime.date
) -> LinkResult:
    skip = _skip_reason(url, run.options, today)
    if skip is not None:
        return LinkResult(url, Verdict.SKIPPED, references=references, notes=(skip,))
    start = time.monotonic()
    remaining = run_end - start
    if remaining <= 0:
        return LinkResult(
            url,
            Verdict.ERROR,
            references=references,
            error="not checked: the run deadline was reached first",
        )
    budget = min(run.options.deadline, remaining)
    attempts = 0
    outcome: _Outcome | None = None  # the last completed attempt's
    use_head = head_may_suffice(url)
    try:
        async with asyncio.timeout(budget) as timeout:
            loop_now = asyncio.get_running_loop().time()
            _DEADLINE.set(_Deadline(timeout, loop_now + (run_end - time.monotonic())))
            for attempt in range(run.options.retries + 1):
                attempts += 1
                outcome = None
                outcome, head_ok = await _attempt(run, url, use_head)
                use_head = use_head and head_ok
                reason = retry_reason(outcome)
                if reason is None or attempt == run.options.retries:
                    break
                if (
                    outcome.retry_after is not None
                    and outcome.retry_after > run.options.retry_after_cap
                ):
                    outcome.notes += (
                        f"asked to retry after {outcome.retry_after:.0f} s, more than the "
                        f"{run.options.retry_after_cap:.0f} s cap: not retried",
                    )
                    break
                await asyncio.sleep(
                    backoff_delay(attempt, run.options.backoff, outcome.retry_after)
                )
    except TimeoutError:
        elapsed = time.monotonic() - start
        if outcome is not None:
            # The deadline struck while waiting to retry: the last answer stands.
            outcome.notes += (f"deadline reached after {attempts} attempt(s); not retried again",)
        elif time.monotonic() >= run_end - 0.05:
            outcome = _Outcome(
                Verdict.ERROR, "run-deadline", error="not finished: the run deadline was reached"
            )
        else:
            outcome = _Outcome(
                Verdict.TIMEOUT,
                "timeout",
                status=outcome.status if outcome else None,
                error=f"no usable answer within the per-URL deadline ({elapsed:.1f} s, {attempts} attempt(s))",
            )
    assert outcome is not None
    run.kinds[url] = outcome.kind
    return LinkResult(
        url=url,
        references=references,
        verdict=outcome.verdict,
        status=outcome.status,
        final_url=outcome.final_url,
        redirects=outcome.hops,
        attempts=attempts,
        elapsed_ms=round((time.monotonic() - start) * 1000),
        error=outcome.error,
        page=outcome.page,
        cross_domain=outcome.cross_domain,
        notes=outcome.notes,
    )


def _skip_reason(url: str, options: CheckOptions, today: datetime.date) -> str | None:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ("mailto", "tel", "sms"):
        return f"{scheme}: link, not checked over HTTP"
    for exclusion in options.exclude:
        if exclusion.matches(url) and not exclusion.expired(today):
            until = f" until {exclusion.expires}" if exclusion.expires else ""
            return f"excluded by config{until}: {exclusion.reason}"
    return None


async def _attempt(run: _Run, url: str, use_head: bool) -> tuple[_Outcome, bool]:
    """One attempt (HEAD, then GET if needed); returns the outcome and whether HEAD was usable."""
    target = url.split("#", 1)[0]
    head_ok = use_head
    try:
        if use_head:
            try:
                hops, response = await _follow(run, target, "HEAD")
                if 200 <= response.status < 300 and not _needs_content(response):
                    return _classify(run, url, hops, response, None), True
                if response.status == 429:
                    # Rate limits apply to every method: a GET now would only add to the load.
                    return _classify(run, url, hops, response, None), True
                head_ok = 200 <= response.status < 300
            except _Failure as failure:
                if failure.outcome.kind not in (
                    "timeout",
                    "reset",
                    "payload",
                    "status",
                    "malformed",
                ):
                    raise
                # Some servers hang up on, time out or garble HEAD (a body after a HEAD
                # response) but serve GET: try GET now.
                head_ok = False
        hops, response = await _follow(run, target, "GET")
    except _Failure as failure:
        return failure.outcome, head_ok
    page = _page(response) if response.body is not None else None
    outcome = _classify(run, url, hops, response, page)
    if outcome.verdict in (Verdict.OK, Verdict.REDIRECTED, Verdict.MOVED) and page is not None:
        outcome = await _soft_404_probe(run, url, hops, response, page, outcome)
    return outcome, head_ok


def _parsed(response: _Response) -> URL:
    return response.parsed if response.parsed is not None else URL(response.url)


def _needs_content(response: _Response) -> bool:
    return response.mime in _HTML_TYPES or not response.mime


# Documents and media: a HEAD says all the report needs, and their bodies can be large.
_DOCUMENT_SUFFIX: Final = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|csv|txt|zip|gz|tgz|7z|rar|epub|mp3|m4a|wav|ogg|"
    r"mp4|m4v|mov|avi|wmv|webm|png|jpe?g|gif|webp|ico|exe|msi|dmg|apk)$",
    re.I,
)


def head_may_suffice(url: str) -> bool:
    """Whether to try HEAD first: only for documents and media, judged by the path.

    Web pages are read anyway (soft-404 signals, the page snapshot, #fragments), so a HEAD
    before their GET would only double the requests to every host.
    """
    return _DOCUMENT_SUFFIX.search(_path(url)) is not None


def _path(url: str) -> str:
    """The decoded path of an absolute URL, without building a URL object (once per URL)."""
    rest = url.split("#", 1)[0].split("?", 1)[0]
    start = rest.find("://")
    slash = rest.find("/", start + 3) if start >= 0 else -1
    path = rest[slash:] if slash >= 0 else ""
    return unquote(path) if "%" in path else path


@dataclass(frozen=True)
class _PageView:
    extracted: Extracted
    headings: tuple[str, ...]
    markup: str
    scripted: bool  # the page builds itself with scripts: empty text proves nothing
    refresh: str | None  # target of an immediate <meta http-equiv="refresh">, if any
    note: str | None = None  # how the markup was bounded before parsing (content.parse)


def _page(response: _Response) -> _PageView | None:
    assert response.body is not None
    mime = response.mime
    head = response.body[:1024].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<head" in head
    if mime not in _HTML_TYPES and not (not mime and looks_html):
        return None
    markup = decode(response.body, response.charset)
    parsed = parse(markup)  # bounded: a page 100,000 divs deep stalled the loop (issue 14)
    tree = parsed.tree  # parsed once: extract_tree drops scripts and <head> last
    # Lookups by tag name, and on a small page none where the source lacks the name: see
    # content._may_hide for what the CSS engine costs and why a name must be in the source.
    source = lowered_source(tree)
    headings = tuple(
        text for node in tree.tags("h1")[:3] if (text := " ".join(node.text().split()))
    )
    if source is None:
        scripted = tree.css_first("script") is not None  # stops at the first of many
    else:
        scripted = b"<script" in source and bool(tree.tags("script"))
    refresh = None
    if source is None or b"<meta" in source:
        refresh = _meta_refresh(tree, response.url)
    return _PageView(extract_tree(tree), headings, markup, scripted, refresh, parsed.note)


_REFRESH: Final = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]*)", re.I)
REFRESH_MAX_DELAY: Final = 10.0


def _meta_refresh(tree: LexborHTMLParser, base: str) -> str | None:
    """Where a page sends readers at once with a meta refresh (a redirect in HTML)."""
    for node in tree.tags("meta"):
        if (node.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        match = _REFRESH.match(node.attributes.get("content") or "")
        if match and float(match.group(1)) <= REFRESH_MAX_DELAY and match.group(2).strip():
            try:
                return str(URL(base).join(URL(match.group(2).strip())))
            except ValueError:
                return None
    return None


def _broken_redirect(
    response: _Response, hops: list[Hop], error: str, final_url: str | None = None
) -> _Failure:
    outcome = _Outcome(
        Verdict.BROKEN,
        "status",
        status=response.status,
        hops=tuple(hops),
        final_url=final_url,
        error=error,
    )
    return _Failure(outcome)


async def _follow(run: _Run, url: str, method: str) -> tuple[tuple[Hop, ...], _Response]:
    hops: list[Hop] = []
    visits = {url: 1}
    current = url
    while True:
        try:
            response = await _request(run, method, current)
        except _Failure as failure:
            failure.outcome.hops = tuple(hops)
            if hops and failure.outcome.final_url is None:
                failure.outcome.final_url = current  # where the chain led before it failed
            raise
        if not (300 <= response.status < 400) or response.status == 304:
            return tuple(hops), response
        hops.append(Hop(current, response.status))
        location = response.headers.get("location", "").strip()
        if not location:
            raise _broken_redirect(
                response, hops, f"{response.status} redirect without a Location header"
            )
        try:
            following = str(URL(current).join(URL(location)).with_fragment(None))
        except ValueError as error:
            raise _broken_redirect(
                response, hops, f"redirect to an invalid Location {location[:200]!r}: {error}"
            ) from None
        # A second visit is allowed (cookie checks redirect to the same URL); a third is a loop.
        if visits.get(following, 0) >= 2:
            raise _broken_redirect(
                response, hops, f"redirect loop: {following} was already visited", following
            )
        if len(hops) >= run.options.max_redirects:
            raise _broken_redirect(
                response, hops, f"more than {run.options.max_redirects} redirects", following
            )
        if URL(following).scheme not in ("http", "https"):
            raise _broken_redirect(
                response, hops, f"redirect to a non-web address {following[:200]}", following
            )
        visits[following] = visits.get(following, 0) + 1
        current = following


async def _request(run: _Run, method: str, url: str) -> _Response:
    options = run.options
    try:
        parsed = URL(url)
    except ValueError as error:
        raise _Failure(_Outcome(Verdict.ERROR, "invalid", error=f"invalid URL: {error}")) from None
    if parsed.scheme not in ("http", "https"):
        raise _Failure(
            _Outcome(Verdict.ERROR, "invalid", error=f"unsupported scheme {parsed.scheme!r}")
        )
    if not parsed.raw_host:
        raise _Failure(_Outcome(Verdict.ERROR, "invalid", error="URL has no host"))
    refusal = run.literal_refusal(parsed.raw_host)
    if refusal is not None:
        raise _Failure(_Outcome(Verdict.UNSAFE, "unsafe", error=str(refusal), final_url=url))
    rule = options.host_rule(parsed.host or "")
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en;q=0.9,*;q=0.5",
        **rule.headers,
    }
    gate = run.gate(parsed)
    await gate.acquire()
    try:
        try:
            async with asyncio.timeout(options.timeout):
                session = run.head_session if method == "HEAD" else run.session
                async with session.request(
                    method, parsed, headers=headers, allow_redirects=False
                ) as raw:
                    try:
                        status = raw.status
                        response_headers = {
                            key.lower(): value for key, value in raw.headers.items()
                        }
                        body: bytes | None = None
                        truncated = False
                        if method == "GET" and not (300 <= status < 400):
                            cap = options.max_body_bytes if status < 400 else ERROR_BODY_BYTES
                            body, truncated = await _read_capped(run, raw, cap)
                        else:
                            raw.close()  # redirect bodies are never needed
                        if status == 429 or status >= 500:
                            retry_after = parse_retry_after(response_headers.get("retry-after"))
                            if retry_after is not None:
                                gate.defer(min(retry_after, options.retry_after_cap))
                        return _Response(
                            url, status, response_headers, body, truncated, raw.charset, parsed
                        )
                    except BaseException:
                        # A half-read response must never go back to the pool: the next
                        # request on that connection would read this one's leftovers.
                        raw.close()
                        raise
        except aiohttp.ClientError as error:
            # Before TimeoutError: aiohttp's connect timeouts are both, and say more.
            raise _Failure(_from_client_error(error)) from None
        except TimeoutError:
            raise _Failure(
                _Outcome(
                    Verdict.TIMEOUT,
                    "timeout",
                    error=f"no complete answer within {options.timeout:g} s",
                )
            ) from None
        except ssl.SSLError as error:
            raise _Failure(
                _Outcome(Verdict.TLS_ERROR, "tls", error=f"TLS error: {error}")
            ) from None
        except OSError as error:
            raise _Failure(_Outcome(Verdict.UNREACHABLE, "network", error=str(error))) from None
    finally:
        gate.release()


async def _read_capped(run: _Run, raw: aiohttp.ClientResponse, cap: int) -> tuple[bytes, bool]:
    """Read at most `cap` decompressed bytes, chunk by chunk; never the whole of a huge body."""
    chunks: list[bytes] = []
    size = 0
    truncated = False
    async for chunk in raw.content.iter_chunked(_CHUNK):
        room = cap - size
        if len(chunk) >= room:
            chunks.append(chunk[:room])
            size += room
            truncated = len(chunk) > room or not raw.content.at_eof()
            break
        chunks.append(chunk)
        size += len(chunk)
    run.bytes_read += size
    if truncated:
        raw.close()  # drop the connection: draining the rest is what the cap is there to avoid
    return b"".join(chunks), truncated


def _from_client_error(error: aiohttp.ClientError) -> _Outcome:
    unsafe = unsafe_cause(error)
    if unsafe is not None:
        return _Outcome(Verdict.UNSAFE, "unsafe", error=str(unsafe))
    if isinstance(error, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return _Outcome(Verdict.TLS_ERROR, "tls", error=f"TLS error: {_describe(error)}")
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        code = getattr(error.os_error, "errno", None)
        temporary = code in (socket.EAI_AGAIN, getattr(socket, "EAI_NODATA", None))
        kind = "dns-temporary" if temporary else "dns"
        return _Outcome(Verdict.UNREACHABLE, kind, error=f"DNS lookup failed: {_describe(error)}")
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return _Outcome(Verdict.TIMEOUT, "connect-timeout", error="connection timed out")
    if isinstance(error, aiohttp.ServerTimeoutError):
        return _Outcome(Verdict.TIMEOUT, "timeout", error=f"timed out: {_describe(error)}")
    if isinstance(error, aiohttp.ClientConnectorError):
        code = error.os_error.errno
        if code in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return _Outcome(Verdict.UNREACHABLE, "network", error=f"no route: {_describe(error)}")
        return _Outcome(Verdict.UNREACHABLE, "refused", error=f"cannot connect: {_describe(error)}")
    if isinstance(error, aiohttp.ClientPayloadError):
        return _Outcome(
            Verdict.BROKEN, "payload", error=f"body cut off mid-transfer: {_describe(error)}"
        )
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
        return _Outcome(
            Verdict.UNREACHABLE,
            "reset",
            error=f"connection closed before a response: {_describe(error)}",
        )
    if isinstance(error, aiohttp.InvalidURL):
        return _Outcome(Verdict.ERROR, "invalid", error=f"invalid URL: {_describe(error)}")
    if isinstance(error, aiohttp.ClientResponseError) and "Got more than" in error.message:
        # Headers beyond our limit: the site may well work in a browser, so no verdict of death.
        return _Outcome(
            Verdict.ERROR, "oversized", error=f"response headers too large: {_describe(error)}"
        )
    if isinstance(error, aiohttp.ClientResponseError):
        # Malformed status line or headers: the server answered, but not in HTTP.
        return _Outcome(
            Verdict.BROKEN, "malformed", error=f"malformed response: {_describe(error)}"
        )
    return _Outcome(Verdict.ERROR, "error", error=_describe(error))


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return re.sub(r"\s+", " ", text)[:300]


def _classify(
    run: _Run, url: str, hops: tuple[Hop, ...], response: _Response, page: _PageView | None
) -> _Outcome:
    status = response.status
    final = response.url if hops else None
    outcome = _Outcome(Verdict.OK, "status", status=status, hops=hops, final_url=final)
    title = page.extracted.title if page else None
    markup = page.markup if page else ""
    if status >= 400 and response.body and not page:
        markup = decode(response.body[:ERROR_BODY_BYTES], response.charset)
        title_match = re.search(r"<title[^>]*>(.*?)</title>", markup, re.I | re.S)
        title = " ".join(title_match.group(1).split()) if title_match else None
    wall = signals.challenge(status, response.headers, title, markup)
    rules = run.options.hosts
    if rules and status in run.options.host_rule(_parsed(response).host or "").accept:
        return _alive(run, url, outcome, response, page, note=f"status {status} accepted by config")
    if wall is not None:
        outcome.verdict, outcome.kind, outcome.error = Verdict.BLOCKED, "status", wall
        return outcome
    if 200 <= status < 300:
        return _alive(run, url, outcome, response, page)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status in BLOCKED_STATUSES:
        outcome.verdict = Verdict.BLOCKED
        outcome.retry_after = retry_after if status == 429 else None
        outcome.error = f"HTTP {status}: access refused to the checker (not proof the page is gone)"
    elif status == 403:
        if response.body is not None and signals.storage_denied(response.body):
            outcome.verdict = Verdict.BROKEN
            outcome.error = (
                "HTTP 403 with a storage AccessDenied error: the object is gone or private"
            )
        else:
            outcome.verdict = Verdict.BLOCKED
            outcome.error = "HTTP 403: access refused to the checker (not proof the page is gone)"
    elif status == 408:
        outcome.verdict, outcome.error = Verdict.TIMEOUT, "HTTP 408: the server timed out"
    elif 400 <= status < 500:
        outcome.verdict, outcome.error = Verdict.BROKEN, f"HTTP {status}"
    elif status >= 500:
        outcome.verdict, outcome.error = Verdict.SERVER_ERROR, f"HTTP {status}"
        outcome.retry_after = retry_after
    else:
        outcome.verdict, outcome.error = Verdict.ERROR, f"unexpected HTTP status {status}"
    return outcome


def _alive(
    run: _Run,
    url: str,
    outcome: _Outcome,
    response: _Response,
    page: _PageView | None,
    note: str | None = None,
) -> _Outcome:
    hops = outcome.hops
    if note:
        outcome.notes += (note,)
    if page is not None and page.note:
        outcome.notes += (page.note,)
    if hops and hops[0].status in PERMANENT:
        # The guide should point where the permanent redirects lead, not where a later
        # temporary hop (a session or login bounce) happens to send us today.
        permanent = 0
        while permanent < len(hops) and hops[permanent].status in PERMANENT:
            permanent += 1
        outcome.verdict = Verdict.MOVED
        outcome.final_url = hops[permanent].url if permanent < len(hops) else response.url
    elif hops:
        outcome.verdict = Verdict.REDIRECTED
    if hops:
        outcome.cross_domain = registrable_domain(URL(url).host or "") != registrable_domain(
            URL(outcome.final_url or response.url).host or ""
        )
    # A status accepted by config (a members-only 401 page) is alive whatever its body says.
    accepted = note is not None and not 200 <= response.status < 300
    soft = None if accepted else _soft_404_reason(url, hops, response, page)
    if soft is not None:
        outcome.verdict, outcome.kind, outcome.error = Verdict.SOFT_404, "content", soft
        return outcome
    if page is not None:
        extracted = page.extracted
        wanted = run.options.main_content_for  # main content for the baseline only (issue 14)
        main = main_text(page.markup) if wanted is None or url in wanted else None
        outcome.page = Page(extracted.title, extracted.text[:MAX_PAGE_TEXT], main=main)
        fragment = _fragment(url)
        if fragment is not None and fragment not in extracted.anchors:
            if response.truncated:
                outcome.notes += (
                    f"#{fragment} not seen in the first {run.options.max_body_bytes} bytes",
                )
            else:
                outcome.verdict = Verdict.FRAGMENT_MISSING
                outcome.kind = "content"
                outcome.error = f"no element with id or name {fragment!r} on the page"
    if response.truncated:
        outcome.notes += (f"body read up to the {run.options.max_body_bytes}-byte cap",)
    return outcome


def _soft_404_reason(
    url: str, hops: tuple[Hop, ...], response: _Response, page: _PageView | None
) -> str | None:
    if hops and signals.deep_link_sent_home(url.split("#", 1)[0], response.url):
        return f"deep link redirected to the site's home page {response.url}"
    if response.body is not None and not response.body.strip():
        return "blank page: the server answered with an empty body"
    if page is None:
        return None
    if page.refresh is not None and signals.deep_link_sent_home(url.split("#", 1)[0], page.refresh):
        return f"deep link sends readers to the home page {page.refresh} (meta refresh)"
    extracted = page.extracted
    parked = signals.parked(extracted.title, extracted.text, page.markup)
    if parked:
        return parked
    error = signals.error_page(extracted.title, page.headings, extracted.text)
    if error:
        return error
    if not extracted.text and not extracted.title and not page.scripted:
        return "blank page: no visible text"
    return None


def _fragment(url: str) -> str | None:
    if "#" not in url:
        return None
    fragment = unquote(url.split("#", 1)[1])
    # Empty and "top" always work; "#!/..", "#/.." and text fragments are for scripts and
    # browsers, not element ids.
    if not fragment or fragment.lower() == "top" or fragment.startswith(("!", "/", ":~:")):
        return None
    return fragment


# A page's text is compared with a random sibling's only when it says enough to compare.
PROBE_MIN_TEXT: Final = 80
PROBE_SIMILARITY: Final = 0.9


async def _soft_404_probe(
    run: _Run,
    url: str,
    hops: tuple[Hop, ...],
    response: _Response,
    page: _PageView,
    outcome: _Outcome,
) -> _Outcome:
    """Catch-all sites answer every path with the same page: compare ours with a random one."""
    if not run.options.probe_soft_404 or signals.is_home(url.split("#", 1)[0]):
        return outcome
    final = _parsed(response)
    parent = final.path.rsplit("/", 1)[0] + "/"
    key = (str(final.origin()), parent)
    future = run.probes.get(key)
    if future is None:
        future = asyncio.get_running_loop().create_future()
        run.probes[key] = future
        segment = f"guidelint-probe-{secrets.token_hex(8)}"
        probe_url = str(final.origin().with_path(parent + segment))
        try:
            probe_hops, probe_response = await _follow(run, probe_url, "GET")
            view = _page(probe_response) if probe_response.body is not None else None
            alive = 200 <= probe_response.status < 300
            future.set_result(
                _Probe(
                    view.extracted if view is not None and alive else None,
                    probe_response.url if probe_hops and alive else None,
                    segment,
                )
            )
        except _Failure:
            future.set_result(_Probe(None, None))
        except BaseException:
            future.set_result(_Probe(None, None))
            raise
    # Most URLs find their site's probe answered already: no need to shield a finished one.
    probe = future.result() if future.done() else await asyncio.shield(future)
    if hops and probe.final_url is not None and probe.final_url == response.url:
        outcome.verdict, outcome.kind = Verdict.SOFT_404, "content"
        outcome.error = (
            f"redirected to {response.url}, where a random path on the same site also lands"
        )
        return outcome
    if probe.extracted is None:
        return outcome
    ours = page.extracted
    short = len(ours.text) < PROBE_MIN_TEXT
    if not ours.text or (short and page.scripted):
        # An app shell ("Loading…") looks the same on every path of a working site too.
        outcome.notes += ("page is built by scripts: its content could not be verified",)
        return outcome
    from rapidfuzz import fuzz

    # Catch-all pages often quote the path they were asked for; compare them without it.
    mine = final.path.rstrip("/").rsplit("/", 1)[-1]

    def without_ours(text: str) -> str:
        return text.replace(mine, "\0") if len(mine) >= 3 else text

    def without_probe(text: str) -> str:
        return text.replace(probe.segment, "\0") if probe.segment else text

    assert probe.extracted is not None
    similarity = (
        fuzz.ratio(without_ours(ours.text[:5000]), without_probe(probe.extracted.text[:5000])) / 100
    )
    # A short text must match exactly: a few words leave fuzzy matching too little to go on.
    threshold = 1.0 if short else PROBE_SIMILARITY
    title_similarity = fuzz.ratio(
        without_ours(ours.title or ""), without_probe(probe.extracted.title or "")
    )
    same_title = title_similarity / 100 >= threshold
    if similarity >= threshold and same_title:
        outcome.verdict, outcome.kind = Verdict.SOFT_404, "content"
        outcome.error = (
            f"the site answers any path with this same page ({similarity:.0%} alike a random "
            "path on the same host): the linked page is probably gone"
        )
        outcome.page = None
    return outcome
