"""The patterns issue 14's classes added run in linear time on hostile page text: 4x the
input takes well under 16x the time (a quadratic pattern would take 16x)."""

from __future__ import annotations

import pytest

from guidelint.links import signals
from guidelint.links.check.classify import gate_reason
from guidelint.links.check.page import refresh_target
from guidelint.links.guard import literal_address
from timing import growth

# Runs that make a backtracking pattern retry from every position: each of the new
# patterns' leading words and separators, repeated.
PIECES = [
    "404 ", "error 404", " ", "-", "\u2013", "<input ", "type=", "down for ", "maintenance ",
    "we'll be back ", "domain name a ", "your ", "not available in ", "page ", "sign in ",
]  # fmt: skip


@pytest.mark.parametrize("piece", PIECES)
def test_new_page_signals_are_linear(piece: str) -> None:
    def work(text: str) -> None:
        signals.error_page(text, (text,), text[:600])
        signals.maintenance(text, (text,), text[:600], server_error=True)
        signals.login_wall(text, (text,), text)
        signals.geo_block(text, (text,), text[:600])
        signals.parked(text, text, text)

    small = piece * (20_000 // len(piece))
    assert growth(work, small, small * 4) < 9


def test_addresses_and_refreshes_are_linear() -> None:
    def work(text: str) -> None:
        literal_address(text)
        literal_address("0x" + text)
        refresh_target("0;url=" + text, "https://a.example/")
        gate_reason("https://a.example/x", "https://a.example/login?next=" + text)

    small = "0." * 5_000
    assert growth(work, small, small * 4) < 9
