"""Checking while guides still load: URLs arrive in batches and the run takes them all."""

from __future__ import annotations

import concurrent.futures
import threading
from typing import Any

import pytest

from guidelint.links.checker import _Schedule, check_urls
from guidelint.links.collect import Loading
from guidelint.links.model import Feed, Reference, Verdict
from linkzoo import Zoo


def _drain(schedule: _Schedule) -> list[tuple[int, str]]:
    taken = []
    while (item := schedule.take()) is not None:
        taken.append(item)
        schedule.finished(item[1])
    return taken


def test_schedule_takes_urls_added_later_once_each() -> None:
    schedule = _Schedule(["https://a.org/1", "https://b.org/1"], per_host=2)
    assert _drain(schedule) == [(0, "https://a.org/1"), (1, "https://b.org/1")]
    # A host whose queue ran dry gets work again, and a new host joins.
    schedule.add(["https://a.org/2", "https://c.org/1", "https://a.org/3"], 2)
    first = schedule.take()
    second = schedule.take()
    assert first == (2, "https://a.org/2")
    assert second == (3, "https://c.org/1")  # an idle host before a second request to a.org
    assert schedule.take() == (4, "https://a.org/3")  # a.org is busy, but it is all that is left
    assert schedule.take() is None


def _later(result: Any, seconds: float) -> concurrent.futures.Future[Any]:
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    timer = threading.Timer(seconds, future.set_result, (result,))
    timer.daemon = True
    timer.start()
    return future


@pytest.mark.parametrize("jobs", [1, 2])  # two processes take every batch before they start
def test_check_takes_batches_as_they_arrive_and_completes_references(zoo: Zoo, jobs: int) -> None:
    ok, gone, other = zoo.url("/ok"), zoo.url("/gone"), zoo.url("/ok", host="other.test")
    first_use = Reference("guides/a.yaml", 5, 8, "/resources/0/url")
    later_use = Reference("guides/c.yaml", 9, 8, "/resources/2/url")
    # Batches of loaded guides, each a list of guides' (url, reference) lists, as the
    # loading workers hand them over, arriving one after the other.
    found = Loading(
        4,
        [
            _later([[(ok, first_use)]], 0.05),
            _later([[]], 0.1),  # a guide without a link
            _later([[(gone, Reference("guides/b.yaml", 3, 8, "/resources/0/url"))]], 0.3),
            _later([[(ok, later_use), (other, later_use)]], 0.4),
        ],
    )
    seen: list[tuple[int, int]] = []
    outcome = check_urls(
        found.urls,
        zoo.options(jobs=jobs),
        resolver=zoo.resolver(),
        progress=lambda done, total: seen.append((done, total)),
        feed=Feed(found.pending, found.take),
    )
    assert found.done
    assert [result.url for result in outcome.results] == [ok, gone, other]  # first use first
    verdicts = {result.url: result.verdict for result in outcome.results}
    assert verdicts == {ok: Verdict.OK, gone: Verdict.BROKEN, other: Verdict.OK}
    # /ok was checked before c.yaml loaded; its result still names both uses.
    assert outcome.results[0].references == (first_use, later_use)
    assert seen[-1] == (3, 3)
