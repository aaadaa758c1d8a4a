"""One event loop's run: a fixed pool of workers checks each URL, attempt by attempt.

For each distinct URL: documents and media (judged by the path) get a HEAD first, and a GET
only when HEAD fails (servers that answer HEAD with 404, 405 or 501 are common) or turns out
to be a web page; web pages get a GET at once, since their content is needed anyway (soft-404
signals, the page snapshot, `#fragment` checks). Transient failures are retried by
`retry.retry_reason`, with exponential backoff, jitter and `Retry-After`. Three deadlines
bound time: per request (`transport`), per URL (paused while the URL waits for its turn at
a busy host, see `schedule`) and per run.
"""

from __future__ import annotations

import asyncio
import datetime
import re
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote

from guidelint.links.check.classify import classify
from guidelint.links.check.pace import Pace
from guidelint.links.check.page import HTML_TYPES, PageReader
from guidelint.links.check.probe import Prober
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.check.redirects import Chain
from guidelint.links.check.retry import backoff_delay, retry_reason
from guidelint.links.check.schedule import Schedule, set_deadline
from guidelint.links.check.transport import Failure, Transport, connect, small_tls_buffers
from guidelint.links.model import (
    Feed,
    LinkResult,
    Reference,
    Tally,
    Verdict,
    Work,
)
from guidelint.links.settings import CheckOptions

if TYPE_CHECKING:
    from guidelint.links.baseline import BaselineView

_ALIVE: Final = frozenset({Verdict.OK, Verdict.REDIRECTED, Verdict.MOVED})
_ANSWERED: Final = frozenset({FailureKind.STATUS, FailureKind.CONTENT})
# Failures of a HEAD after which a GET may still work: some servers hang up on, time out or
# garble HEAD (a body after a HEAD response) but serve GET.
_HEAD_FLAKY: Final = frozenset(
    {
        FailureKind.TIMEOUT,
        FailureKind.RESET,
        FailureKind.PAYLOAD,
        FailureKind.STATUS,
        FailureKind.MALFORMED,
    }
)


def check_in_loop(work: Work) -> Tally:
    """Check `work.urls` in one asyncio event loop."""
    tally: list[Tally] = []

    async def main() -> None:
        # Returns nothing on purpose: Python 3.11's asyncio.run formats repr() of its main
        # task, result included, when it restores the SIGINT handler; 10,000 results took a
        # quarter of a second to format for nothing.
        tally.append(await _check_loop(work))

    with small_tls_buffers():
        asyncio.run(main())
    return tally[0]


async def _check_loop(work: Work) -> Tally:
    urls, options, progress, on_result = work.urls, work.options, work.progress, work.on_result
    results: list[LinkResult | None] = [None] * len(urls)
    feed = work.feed if work.feed is not None and work.feed.pending else None
    reader = PageReader()
    async with connect(options, work.resolver) as transport:
        checker = _Checker(options, transport, reader, work.run_end, work.day, work.baseline)
        schedule = Schedule(list(urls), options.per_host, options.min_interval)
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
                    result = results[index] = await checker.check(url, tuple(urls[url]))
                finally:
                    schedule.finished(url)
                if on_result is not None and urls[url]:  # a URL expected, not yet loaded,
                    on_result(result)  # is given to on_result by no one: see check_urls
                done += 1
                if progress is not None:
                    progress(done, len(results))

        # Without a feed every URL is known: no more workers than URLs.
        workers = options.concurrency if feed is not None else min(options.concurrency, len(urls))
        tasks = [worker() for _ in range(workers)]
        if feed is not None:
            tasks.append(feeder(feed))
        began = time.monotonic()
        try:
            await asyncio.gather(*tasks)
        finally:
            reader.close()
        pace = Pace(
            seconds=time.monotonic() - began,
            concurrency=options.concurrency,
            per_host=options.per_host,
            interval=options.min_interval,
            slowest=checker.slowest,
            slowest_url=checker.slowest_url,
            hosts={key: (gate.requests, gate.held) for key, gate in transport.gates.items()},
        )
    if feed is not None:
        _complete(results, urls)
    checked_results = tuple(result for result in results if result is not None)
    return Tally(checked_results, checker.kinds, transport.bytes_read, pace)


def _complete(results: list[LinkResult | None], urls: Mapping[str, Sequence[Reference]]) -> None:
    """Once every guide has loaded: a URL checked before a later guide was loaded learns of
    that guide's uses, and one expected that no loaded guide uses is dropped
    (`collect.Loading.expect`)."""
    for index, result in enumerate(results):
        if result is None:
            continue
        uses = urls[result.url]
        if not uses:
            results[index] = None
        elif len(result.references) != len(uses):
            results[index] = result.evolve(references=tuple(uses))


