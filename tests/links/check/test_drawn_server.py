"""A property of the whole checker: against a real loopback server whose every answer is
drawn by hypothesis (status, Retry-After, headers, delay, body shape, encoding, truncation,
redirects and refreshes to anywhere), every URL gets exactly one verdict, the run keeps its
deadline, memory stays bounded, and nothing outside the allow-list is ever connected to.

The server is the zoo's /drawn route (tests/openweb.py): request k to ?u=NAME gets the
k-th drawn answer for NAME, cycling, so a retry or a probe may meet a different behaviour.
Examples are few and the deadlines short, so the test takes a few seconds.
"""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelint.links.guard import AddressPolicy
from guidelint.links.model import Verdict
from linkzoo import Zoo

ANSWER = st.fixed_dictionaries(
    {
        "status": st.sampled_from(
            [200, 200, 200, 204, 301, 302, 308, 400, 404, 410, 429, 451, 500, 503, 522, 999]
        ),
        "retry_after": st.sampled_from(
            [None, None, "0", "1", "86400", "soon", "Wed, 21 Oct 2099 07:28:00 GMT"]
        ),
        "headers": st.sampled_from([0, 0, 3, 150, 600]),
        "delay": st.sampled_from([0.0, 0.0, 0.0, 0.01, 0.7]),
        "body": st.sampled_from(
            ["empty", "text", "live", "live", "error", "maintenance", "deep", "big", "title"]
        ),
        "encoding": st.sampled_from([None, None, None, "gzip-real", "gzip", "br", "x-custom"]),
        "truncate": st.booleans(),
        "refresh": st.booleans(),
        "target": st.sampled_from(
            [
                "next",
                "self",
                "missing",
                "forbidden-name",
                "octal-literal",
                "metadata",
                "file",
                "credentials",
            ]
        ),
    }
)
# Up to three answers per name, one after the other: the server changes its mind.
SITE = st.dictionaries(
    st.sampled_from(["a", "b", "c", "next", "self"]),
    st.lists(ANSWER, min_size=1, max_size=3),
    min_size=1,
    max_size=4,
)
RUN_DEADLINE = 3.0
ALLOWED_HOSTS = {"site.test"}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a failure is reproducible
)
@given(site=SITE)
def test_every_url_gets_one_verdict_in_time_within_bounds(zoo: Zoo, site: dict[str, Any]) -> None:
    zoo.drawn.clear()
    zoo.drawn.update(site)
    for name in site:
        zoo.state[f"drawn:{name}"] = 0
    zoo.max_in_flight.clear()
    urls = [zoo.url(f"/drawn?u={name}") for name in site] + [zoo.url("/drawn?u=a#frag")]
    resolver = zoo.resolver({"forbidden.example": "127.0.0.1"})
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = zoo.check(
            *urls,
            resolver=resolver,
            allow=AddressPolicy.from_entries(["site.test"]),
            timeout=0.4,
            url_deadline=1.2,
            run_deadline=RUN_DEADLINE,
            retries=1,
            backoff=0.01,
            retry_after_cap=0.3,
            max_body_bytes=256 * 1024,
        )
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Exactly one verdict per URL, each a verdict of the table, each explained when not fine.
    assert sorted(result.url for result in outcome.results) == sorted(urls)
    for result in outcome.results:
        assert isinstance(result.verdict, Verdict)
        if result.verdict not in (Verdict.OK, Verdict.REDIRECTED):
            assert result.error, result
        assert "hunter2" not in repr((result.final_url, result.redirects))
    # The run deadline holds (plus the time to close connections and parse threads).
    assert elapsed < RUN_DEADLINE + 1.0
    # Bounded memory: bodies are capped (256 KiB), titles capped at capture; whatever the
    # server sends, Python-side allocations stay far below what an unbounded read would take.
    assert peak < 48 * 1024 * 1024, peak
    # Nothing outside the allow-list was connected to: every request the server saw was for
    # site.test, and the forbidden name and literals never reached it.
    assert set(zoo.max_in_flight) <= ALLOWED_HOSTS, zoo.max_in_flight
