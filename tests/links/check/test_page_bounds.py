"""The checker reads a page within bounds, and its main content only when asked, against
real servers on 127.0.0.1 (linkzoo)."""

from __future__ import annotations

import time

import pytest

from guidelint.links.model import Verdict
from linkzoo import Zoo


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_deeply_nested_page_gets_a_verdict_and_stalls_nothing(zoo: Zoo, depth: int) -> None:
    # Parsed whole on the loop thread, <div> x 100,000 took 26.5 s, longer than the deadline
    # of every other URL in the run (issue 14).
    started = time.monotonic()
    outcome = zoo.check(
        zoo.url(f"/deep-divs?depth={depth}"),
        zoo.url("/ok"),
        max_body_bytes=8 * 1024 * 1024,
        probe_soft_404=False,
    )
    assert time.monotonic() - started < 5
    deep, ok = outcome.results
    assert deep.verdict is Verdict.OK and ok.verdict is Verdict.OK
    assert deep.page is not None and deep.page.text.startswith("Before the divs.")
    bounded = [note for note in deep.notes if note.startswith("page too complex to parse whole: ")]
    assert len(bounded) == 1  # said once


def test_main_content_is_read_only_for_the_pages_asked_for(zoo: Zoo) -> None:
    url = zoo.url("/ok")
    plain = zoo.check_one(url, probe_soft_404=False)
    assert plain.page is not None and plain.page.main is None  # no baseline: not read
    for wanted in (None, frozenset({url})):
        result = zoo.check_one(url, probe_soft_404=False, main_content_for=wanted)
        assert result.page is not None and result.page.main is not None
        assert "Our helpline is free and confidential" in result.page.main