class _Checker:
    """Checks one URL at a time (many at once, one per worker), attempt by attempt."""

    def __init__(
        self,
        options: CheckOptions,
        transport: Transport,
        reader: PageReader,
        run_end: float,
        today: datetime.date,
        baseline: BaselineView | None = None,
    ) -> None:
        self.options = options
        self.baseline = baseline
        self.transport = transport
        self.reader = reader
        self.prober = Prober(transport, reader)
        self.run_end = run_end
        self.today = today
        # url -> what its last attempt came to, when it got no answer: an answer (a status,
        # a page) is no evidence of an offline run, and 100,000 of them took 5 MB.
        self.kinds: dict[str, FailureKind] = {}
        # For `pace`: the longest a URL took with waits at host gates left out.
        self.slowest = 0.0
        self.slowest_url: str | None = None

    async def check(self, url: str, references: tuple[Reference, ...]) -> LinkResult:
        options = self.options
        skip = skip_reason(url, options, self.today)
        if skip is not None:
            return LinkResult(url, Verdict.SKIPPED, references=references, notes=(skip,))
        start = time.monotonic()
        remaining = self.run_end - start
        if remaining <= 0:
            return LinkResult(
                url,
                Verdict.ERROR,
                references=references,
                error="not checked: the run deadline was reached first",
            )
        attempts = 0
        outcome: Outcome | None = None  # the last completed attempt's
        use_head = head_may_suffice(url)
        deadline = None
        try:
            async with asyncio.timeout(min(options.deadline, remaining)) as timeout:
                deadline = set_deadline(timeout, self.run_end)
                for attempt in range(options.retries + 1):
                    attempts += 1
                    outcome = None
                    outcome, head_ok = await self._attempt(url, use_head)
                    use_head = use_head and head_ok
                    reason = retry_reason(outcome)
                    if reason is None or attempt == options.retries:
                        break
                    wait = outcome.retry_after
                    if wait is not None and wait > options.retry_after_cap:
                        outcome = outcome.noted(
                            f"asked to retry after {wait:.0f} s, more than the "
                            f"{options.retry_after_cap:.0f} s cap: not retried"
                        )
                        break
                    await asyncio.sleep(backoff_delay(attempt, options.backoff, wait))
        except TimeoutError:
            outcome = self._timed_out(outcome, attempts, time.monotonic() - start)
        assert outcome is not None
        if outcome.kind not in _ANSWERED:
            self.kinds[url] = outcome.kind
        baseline = self.baseline
        elapsed = time.monotonic() - start
        active = elapsed - (deadline.waited if deadline is not None else 0.0)
        if active > self.slowest:
            self.slowest, self.slowest_url = active, url
        return LinkResult(
            url=url,
            references=references,
            verdict=outcome.verdict,
            status=outcome.status,
            final_url=outcome.final_url,
            redirects=outcome.hops,
            attempts=attempts,
            elapsed_ms=round(elapsed * 1000),
            error=outcome.error,
            page=outcome.page if baseline is None or baseline.keeps_page(url) else None,
            new=baseline is not None and baseline.new(url, outcome.verdict),
            cross_domain=outcome.cross_domain,
            notes=outcome.notes,
        )

    def _timed_out(self, last: Outcome | None, attempts: int, elapsed: float) -> Outcome:
        """What a URL whose deadline struck comes to, given its last completed attempt."""
        if last is not None:
            # The deadline struck while waiting to retry: the last answer stands.
            return last.noted(f"deadline reached after {attempts} attempt(s); not retried again")
        if time.monotonic() >= self.run_end - 0.05:
            return Outcome(
                Verdict.ERROR,
                FailureKind.RUN_DEADLINE,
                error="not finished: the run deadline was reached",
            )
        return Outcome(
            Verdict.TIMEOUT,
            FailureKind.TIMEOUT,
            error=f"no usable answer within the per-URL deadline ({elapsed:.1f} s, {attempts} attempt(s))",
        )

    async def _attempt(self, url: str, use_head: bool) -> tuple[Outcome, bool]:
        """One attempt (HEAD, then GET if needed); the outcome and whether HEAD was usable."""
        target = url.split("#", 1)[0]
        head_ok = use_head
        transport = self.transport
        limit = self.options.max_redirects
        chain = Chain.start(target, limit)
        try:
            if use_head:
                try:
                    hops, response = await transport.follow(target, "HEAD", chain)
                    if 200 <= response.status < 300 and not needs_content(response):
                        outcome = classify(url, hops, response, None, self.options)
                        return _with_notes(outcome, chain), True
                    if response.status == 429:
                        # Rate limits apply to every method: a GET now would only add to the load.
                        outcome = classify(url, hops, response, None, self.options)
                        return _with_notes(outcome, chain), True
                    head_ok = 200 <= response.status < 300
                except Failure as failure:
                    if failure.outcome.kind not in _HEAD_FLAKY:
                        raise
                    head_ok = False  # try GET now
                chain = Chain.start(target, limit)
            hops, response = await transport.follow(target, "GET", chain)
            wanted = self.options.main_content_for  # for the baseline only (issue 14)
            main = wanted is None or url in wanted
            page = await self.reader.read(response, main)
            # An immediate meta refresh is a redirect written in HTML: followed through the
            # same chain (hop limit, loop check, address guard), and the landing page judged.
            while page is not None and page.refresh is not None and 200 <= response.status < 300:
                following = chain.refresh(response, response.url, page.refresh, "meta refresh")
                if following is None:
                    break
                hops, response = await transport.follow(following, "GET", chain)
                page = await self.reader.read(response, main)
        except Failure as failure:
            return _with_notes(failure.outcome, chain), head_ok
        outcome = classify(url, hops, response, page, self.options)
        if outcome.verdict in _ALIVE and page is not None:
            outcome = await self.prober.check(url, hops, response, page, outcome)
        return _with_notes(outcome, chain), head_ok


def _with_notes(outcome: Outcome, chain: Chain) -> Outcome:
    """The outcome with what following its redirects noted (credentials dropped, refreshes)."""
    if not chain.notes:
        return outcome
    return replace(outcome, notes=(*chain.notes, *outcome.notes))


def skip_reason(url: str, options: CheckOptions, today: datetime.date) -> str | None:
    """Why a URL is not requested at all (not a web link, excluded by config), or None."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ("mailto", "tel", "sms"):
        return f"{scheme}: link, not checked over HTTP"
    for exclusion in options.exclude:
        if exclusion.matches(url) and not exclusion.expired(today):
            until = f" until {exclusion.expires}" if exclusion.expires else ""
            return f"excluded by config{until}: {exclusion.reason}"
    return None


def needs_content(response: Response) -> bool:
    return response.mime in HTML_TYPES or not response.mime


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
