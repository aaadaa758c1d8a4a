"""Retry policy: which answers are asked again, and how long the checker waits first."""

from __future__ import annotations

import time

import pytest

from guidelint.links.check.records import FailureKind, Outcome
from guidelint.links.check.retry import backoff_delay, parse_retry_after, retry_reason
from guidelint.links.model import Verdict
from linkzoo import Zoo


def test_429_with_retry_after_is_honoured_then_ok(zoo: Zoo) -> None:
    zoo.state["rate-limited-once"] = 0
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/rate-limited-once"))
    assert result.verdict is Verdict.OK
    assert result.attempts == 2
    assert time.monotonic() - started >= 0.9  # waited for Retry-After: 1


def test_429_with_retry_after_beyond_the_cap_is_unavailable_not_waited(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/rate-limited-date"))
    assert result.verdict is Verdict.UNAVAILABLE
    assert not result.dead
    assert result.attempts == 1
    assert any("cap" in note for note in result.notes)
    assert time.monotonic() - started < 3


def test_deadline_while_waiting_to_retry_keeps_the_last_answer(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/rate-limited-slow"), url_deadline=1.0)
    assert result.verdict is Verdict.UNAVAILABLE  # not a timeout: the server did answer
    assert result.attempts == 1
    assert time.monotonic() - started < 2


def test_persistent_429_with_retry_after_is_unavailable_after_retries(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/rate-limited"))
    assert result.verdict is Verdict.UNAVAILABLE
    assert not result.dead
    assert result.attempts == 3


def test_503_once_then_200_is_ok(zoo: Zoo) -> None:
    zoo.state["unavailable-once"] = 0
    result = zoo.check_one(zoo.url("/unavailable-once"))
    assert result.verdict is Verdict.OK
    assert result.attempts == 2


def test_persistent_5xx_is_server_error_after_retries(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/always-500"), retries=1)
    assert result.verdict is Verdict.SERVER_ERROR
    assert result.dead
    assert result.attempts == 2


def test_retry_policy_names_a_reason_for_transient_failures_only() -> None:
    assert retry_reason(Outcome(Verdict.SERVER_ERROR, FailureKind.STATUS, status=503))
    assert retry_reason(Outcome(Verdict.BLOCKED, FailureKind.STATUS, status=429))
    assert retry_reason(Outcome(Verdict.TIMEOUT, FailureKind.TIMEOUT))
    assert retry_reason(Outcome(Verdict.UNREACHABLE, FailureKind.RESET))
    assert retry_reason(Outcome(Verdict.BROKEN, FailureKind.STATUS, status=404)) is None
    assert retry_reason(Outcome(Verdict.BLOCKED, FailureKind.STATUS, status=403)) is None
    assert retry_reason(Outcome(Verdict.UNREACHABLE, FailureKind.DNS)) is None
    assert retry_reason(Outcome(Verdict.TLS_ERROR, FailureKind.TLS)) is None
    assert retry_reason(Outcome(Verdict.UNSAFE, FailureKind.UNSAFE)) is None


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 + 60) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    "kind",
    [
        FailureKind.CONNECT_TIMEOUT,
        FailureKind.PAYLOAD,
        FailureKind.REFUSED,
        FailureKind.DNS_TEMPORARY,
        FailureKind.NETWORK,
    ],
)
def test_transient_connection_failures_are_retried(kind: FailureKind) -> None:
    assert retry_reason(Outcome(Verdict.UNREACHABLE, kind))


@pytest.mark.parametrize(
    "kind",
    [
        FailureKind.CONTENT,
        FailureKind.INVALID,
        FailureKind.OVERSIZED,
        FailureKind.MALFORMED,
        FailureKind.RUN_DEADLINE,
        FailureKind.ERROR,
    ],
)
def test_answers_that_would_come_out_the_same_are_not_retried(kind: FailureKind) -> None:
    assert retry_reason(Outcome(Verdict.ERROR, kind)) is None


def test_backoff_doubles_with_jitter_and_waits_at_least_what_the_server_asked() -> None:
    for attempt in range(4):
        delay = backoff_delay(attempt, 0.5, None)
        assert 0.25 * 2**attempt <= delay <= 0.75 * 2**attempt
    assert backoff_delay(0, 0.5, 30.0) == 30.0
