"""The soft-404 and bot-wall detectors on their own: precision matters more than recall."""

from __future__ import annotations

import itertools
import re
import string
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelint.links import signals


@pytest.mark.parametrize(
    ("title", "headings", "text"),
    [
        ("Page not found | Helpline", (), "long " * 200),
        ("404", (), "long " * 200),
        ("Error 404 - Example", (), ""),
        ("Helpline", ("Sorry, we couldn\u2019t find that page",), "long " * 200),
        ("Not Found", (), ""),
        ("Helpline", (), "The requested URL was not found on this server."),
        ("Helpline", (), "This page doesn't exist any more."),
        ("Helpline", (), "The page you are looking for has moved or never existed."),
        ("Helpline", (), "This service is no longer available."),
        ("Seite nicht gefunden - Beratung", (), "long " * 200),
        ("Hilfe", ("P\u00e1gina no encontrada",), "long " * 200),
    ],
)
def test_error_pages(title: str, headings: tuple[str, ...], text: str) -> None:
    assert signals.error_page(title, headings, text) is not None


@pytest.mark.parametrize(
    ("title", "headings", "text"),
    [
        ("Helpline", ("Talk to us",), "Call 1-800-404-1234 any time."),
        ("Report content", (), "If the content is not found in our index, report it again."),
        ("Lost and found", (), "Found something? Hand it in."),
        ("Helpline", (), "long text " * 100 + " page not found " + "more " * 100),
        ("Form 4040 guidance", (), "Guidance."),
    ],
)
def test_alive_pages_are_not_error_pages(title: str, headings: tuple[str, ...], text: str) -> None:
    assert signals.error_page(title, headings, text) is None


def test_parked_pages() -> None:
    assert signals.parked("example.org", "This domain may be for sale!", "")
    assert signals.parked("Related links", "", "<script>window.park = 'abc';</script>")
    assert signals.parked("Helpline", "We help people every day.", "<p>hi</p>") is None


def test_bot_walls_need_wall_evidence() -> None:
    assert signals.challenge(403, {"cf-mitigated": "challenge"}, None, "")
    assert signals.challenge(200, {}, "Just a moment...", "")
    assert signals.challenge(503, {}, None, "<script src='/cdn-cgi/challenge-platform/x'>")
    assert signals.challenge(403, {"X-DataDome": "protected"}, None, "")
    # A working page of a protected site, or with a captcha on its contact form, is no wall.
    assert signals.challenge(200, {"X-DataDome": "protected"}, "Helpline", "") is None
    form = "<form><div class='g-recaptcha' data-sitekey='x'></div></form>"
    assert signals.challenge(200, {}, "Contact us", form) is None


def test_storage_denied() -> None:
    assert signals.storage_denied(b"<Error><Code>AccessDenied</Code></Error>")
    assert not signals.storage_denied(b"<h1>Forbidden</h1>")


@pytest.mark.parametrize(
    ("original", "final", "sent_home"),
    [
        ("https://a.example/help/report", "https://a.example/", True),
        ("https://a.example/help/report", "https://a.example/en-gb/", True),
        ("https://a.example/help/report", "https://a.example/help/report/", False),
        ("https://a.example/", "https://a.example/en/", False),
        ("http://a.example/page?id=3", "https://a.example/index.html", True),
        ("https://a.example/help", "https://a.example/login?next=/help", False),
    ],
)
def test_deep_link_sent_home(original: str, final: str, sent_home: bool) -> None:
    assert signals.deep_link_sent_home(original, final) is sent_home


# The home-page pattern as it was, one alternation of language codes: the reference.
_HOME_REFERENCE = re.compile(
    r"^/?((index|default|home)(\.\w{2,5})?/?|(ar|bg|bn|ca|cs|cy|da|de|el|en|es|et|eu|fa|fi|fr|ga|"
    r"gd|gl|he|hi|hr|hu|id|is|it|ja|ko|lt|lv|ms|mt|nb|nl|nn|no|pl|pt|ro|ru|sk|sl|so|sq|sr|sv|sw|"
    r"th|tl|tr|uk|ur|vi|zh)([-_][a-z]{2,4})?/?(index\.\w{2,5})?)?$",
    re.I,
)
# Every letter re.I equates with an ASCII one, in every pair, before the endings a root has.
_LETTERS = string.ascii_letters + "\u0130\u0131\u017f\u212a"


