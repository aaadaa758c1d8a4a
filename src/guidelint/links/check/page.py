"""The page view: what the checker reads from an HTML answer, parsed once.

Title, visible text and anchors (`content.extract_tree`), the first headings, whether the
page builds itself with scripts, and where an immediate meta refresh sends readers. Other
answers (documents, media, JSON) have no page view.

Parsing is bounded (`content.parse`: nesting depth, tag count, size), and the loop runs it
off the event-loop thread for any body larger than `INLINE_BYTES` (`PageReader`), so one
hostile page never stalls the other checks or outlives its URL's deadline.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode
from yarl import URL

from guidelint.links.check.records import Response
from guidelint.links.content import (
    Extracted,
    decode,
    extract_tree,
    lowered_source,
    main_text,
    parse,
)

HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class PageView:
    extracted: Extracted
    headings: tuple[str, ...]
    markup: str
    scripted: bool  # the page builds itself with scripts: empty text proves nothing
    refresh: str | None  # target of an immediate <meta http-equiv="refresh">, if any
    note: str | None = None  # how the markup was bounded before parsing (content.parse)
    main: str | None = None  # the main content (`content.main_text`), when it was asked for
    subheadings: tuple[str, ...] = ()  # the first <h2>s: error pages put "not found" there too


def read_page(response: Response, main: bool = False) -> PageView | None:
    """The page view of a response whose body was read; None unless it is HTML.

    `main`: also read the page's main content, for a page compared with or accepted into
    the baseline (a few milliseconds a page, so only those).
    """
    assert response.body is not None
    mime = response.mime
    head = response.body[:1024].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<head" in head
    if mime not in HTML_TYPES and not (not mime and looks_html):
        return None
    markup = decode(response.body, response.charset)
    parsed = parse(markup)  # bounded: a page 100,000 divs deep stalled the loop (issue 14)
    tree = parsed.tree  # parsed once: extract_tree drops scripts and <head> last
    # Lookups by tag name, and on a small page none where the source lacks the name: see
    # content._may_hide for what the CSS engine costs and why a name must be in the source.
    source = lowered_source(tree)
    headings = tuple(
        text for node in tree.tags("h1")[:3] if (text := " ".join(node.text().split()))
    )
    subheadings: tuple[str, ...] = ()
    if source is None or b"<h2" in source:
        subheadings = tuple(
            text for node in tree.tags("h2")[:3] if (text := " ".join(node.text().split()))
        )
    if source is None:
        scripted = tree.css_first("script") is not None  # stops at the first of many
    else:
        scripted = b"<script" in source and bool(tree.tags("script"))
    refresh = None
    if source is None or b"<meta" in source:
        refresh = meta_refresh(tree, response.url)
    content = main_text(markup) if main else None
    extracted = extract_tree(tree)
    return PageView(
        extracted, headings, markup, scripted, refresh, parsed.note, content, subheadings
    )


#: Bodies up to this size are parsed on the loop thread: a small page parses in well under a
#: millisecond, less than handing it to a thread costs. Larger ones go to `PageReader`'s threads.
INLINE_BYTES: Final = 64 * 1024


class PageReader:
    """`read_page` for the loop: inline for small bodies, in worker threads for large ones.

    Lexbor releases the GIL while it parses (measured: a 1.7 s parse in a thread left the
    loop thread its full share), so other checks go on meanwhile, and the URL's deadline,
    which bounds the await, holds. The threads are the run's own: the resolver's lookups use
    the default executor and must not queue behind pages.
    """

    def __init__(self, threads: int = 2) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="guidelint-parse")

    async def read(self, response: Response, main: bool = False) -> PageView | None:
        """`read_page`; a large body, or one whose main content is wanted, in a thread."""
        if response.body is None:
            return None
        if len(response.body) <= INLINE_BYTES and not main:
            return read_page(response)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, read_page, response, main)

    def close(self) -> None:
        # Waits for a parse still running (bounded by content.parse) and drops queued ones.
        self._pool.shutdown(wait=True, cancel_futures=True)


REFRESH: Final = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]*)", re.I)
REFRESH_MAX_DELAY: Final = 10.0


def meta_refresh(tree: LexborHTMLParser, base: str) -> str | None:
    """Where a page sends readers at once with a meta refresh (a redirect in HTML)."""
    for node in tree.tags("meta"):
        if (node.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        if _in_noscript(node):
            continue  # sends only browsers without scripts away ("please enable JavaScript")
        return refresh_target(node.attributes.get("content") or "", base)
    return None


def _in_noscript(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:  # as deep as content.parse lets a page nest
        if parent.tag == "noscript":
            return True
        parent = parent.parent
    return False


def refresh_target(value: str, base: str) -> str | None:
    """Where a refresh (`<meta http-equiv=refresh>` or a `Refresh` header) with `value` sends
    readers at once: within `REFRESH_MAX_DELAY` seconds, to a URL; None otherwise.

    A slower refresh is a page people read first ("you will be taken there in 30 seconds"),
    and one without a URL reloads the page itself: neither is a redirect.
    """
    match = REFRESH.match(value[:4096])
    if match and float(match.group(1)) <= REFRESH_MAX_DELAY and match.group(2).strip():
        try:
            return str(URL(base).join(URL(match.group(2).strip())).with_fragment(None))
        except ValueError:
            return None
    return None
