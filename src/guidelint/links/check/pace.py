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

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from guidelint.urls import shown


class Limit(enum.Enum):
    """What a run's time was bounded by (`check.pace.bound`)."""

    INTERVAL = "interval"  # the per-host interval between two requests
    PER_HOST = "per-host"  # requests in flight per host
    CONCURRENCY = "concurrency"  # requests in flight overall
    SERVERS = "servers"  # how long the servers took to answer

    __hash__ = object.__hash__  # as for Verdict


#: A limit of ours "bounded the run" when it alone accounts for this share of its time.
BINDING_SHARE: Final = 0.75


@dataclass(frozen=True)
class Bound:
    """The least time one limit allowed a run's checking, next to the time it took."""

    limit: Limit
    seconds: float  # no run could check these URLs sooner under this limit
    run_seconds: float  # from the first request to the last answer, about
    host: str | None = None  # per-host limits: the host that bound (port when not default)
    requests: int = 0  # to that host, or in all
    url: str | None = None  # the servers: the URL that took longest
    setting: float = 0  # the interval in seconds, or the number of requests in flight

    @property
    def binding(self) -> bool:
        """Whether one of guidelint's own limits (one a user can change) bounded the run."""
        return self.limit is not Limit.SERVERS and self.seconds >= BINDING_SHARE * self.run_seconds

    def describe(self) -> str:
        """One line for the reports, naming the setting that changes it."""
        share = f"take at least {self.seconds:.1f} s of the {self.run_seconds:.1f} s spent checking"
        host = self.host or "?"
        if self.limit is Limit.INTERVAL:
            interval = f"{self.setting * 1000:g} ms" if self.setting < 1 else f"{self.setting:g} s"
            return (
                f"bounded by the {interval} per-host interval: {self.requests} requests to "
                f"{host} {share} (--min-interval)"
            )
        if self.limit is Limit.PER_HOST:
            return (
                f"bounded by {self.setting:g} requests in flight per host: the "
                f"{self.requests} requests to {host} {share} (--per-host)"
            )
        if self.limit is Limit.CONCURRENCY:
            return (
                f"bounded by {self.setting:g} requests in flight overall: {self.requests} "
                f"requests {share} (--concurrency)"
            )
        return (
            f"bounded by the servers: the slowest URL took {self.seconds:.1f} s of the "
            f"{self.run_seconds:.1f} s spent checking ({shown(self.url or '')})"
        )


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
