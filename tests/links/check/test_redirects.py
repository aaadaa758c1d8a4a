"""Redirect chains: what a hop's error says of a remote Location is clipped, whatever the
check that stopped it (no network: `Chain` judges Locations it is given)."""

from __future__ import annotations

import pytest

from guidelint.links.check.records import Failure, Response
from guidelint.links.check.redirects import Chain


@pytest.mark.parametrize("path", ["/loop/" + "a" * 60_000, "/x y " * 10_000])
def test_a_redirect_error_quotes_at_most_200_characters_of_its_target(path: str) -> None:
    start = "http://example.org" + path  # the long address is the one visited a third time
    target = "http://example.org/next"
    chain = Chain.start(start, limit=10)
    answer = Response(start, 302, {}, None)
    with pytest.raises(Failure) as raised:  # a third visit to either is a loop
        for current, location in [(start, target), (target, start)] * 5:
            chain.advance(answer, current, location)
    error = raised.value.outcome.error or ""
    assert error.startswith("redirect loop: ")
    assert len(error) < 300
