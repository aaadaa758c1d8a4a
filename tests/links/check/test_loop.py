"""One event loop's run: HEAD or GET, skips and exclusions, the run deadline, a growing feed."""

from __future__ import annotations

import concurrent.futures
import datetime
import threading
import time
from typing import Any

import pytest

from guidelint.links.check import check_urls
from guidelint.links.check.loop import head_may_suffice, skip_reason
from guidelint.links.collect import Loading
from guidelint.links.model import Feed, Reference, Verdict
from guidelint.links.settings import CheckOptions, Exclusion
from linkzoo import Zoo


@pytest.mark.parametrize(
    ("url", "head"),
    [
        ("https://a.org/files/leaflet.PDF", True),
        ("https://a.org/files/leaflet%2Epdf?download=1#page=2", True),
        ("https://a.org/audio/call.mp3", True),
        ("https://a.org/help", False),
        ("https://a.org/help.html", False),
        ("https://a.org/?file=leaflet.pdf", False),
        ("https://leaflet.pdf", False),
    ],
)
def test_head_goes_first_for_documents_and_media_only(url: str, head: bool) -> None:
    assert head_may_suffice(url) is head


def test_links_that_are_not_requested_say_why() -> None:
    today = datetime.date(2026, 12, 1)
    options = CheckOptions(
        exclude=(
            Exclusion(
                reason="login wall", url="https://a.org/members", expires=datetime.date(2027, 1, 1)
            ),
            Exclusion(
                reason="old outage", url="https://a.org/old", expires=datetime.date(2026, 1, 1)
            ),
        )
    )
    assert skip_reason("mailto:help@a.org", options, today) == "mailto: link, not checked over HTTP"
    assert skip_reason("TEL:+448001111", options, today) == "tel: link, not checked over HTTP"
    assert skip_reason("https://a.org/members", options, today) == (
        "excluded by config until 2027-01-01: login wall"
    )
    assert skip_reason("https://a.org/old", options, today) is None  # expired: checked again
    assert skip_reason("https://a.org/help", options, today) is None


def test_document_is_checked_with_head_only(zoo: Zoo) -> None:
    zoo.state.clear()
    result = zoo.check_one(zoo.url("/files/leaflet.pdf"))
    assert result.verdict is Verdict.OK
    assert result.page is None
    assert (zoo.state["leaflet:HEAD"], zoo.state["leaflet:GET"]) == (1, 0)


def test_web_page_is_fetched_with_one_get(zoo: Zoo) -> None:
    zoo.user_agents.clear()
    result = zoo.check_one(zoo.url("/ok"), probe_soft_404=False)
    assert result.verdict is Verdict.OK
    assert len(zoo.user_agents) == 1  # one request in all


@pytest.mark.parametrize("path", ["/files/head-405.pdf", "/files/head-404.pdf"])
def test_head_refused_falls_back_to_get(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.OK
    assert result.status == 200


def test_get_fallback_is_remembered_for_retries(zoo: Zoo) -> None:
    zoo.state.clear()
    zoo.check_one(zoo.url("/files/head-405.pdf"))
    assert (zoo.state["head-405:HEAD"], zoo.state["head-405:GET"]) == (1, 1)


def test_run_deadline_bounds_the_whole_run(zoo: Zoo) -> None:
    started = time.monotonic()
    outcome = zoo.check(
        zoo.url("/never"), zoo.url("/never?b"), timeout=5, url_deadline=5, run_deadline=0.8
    )
    assert time.monotonic() - started < 3
    assert {result.verdict for result in outcome.results} == {Verdict.ERROR}
    assert all("run deadline" in (result.error or "") for result in outcome.results)


def test_mailto_tel_and_excluded_urls_are_skipped(zoo: Zoo) -> None:
    exclusion = Exclusion(reason="always answers 999", url=zoo.url("/linkedin"))
    outcome = zoo.check(
        "mailto:help@example.org", "tel:+448001111", zoo.url("/linkedin"), exclude=(exclusion,)
    )
    assert {result.verdict for result in outcome.results} == {Verdict.SKIPPED}
    assert any("always answers 999" in note for note in outcome.results[2].notes)


def test_expired_exclusion_stops_applying_and_says_so(zoo: Zoo) -> None:
    import datetime

    exclusion = Exclusion(
        reason="temporary outage",
        url=zoo.url("/ok"),
        expires=datetime.date(2020, 1, 1),
    )
    outcome = zoo.check(zoo.url("/ok"), exclude=(exclusion,))
    assert outcome.results[0].verdict is Verdict.OK
    assert any("expired on 2020-01-01" in note for note in outcome.notes)


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
