"""What a link farm's per-request record says about one run's requests phase.

A client that keeps `concurrency` requests in flight against servers that answer in
`latency` seconds needs N x latency / concurrency seconds for N requests. The window it
actually took splits exactly into two factors the record measures:

    window = N x (mean answer time) / (mean requests in flight)

so `Phase.farm_factor` (answer time over latency: the servers' own delay, CPU contention
included) times `Phase.client_factor` (concurrency over mean in flight: the client not
keeping its requests in flight, at the start, in the tail or between answers) is how far the
window is from the ideal (`Phase.ideal_factor`, up to the tail's rounding). Pure: the bench
reads `linkfarm.Server.record()` and passes it here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from linkfarm import Record


@dataclass(frozen=True)
class Phase:
    requests: int
    window: float  # first arrival to last answer, s
    answer: float  # mean time from arrival to answer at the farm, s
    in_flight: float  # mean requests in flight over the window
    ramp: float  # s from the first arrival until in flight first reached 90% of concurrency
    tail: float  # s from the last arrival to the last answer
    slowest_second: float  # fewest arrivals in one whole second, the first and last left out
    connections: int
    most_connections: int  # on one host
    connections_at_once: int  # most connections between their first request and last answer
    most_in_flight_per_host: int
    concurrency: int
    latency: float

    @property
    def starts_per_second(self) -> float:
        return self.requests / self.window if self.window else 0.0

    @property
    def farm_factor(self) -> float:
        return self.answer / self.latency if self.latency else float("nan")

    @property
    def client_factor(self) -> float:
        return self.concurrency / self.in_flight if self.in_flight else float("nan")

    @property
    def ideal_factor(self) -> float:
        """The window over N x latency / concurrency."""
        ideal = self.requests * self.latency / self.concurrency
        return self.window / ideal if ideal else float("nan")

    def describe(self) -> str:
        return (
            f"{self.requests} requests in {self.window:.2f} s ({self.ideal_factor:.3f} x "
            f"N x latency / {self.concurrency}); {self.starts_per_second:.0f} starts/s, "
            f"slowest second {self.slowest_second:.0f}; in flight {self.in_flight:.1f} "
            f"(x{self.client_factor:.3f}), 90% of {self.concurrency} after {self.ramp:.2f} s, "
            f"tail {self.tail:.2f} s; farm answer {self.answer * 1000:.1f} ms "
            f"(x{self.farm_factor:.3f}); {self.connections} connections (at most "
            f"{self.most_connections} per host, {self.connections_at_once} in use at once), "
            f"at most {self.most_in_flight_per_host} in flight per host"
        )


def phase(record: Record, concurrency: int, latency: float) -> Phase | None:
    """The requests phase of one run; None when the farm saw no request."""
    starts, ends = record.starts, record.ends
    if not starts:
        return None
    first, last = min(starts), max(ends)
    window = last - first
    busy = sum(end - start for start, end in zip(starts, ends, strict=True))
    events = sorted([(start, 1) for start in starts] + [(end, -1) for end in ends])
    level, ramp = 0, window
    for moment, step in events:
        level += step
        if level >= 0.9 * concurrency:
            ramp = moment - first
            break
    per_host: dict[int, list[tuple[float, int]]] = defaultdict(list)
    connections: dict[int, set[int]] = defaultdict(set)
    lifetimes: dict[int, tuple[float, float]] = {}  # connection -> first start, last end
    for start, end, host, connection in zip(
        starts, ends, record.hosts, record.connections, strict=True
    ):
        per_host[host] += ((start, 1), (end, -1))
        connections[host].add(connection)
        first_use, last_use = lifetimes.get(connection, (start, end))
        lifetimes[connection] = (min(first_use, start), max(last_use, end))
    return Phase(
        requests=len(starts),
        window=window,
        answer=busy / len(starts),
        in_flight=busy / window if window else 0.0,
        ramp=ramp,
        tail=last - max(starts),
        slowest_second=_slowest_second(starts, first),
        connections=sum(len(found) for found in connections.values()),
        most_connections=max(len(found) for found in connections.values()),
        connections_at_once=_peak(
            [(a, 1) for a, _ in lifetimes.values()] + [(b, -1) for _, b in lifetimes.values()]
        ),
        most_in_flight_per_host=max(_peak(host_events) for host_events in per_host.values()),
        concurrency=concurrency,
        latency=latency,
    )


def _peak(events: list[tuple[float, int]]) -> int:
    level = peak = 0
    for _, step in sorted(events):  # an answer before an arrival at the same instant
        level += step
        peak = max(peak, level)
    return peak


def _slowest_second(starts: list[float], first: float) -> float:
    bins: dict[int, int] = defaultdict(int)
    for start in starts:
        bins[int(start - first)] += 1
    whole = range(1, max(bins))  # the first and the last (partial) second left out
    return float(min((bins[second] for second in whole), default=len(starts)))
