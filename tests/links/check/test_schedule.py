"""The schedule, host gates and paused deadlines: spread over hosts, polite to each."""

from __future__ import annotations

import time

from guidelint.links.check.schedule import Schedule
from guidelint.links.model import Verdict
from linkzoo import Zoo


def _drain(schedule: Schedule) -> list[tuple[int, str]]:
    taken = []
    while (item := schedule.take()) is not None:
        taken.append(item)
        schedule.finished(item[1])
    return taken


def test_schedule_takes_urls_added_later_once_each() -> None:
    schedule = Schedule(["https://a.org/1", "https://b.org/1"], per_host=2)
    assert _drain(schedule) == [(0, "https://a.org/1"), (1, "https://b.org/1")]
    # A host whose queue ran dry gets work again, and a new host joins.
    schedule.add(["https://a.org/2", "https://c.org/1", "https://a.org/3"], 2)
    first = schedule.take()
    second = schedule.take()
    assert first == (2, "https://a.org/2")
    assert second == (3, "https://c.org/1")  # an idle host before a second request to a.org
    assert schedule.take() == (4, "https://a.org/3")  # a.org is busy, but it is all that is left
    assert schedule.take() is None


def test_schedule_spreads_urls_over_hosts_before_doubling_up() -> None:
    urls = ["https://a.org/1", "https://a.org/2", "https://a.org/3", "https://b.org/1"]
    schedule = Schedule(urls, per_host=2)
    assert schedule.take() == (0, "https://a.org/1")
    assert schedule.take() == (3, "https://b.org/1")  # b.org is idle: it goes before a.org/2
    assert schedule.take() == (1, "https://a.org/2")  # both busy: a.org is under its limit
    schedule.finished("https://b.org/1")
    assert schedule.take() == (2, "https://a.org/3")
    assert schedule.take() is None


def test_a_host_whose_turn_has_come_goes_on_before_hosts_not_started() -> None:
    urls = ["https://a.org/1", "https://b.org/1", "https://c.org/1", "https://a.org/2"]
    # No interval: a's connection is open and nothing holds it back, so a goes on.
    schedule = Schedule(urls, per_host=2)
    assert schedule.take() == (0, "https://a.org/1")
    schedule.finished("https://a.org/1")
    assert schedule.take() == (3, "https://a.org/2")
    assert [schedule.take(), schedule.take(), schedule.take()] == [
        (1, "https://b.org/1"),
        (2, "https://c.org/1"),
        None,
    ]
    # An interval not yet passed sends a to the back: the other hosts fill its wait.
    polite = Schedule(urls, per_host=2, interval=60.0)
    assert polite.take() == (0, "https://a.org/1")
    polite.finished("https://a.org/1")
    assert [polite.take(), polite.take(), polite.take()] == [
        (1, "https://b.org/1"),
        (2, "https://c.org/1"),
        (3, "https://a.org/2"),
    ]


def test_per_host_concurrency_is_bounded(zoo: Zoo) -> None:
    zoo.max_in_flight.clear()
    urls = [zoo.url(f"/slow-ok?n={n}", "polite.test") for n in range(6)]
    outcome = zoo.check(*urls, per_host=2, probe_soft_404=False)
    assert {result.verdict for result in outcome.results} == {Verdict.OK}
    assert zoo.max_in_flight["polite.test"] == 2


def test_waiting_for_a_busy_host_does_not_count_against_the_deadline(zoo: Zoo) -> None:
    # Five 0.2 s pages, one at a time: the last waits 0.8 s for its turn, longer than the
    # 0.5 s deadline, which is about the server's slowness, not our politeness.
    urls = [zoo.url(f"/slow-ok?n={n}", "queue.test") for n in range(5)]
    outcome = zoo.check(*urls, per_host=1, url_deadline=0.5, probe_soft_404=False)
    assert [result.verdict for result in outcome.results] == [Verdict.OK] * 5


def test_minimum_interval_per_host_spaces_requests(zoo: Zoo) -> None:
    urls = [zoo.url(f"/files/leaflet.pdf?n={n}", "spaced.test") for n in range(4)]
    started = time.monotonic()
    zoo.check(*urls, per_host=4, min_interval=0.15)
    assert time.monotonic() - started >= 0.45  # 4 HEAD requests, 3 gaps


def test_run_deadline_bounds_urls_queued_for_a_busy_host(zoo: Zoo) -> None:
    started = time.monotonic()
    urls = [zoo.url(f"/never?q={n}", "busy.test") for n in range(3)]
    outcome = zoo.check(*urls, per_host=1, timeout=5, url_deadline=5, run_deadline=0.8)
    assert time.monotonic() - started < 3
    assert {result.verdict for result in outcome.results} == {Verdict.ERROR}
