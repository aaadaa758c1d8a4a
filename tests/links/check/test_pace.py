"""What bounded a run: the lower bound each limit sets, and the reports naming ours."""

from __future__ import annotations

import json

import pytest

from guidelint.links.check.pace import Limit, Pace, bound, merge, shown_host
from guidelint.links.model import Verdict
from guidelint.links.report import render_json, render_markdown, render_text
from linkzoo import Zoo


def _pace(**changes: object) -> Pace:
    values: dict[str, object] = {
        "seconds": 10.0,
        "concurrency": 64,
        "per_host": 4,
        "interval": 0.1,
        "slowest": 0.5,
        "slowest_url": "https://slow.example/",
        "hosts": {"a.example:443": (20, 4.0), "b.example:443": (5, 1.0)},
    }
    values.update(changes)
    return Pace(**values)  # type: ignore[arg-type]


def test_the_largest_lower_bound_is_the_bound() -> None:
    interval = bound(_pace(hosts={"www.example.org:443": (100, 5.0)}))
    assert interval is not None
    assert interval.limit is Limit.INTERVAL
    assert interval.seconds == pytest.approx(9.9)  # 99 gaps of 100 ms
    assert (interval.host, interval.requests) == ("www.example.org", 100)
    assert interval.binding

    per_host = bound(_pace(hosts={"a.example:8443": (20, 36.0)}))
    assert per_host is not None
    assert per_host.limit is Limit.PER_HOST
    assert per_host.seconds == pytest.approx(9.0)  # 36 s of requests, 4 at a time
    assert per_host.host == "a.example:8443"  # a port that is not the default stays

    overall = bound(_pace(hosts={f"h{n}.example:443": (4, 9.5) for n in range(64)}))
    assert overall is not None
    assert overall.limit is Limit.CONCURRENCY
    assert overall.requests == 256
    assert overall.seconds == pytest.approx(9.5)
    assert overall.binding

    servers = bound(_pace(slowest=9.0))
    assert servers is not None
    assert servers.limit is Limit.SERVERS
    assert servers.url == "https://slow.example/"
    assert not servers.binding  # nothing of ours to change


def test_a_limit_that_explains_little_of_the_run_does_not_bind() -> None:
    found = bound(_pace(seconds=60.0, hosts={f"h{n}:443": (1, 2.0) for n in range(64)}))
    assert found is not None
    assert found.limit is Limit.CONCURRENCY
    assert not found.binding  # 2 s of a 60 s run
    assert bound(_pace(hosts={})) is None  # nothing requested


def test_processes_merge_into_one_run() -> None:
    one = _pace(seconds=4.0, concurrency=32, hosts={"a:443": (3, 1.0)})
    two = _pace(
        seconds=5.0,
        concurrency=32,
        slowest=2.0,
        slowest_url="https://b/",
        hosts={"a:443": (1, 0.5), "b:443": (7, 2.0)},
    )
    merged = merge([one, two])
    assert merged is not None
    assert (merged.seconds, merged.concurrency) == (5.0, 64)
    assert (merged.slowest, merged.slowest_url) == (2.0, "https://b/")
    assert merged.hosts == {"a:443": (4, 1.5), "b:443": (7, 2.0)}
    assert merge([]) is None
    assert shown_host("a.example:443") == "a.example"
    assert shown_host("a.example:80") == "a.example"


def test_the_reports_name_the_interval_when_it_bounded_the_run(zoo: Zoo) -> None:
    # 12 pages on one host, 100 ms apart: at least 1.1 s, whatever the server does.
    urls = [zoo.url(f"/ok?n={n}", "spaced.test") for n in range(12)]
    outcome = zoo.check(*urls, per_host=4, min_interval=0.1, probe_soft_404=False)
    assert {result.verdict for result in outcome.results} == {Verdict.OK}
    assert outcome.bound is not None
    assert outcome.bound.limit is Limit.INTERVAL
    assert outcome.bound.binding
    assert outcome.bound.requests == 12
    assert outcome.bound.seconds == pytest.approx(1.1)
    line = (
        f"bounded by the 100 ms per-host interval: 12 requests to spaced.test:{zoo.port} "
        "take at least 1.1 s of the"
    )
    assert line in render_text(outcome)
    assert line in render_markdown(outcome)
    data = json.loads(render_json(outcome))
    assert data["bound"]["limit"] == "interval"
    assert data["bound"]["binding"] is True
    assert data["bound"]["host"] == f"spaced.test:{zoo.port}"


def test_the_reports_say_nothing_when_the_servers_bounded_the_run(zoo: Zoo) -> None:
    # One slow page on each of five hosts: no limit of ours held anything back.
    urls = [zoo.url("/slow-ok", f"free{n}.test") for n in range(5)]
    outcome = zoo.check(*urls, per_host=4, min_interval=0.1, probe_soft_404=False)
    assert {result.verdict for result in outcome.results} == {Verdict.OK}
    assert outcome.bound is not None
    assert outcome.bound.limit is Limit.SERVERS
    assert not outcome.bound.binding
    assert outcome.bound.seconds >= 0.2  # the page takes 0.2 s to answer
    assert "bounded by" not in render_text(outcome)
    assert "bounded by" not in render_markdown(outcome)
    data = json.loads(render_json(outcome))
    assert data["bound"]["limit"] == "servers"
    assert data["bound"]["binding"] is False
