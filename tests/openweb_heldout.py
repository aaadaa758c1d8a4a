"""A held-out bed: real-world behaviours added after the checker was built around `openweb`.

Same shape as `openweb` (a `Behaviour` per route under /w/ on the zoo, or on its raw server),
with the verdict a careful maintainer wants and why. `test_open_web_heldout.py` checks them.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

from aiohttp import web

from guidelint.links.model import Verdict
from openweb import LIVE_TEXT, Behaviour, Handler, Route, _html, _page, _raw, _redirect

_MENU = "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(30))

BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour(
        "french-soft-404-nexiste-pas",
        Verdict.SOFT_404,
        "200 titled 'Oups ! Cette page n’existe pas' is a French error page",
    ),
    Behaviour(
        "german-soft-404-existiert-nicht",
        Verdict.SOFT_404,
        "200 headed 'Diese Seite existiert leider nicht' is a German error page",
    ),
    Behaviour(
        "spanish-soft-404-no-existe",
        Verdict.SOFT_404,
        "200 headed 'La página que buscas no existe' is a Spanish error page",
    ),
    Behaviour(
        "irish-soft-404",
        Verdict.SOFT_404,
        "200 titled 'Leathanach gan aimsiú' (Irish: page not found) is an error page",
    ),
    Behaviour(
        "maori-soft-404",
        Verdict.SOFT_404,
        "200 titled 'Kāore i kitea te whārangi' (te reo Māori: page not found)",
    ),
    Behaviour(
        "gone-410-friendly",
        Verdict.BROKEN,
        "410 Gone with a friendly 'this service has ended' page: the server says it is gone",
    ),
    Behaviour(
        "live-looking-404",
        Verdict.BROKEN,
        "a 404 status serving a full live-looking page (a CMS's fallback): the status rules",
    ),
    Behaviour(
        "noindex-oops-template",
        Verdict.SOFT_404,
        "200 with X-Robots-Tag: noindex and 'Oops! That page can’t be found.' (WordPress theme)",
    ),
    Behaviour(
        "removed-deep-link-to-root",
        Verdict.SOFT_404,
        "a removed deep link 302'd to / (the home page): the page is gone",
    ),
    Behaviour(
        "moved-308-other-domain",
        Verdict.MOVED,
        "a 308 to the same path on a new domain: moved permanently, the guide should follow",
    ),
    Behaviour(
        "geo-302-country-path",
        Verdict.REDIRECTED,
        "a 302 from /w/geo-302-country-path to its /uk/ version: the same page, not moved",
    ),
    Behaviour(
        "head-405-get-ok",
        Verdict.OK,
        "HEAD answered 405 while GET serves the page: alive",
    ),
    Behaviour(
        "pdf-served-as-html",
        Verdict.OK,
        "a PDF served as text/html: a live document, whatever its label",
    ),
    Behaviour(
        "no-content-type",
        Verdict.OK,
        "a live HTML page sent without Content-Type",
    ),
    Behaviour(
        "rate-limited-no-retry-after",
        Verdict.BLOCKED,
        "429 without Retry-After, as sites answer bots on every request: refused, not dead "
        "(with a Retry-After it is unavailable)",
    ),
    Behaviour(
        "status-999-direct",
        Verdict.BLOCKED,
        "999 (LinkedIn's answer to bots) with no redirect before it: refuses bots",
    ),
    Behaviour(
        "empty-200",
        Verdict.SOFT_404,
        "200 with an empty body (a blank PHP page): nothing to read, as 204 is",
    ),
    Behaviour(
        "cloudflare-403-just-a-moment",
        Verdict.BLOCKED,
        "403 'Just a moment...' with cf-mitigated: challenge: a bot wall, not a dead page",
    ),
    Behaviour(
        "geo-block-451-plain",
        Verdict.BLOCKED,
        "451 with no page at all: unavailable for legal reasons where the checker runs",
    ),
    Behaviour(
        "archived-notice-200",
        Verdict.OK,
        "a 200 'This page has been archived' notice with the old text below: still a page",
    ),
    Behaviour(
        "wix-not-connected",
        Verdict.SOFT_404,
        "'Looks like this domain isn’t connected to a website yet!' (Wix): the site is gone",
    ),
    Behaviour(
        "github-pages-none",
        Verdict.BROKEN,
        "404 'There isn’t a GitHub Pages site here.': the site is gone",
    ),
    Behaviour(
        "head-reset-get-ok",
        Verdict.OK,
        "a server that drops the connection on HEAD and serves GET: alive",
    ),
    Behaviour(
        "aspnet-login-redirect",
        Verdict.BLOCKED,
        "a 302 to /Account/Login?ReturnUrl=<the page> (ASP.NET): the page needs an account",
    ),
    Behaviour(
        "wp-login-redirect",
        Verdict.BLOCKED,
        "a 302 to /wp-login.php?redirect_to=<the page> (members-only WordPress page)",
    ),
    Behaviour(
        "redirect-to-search-q",
        Verdict.SOFT_404,
        "a removed deep link sent to /search?q=old-page: the page is gone",
    ),
    Behaviour(
        "akamai-403-access-denied",
        Verdict.BLOCKED,
        "Akamai's 403 'Access Denied ... Reference #18.': refused to bots, not dead",
    ),
    Behaviour(
        "basic-auth-401",
        Verdict.BLOCKED,
        "401 with WWW-Authenticate: Basic: behind a password, there for those who have it",
    ),
    Behaviour(
        "wordpress-com-suspended",
        Verdict.SOFT_404,
        "200 'This site has been archived or suspended' (WordPress.com): the site is gone",
    ),
    Behaviour(
        "squarespace-expired",
        Verdict.SOFT_404,
        "200 'Website Expired' (Squarespace): the organisation stopped paying, the site is gone",
    ),
    Behaviour(
        "shopify-store-unavailable",
        Verdict.SOFT_404,
        "200 'Sorry, this store is currently unavailable.' (Shopify): the shop is closed",
    ),
    Behaviour(
        "gzip-content-length-short",
        Verdict.OK,
        "200 gzip body whose Content-Length is too short: the status stands, content unread",
        raw=True,
    ),
    Behaviour(
        "chunked-truncated",
        Verdict.OK,
        "200 chunked body cut off mid-page: the server answered alive",
        raw=True,
    ),
)


def register(route: Route) -> None:
    def static(name: str, make: Callable[[], web.Response]) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return make()

        route(f"/w/{name}")(handler)

    filler = "<p>" + "Retournez à l’accueil ou utilisez le menu. " * 8 + "</p>"
    static(
        "french-soft-404-nexiste-pas",
        lambda: _html(_page("Oups ! Cette page n’existe pas | Association", _MENU + filler)),
    )
    static(
        "german-soft-404-existiert-nicht",
        lambda: _html(
            _page("Beratungsstelle", "<h1>Diese Seite existiert leider nicht</h1>" + _MENU * 2)
        ),
    )
    static(
        "spanish-soft-404-no-existe",
        lambda: _html(
            _page(
                "Fundación",
                "<h1>Lo sentimos</h1><h2>La página que buscas no existe</h2>" + _MENU * 2,
            )
        ),
    )
    static(
        "irish-soft-404",
        lambda: _html(_page("Leathanach gan aimsiú | Rialtas", _MENU * 2)),
    )
    static(
        "maori-soft-404",
        lambda: _html(_page("Kāore i kitea te whārangi", _MENU * 2)),
    )
    static(
        "gone-410-friendly",
        lambda: _html(_page("Thank you", "<h1>This service has ended</h1>" + LIVE_TEXT * 3), 410),
    )
    static(
        "live-looking-404",
        lambda: _html(_page("Helpline", "<h1>Talk to someone</h1>" + LIVE_TEXT * 4), 404),
    )
    static(
        "noindex-oops-template",
        lambda: _html(
            _page(
                "Helpline Trust",
                "<h1>Oops! That page can’t be found.</h1><p>It looks like nothing was found "
                "at this location. Maybe try a search?</p>" + _MENU * 3,
            ),
            headers={"X-Robots-Tag": "noindex"},
        ),
    )
    static("removed-deep-link-to-root", lambda: _redirect("/"))

    @route("/w/moved-308-other-domain")
    async def moved(request: web.Request) -> web.StreamResponse:
        return _redirect(f"http://newname.test:{request.url.port}/ok", 308)

    static("geo-302-country-path", lambda: _redirect("/w/geo-302-country-path/uk/"))
    static(
        "geo-302-country-path/uk/",
        lambda: _html(_page("Helpline UK", "<h1>Talk to us</h1>" + LIVE_TEXT)),
    )

    @route("/w/head-405-get-ok")
    async def head_405(request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=405)
        return _html(_page("Helpline", "<h1>Talk to us</h1>" + LIVE_TEXT))

    static(
        "pdf-served-as-html",
        lambda: web.Response(
            body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + b"0" * 4000 + b"\n%%EOF",
            headers={"Content-Type": "text/html"},
        ),
    )

    @route("/w/no-content-type")
    async def no_type(request: web.Request) -> web.StreamResponse:
        response = web.Response(body=_page("Helpline", "<h1>Talk</h1>" + LIVE_TEXT).encode())
        response.headers.pop("Content-Type", None)
        return response

    static(
        "rate-limited-no-retry-after", lambda: web.Response(status=429, text="Too Many Requests")
    )
    static("status-999-direct", lambda: web.Response(status=999, text=""))
    static("empty-200", lambda: web.Response(status=200, body=b"", content_type="text/html"))
    static(
        "cloudflare-403-just-a-moment",
        lambda: _html(
            _page(
                "Just a moment...", "<noscript>Enable JavaScript and cookies to continue</noscript>"
            ),
            403,
            {"cf-mitigated": "challenge", "Server": "cloudflare"},
        ),
    )
    static("geo-block-451-plain", lambda: web.Response(status=451))
    static(
        "archived-notice-200",
        lambda: _html(
            _page(
                "Helpline (archived)",
                "<div class='notice'>This page has been archived and is no longer updated."
                "</div><h1>Talk to us</h1>" + LIVE_TEXT,
            )
        ),
    )
    static(
        "wix-not-connected",
        lambda: _html(
            _page(
                "",
                "<h1>Looks like this domain isn’t connected to a website yet!</h1>"
                "<p>If you own this domain, connect it to your site in your Wix account.</p>",
            )
        ),
    )
    static(
        "github-pages-none",
        lambda: _html(
            _page(
                "Site not found · GitHub Pages",
                "<h1>404</h1><p>There isn’t a GitHub Pages site here.</p>",
            ),
            404,
        ),
    )

    live = _page("Helpline", "<h1>Talk to us</h1>" + LIVE_TEXT)

    @route("/w/head-reset-get-ok")
    async def head_reset(request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            assert request.transport is not None
            request.transport.abort()
        return _html(live)

    static(
        "aspnet-login-redirect",
        lambda: _redirect("/Account/Login?ReturnUrl=%2Fw%2Faspnet-login-redirect"),
    )
    static("wp-login-redirect", lambda: _redirect("/wp-login.php?redirect_to=%2Fmembers%2F"))
    for target in ("/Account/Login", "/wp-login.php", "/search"):
        route(target)(lambda request: _live(live))
    static("redirect-to-search-q", lambda: _redirect("/search?q=old-page", 301))
    static(
        "akamai-403-access-denied",
        lambda: _html(
            "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>"
            "You don't have permission to access this server.<P>Reference #18.5e2a3b17</BODY>"
            "</HTML>",
            403,
            {"Server": "AkamaiGHost"},
        ),
    )
    static(
        "basic-auth-401",
        lambda: web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="Staff"'}),
    )
    static(
        "wordpress-com-suspended",
        lambda: _html(
            _page(
                "Site suspended",
                "<p>This site has been archived or suspended in accordance with our Terms of "
                "Service.</p>",
            )
        ),
    )
    static(
        "squarespace-expired",
        lambda: _html(_page("Website Expired", "<h1>Website Expired</h1><p>Squarespace</p>")),
    )
    static(
        "shopify-store-unavailable",
        lambda: _html(
            _page("Store unavailable", "<h1>Sorry, this store is currently unavailable.</h1>")
        ),
    )


async def _live(markup: str) -> web.StreamResponse:
    return _html(markup)


_BODY = _page("Helpline", LIVE_TEXT).encode()
_TYPE = ("Content-Type", "text/html; charset=utf-8")
_GZIPPED = gzip.compress(_BODY)


def _chunked_truncated() -> bytes:
    head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    half = _BODY[: len(_BODY) // 2]
    return head.encode() + f"{len(_BODY):x}\r\n".encode() + half  # promised all, sent half


RAW: dict[str, bytes] = {
    "/w/gzip-content-length-short": _raw(
        "200 OK", [_TYPE, ("Content-Encoding", "gzip")], _GZIPPED
    ).replace(
        f"Content-Length: {len(_GZIPPED)}".encode(),
        f"Content-Length: {len(_GZIPPED) // 2}".encode(),
    ),
    "/w/chunked-truncated": _chunked_truncated(),
}

__all__ = ["BEHAVIOURS", "RAW", "Handler", "register"]