@pytest.mark.parametrize("ending", ["", "/", "-gb", "_GB/", "/index.html", "/x", "x", ".html"])
def test_home_paths_are_the_alternation_s(ending: str) -> None:
    for first, second in itertools.product(_LETTERS, repeat=2):
        path = f"/{first}{second}{ending}"
        expected = _HOME_REFERENCE.match(path) is not None
        assert signals.is_home(f"https://a.example{path}") is expected, path


URL_PIECES = [
    "http://", "https://", "HTTPS://", "ftp://", "//", "a.example", "[::1]", "[", "]", ":8443",
    "user@", "/", "/en", "/en-gb/", "/index.html", "/home", "?", "?q=1", "#", "#top", "x",
    " ", "\t", "\n", "\x7f", "\u00e9", "%20", "..", ";",
]  # fmt: skip


@given(st.lists(st.sampled_from(URL_PIECES), max_size=8))
@settings(max_examples=500, deadline=None)
def test_path_and_query_are_urlsplit_s(pieces: list[str]) -> None:
    url = "".join(pieces)
    try:
        parts = urlsplit(url)
    except ValueError:
        with pytest.raises(ValueError):
            signals._path_and_query(url)
        return
    assert signals._path_and_query(url) == (parts.path, parts.query)


KEYWORDED = [
    (signals._CHALLENGE_MARKUP, signals._CHALLENGE_MARKUP_WORDS),
    (signals._PARKED_MARKUP, signals._PARKED_MARKUP_WORDS),
    (signals._PARKED_TEXT, signals._PARKED_TEXT_WORDS),
    (signals._NOT_FOUND, signals._NOT_FOUND_WORDS),
    (signals._STATUS_404, signals._STATUS_404_WORDS),
]


def _alternatives(source: str) -> list[str]:
    """The top-level branches of a pattern's source."""
    branches, depth, current, escaped = [], 0, "", False
    for char in source:
        if escaped:
            current, escaped = current + char, False
            continue
        if char == "\\":
            current, escaped = current + char, True
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            branches.append(current)
            current = ""
        else:
            current += char
    return [*branches, current]


@pytest.mark.parametrize(("pattern", "words"), KEYWORDED)
def test_every_branch_of_a_prefiltered_pattern_needs_one_of_its_keywords(
    pattern: re.Pattern[str], words: tuple[str, ...]
) -> None:
    for branch in _alternatives(pattern.pattern):
        required = branch
        while (shorter := re.sub(r"\([^()]*\)\?", "", required)) != required:
            required = shorter  # optional groups prove nothing
        required = re.sub(r"\\[bs]\*?|\^", "", required).replace("\\", "").lower()
        assert any(word in required for word in words), branch


VOCABULARY = [
    "page", "Page", "PAGE", "not", "n't", "found", "FOUND", "cannot", "be", "exists", "no",
    "longer", "available", "has", "been", "removed", "deleted", "we", "couldn't", "find",
    "the", "you", "are", "looking", "for", "this", "domain", "DOMAIN", "dom\u0131", "is",
    "sale", "\u017fale", "parked", "PAR\u212aED", "buy", "web", "inquire", "about", "expired",
    "parking", "sedoparking.com", "window.park =", "/parking-lander/", "captcha-delivery.com",
    "px-captcha", "/cdn-cgi/challenge-platform/", "AWSWAF", "\u0130ncapsula incident id",
    "ddos-guard.net/", "hugedomains.com", "dan.com/buy-domain", "afternic.com/forsale",
    "above.com/marketing", "bodis.com", "url", "file", "document", "was", "could", "it",
    "\u2019t", "displayed", "content", "404", "Error 404", "seite", "nicht", "GEFUNDEN",
    "introuvable", "non trouv\u00e9e", "p\u00e1gina", "encontrada", "pagina", "trovata",
    "niet", "gevonden", "tudalen heb ei danfod",
]  # fmt: skip


@given(st.lists(st.sampled_from(VOCABULARY), max_size=12), st.sampled_from([" ", "", "\n"]))
@settings(max_examples=400, deadline=None)
def test_keyword_check_never_skips_a_text_the_pattern_matches(
    parts: list[str], separator: str
) -> None:
    text = separator.join(parts)
    for pattern, words in KEYWORDED:
        if pattern.search(text):
            assert signals.may_match(text, words), (pattern.pattern[:40], text)
