"""Retry policy: which attempts deserve another try, and how long to wait before it."""

from __future__ import annotations

import datetime
import email.utils
import random
import time

from guidelint.links.check.records import FailureKind, Outcome
from guidelint.links.model import Verdict


def retry_reason(outcome: Outcome) -> str | None:
    """Why an attempt deserves another try, or None when its answer is final.

    After lychee's retry.rs: retry what the network or an overloaded server might answer
    differently a moment later, never what the server said on purpose.
    """
    kind = outcome.kind
    if kind is FailureKind.STATUS:
        if outcome.status == 429:
            return "rate limited: the server asked us to come back later"
        if outcome.status == 408:
            return "the server timed out waiting for our request: transient"
        if outcome.verdict is Verdict.SERVER_ERROR:
            return "5xx: overloaded or restarting servers recover"
        if outcome.verdict is Verdict.UNAVAILABLE:
            return "the server is down for now and says so: it may be back by the next try"
        # Other statuses (2xx, 4xx, bot walls) are deliberate answers; asking again is noise.
        return None
    if kind is FailureKind.TIMEOUT or kind is FailureKind.CONNECT_TIMEOUT:
        return "timeouts are often congestion that passes"
    if kind is FailureKind.RESET or kind is FailureKind.PAYLOAD:
        return "a connection dropped mid-exchange can succeed on a fresh connection"
    if kind is FailureKind.REFUSED:
        return "a restarting server refuses connections for a moment"
    if kind is FailureKind.DNS_TEMPORARY or kind is FailureKind.NETWORK:
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
