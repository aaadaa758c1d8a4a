"""Phone numbers in guide text: which become tel: links, what they dial, and at what cost."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

from guidelint.render.phones import PhoneLink, dial_href, phone_links


def _found(text: str, jurisdiction: str) -> list[tuple[str, str]]:
    return [(text[link.start : link.end], link.href) for link in phone_links(text, jurisdiction)]


@pytest.mark.parametrize(
    ("jurisdiction", "text", "expected"),
    [
        (
            "GB",
            "Ring 0808 157 0192 (free) or +44 20 7946 0958 from abroad.",
            [("0808 157 0192", "tel:+448081570192"), ("+44 20 7946 0958", "tel:+442079460958")],
        ),
        (
            "GB",
            "If you are in danger, call 999 (or 112).",
            [("999", "tel:999"), ("112", "tel:112")],
        ),
        (
            "GB",
            "Contact NHS 111, or ring the police on 101.",
            [("111", "tel:111"), ("101", "tel:101")],
        ),
        ("GB-SCT", "In an emergency, dial 999.", [("999", "tel:999")]),
        ("US-CA", "Call or text 988, the 988 Lifeline.", [("988", "tel:988"), ("988", "tel:988")]),
        ("US", "Call (202) 555-0143 now.", [("(202) 555-0143", "tel:+12025550143")]),
        ("FR", "If you are under 18, call 17.", [("17", "tel:17")]),
        # Numbers of another country's emergency services are GL201's business, not links.
        ("GB", "Call 911.", []),
        # Counts, dates, ids and digits inside URLs are not numbers to dial.
        ("GB", "Wait 101 minutes; count to 999; 111 people.", []),
        ("GB", "See https://example.org/08081570192 and https://x.example/call/999.", []),
        ("GB", "Reviewed 2026-11-01, case 20261101.", []),
        # Without a country, only numbers written internationally are known.
        (
            "INT",
            "Call +44 20 7946 0958 or 020 7946 0958.",
            [("+44 20 7946 0958", "tel:+442079460958")],
        ),
        ("EU", "Call 112.", [("112", "tel:112")]),
    ],
)
def test_numbers_to_dial_are_found(
    jurisdiction: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(text, jurisdiction) == expected


@pytest.mark.parametrize(
    ("phone", "jurisdiction", "href"),
    [
        ("0808 157 0192", "GB", "tel:+448081570192"),
        ("+1 (202) 555-0143", "GB", "tel:+12025550143"),
        ("116 123", "GB", "tel:116123"),
        ("999", "GB", "tel:999"),
        ("1-800-FLOWERS", "US", "tel:+18003569377"),
        # Not a number libphonenumber knows: its digits, still tappable.
        ("+99 123", "GB", "tel:+99123"),
        ("12345", "INT", "tel:12345"),
    ],
)
def test_resource_phone_fields_dial_a_normal_form(phone: str, jurisdiction: str, href: str) -> None:
    assert dial_href(phone, jurisdiction) == href


def test_links_never_overlap_and_come_in_order() -> None:
    text = "Call 999, 112, 0808 157 0192 or NHS 111. " * 30
    links = phone_links(text, "GB")
    assert list(links) == sorted(links)
    assert all(a.end <= b.start for a, b in itertools.pairwise(links))
    assert all(isinstance(link, PhoneLink) for link in links)


def _seconds(function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        "1 ",
        "(",
        "+",
        "0-",
        "call ",
        "call the ",
        "999 ",
        "999 or ",
        "https://x.y/999 ",
        "0808 157 0192 ",
        "x",
    ],
)
def test_cost_grows_linearly_with_hostile_text(unit: str) -> None:
    """n and 4n characters of the same pattern: 4n may take about 4 times as long, never 16."""
    find = phone_links.__wrapped__  # the cache would make the second call free

    def cost(size: int) -> float:
        text = unit * (size // len(unit))
        return _seconds(lambda: find(text, "GB"))

    # Guides are at most 1 MiB; the slack absorbs scheduling noise of a few milliseconds.
    small, large = cost(100_000), cost(400_000)
    assert large < 8 * small + 0.02, (unit, small, large)
