"""Sites whose pages moved without a redirect, on 127.0.0.1, for the suggestion tests.

One aiohttp server in a background thread answers for many host names by the `Host`
header (the tests resolve `*.test` to 127.0.0.1 with `linkzoo.ZooResolver`; 127.0.0.1 by
itself is the charity with a sitemap index). Every request is logged as (host, path).

A support charity's reporting page, `/get-help/report-online-abuse`, is alive in phase 1
(when the maintainer reviews it) and answers 404 in phase 2, when it lives on at
`/our-services/reporting/report-online-abuse` with a new site template. Its sitemaps list
the new address among thousands of news posts, next to a decoy for Scotland: the same
advice, a similar title, another helpline number. The charity's hosts differ in how the
sitemaps are laid out:

- `index.charity.test` (and 127.0.0.1): robots.txt names a sitemap index (and sitemaps on
  other hosts and private addresses), which lists a gzip file and a plain one;
- `plain.charity.test`: no robots.txt, a plain `/sitemap.xml`;
- `gzip.charity.test`: robots.txt names `/sitemap.xml.gz`, served as a gzip file;
- `decoy.charity.test`: the page is gone for good; only the decoy is left to find;
- `bare.charity.test`: no robots.txt, no sitemap.

Hostile sites (`*.hostile.test`) serve the same dead page with sitemaps that must be
bounded: endless, nested, wide, off-site, a gzip bomb, entity expansion. `archive.test`
stands in for the Wayback Machine's availability API.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

from aiohttp import web

HELPLINE: Final = "0808 800 5000"
DECOY_HELPLINE: Final = "0808 801 0000"
DEAD_PATH: Final = "/get-help/report-online-abuse"
NEW_PATH: Final = "/our-services/reporting/report-online-abuse"
#: An older address of the new page that redirects to it: the same candidate, not a rival.
ALIAS_PATH: Final = "/our-services/report-online-abuse"
DECOY_PATH: Final = "/our-services/reporting/report-online-abuse-scotland"
NEWS_POSTS: Final = 3000
ARCHIVED_AT: Final = "20261101093000"
CHARITY: Final = "Safe Online Charity"

_ADVICE: Final = (
    "If someone has shared intimate images of you without your consent, you can report it.",
    "We will help you ask the website to take the images down as quickly as possible.",
    "You do not have to deal with this on your own, and it is not your fault.",
    "Keep a record of where the images appear before you report them anywhere.",
    "Our advisers can explain what the police can do and what your options are.",
)


def _page(title: str, body: str, nav: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav>{nav}</nav><main>{body}</main>"
        f"<footer><p>{CHARITY} is a registered charity in England and Wales.</p></footer>"
        "</body></html>"
    )


def reviewed_page() -> str:
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in _ADVICE)
    body = (
        f"<h1>Report online abuse</h1>{paragraphs}"
        f"<p>Call our helpline on {HELPLINE}, Monday to Friday, 10am to 4pm.</p>"
    )
    return _page(f"Report online abuse | {CHARITY}", body, "<a href='/'>Home</a>")


def moved_page() -> str:
    """The same page on the rebuilt site: a new template, the same advice and number."""
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in _ADVICE)
    body = (
        f"<h1>Report online abuse</h1>{paragraphs}"
        f"<p>Call our helpline on {HELPLINE}, Monday to Friday, 10am to 4pm.</p>"
    )
    nav = "<ul><li>Our services</li><li>Get involved</li><li>About us</li></ul>"
    return _page(f"Report online abuse – {CHARITY}", body, nav)


def decoy_page() -> str:
    """The same advice for Scotland, with Scotland's helpline: never the dead page's home."""
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in _ADVICE)
    body = (
        f"<h1>Report online abuse in Scotland</h1>{paragraphs}"
        "<p>Our Scottish team works with Police Scotland and local services.</p>"
        f"<p>Call our helpline on {DECOY_HELPLINE}, Monday to Friday, 10am to 4pm.</p>"
    )
    return _page(f"Report online abuse in Scotland – {CHARITY}", body, "<ul><li>Home</li></ul>")


def other_page(title: str) -> str:
    body = (
        f"<h1>{title}</h1><p>This page has news and stories from the charity and our "
        "supporters around the country.</p>"
    )
    return _page(f"{title} – {CHARITY}", body, "<ul><li>Home</li></ul>")


def urlset(locs: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc><changefreq>weekly</changefreq></url>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>"
    ).encode()


def sitemap_index(locs: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>"
    ).encode()


@dataclass
class Sites:
    port: int = 0
    phase: int = 1
    requests: list[tuple[str, str]] = field(default_factory=list)  # (host, path and query)

    def url(self, path: str, host: str = "index.charity.test") -> str:
        return f"http://{host}:{self.port}{path}"

    def to(self, host: str) -> list[str]:
        """The paths requested from `host`, in order."""
        return [path for seen, path in self.requests if seen == host]


def _xml(body: bytes, *, gzip_file: bool = False) -> web.Response:
    kind = "application/x-gzip" if gzip_file else "application/xml"
    return web.Response(body=body, content_type=kind)


def _missing() -> web.Response:
    return web.Response(text="<title>Not found</title><h1>Page not found</h1>", status=404,
                        content_type="text/html")  # fmt: skip


def _charity_pages(sites: Sites, host: str) -> list[str]:
    base = f"http://{host}:{sites.port}"
    news = [f"{base}/news/2024/post-{n}" for n in range(NEWS_POSTS)]
    services = [
        f"{base}/",
        f"{base}/get-help/abuse-advice-line",
        f"{base}/our-services/report-harmful-content",
        f"{base}{ALIAS_PATH}",
        f"{base}{DECOY_PATH}",
        f"{base}{NEW_PATH}",
        f"{base}/about-us/annual-report",
    ]
    return news[: NEWS_POSTS // 2] + services + news[NEWS_POSTS // 2 :]


def _charity_sitemaps(sites: Sites, host: str, path: str) -> web.Response | None:
    mode = "index" if host == "127.0.0.1" else host.split(".", 1)[0]
    base = f"http://{host}:{sites.port}"
    pages = _charity_pages(sites, host)
    if mode == "index":
        if path == "/robots.txt":
            return web.Response(
                text="User-agent: *\nDisallow: /admin/\n"
                f"Sitemap: http://evil.test:{sites.port}/sitemap.xml\n"
                "Sitemap: http://10.0.0.1/sitemap.xml\n"
                f"sitemap: {base}/sitemap_index.xml   # the real one\n"
            )
        if path == "/sitemap_index.xml":
            return _xml(
                sitemap_index(
                    [
                        f"http://evil.test:{sites.port}/sitemap-pages.xml",
                        "http://169.254.169.254/latest/meta-data/",
                        f"http://127.0.0.1:{sites.port}/sitemap-pages.xml",
                        f"{base}/sitemaps/news.xml",
                        f"{base}/sitemaps/pages.xml.gz",
                    ]
                    if host != "127.0.0.1"
                    else [f"{base}/sitemaps/news.xml", f"{base}/sitemaps/pages.xml.gz"]
                )
            )
        if path == "/sitemaps/news.xml":
            return _xml(urlset([page for page in pages if "/news/" in page]))
        if path == "/sitemaps/pages.xml.gz":
            body = gzip.compress(urlset([page for page in pages if "/news/" not in page]))
            return _xml(body, gzip_file=True)
    if mode == "plain" and path == "/sitemap.xml":
        return _xml(urlset(pages))
    if mode == "decoy" and path == "/sitemap.xml":
        return _xml(urlset([page for page in pages if not page.endswith(NEW_PATH)]))
    if mode == "gzip":
        if path == "/robots.txt":
            return web.Response(text=f"User-agent: *\nSitemap: {base}/sitemap.xml.gz\n")
        if path == "/sitemap.xml.gz":
            return _xml(gzip.compress(urlset(pages)), gzip_file=True)
    return None


def _charity(sites: Sites, host: str, path: str) -> web.StreamResponse:
    sitemap = _charity_sitemaps(sites, host, path)
    if sitemap is not None:
        return sitemap
    if path in (NEW_PATH, ALIAS_PATH) and host.startswith("decoy."):
        return _missing()
    if path == ALIAS_PATH:
        return web.Response(status=301, headers={"Location": NEW_PATH})
    if path == DEAD_PATH:
        if sites.phase == 1:
            return web.Response(text=reviewed_page(), content_type="text/html")
        return _missing()
    pages: dict[str, Callable[[], str]] = {
        NEW_PATH: moved_page,
        DECOY_PATH: decoy_page,
        "/get-help/abuse-advice-line": lambda: other_page("Abuse advice line"),
        "/our-services/report-harmful-content": lambda: other_page("Report harmful content"),
        "/": lambda: other_page("Welcome"),
    }
    if path in pages:
        return web.Response(text=pages[path](), content_type="text/html")
    if path.startswith("/news/2024/post-"):
        return web.Response(text=other_page(f"News {path[16:]}"), content_type="text/html")
    return _missing()


_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """About 64 KiB of gzip that inflates to 64 MiB: a urlset opened, then zeros."""
    if not _BOMB:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        parts = [compressor.compress(b'<?xml version="1.0"?><urlset>')]
        parts.extend(compressor.compress(bytes(1024 * 1024)) for _ in range(64))
        parts.append(compressor.flush())
        _BOMB.append(b"".join(parts))
    return _BOMB[0]


LAUGHS: Final = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]><urlset><url><loc>&lol9;</loc></url></urlset>"
)


async def _endless(request: web.Request, host: str, port: int) -> web.StreamResponse:
    """A urlset that never ends (until 64 MiB or 10 s): the reader must stop on its own."""
    response = web.StreamResponse(headers={"Content-Type": "application/xml"})
    await response.prepare(request)
    await response.write(b'<?xml version="1.0"?><urlset>')
    loop = asyncio.get_running_loop()
    end = loop.time() + 10
    sent, n = 0, 0
    with contextlib.suppress(ConnectionError):
        while sent < 64 * 1024 * 1024 and loop.time() < end:
            chunk = "".join(
                f"<url><loc>http://{host}:{port}/get-help/report-online-abuse-{n + i}</loc></url>"
                for i in range(500)
            ).encode()
            n += 500
            await response.write(chunk)
            sent += len(chunk)
    return response


def _hostile(sites: Sites, host: str, path: str) -> web.Response | None:
    kind = host.split(".", 1)[0]
    base = f"http://{host}:{sites.port}"
    if path == "/robots.txt":
        return web.Response(text=f"Sitemap: {base}/sitemap.xml\n" * 50)
    if kind == "deep" and (path == "/sitemap.xml" or path.startswith("/index/")):
        level = (
            int(path.removeprefix("/index/").removesuffix(".xml") or 0) if "/index/" in path else 0
        )
        return _xml(sitemap_index([f"{base}/index/{level + 1}.xml"]))
    if kind == "wide" and path == "/sitemap.xml":
        return _xml(sitemap_index([f"{base}/part/{n}.xml" for n in range(10_000)]))
    if kind == "wide" and path.startswith("/part/"):
        return _xml(urlset([f"{base}/news/{path[6:]}"]))
    if kind == "offsite" and path == "/sitemap.xml":
        others = [
            f"http://evil.test:{sites.port}{NEW_PATH}",
            f"http://127.0.0.1:{sites.port}{NEW_PATH}",
            f"http://[::1]:{sites.port}{NEW_PATH}",
            f"http://10.0.0.1{NEW_PATH}",
            f"http://169.254.169.254{NEW_PATH}",
            f"http://user@evil.test:{sites.port}{NEW_PATH}",
            f"{base}/our-services/reporting/report-online-abuse-now",  # redirects off-site
        ]
        return _xml(urlset(others))
    if kind == "offsite" and path == "/our-services/reporting/report-online-abuse-now":
        return web.Response(
            status=302, headers={"Location": f"http://evil.test:{sites.port}{NEW_PATH}"}
        )
    if kind == "bomb" and path == "/sitemap.xml":
        return _xml(gzip_bomb(), gzip_file=True)
    if kind == "laughs" and path == "/sitemap.xml":
        return _xml(LAUGHS)
    return None


def _archive(request: web.Request, sites: Sites) -> web.Response:
    url = request.query.get("url", "")
    if "garbage" in url:
        return web.Response(text="[" * 100_000, content_type="application/json")
    if "none" in url:
        return web.json_response({"archived_snapshots": {}})
    closest = {
        "available": True,
        "url": f"http://archive.test:{sites.port}/web/{ARCHIVED_AT}/{url}",
        "timestamp": ARCHIVED_AT,
        "status": "404" if "error-capture" in url else "200",
    }
    return web.Response(
        text=json.dumps({"url": url, "archived_snapshots": {"closest": closest}}),
        content_type="application/json",
    )


def build_app(sites: Sites) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        host = request.host.rsplit(":", 1)[0].lower()
        sites.requests.append((host, request.path_qs))
        path = request.path
        if host == "archive.test" and path == "/wayback/available":
            return _archive(request, sites)
        if host.endswith(".hostile.test") or host == "evil.test":
            if host.startswith("huge.") and path == "/sitemap.xml":
                return await _endless(request, host, sites.port)
            answer = _hostile(sites, host, path)
            if answer is not None:
                return answer
        if host.endswith((".charity.test", ".hostile.test")) or host == "127.0.0.1":
            return _charity(sites, host, path)
        return _missing()

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    return app


@contextlib.contextmanager
def running_sites() -> Iterator[Sites]:
    """Start the sites in a background thread; stop them on exit."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="movedsite", daemon=True)
    thread.start()
    sites = Sites()

    async def start() -> web.AppRunner:
        runner = web.AppRunner(build_app(sites), shutdown_timeout=0.5, handler_cancellation=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        sites.port = server.sockets[0].getsockname()[1]
        return runner

    runner = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield sites
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
