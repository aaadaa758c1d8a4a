"""Which addresses of a site's sitemap are worth fetching as the new home of a dead page.

Pure and cheap: a sitemap lists up to 50,000 addresses and only a handful are fetched.
Each address on the same site is ranked by the words its path shares with the dead
address's path and with the title the page had when it was reviewed: a page about
"Report online abuse" at `/help/report-abuse` that moved to `/get-support/reporting-abuse`
shares "report" and "abuse" with both.

"The same site" is the same host name (a leading `www.` aside) and port; http and https
count as one site, so a site that moved to https is still searched. An address with a
user name (`https://site@elsewhere/`), a backslash or a non-ASCII host is never one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote, urlsplit

from guidelint.links.signals import is_home

#: Words that say nothing about what a page is about.
_STOP: Final = frozenset({
    "a", "an", "and", "the", "of", "to", "for", "in", "on", "at", "by", "with", "from", "is",
    "are", "be", "our", "your", "you", "we", "us", "it", "this", "that", "how", "what", "www",
    "html", "htm", "php", "asp", "aspx", "jsp", "cfm", "index", "page", "pages", "default",
    "home", "en", "gb", "uk", "org", "com", "net",
})  # fmt: skip
_WORD: Final = re.compile(r"[^\W_]+")
#: Words are compared by their first letters, so "reporting" meets "report".
STEM: Final = 6
#: Weights of the rank: path words in common, and the reviewed title's words in the path.
PATH_WEIGHT: Final = 0.5
TITLE_WEIGHT: Final = 0.5


@dataclass(frozen=True)
class Candidate:
    url: str
    rank: float  # 0..1
    path_similarity: float  # 0..1, Jaccard index of the two paths' words


def site_key(url: str) -> tuple[str, int | None] | None:
    """(host without `www.`, explicit non-default port) of a plain http(s) URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    netloc = parts.netloc
    if parts.scheme not in ("http", "https") or not netloc or "@" in netloc or "\\" in url:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host or not host.isascii():
        return None
    if port in (80, 443):
        port = None
    return host.removeprefix("www."), port


def same_site(url: str, other: str) -> bool:
    key = site_key(url)
    return key is not None and key == site_key(other)


def words(text: str) -> frozenset[str]:
    """The words of `text` that may say what a page is about, each cut to its stem."""
    return frozenset(
        word[:STEM]
        for word in _WORD.findall(text.casefold())
        if len(word) > 1 and word not in _STOP and not word.isdigit()
    )


def path_words(url: str) -> frozenset[str]:
    try:
        path = urlsplit(url).path
    except ValueError:
        return frozenset()
    return words(unquote(path))


def jaccard(one: frozenset[str], other: frozenset[str]) -> float:
    union = len(one | other)
    return len(one & other) / union if union else 0.0


def path_similarity(url: str, other: str) -> float:
    return jaccard(path_words(url), path_words(other))


def _landing(url: str) -> str:
    """An address without scheme, `www.`, query, fragment or final slash: to spot the same page."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').removeprefix('www.')}:{parts.port}{parts.path.rstrip('/')}"


def rank(dead_url: str, title: str | None, locs: Iterable[str], limit: int) -> list[Candidate]:
    """The `limit` addresses of `locs` most likely to be `dead_url`'s new home, best first.

    Only addresses on the dead page's site that share a word with its path or its reviewed
    title; never the dead address itself or a home page.
    """
    site = site_key(dead_url)
    if site is None or limit <= 0:
        return []
    dead_words = path_words(dead_url)
    title_words = words(title or "")
    dead_landing = _landing(dead_url)
    scored: dict[str, Candidate] = {}
    for loc in locs:
        if loc in scored or site_key(loc) != site or is_home(loc):
            continue
        mine = path_words(loc)
        if not mine or _landing(loc) == dead_landing:
            continue
        similarity = jaccard(dead_words, mine)
        covered = len(title_words & mine) / len(title_words) if title_words else 0.0
        score = PATH_WEIGHT * similarity + TITLE_WEIGHT * covered
        if score > 0:
            scored[loc] = Candidate(loc, round(score, 4), round(similarity, 4))
    best = sorted(scored.values(), key=lambda item: (-item.rank, len(item.url), item.url))
    return best[:limit]
