"""The signals issue 14 asked for: error wording around 404, maintenance, login walls, gates."""

from __future__ import annotations

import pytest

from guidelint.escape import PAGE_TEXT_CAP, PAGE_TITLE_CAP
from guidelint.links import signals
from guidelint.links.check.classify import gate_reason
from guidelint.links.model import Page

LONG = "long " * 200


@pytest.mark.parametrize(
    "title",
    [
        "Page 404",
        "Room 404",
        "Section 404 of the Clean Water Act",
        "Form 404: Application for a grant",
        "404 Main Street - Offices",
        "Bus route 404 timetable",
        "Call 0800 404 404",
    ],
)
def test_a_bare_404_is_no_error_page(title: str) -> None:
    assert signals.error_page(title, (title,), LONG) is None


@pytest.mark.parametrize(
    "title",
    [
        "404",
        "404 | Helpline",
        "404: This page could not be found",
        "Error 404",
        "HTTP 404 - Not Found",
        "Oops! 404",
        "404 Error",
        "Erreur 404",
        "Fehler 404 - Seite nicht gefunden",
        # Held-out bed (tests/openweb_heldout.py): "does not exist" and "page not found" in
        # the languages guides link to, read as live pages before.
        "Oups ! Cette page n\u2019existe pas",
        "La p\u00e1gina que buscas no existe",
        "Diese Seite existiert leider nicht",
        "Leathanach gan aimsi\u00fa",
        "N\u00edor aims\u00edodh an leathanach",
        "K\u0101ore i kitea te wh\u0101rangi",
    ],
)
def test_404_with_error_wording_is_an_error_page(title: str) -> None:
    assert signals.error_page(title, (), LONG) is not None


def test_a_site_builders_unconnected_domain_is_parked() -> None:
    text = "Looks like this domain isn\u2019t connected to a website yet!"
    assert signals.parked(None, text, "") is not None
    assert signals.parked(None, "How to get your domain connected to a website", "") is None


@pytest.mark.parametrize(
    ("title", "text", "found"),
    [
        ("Site suspended", "This site has been archived or suspended.", True),  # WordPress.com
        ("Website Expired", "Website Expired", True),  # Squarespace
        ("Store", "Sorry, this store is currently unavailable.", True),  # Shopify
        ("Helpline", "Our webchat is currently unavailable; call us instead.", False),
        ("Helpline", "If your website expired, call your host.", False),
    ],
)
def test_hosted_site_landers_are_parked(title: str, text: str, found: bool) -> None:
    assert (signals.parked(title, text, "") is not None) is found


@pytest.mark.parametrize(
    ("title", "headings", "text", "server_error", "found"),
    [
        ("Down for maintenance", (), LONG, False, True),
        ("Helpline", ("We\u2019ll be back soon!",), LONG, False, True),
        ("Helpline", ("Site under maintenance",), LONG, False, True),
        ("Service Temporarily Unavailable", (), "", False, True),
        ("Maintenance", (), "", True, True),  # a bare word counts on a 5xx only
        ("Maintenance", (), "", False, False),  # a housing guide's page about repairs
        ("Home maintenance requests", (), "", True, False),
        ("Helpline", ("Webchat service temporarily unavailable",), LONG, False, False),
        ("Helpline", ("We\u2019ll be back at 8am",), LONG, False, False),  # closed for the night
        ("Helpline", (), "Lines are down for maintenance on Sunday.", False, False),  # body text
        ("Error", (), "Unavailable due to server maintenance.", True, True),
        ("Wartungsarbeiten", (), "", False, True),
    ],
)
def test_maintenance_notices(
    title: str, headings: tuple[str, ...], text: str, server_error: bool, found: bool
) -> None:
    assert (signals.maintenance(title, headings, text, server_error) is not None) is found


def test_a_login_wall_needs_a_sign_in_title_and_a_password_field() -> None:
    form = "<form><input name=u><input type='password' name=p></form>"
    assert signals.login_wall("Sign in", (), form) is not None
    assert signals.login_wall("Helpline", ("Log in to continue",), form) is not None
    assert signals.login_wall("Helpline", ("Talk to us",), form) is None  # a header's login box
    assert signals.login_wall("Sign in", (), "<p>Sign in with your library card.</p>") is None


@pytest.mark.parametrize(
    ("original", "final", "gate"),
    [
        ("https://a.example/members/x", "https://a.example/login?next=/members/x", True),
        (
            "https://a.example/v?id=1",
            "https://c.example/ml?continue=https://a.example/v?id=1",
            True,
        ),
        ("https://a.example/x", "https://a.example/en/x", False),
        ("https://a.example/x", "https://a.example/x", False),
        ("https://a.example/", "https://a.example/en/?from=/", False),  # "/" names no page
        ("https://a.example/members/x", "https://a.example/users/sign_in", True),
        ("https://a.example/login", "https://a.example/login/", False),  # the link is the form
    ],
)
def test_gates_name_the_page_they_send_readers_back_to(
    original: str, final: str, gate: bool
) -> None:
    assert (gate_reason(original, final) is not None) is gate


def test_page_strings_are_capped_at_capture() -> None:
    page = Page.capture("T" * 1_000_000, "x" * (PAGE_TEXT_CAP + 10))
    assert page.title is not None and len(page.title) == PAGE_TITLE_CAP
    assert page.title.endswith("\u2026")
    assert len(page.text) == PAGE_TEXT_CAP
    assert Page.capture("Helpline", "short") == Page("Helpline", "short")


def test_geo_blocks_and_error_addresses() -> None:
    assert signals.geo_block("Video", ("Not available in your country",), LONG) is not None
    assert signals.geo_block("Help", (), "Sorry, this is unavailable in your region.") is not None
    assert signals.geo_block("Help", (), LONG + " not available in your country") is None
    for url in (
        "https://a.example/404",
        "https://a.example/404.html",
        "https://a.example/e/not-found/",
    ):
        assert signals.error_path(url)
    for url in (
        "https://a.example/",
        "https://a.example/help/404b",
        "https://a.example/rooms/4040",
    ):
        assert not signals.error_path(url)


def test_a_deep_link_sent_to_a_site_search_is_gone() -> None:
    from guidelint.links.check.classify import search_fallback

    assert search_fallback("https://a.example/old-page", "https://a.example/?s=old+page")
    assert search_fallback("https://a.example/old", "https://a.example/search/?q=old")
    assert not search_fallback("https://a.example/p?id=1", "https://a.example/search?q=1")
    assert not search_fallback("https://a.example/", "https://a.example/?s=x")
    assert not search_fallback("https://a.example/x", "https://a.example/help?q=x")
