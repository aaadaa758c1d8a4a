"""Reading a site's sitemaps and robots.txt, within bounds whatever the site sends.

Everything here is pure: bytes in, addresses out. A sitemap (sitemaps.org) is a `urlset`
of pages or a `sitemapindex` of further sitemaps, in XML (possibly gzipped) or as plain
text, one address a line. What a hostile site can try, and what stops it:

- entity expansion (billion laughs, external entities): any `<!DOCTYPE` ends the parse,
  before a single declaration is read; a sitemap never needs one;
- a gzip bomb: decompression stops at `MAX_SITEMAP_BYTES` of output;
- a huge document: at most `max_urls` addresses are kept, each at most `MAX_URL_CHARS`
  long (the protocol's own limit), and the parse stops there;
- deep nesting or a flood of elements: the parse stops at `MAX_DEPTH` open elements (a
  sitemap needs three) or `MAX_ELEMENTS` in all (50,000 addresses take about 250,000);
- slow parsing: expat (2.5 here) takes superlinear time over one huge token (a start tag
  with a million attributes took 0.6 s for 8 MB, ten times a plain text node), and before
  2.6 it re-reads a token split across feeds from its start. So the document is fed in
  `FEED_BYTES` pieces and the parse stops as soon as one token grows past `MAX_TOKEN_BYTES`
  (a sitemap's longest is an address): every piece re-read is then at most that long, and
  the whole parse is linear.

Which of the addresses may be fetched (same site only, never a private address) is
decided by the caller (`links.suggest.candidates.same_site` and the transport's guard).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Final
from xml.parsers import expat

#: Decompressed bytes of one sitemap read at most. The protocol allows 50 MB; 50,000
#: addresses of 100 characters with their markup take about 8 MB.
MAX_SITEMAP_BYTES: Final = 10 * 1024 * 1024
MAX_ROBOTS_BYTES: Final = 512 * 1024
MAX_URL_CHARS: Final = 2048
MAX_DEPTH: Final = 16
MAX_ELEMENTS: Final = 1_000_000
MAX_TOKEN_BYTES: Final = 64 * 1024
FEED_BYTES: Final = 64 * 1024
#: `Sitemap:` lines of robots.txt read at most.
MAX_ROBOTS_SITEMAPS: Final = 20

_GZIP_MAGIC: Final = b"\x1f\x8b"


@dataclass(frozen=True)
class Sitemap:
    """What one sitemap document lists: pages (`index` False) or further sitemaps."""

    index: bool
    locs: tuple[str, ...]
    #: Why the document was not read to its end (cut at a cap, malformed), or None.
    problem: str | None = None


class _Stop(Exception):
    """Ends a parse early: a cap was reached or the document asked for a DTD."""


def gunzip(body: bytes, cap: int = MAX_SITEMAP_BYTES) -> tuple[bytes, bool]:
    """`body` decompressed if it is gzip, at most `cap` bytes; and whether it was cut."""
    if not body.startswith(_GZIP_MAGIC):
        return body[:cap], len(body) > cap
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(body, cap)
    except zlib.error:
        return b"", True
    return out, bool(inflater.unconsumed_tail) or not inflater.eof


def parse_sitemap(body: bytes, *, max_urls: int, truncated: bool = False) -> Sitemap:
    """The addresses one sitemap lists, read within the caps above (gzip or not).

    `truncated`: the body was cut at the transport's cap; what it holds is read all the same.
    """
    data, cut = gunzip(body)
    cut = cut or truncated
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return _text_sitemap(data, max_urls, cut)
    return _xml_sitemap(data, max_urls, cut)


def _text_sitemap(data: bytes, max_urls: int, cut: bool) -> Sitemap:
    locs: list[str] = []
    for raw in data.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        if line.startswith(("http://", "https://")) and len(line) <= MAX_URL_CHARS:
            locs.append(line)
            if len(locs) >= max_urls:
                return Sitemap(False, tuple(locs), f"only the first {max_urls} addresses read")
    return Sitemap(False, tuple(locs), "cut at the size cap" if cut else None)


class _Reader:
    """Expat handlers that keep the `<loc>` of each `<url>` or `<sitemap>`, and nothing else."""

    def __init__(self, max_urls: int) -> None:
        self.max_urls = max_urls
        self.root: str | None = None
        self.stack: list[str] = []
        self.text: list[str] | None = None  # the characters of the open <loc>, if any
        self.size = 0
        self.locs: list[str] = []
        self.elements = 0

    def start(self, name: str, attributes: object) -> None:
        local = name.rpartition(" ")[2]
        if self.root is None:
            self.root = local
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(f"nested deeper than {MAX_DEPTH} elements")
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _Stop(f"more than {MAX_ELEMENTS} elements")
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local)
        if local == "loc" and parent in ("url", "sitemap"):
            self.text, self.size = [], 0

    def end(self, name: str) -> None:
        self.stack.pop()
        if self.text is None or name.rpartition(" ")[2] != "loc":
            return
        loc = "".join(self.text).strip() if self.size <= MAX_URL_CHARS else ""
        self.text = None
        if loc:
            self.locs.append(loc)
            if len(self.locs) >= self.max_urls:
                raise _Stop(f"only the first {self.max_urls} addresses read")

    def data(self, text: str) -> None:
        if self.text is not None:
            self.size += len(text)
            if self.size <= MAX_URL_CHARS:
                self.text.append(text)

    @staticmethod
    def doctype(*_: object) -> None:
        raise _Stop("a DOCTYPE, which no sitemap needs: not read")


def _xml_sitemap(data: bytes, max_urls: int, cut: bool) -> Sitemap:
    reader = _Reader(max_urls)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    # No DTD, so no entity can be declared, expanded or fetched.
    parser.StartDoctypeDeclHandler = reader.doctype
    parser.EntityDeclHandler = reader.doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    problem = "cut at the size cap" if cut else None
    try:
        for start in range(0, len(data), FEED_BYTES):
            piece = data[start : start + FEED_BYTES]
            parser.Parse(piece, False)
            # After a feed, CurrentByteIndex is where the token expat waits to finish began.
            if start + len(piece) - parser.CurrentByteIndex > MAX_TOKEN_BYTES:
                raise _Stop(f"a single tag, comment or text longer than {MAX_TOKEN_BYTES} bytes")
        parser.Parse(b"", True)
    except _Stop as stop:
        problem = str(stop)
    except expat.ExpatError as error:
        # A document cut at the cap ends mid-element; what was read before stands.
        problem = problem or f"malformed XML: {expat.ErrorString(error.code)}"
    index = reader.root == "sitemapindex"
    if reader.root not in ("urlset", "sitemapindex"):
        return Sitemap(False, (), problem or "not a sitemap")
    return Sitemap(index, tuple(reader.locs), problem)


def robots_sitemaps(body: bytes) -> tuple[str, ...]:
    """The `Sitemap:` addresses of a robots.txt, at most `MAX_ROBOTS_SITEMAPS`."""
    found: list[str] = []
    for raw in body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines():
        field, sep, value = raw.partition(":")
        if sep and field.strip().lower() == "sitemap":
            url = value.split("#", 1)[0].strip()
            if url.startswith(("http://", "https://")) and len(url) <= MAX_URL_CHARS:
                found.append(url)
                if len(found) >= MAX_ROBOTS_SITEMAPS:
                    break
    return tuple(dict.fromkeys(found))
