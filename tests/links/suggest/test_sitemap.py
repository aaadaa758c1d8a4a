"""Sitemaps and robots.txt read within bounds, in linear time, whatever a site sends."""

from __future__ import annotations

import gc
import gzip
import time
import zlib
from collections.abc import Callable

import pytest

from guidelint.links.suggest.sitemap import (
    FEED_BYTES,
    MAX_DEPTH,
    MAX_ROBOTS_SITEMAPS,
    MAX_SITEMAP_BYTES,
    MAX_TOKEN_BYTES,
    MAX_URL_CHARS,
    gunzip,
    parse_sitemap,
    robots_sitemaps,
)
from movedsite import LAUGHS, gzip_bomb, sitemap_index, urlset

LOCS = [f"https://www.example.org/page-{n}" for n in range(5)]


def test_a_urlset_lists_its_pages_and_nothing_else() -> None:
    body = urlset(LOCS).replace(
        b"</url>",
        b"<image:image xmlns:image='http://www.google.com/schemas/sitemap-image/1.1'>"
        b"<image:loc>https://cdn.example/a.png</image:loc></image:image></url>",
    )
    read = parse_sitemap(body, max_urls=100)
    assert (read.index, list(read.locs), read.problem) == (False, LOCS, None)


def test_an_index_lists_sitemaps() -> None:
    read = parse_sitemap(sitemap_index(LOCS), max_urls=100)
    assert read.index and list(read.locs) == LOCS


def test_gzip_and_plain_text_sitemaps_are_read() -> None:
    assert list(parse_sitemap(gzip.compress(urlset(LOCS)), max_urls=100).locs) == LOCS
    text = ("\n".join(LOCS) + "\nnot a url\n").encode()
    assert list(parse_sitemap(text, max_urls=100).locs) == LOCS


def test_other_xml_is_not_a_sitemap() -> None:
    read = parse_sitemap(b"<html><loc>https://x.example/</loc></html>", max_urls=100)
    assert read.locs == () and read.problem == "not a sitemap"


def test_entities_are_never_expanded() -> None:
    read = parse_sitemap(LAUGHS, max_urls=100)
    assert read.locs == () and "DOCTYPE" in (read.problem or "")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&x;</loc></url></urlset>"
    )
    assert parse_sitemap(external, max_urls=100).locs == ()


def test_a_gzip_bomb_inflates_only_to_the_cap() -> None:
    data, cut = gunzip(gzip_bomb())
    assert cut and len(data) == MAX_SITEMAP_BYTES
    read = parse_sitemap(gzip_bomb(), max_urls=100)
    assert read.locs == () and read.problem == "cut at the size cap"
    assert gunzip(b"\x1f\x8bnot gzip at all") == (b"", True)


def test_caps_on_addresses_length_and_depth() -> None:
    many = parse_sitemap(urlset([f"https://x.example/{n}" for n in range(1000)]), max_urls=10)
    assert len(many.locs) == 10 and "first 10 addresses" in (many.problem or "")
    long = "https://x.example/" + "a" * MAX_URL_CHARS
    assert parse_sitemap(urlset([long, LOCS[0]]), max_urls=10).locs == (LOCS[0],)
    tag = b'<urlset a="' + b"b" * (MAX_TOKEN_BYTES + FEED_BYTES) + b'">'
    assert "longer than" in (parse_sitemap(tag, max_urls=10).problem or "")
    deep = b"<urlset>" + b"<url>" * (MAX_DEPTH + 5) + b"</url>" * (MAX_DEPTH + 5) + b"</urlset>"
    assert "nested deeper" in (parse_sitemap(deep, max_urls=10).problem or "")


def test_a_document_cut_at_the_transport_cap_keeps_what_it_read() -> None:
    body = urlset(LOCS)[:-40]
    read = parse_sitemap(body, max_urls=100, truncated=True)
    assert read.locs[:4] == tuple(LOCS[:4]) and read.problem == "cut at the size cap"


def test_robots_txt_sitemap_lines() -> None:
    body = (
        b"User-agent: *\nDisallow: /admin\nSitemap: https://x.example/a.xml\n"
        b"SITEMAP:https://x.example/b.xml # comment\nsitemap: ftp://x.example/c\n"
        b"Sitemap: https://x.example/a.xml\n"
    )
    assert robots_sitemaps(body) == ("https://x.example/a.xml", "https://x.example/b.xml")
    flood = b"".join(b"Sitemap: https://x.example/%d.xml\n" % n for n in range(1000))
    assert len(robots_sitemaps(flood)) == MAX_ROBOTS_SITEMAPS


def _cpu(run: Callable[[], object]) -> float:
    gc.disable()
    try:
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()
            run()
            best = min(best, time.thread_time() - started)
        return best
    finally:
        gc.enable()


def _ratio(make: Callable[[int], bytes], read: Callable[[bytes], object], n: int) -> float:
    small, large = make(n), make(4 * n)
    return _cpu(lambda: read(large)) / max(_cpu(lambda: read(small)), 1e-6)


def _read(body: bytes) -> object:
    return parse_sitemap(body, max_urls=10**9)


# Each shape is one a hostile site can send. Expat 2.5 alone took superlinear time over
# one huge token (an 8 MB start tag of attributes: 7x the 2 MB one): the feeding in
# pieces with a token cap is what these prove linear.
SHAPES: dict[str, tuple[Callable[[int], bytes], Callable[[bytes], object], int]] = {
    "urlset": (lambda n: urlset([f"https://x.example/{i}" for i in range(n // 40)]), _read, 200_000),
    "empty tags": (lambda n: b"<urlset>" + b"<a/>" * (n // 4) + b"</urlset>", _read, 200_000),
    "one text node": (lambda n: b"<urlset><url><loc>" + b"a" * n + b"</loc></url></urlset>", _read, 500_000),
    "one huge attribute": (lambda n: b'<urlset a="' + b"b" * n + b'"></urlset>', _read, 500_000),
    "many attributes": (
        lambda n: b"<urlset " + b"".join(b'xmlns:a%d="x" ' % i for i in range(n // 16)) + b">",
        _read,
        500_000,
    ),
    "one comment": (lambda n: b"<urlset><!--" + (b"a" * 999 + b"<") * (n // 1000) + b"-->", _read, 500_000),
    "plain text": (lambda n: b"https://x.example/a\n" * (n // 20), _read, 200_000),
    "gzip": (lambda n: zlib.compress(b"<urlset>" + b" " * n + b"</urlset>", wbits=31), _read, 500_000),
    "robots.txt": (lambda n: b"Disallow: /x\n" * (n // 13) + b"Sitemap: " + b"c" * n, robots_sitemaps, 200_000),
}  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
def test_reading_runs_in_linear_time(shape: str) -> None:
    make, read, n = SHAPES[shape]
    ratio = _ratio(make, read, n)
    if ratio > 6:  # a busy machine: measure once more before it counts
        ratio = min(ratio, _ratio(make, read, n))
    assert ratio < 6, f"{shape}: 4n costs {ratio:.1f}x n"
