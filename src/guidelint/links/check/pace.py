"""What bounded a run's time: counts kept while checking, and the limit they point to.

A run can end no sooner than each of these lower bounds allows:

- the per-host interval: (n - 1) x interval for the host that got the most requests, n;
- per-host concurrency: the time requests held a host's slots, over the per-host limit;
- global concurrency: the time requests were in flight, over the number allowed at once;
- the servers: the longest one URL took, waits at host gates left out.

The largest of them is what bounded the run (`bound`). Waiting times alone would mislead:
when one host's interval binds, the other workers pile up at its gate waiting for slots too.
Counting costs a clock reading per request and per URL (`HostGate` keeps a host's counts,
`loop` a URL's); the reports name the bound when it is one of guidelint's own limits and it
accounts for most of the run (`Bound.binding`), with the setting that changes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from guidelint.links.model import Bound, Limit


@dataclass(frozen=True)
class Pace:
    """One event loop's counts (or several merged, see `merge`)."""

    seconds: float  # from the first worker's start to the last one's end
    concurrency: int  # requests in flight at once, at most
    per_host: int
    interval: float  # seconds between two requests to one host
    slowest: float  # the longest one URL took, waits at host gates left out
    slowest_url: str | None
    #: host -> (requests it got, seconds they held its slots)
    hosts: Mapping[str, tuple[int, float]]


def merge(paces: Iterable[Pace]) -> Pace | None:
    """Several processes' counts as one run's: they ran side by side, on separate hosts."""
    found = list(paces)
    if not found:
        return None
    slowest = max(found, key=lambda pace: pace.slowest)
    hosts: dict[str, tuple[int, float]] = {}
    for pace in found:
        for host, (requests, held) in pace.hosts.items():
            before = hosts.get(host, (0, 0.0))
            hosts[host] = (before[0] + requests, before[1] + held)
    return Pace(
        seconds=max(pace.seconds for pace in found),
        concurrency=sum(pace.concurrency for pace in found),
        per_host=found[0].per_host,
        interval=found[0].interval,
        slowest=slowest.slowest,
        slowest_url=slowest.slowest_url,
        hosts=hosts,
    )


def bound(pace: Pace | None) -> Bound | None:
    """The limit that allowed the run the least time; None when nothing was requested."""
    if pace is None or not pace.hosts or pace.seconds <= 0:
        return None
    busiest = max(pace.hosts, key=lambda host: pace.hosts[host][0])
    most = pace.hosts[busiest][0]
    fullest = max(pace.hosts, key=lambda host: pace.hosts[host][1])
    requests = sum(count for count, _ in pace.hosts.values())
    in_flight = sum(held for _, held in pace.hosts.values())
    candidates = [
        Bound(
            Limit.SERVERS,
            pace.slowest,
            pace.seconds,
            url=pace.slowest_url,
        ),
        Bound(
            Limit.CONCURRENCY,
            in_flight / max(pace.concurrency, 1),
            pace.seconds,
            requests=requests,
            setting=pace.concurrency,
        ),
        Bound(
            Limit.PER_HOST,
            pace.hosts[fullest][1] / max(pace.per_host, 1),
            pace.seconds,
            host=shown_host(fullest),
            requests=pace.hosts[fullest][0],
            setting=pace.per_host,
        ),
        Bound(
            Limit.INTERVAL,
            (most - 1) * pace.interval,
            pace.seconds,
            host=shown_host(busiest),
            requests=most,
            setting=pace.interval,
        ),
    ]
    # Ties go to the later candidate: to our own limits, the interval first, which a reader
    # can change; the servers are named only when nothing of ours comes as close.
    return max(reversed(candidates), key=lambda candidate: candidate.seconds)


def shown_host(key: str) -> str:
    """A host gate's key (`host:port`) as a reader writes it: without a default port."""
    for default in (":443", ":80"):
        if key.endswith(default):
            return key[: -len(default)]
    return key
