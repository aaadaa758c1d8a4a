"""Check URLs politely and safely, and classify each into one verdict (PRODUCT.md §4).

The stages, each a module, after lychee-lib's layout:

- `hosts`: a URL's authority, host key and registrable domain;
- `schedule`: which URL goes next, per-host gates, the per-URL deadline paused while queueing;
- `transport`: sessions, guarded connections, redirects followed by hand, capped reads, and
  the one mapping of client errors to a `FailureKind`;
- `retry`: which attempts deserve another try, and when;
- `page`: the page view read from an HTML answer;
- `classify`: answer in, verdict out, pure;
- `probe`: the soft-404 probe of a random sibling path;
- `loop`: one event loop's run, URL by URL, attempt by attempt;
- `shard`: several processes, each owning whole sites.

This module holds `check_urls`, which returns a `RunOutcome` and never prints, and the one
definition of an offline run: when (nearly) every host failed at the connection level, the
CLI says the checker looks offline instead of reporting a wall of dead links, and the run
history counts the run for nobody.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final

from guidelint.links.check.hosts import host_key
from guidelint.links.check.pace import bound
from guidelint.links.check.records import FailureKind
from guidelint.links.model import (
    Feed,
    LinkResult,
    Reference,
    RunOutcome,
    Tally,
    Verdict,
    Work,
)
from guidelint.links.settings import CheckOptions

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links.baseline import BaselineView

#: Failure kinds that mean "could not even talk to the host": the evidence for an offline run.
#: A read timeout (FailureKind.TIMEOUT) is not among them: the TCP connection was made, so
#: the network was there; a slow server, or one that hangs on our request, says nothing
#: about our own connection.
CONNECTION_FAILURES: Final[frozenset[FailureKind]] = frozenset(
    {
        FailureKind.DNS,
        FailureKind.DNS_TEMPORARY,
        FailureKind.REFUSED,
        FailureKind.CONNECT_TIMEOUT,
        FailureKind.NETWORK,
    }
)
#: A library linking one or two sites that are down still gets its dead links reported.
OFFLINE_MIN_HOSTS: Final = 3
OFFLINE_SHARE: Final = 0.9


def host_tally(results: Iterable[LinkResult], kinds: Mapping[str, FailureKind]) -> tuple[int, int]:
    """(hosts checked, hosts at which every URL failed at the connection level).

    `kinds`: what each URL's last attempt came to, for those that got no answer (a URL
    missing from it was answered). Skipped URLs do not count.
    """
    hosts: dict[str, bool] = {}
    for result in results:
        if result.verdict is Verdict.SKIPPED:
            continue
        host = host_key(result.url)
        if not host:
            continue
        # A failure after a redirect means the first host did answer.
        failed = kinds.get(result.url) in CONNECTION_FAILURES and not result.redirects
        hosts[host] = hosts.get(host, True) and failed
    return len(hosts), sum(hosts.values())


def is_offline(hosts_checked: int, hosts_unreachable: int) -> bool:
    """Whether a run looks offline: at least 3 hosts, and 90% of them unreachable."""
    return hosts_checked >= OFFLINE_MIN_HOSTS and hosts_unreachable >= OFFLINE_SHARE * hosts_checked


def check_urls(
    urls: Mapping[str, Sequence[Reference]],
    options: CheckOptions,
    resolver: AbstractResolver | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: datetime.date | None = None,
    feed: Feed | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
    baseline: BaselineView | None = None,
) -> RunOutcome:
    """Check every URL (each once), in one event loop or in several processes that each own
    whole sites (`jobs`, see `check.shard`).

    With a `feed`, `urls` is still growing: the loop checks what is known while the rest
    arrives, and each result's references are the complete list once the feed is done. It
    may hold URLs expected before their guide has loaded, with no use yet
    (`collect.Loading.expect`): the result of one that no loaded guide uses is dropped, and
    `on_result` gets a URL's result only if a loaded guide used it by then.
    `on_result` is called with each result as it is made, in one event loop only (the run
    history records them meanwhile, see `links.recorder`); a run in several processes
    calls it for none. `baseline` says which results are new and keep their page's text
    (None: none is marked new, every one keeps it). Raises WorkerError when a checking
    process dies.
    """
    # aiohttp and the HTML parser: imported when links are checked, not with this package.
    from guidelint.links.check import loop, shard

    started = datetime.datetime.now(datetime.UTC)
    day = today or started.date()
    if feed is not None and (options.jobs or 1) > 1:
        # Sites are split between processes up front, so every URL must be known first.
        for _ in feed.pending:
            feed.take()
        feed = None
        urls = {url: uses for url, uses in urls.items() if uses}  # expected, never loaded
    run_end = time.monotonic() + options.run_deadline
    work = Work(urls, options, resolver, progress, day, run_end, feed, on_result, baseline)
    groups = shard.plan(list(urls), options)
    tally = shard.check_in_processes(groups, work) if len(groups) > 1 else loop.check_in_loop(work)
    return _outcome(started, tally, options, day)


def _outcome(
    started: datetime.datetime, tally: Tally, options: CheckOptions, day: datetime.date
) -> RunOutcome:
    notes = [
        f"exclusion {exclusion.label} expired on {exclusion.expires}; its links are checked again"
        for exclusion in options.exclude
        if exclusion.expired(day)
    ]
    checked, failed = host_tally(tally.results, tally.kinds)
    offline = is_offline(checked, failed)
    if offline:
        notes.append(
            f"{failed} of {checked} hosts could not be reached at all: the checker looks offline"
        )
    bounded = bound(tally.pace)
    if bounded is not None and bounded.binding and not offline:
        notes.append(bounded.describe())
    return RunOutcome(
        started,
        datetime.datetime.now(datetime.UTC),
        tally.results,
        offline,
        checked,
        failed,
        tally.bytes_read,
        tuple(notes),
        bounded,
    )
