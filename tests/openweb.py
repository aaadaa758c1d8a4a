"""A second bed for the zoo: behaviours of real sites the checker was not built around.

Each `Behaviour` is a route on the zoo (paths under /w/, a few host names of their own) or
on its raw server (byte-level misbehaviour aiohttp's server will not produce), with the
verdict a careful maintainer wants for it and why. Modelled on what real sites do: soft
404s, parking and suspended-hosting pages, maintenance, consent and login gates, geo-blocks,
CDN/WAF challenges, app shells, cookie gates, language redirects, meta refreshes, IP-literal
tricks, header and encoding oddities. `tests/links/check/test_open_web.py` checks them all.
Every handler is bounded in time and stops by itself.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from guidelint.links.guard import AddressPolicy
from guidelint.links.model import Verdict, action

if TYPE_CHECKING:
    from linkzoo import Zoo

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = Callable[[str], Callable[[Handler], Handler]]

#: The zoo's guard allows 127.0.0.1; these behaviours run with only the zoo's names allowed,
#: so an address literal (in whatever form) is judged as on the open web.
NAMES_ONLY: dict[str, Any] = {"allow": AddressPolicy.from_entries([".test"])}


@dataclass(frozen=True)
class Behaviour:
    name: str
    verdict: Verdict
    reason: str  # why a careful maintainer wants that verdict
    path: str = ""  # default: /w/<name>
    host: str = "site.test"
    raw: bool = False  # served by the raw server
    options: dict[str, Any] = field(default_factory=dict)
    literal: str | None = None  # the URL's host as written, instead of `host`

    def url(self, zoo: Zoo) -> str:
        path = self.path or f"/w/{self.name}"
        port = zoo.raw_port if self.raw else zoo.port
        return f"http://{self.literal or self.host}:{port}{path}"

    def check_as_wanted(self, zoo: Zoo) -> None:
        """Check the behaviour's URL: the verdict a careful maintainer wants, every verdict
        that is not an alive page saying why in one line, each saying what to do."""
        started = time.monotonic()
        result = zoo.check_one(self.url(zoo), ca_file=str(zoo.ca_file), **self.options)
        assert result.verdict is self.verdict, (self.reason, result.error, result.notes)
        if not result.verdict.info.alive:
            assert result.error and "\n" not in result.error, result
        assert all("\n" not in note for note in result.notes)
        assert action(result) and "\n" not in action(result)
        assert time.monotonic() - started < 6  # well inside the zoo's run deadline


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    )


LIVE_TEXT = (
    "<p>Our helpline is free and confidential, open every day of the year for anyone who "
    "needs to talk. Call 0800 000 000 or chat online with a trained volunteer.</p>"
)


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", headers=headers)


def _redirect(location: str, status: int = 302) -> web.Response:
    return web.Response(status=status, headers={"Location": location})


BEHAVIOURS: tuple[Behaviour, ...] = (
    # Temporary unavailability: its own verdict, never dead on one run.
    Behaviour(
        "maintenance-503-retry-after",
        Verdict.UNAVAILABLE,
        "503 with Retry-After and a maintenance page: planned downtime, back in an hour",
    ),
    Behaviour(
        "maintenance-503-no-retry-after",
        Verdict.UNAVAILABLE,
        "503 without Retry-After whose page says it is down for maintenance",
    ),
    Behaviour(
        "maintenance-200",
        Verdict.UNAVAILABLE,
        "a 200 maintenance notice stands in for the page: down for now, not gone",
    ),
    Behaviour(
        "maintenance-500-government",
        Verdict.UNAVAILABLE,
        "a 500 page saying the resource is unavailable due to server maintenance",
    ),
    Behaviour(
        "rate-limited-a-day",
        Verdict.UNAVAILABLE,
        "429 with Retry-After: 86400, beyond the retry cap: asked to come back tomorrow",
    ),
    Behaviour(
        "retry-after-date-503",
        Verdict.UNAVAILABLE,
        "503 with Retry-After as an HTTP date: planned downtime with an end",
    ),
    Behaviour(
        "plain-503",
        Verdict.SERVER_ERROR,
        "503 with neither Retry-After nor a maintenance page is a failing server (retried)",
    ),
    Behaviour(
        "origin-down-522",
        Verdict.SERVER_ERROR,
        "a CDN's 522 (origin unreachable) is a server failure, retried, transient until confirmed",
    ),
    Behaviour(
        "live-page-mentions-maintenance",
        Verdict.OK,
        "a live page whose text announces a maintenance window on Sunday is still the page",
    ),
    Behaviour(
        "webchat-temporarily-unavailable",
        Verdict.OK,
        "a helpline page headed 'Webchat service temporarily unavailable' is alive: call instead",
    ),
    # 404 in a title is not an error page by itself.
    Behaviour("title-section-404", Verdict.OK, "a legal section numbered 404 is content"),
    Behaviour("title-room-404", Verdict.OK, "a room numbered 404 is content"),
    Behaviour("title-form-404", Verdict.OK, "a form numbered 404 is content"),
    Behaviour("title-page-404", Verdict.OK, "'Page 404' of a paged listing is content"),
    Behaviour("title-error-404", Verdict.SOFT_404, "'Error 404' with a 200 is an error page"),
    Behaviour(
        "spanish-soft-404",
        Verdict.SOFT_404,
        "'Página no encontrada' served with 200 is an error page in Spanish",
    ),
    Behaviour(
        "content-isnt-available",
        Verdict.SOFT_404,
        "'Sorry, this page isn't available.' (social networks' removed-page wording) with a 200",
    ),
    Behaviour(
        "redirect-to-404-html",
        Verdict.SOFT_404,
        "a deep link redirected to /404.html, which answers 200 'Page not found'",
    ),
    Behaviour(
        "no-content-204",
        Verdict.SOFT_404,
        "204 No Content for a web page: nothing to read, the page is not there",
    ),
    # Meta refresh and the Refresh header are redirects.
    Behaviour(
        "meta-refresh-to-404",
        Verdict.BROKEN,
        "a 200 page whose immediate meta refresh leads to a 404: readers land on the 404",
    ),
    Behaviour(
        "refresh-header-to-404",
        Verdict.BROKEN,
        "a Refresh: 0 header leading to a 404 is a redirect to a dead page",
    ),
    Behaviour(
        "meta-refresh-loop",
        Verdict.BROKEN,
        "two pages refreshing to each other: a redirect loop no reader escapes",
    ),
    Behaviour(
        "refresh-header-endless",
        Verdict.BROKEN,
        "a Refresh header to a new URL every time: more redirects than the hop limit",
    ),
    Behaviour(
        "meta-refresh-to-gzip-bomb",
        Verdict.REDIRECTED,
        "a refresh to a gzip bomb lands on a (capped) live page: followed, never read whole",
    ),
    Behaviour(
        "meta-refresh-slow",
        Verdict.OK,
        "a 30-second 'you will be redirected' page with content is a page, not a redirect",
    ),
    Behaviour(
        "meta-refresh-self",
        Verdict.OK,
        "a page that refreshes itself (live figures) is no redirect",
    ),
    Behaviour(
        "meta-refresh-cache-busting",
        Verdict.OK,
        "a page that reloads itself every 5 s with a new ?t= (live figures) is no redirect",
    ),
    Behaviour(
        "refresh-header-to-file",
        Verdict.OK,
        "a Refresh header to file:///etc/passwd is ignored, as browsers do: the page is judged",
    ),
    Behaviour(
        "noscript-meta-refresh",
        Verdict.OK,
        "a meta refresh inside <noscript> sends only script-less browsers to a missing page",
    ),
    Behaviour(
        "meta-refresh-to-octal-literal",
        Verdict.UNSAFE,
        "a meta refresh to http://0177.0.0.1/ is a redirect to loopback, refused by the guard",
        options=NAMES_ONLY,
    ),
    # IP literals in every form a browser reads.
    Behaviour(
        "redirect-to-octal-literal",
        Verdict.UNSAFE,
        "a redirect to 0177.0.0.1 (octal loopback) is refused as loopback, not an error",
        options=NAMES_ONLY,
    ),
    Behaviour(
        "redirect-to-decimal-literal",
        Verdict.UNSAFE,
        "a redirect to 2130706433 (decimal loopback) is refused as loopback",
        options=NAMES_ONLY,
    ),
    Behaviour(
        "redirect-to-mapped-ipv6",
        Verdict.UNSAFE,
        "a redirect to [::ffff:127.0.0.1] (IPv4-mapped loopback) is refused",
        options=NAMES_ONLY,
    ),
    Behaviour(
        "decimal-literal-in-guide",
        Verdict.UNSAFE,
        "a guide linking http://2130706433/ links loopback",
        path="/ok",
        literal="2130706433",
        options=NAMES_ONLY,
    ),
    Behaviour(
        "short-literal-in-guide",
        Verdict.UNSAFE,
        "a guide linking http://127.1/ links loopback",
        path="/ok",
        literal="127.1",
        options=NAMES_ONLY,
    ),
    Behaviour(
        "trailing-dot-literal-allowed",
        Verdict.OK,
        "127.0.0.1. is 127.0.0.1: allowed here, requested as the canonical address",
        path="/ok",
        literal="127.0.0.1.",
    ),
    Behaviour(
        "hex-literal-allowed",
        Verdict.OK,
        "0x7f.0.0.1 is 127.0.0.1: allowed here, requested as the canonical address",
        path="/ok",
        literal="0x7f.0.0.1",
    ),
    # Walls and gates: not proof of death.
    Behaviour(
        "geo-block-451",
        Verdict.BLOCKED,
        "451 'not available in your country' refuses where the checker runs, not everyone",
    ),
    Behaviour(
        "geo-block-200",
        Verdict.BLOCKED,
        "a 200 page saying the video is not available in your country: a geo-block",
    ),
    Behaviour(
        "waf-406",
        Verdict.BLOCKED,
        "mod_security's 406 Not Acceptable to a client it takes for a bot",
    ),
    Behaviour(
        "waf-418",
        Verdict.BLOCKED,
        "418 is what some bot filters answer; the page is there for browsers",
    ),
    Behaviour(
        "login-wall-200",
        Verdict.BLOCKED,
        "a 200 'Sign in' page with a password form stands in for a members' page",
    ),
    Behaviour(
        "login-redirect",
        Verdict.BLOCKED,
        "a redirect to /login?next=<the page>: the page exists behind an account",
    ),
    Behaviour(
        "sso-redirect",
        Verdict.BLOCKED,
        "a redirect to /users/sign_in (no return address): the page needs an account",
    ),
    Behaviour(
        "consent-gate",
        Verdict.BLOCKED,
        "a redirect to a consent host whose continue= returns to the page",
    ),
    Behaviour(
        "cloudflare-503-challenge",
        Verdict.BLOCKED,
        "503 with cf-mitigated: challenge (and Retry-After) is a bot wall, not downtime",
    ),
    Behaviour(
        "aws-waf-202-challenge",
        Verdict.BLOCKED,
        "202 with x-amzn-waf-action: challenge is AWS WAF's bot wall",
    ),
    Behaviour(
        "incapsula-200",
        Verdict.BLOCKED,
        "a 200 page that is only Incapsula's challenge script",
    ),
    Behaviour(
        "linkedin-999-after-redirect",
        Verdict.BLOCKED,
        "a 301 to a page answering 999: the network refuses bots",
    ),
    Behaviour(
        "cookie-gate-with-return",
        Verdict.REDIRECTED,
        "a cookie gate that sets a cookie and sends us back: the page behind it is alive",
    ),
    Behaviour(
        "app-shell",
        Verdict.OK,
        "an app shell (empty root, scripts, a noscript notice) is alive; content unverified",
    ),
    # Redirects that are fine, and one that is not.
    Behaviour(
        "language-redirect",
        Verdict.REDIRECTED,
        "a 302 from /help to /en/help (Accept-Language) is the same page in English",
    ),
    Behaviour(
        "home-language-redirect",
        Verdict.REDIRECTED,
        "a home page sent to /en/ is the home page: not a deep link sent home",
        path="/",
        host="lang.test",
    ),
    Behaviour(
        "deep-link-to-language-home",
        Verdict.SOFT_404,
        "a deep link 301'd to /en/ (the language home) lost its page",
    ),
    Behaviour(
        "unicode-location",
        Verdict.REDIRECTED,
        "a Location with raw UTF-8 and spaces is still a redirect browsers follow",
        raw=True,
    ),
    Behaviour(
        "protocol-relative-location",
        Verdict.REDIRECTED,
        "a Location of //host/path keeps the scheme",
    ),
    Behaviour(
        "credentials-in-guide-url",
        Verdict.OK,
        "a guide URL with user:password@: checked without sending them (no Basic auth)",
        path="/w/auth-echo",
        literal="admin:hunter2@site.test",
    ),
    Behaviour(
        "credentials-in-redirect",
        Verdict.REDIRECTED,
        "a redirect to user:password@host: followed without sending or keeping them",
    ),
    Behaviour(
        "trailing-slash-301",
        Verdict.MOVED,
        "a 301 to the same path with a slash: alive; the guide may take the new address",
    ),
    Behaviour(
        "https-upgrade-301",
        Verdict.MOVED,
        "a 301 from http to https: alive, and the guide should say https",
    ),
    Behaviour(
        "redirect-to-site-search",
        Verdict.SOFT_404,
        "a deep link sent to /?s=old+helpline+page (a '404 to search' plugin): the page is gone",
    ),
    Behaviour(
        "redirect-to-error-path",
        Verdict.SOFT_404,
        "a deep link 302'd to /errors/not-found, a generic page answering 200: the page is gone",
    ),
    # Sites that are gone though they answer 200.
    Behaviour(
        "marketplace-lander",
        Verdict.SOFT_404,
        "'The domain name helpline.example is for sale': the organisation lost its domain",
    ),
    Behaviour(
        "suspended-hosting",
        Verdict.SOFT_404,
        "'This Account has been suspended' (cPanel): the site is gone",
    ),
    Behaviour(
        "server-default-page",
        Verdict.SOFT_404,
        "'Welcome to nginx!' on every path of a reinstalled server: caught by the probe",
        path="/support/helpline",
        host="default-server.test",
    ),
    # Header and encoding oddities: the server answered, so never dead for them.
    Behaviour(
        "many-headers-150",
        Verdict.OK,
        "150 response headers (cookies, CSP, tracing) on a live page",
        raw=True,
    ),
    Behaviour(
        "too-many-headers-2000",
        Verdict.OK,
        "200 with 2,000 header lines: the status line says alive; the headers are left unread",
        raw=True,
    ),
    Behaviour(
        "too-many-headers-404",
        Verdict.BROKEN,
        "404 with 2,000 header lines: still a 404, read from its status line",
        raw=True,
    ),
    Behaviour(
        "huge-header-line-301",
        Verdict.ERROR,
        "a 301 whose one header line is 100 KB: its Location cannot be read, so nothing is known",
        raw=True,
    ),
    Behaviour(
        "corrupt-gzip-200",
        Verdict.OK,
        "200 with Content-Encoding: gzip over plain bytes: the status stands, content unread",
        raw=True,
    ),
    Behaviour(
        "corrupt-brotli-200",
        Verdict.OK,
        # Brotli comes with Resiliparse (through FastWARC), so aiohttp decodes br and fails
        # on these bytes as on corrupt gzip.
        "200 with Content-Encoding: br over plain bytes: the status stands, content unread",
        raw=True,
    ),
    Behaviour(
        "unknown-encoding",
        Verdict.OK,
        "Content-Encoding: x-custom over plain HTML is read as it is",
        raw=True,
    ),
    Behaviour(
        "corrupt-gzip-404",
        Verdict.BROKEN,
        "404 with an undecodable body: the status says it all",
        raw=True,
    ),
    Behaviour(
        "slowloris-headers",
        Verdict.TIMEOUT,
        "headers trickled a byte at a time never make an answer within the deadline",
        raw=True,
        options={"timeout": 0.6, "url_deadline": 1.5, "retries": 0},
    ),
    # Hostile content that must be capped at capture.
    Behaviour(
        "megabyte-title",
        Verdict.OK,
        "a live page with a 1 MB <title>: alive, its title capped where it is read",
        options={"max_body_bytes": 2 * 1024 * 1024},
    ),
    Behaviour(
        "charset-lie",
        Verdict.OK,
        "a page declared UTF-8 but written in Latin-1 is still the page",
    ),
)


def register(route: Route, zoo: Zoo) -> dict[str, Handler]:
    """Add the behaviours' routes to the zoo; returns the handlers of their own hosts."""

    def static(name: str, make: Callable[[], web.Response]) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return make()

        route(f"/w/{name}")(handler)

    maintenance = _page(
        "Down for maintenance",
        "<h1>We&rsquo;ll be back soon!</h1><p>We are performing scheduled maintenance.</p>",
    )
    static(
        "maintenance-503-retry-after",
        lambda: _html(maintenance, 503, {"Retry-After": "3600"}),
    )
    static("maintenance-503-no-retry-after", lambda: _html(maintenance, 503))
    static("maintenance-200", lambda: _html(maintenance))
    static(
        "maintenance-500-government",
        lambda: _html(
            _page(
                "Service unavailable",
                "<p>The requested resource is currently unavailable due to server maintenance."
                " Services are expected to be restored at a later date.</p>",
            ),
            500,
        ),
    )
    static("rate-limited-a-day", lambda: web.Response(status=429, headers={"Retry-After": "86400"}))
    static(
        "retry-after-date-503",
        lambda: web.Response(status=503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}),
    )
    static("plain-503", lambda: web.Response(status=503, text="Service Unavailable"))
    static(
        "origin-down-522",
        lambda: _html(_page("example.org | 522: Connection timed out", "<h1>Error 522</h1>"), 522),
    )
    static(
        "live-page-mentions-maintenance",
        lambda: _html(
            _page(
                "Helpline",
                "<h1>Talk to us</h1>" + LIVE_TEXT + "<p>Webchat will be down for maintenance "
                "on Sunday from 2 to 4 am; the phone line stays open.</p>",
            )
        ),
    )
    static(
        "webchat-temporarily-unavailable",
        lambda: _html(
            _page("Helpline", "<h1>Webchat service temporarily unavailable</h1>" + LIVE_TEXT)
        ),
    )
    for name, title in (
        ("title-section-404", "Section 404 of the Clean Water Act"),
        ("title-room-404", "Room 404 – Student Advice Centre"),
        ("title-form-404", "Form 404: Application for emergency housing"),
        ("title-page-404", "Page 404"),
    ):
        static(name, lambda title=title: _html(_page(title, f"<h1>{title}</h1>" + LIVE_TEXT)))  # type: ignore[misc]
    static(
        "title-error-404",
        lambda: _html(_page("Error 404 | Helpline", "<h1>Error 404</h1>" + "<p>menu</p>" * 200)),
    )
    static(
        "spanish-soft-404",
        lambda: _html(_page("Página no encontrada", "<p>" + "menú " * 200 + "</p>")),
    )
    static(
        "content-isnt-available",
        lambda: _html(
            _page(
                "Instagram",
                "<h2>Sorry, this page isn't available.</h2><p>The link you followed may be "
                "broken, or the page may have been removed.</p>",
            )
        ),
    )
    static("redirect-to-404-html", lambda: _redirect("/w/404.html"))
    static(
        "404.html",
        lambda: _html(_page("Page not found", "<h1>Oops!</h1><p>" + "Links. " * 100 + "</p>")),
    )
    static("no-content-204", lambda: web.Response(status=204))

    def refresh_page(target: str, delay: int = 0, text: str = "Moving") -> web.Response:
        head = f"<meta http-equiv='refresh' content='{delay}; url={target}'>"
        return _html(_page("Redirecting", f"<p>{text}</p>", head))

    static("meta-refresh-to-404", lambda: refresh_page("/missing"))
    static(
        "refresh-header-to-404",
        lambda: _html(
            _page("Redirecting", "<p>Moving</p>"), headers={"Refresh": "0; url=/missing"}
        ),
    )
    static("meta-refresh-loop", lambda: refresh_page("/w/meta-refresh-loop-b"))
    static("meta-refresh-loop-b", lambda: refresh_page("/w/meta-refresh-loop"))

    # Each page refreshes to the next of twenty (the hop limit is ten).
    for step in range(20):
        static(
            "refresh-header-endless" + (f"-{step}" if step else ""),
            lambda step=step: _html(  # type: ignore[misc]
                _page("Next", "<p>Next</p>"),
                headers={"Refresh": f"0;url=/w/refresh-header-endless-{step + 1}"},
            ),
        )

    static("meta-refresh-to-gzip-bomb", lambda: refresh_page("/gzip-bomb"))
    static(
        "meta-refresh-slow",
        lambda: refresh_page("/ok", 30, "This service has a new home. " + LIVE_TEXT),
    )
    static(
        "meta-refresh-self",
        lambda: refresh_page("/w/meta-refresh-self", 1, "Live waiting times. " + LIVE_TEXT),
    )

    @route("/w/meta-refresh-cache-busting")
    async def cache_busting(request: web.Request) -> web.StreamResponse:
        tick = int(request.query.get("t", "0"))
        target = f"/w/meta-refresh-cache-busting?t={tick + 1}"
        return refresh_page(target, 5, "Live waiting times. " + LIVE_TEXT)

    static(
        "refresh-header-to-file",
        lambda: _html(
            _page("Helpline", LIVE_TEXT), headers={"Refresh": "0; url=file:///etc/passwd"}
        ),
    )
    static(
        "noscript-meta-refresh",
        lambda: _html(
            _page(
                "Helpline",
                LIVE_TEXT,
                "<noscript><meta http-equiv='refresh' content='0; url=/nojs-missing'></noscript>",
            )
        ),
    )
    static(
        "meta-refresh-to-octal-literal",
        lambda: refresh_page(f"http://0177.0.0.1:{zoo.port}/ok"),
    )
    static("redirect-to-octal-literal", lambda: _redirect(f"http://0177.0.0.1:{zoo.port}/ok"))
    static("redirect-to-decimal-literal", lambda: _redirect(f"http://2130706433:{zoo.port}/ok"))
    static("redirect-to-mapped-ipv6", lambda: _redirect(f"http://[::ffff:127.0.0.1]:{zoo.port}/"))
    static(
        "geo-block-451",
        lambda: _html(
            _page("Unavailable", "<p>This content is not available in your country.</p>"), 451
        ),
    )
    static(
        "geo-block-200",
        lambda: _html(
            _page(
                "Video",
                "<h1>Video unavailable</h1><p>This video is not available in your country.</p>",
            )
        ),
    )
    static("waf-406", lambda: _html(_page("Not Acceptable!", "<h1>Not Acceptable!</h1>"), 406))
    static("waf-418", lambda: web.Response(status=418, text="I'm a teapot"))
    static("trailing-slash-301", lambda: _redirect("/w/trailing-slash-301/", 301))
    route("/w/trailing-slash-301/")(_static_live)
    static("https-upgrade-301", lambda: _redirect(f"https://secure.test:{zoo.tls_port}/ok", 301))
    static("redirect-to-error-path", lambda: _redirect("/errors/not-found"))
    static("redirect-to-site-search", lambda: _redirect("/?s=old+helpline+page"))
    static("sso-redirect", lambda: _redirect("/users/sign_in"))
    route("/users/sign_in")(_static_live)
    route("/errors/not-found")(_static_live)
    static(
        "login-wall-200",
        lambda: _html(
            _page(
                "Sign in",
                "<h1>Sign in to continue</h1><form><input name=user>"
                "<input type='password' name=pw><button>Sign in</button></form>",
            )
        ),
    )
    static("login-redirect", lambda: _redirect("/w/login?next=/w/login-redirect"))
    static(
        "login",
        lambda: _html(_page("Log in", "<form><input name=u><input type=password name=p></form>")),
    )

    @route("/w/consent-gate")
    async def consent_gate(request: web.Request) -> web.StreamResponse:
        back = f"http://site.test:{zoo.port}/w/consent-gate"
        return _redirect(f"http://consent.test:{zoo.port}/w/consent?continue={back}")

    static(
        "consent",
        lambda: _html(_page("Before you continue", "<h1>Before you continue</h1><p>Cookies.</p>")),
    )
    static(
        "cloudflare-503-challenge",
        lambda: _html(
            _page("Just a moment...", "<p>Checking your browser</p>"),
            503,
            {"cf-mitigated": "challenge", "Retry-After": "5"},
        ),
    )
    static(
        "aws-waf-202-challenge",
        lambda: _html(
            _page("", "<script>awsWafChallenge()</script>"), 202, {"x-amzn-waf-action": "challenge"}
        ),
    )
    static(
        "incapsula-200",
        lambda: _html(
            "<html><head><meta name='robots' content='noindex'></head><body>"
            "<script src='/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e'></script></body></html>"
        ),
    )
    static("linkedin-999-after-redirect", lambda: _redirect("/w/in-999", 301))
    static("in-999", lambda: web.Response(status=999, text="request denied"))

    @route("/w/cookie-gate-with-return")
    async def cookie_gate(request: web.Request) -> web.StreamResponse:
        if request.cookies.get("gate") == "passed":
            return _html(_page("Helpline", LIVE_TEXT))
        return _redirect("/w/cookie-set")

    @route("/w/cookie-set")
    async def cookie_set(request: web.Request) -> web.StreamResponse:
        response = _redirect("/w/cookie-gate-with-return")
        response.set_cookie("gate", "passed")
        return response

    static(
        "app-shell",
        lambda: _html(
            _page(
                "",
                "<noscript>You need to enable JavaScript to run this app.</noscript>"
                "<div id='root'></div><script src='/static/js/main.3f2a.js'></script>",
            )
        ),
    )
    static("language-redirect", lambda: _redirect("/en/w/language-redirect"))
    route("/en/w/language-redirect")(_static_live)
    static("deep-link-to-language-home", lambda: _redirect("/en/", 301))
    route("/en/")(_static_live)
    static("protocol-relative-location", lambda: _redirect(f"//site.test:{zoo.port}/ok"))
    static(
        "credentials-in-redirect",
        lambda: _redirect(f"http://admin:hunter2@site.test:{zoo.port}/w/auth-echo"),
    )

    @route("/w/maintenance-until-switched")
    async def maintenance_until_switched(request: web.Request) -> web.StreamResponse:
        # Down for maintenance until a test sets zoo.state["maintenance-over"].
        if zoo.state["maintenance-over"]:
            return _html(_page("Helpline", LIVE_TEXT))
        return _html(maintenance, 503, {"Retry-After": "3600"})

    @route("/w/auth-echo")
    async def auth_echo(request: web.Request) -> web.StreamResponse:
        zoo.authorizations.append(request.headers.get("Authorization", ""))
        return _html(_page("Helpline", LIVE_TEXT))

    static(
        "marketplace-lander",
        lambda: _html(
            _page("helpline.example", "<h1>The domain name helpline.example is for sale</h1>")
        ),
    )
    static(
        "suspended-hosting",
        lambda: _html(
            _page(
                "Account Suspended",
                "<h1>This Account has been suspended.</h1>"
                "<p>Contact your hosting provider for more information.</p>",
            )
        ),
    )
    static(
        "megabyte-title",
        lambda: _html(_page("Helpline " + "x" * 1024 * 1024, LIVE_TEXT)),
    )
    static(
        "charset-lie",
        lambda: web.Response(
            body=_page("Caf\xe9 helpline", LIVE_TEXT).encode("latin-1"),
            content_type="text/html",
            charset="utf-8",
        ),
    )

    @route("/drawn")
    async def drawn(request: web.Request) -> web.StreamResponse:
        # The property test's server: request k to ?u=NAME gets zoo.drawn[NAME][k % len].
        name = request.query.get("u", "")
        answers = zoo.drawn.get(name)
        if not answers:
            return _html(_page("Not Found", "<h1>Not Found</h1>"), 404)
        count = zoo.state[f"drawn:{name}"]
        zoo.state[f"drawn:{name}"] += 1
        return await answer_drawn(request, answers[count % len(answers)], zoo.port)

    async def default_server(request: web.Request) -> web.StreamResponse:
        return _html(
            _page(
                "Welcome to nginx!",
                "<h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is "
                "successfully installed and working. Further configuration is required.</p>",
            )
        )

    async def lang_home(request: web.Request) -> web.StreamResponse:
        if request.path == "/":
            return _redirect("/en/")
        return await _static_live(request)

    return {"default-server.test": default_server, "lang.test": lang_home}


#: Bodies the property test draws from; each a real page shape, a hostile one or none.
DRAWN_BODIES: dict[str, bytes] = {
    "empty": b"",
    "text": b"plain words, no markup",
    "live": _page("Helpline", LIVE_TEXT).encode(),
    "error": _page("Page not found", "<h1>Sorry, we can't find that page</h1>").encode(),
    "maintenance": _page("Down for maintenance", "<h1>Back soon</h1>").encode(),
    "deep": _page("Deep", "<p>Before.</p>" + "<div>" * 20_000).encode(),
    "big": _page("Big", "<p>" + "words " * 60_000 + "</p>").encode(),
    "title": _page("T" * 300_000, LIVE_TEXT).encode(),
}


def drawn_location(target: str, port: int) -> str:
    return {
        "next": "/drawn?u=next",
        "self": "/drawn?u=self",
        "missing": "/missing",
        "forbidden-name": f"http://forbidden.example:{port}/",
        "octal-literal": f"http://0177.0.0.1:{port}/",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "file": "file:///etc/passwd",
        "credentials": f"http://admin:hunter2@site.test:{port}/ok",
    }[target]


async def answer_drawn(
    request: web.Request, drawn: dict[str, Any], port: int
) -> web.StreamResponse:
    """One drawn answer: status, headers, delay, body shape, encoding, truncation, refresh."""
    if drawn["delay"]:
        await asyncio.sleep(drawn["delay"])
    status = drawn["status"]
    headers = {f"X-Filler-{n}": "v" for n in range(drawn["headers"])}
    headers["Content-Type"] = "text/html; charset=utf-8"
    if drawn["retry_after"] is not None:
        headers["Retry-After"] = drawn["retry_after"]
    location = drawn_location(drawn["target"], port)
    if 300 <= status < 400:
        headers["Location"] = location
    elif drawn["refresh"]:
        headers["Refresh"] = f"0; url={location}"
    body = DRAWN_BODIES[drawn["body"]]
    if drawn["encoding"] == "gzip-real":
        body = zlib.compress(body, 9, wbits=31)
        headers["Content-Encoding"] = "gzip"
    elif drawn["encoding"] is not None:
        headers["Content-Encoding"] = drawn["encoding"]  # over plain bytes: undecodable
    if not drawn["truncate"] or not body:
        return web.Response(body=body, status=status, headers=headers)
    headers["Content-Length"] = str(len(body) + 1000)
    response = web.StreamResponse(status=status, headers=headers)
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    assert request.transport is not None
    request.transport.abort()  # the body is cut off mid-transfer
    return response


async def _static_live(request: web.Request) -> web.StreamResponse:
    return _html(_page("Helpline", "<h1>Talk to someone</h1>" + LIVE_TEXT))


# The raw server: answers written byte by byte, for what aiohttp's server will not send.
_BODY = _page("Helpline", LIVE_TEXT).encode()


def _raw(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


_TYPE = ("Content-Type", "text/html; charset=utf-8")
RAW: dict[str, bytes] = {
    "/w/many-headers-150": _raw(
        "200 OK", [_TYPE, *((f"X-Trace-{n}", "v") for n in range(150))], _BODY
    ),
    "/w/too-many-headers-2000": _raw(
        "200 OK", [_TYPE, *(("Set-Cookie", f"c{n}=v") for n in range(2000))], _BODY
    ),
    "/w/too-many-headers-404": _raw(
        "404 Not Found", [_TYPE, *(("Set-Cookie", f"c{n}=v") for n in range(2000))], _BODY
    ),
    "/w/huge-header-line-301": _raw(
        "301 Moved Permanently",
        [("Location", "/w/too-many-headers-2000"), ("X-Big", "a" * 100_000)],
        b"",
    ),
    "/w/corrupt-gzip-200": _raw("200 OK", [_TYPE, ("Content-Encoding", "gzip")], _BODY),
    "/w/corrupt-brotli-200": _raw("200 OK", [_TYPE, ("Content-Encoding", "br")], _BODY),
    "/w/unknown-encoding": _raw("200 OK", [_TYPE, ("Content-Encoding", "x-custom")], _BODY),
    "/w/unicode-location": b"HTTP/1.1 302 Found\r\nLocation: /w/\xc3\xbcn\xc3\xaf c\xc3\xb4de\r\n"
    b"Content-Length: 0\r\nConnection: close\r\n\r\n",
    "/w/%C3%BCn%C3%AF%20c%C3%B4de": _raw("200 OK", [_TYPE], _BODY),
    "/w/corrupt-gzip-404": _raw(
        "404 Not Found", [_TYPE, ("Content-Encoding", "gzip")], zlib.compress(_BODY)[:20]
    ),
}


async def serve_raw(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One request per connection: the answer in `RAW`, or a trickle of headers."""
    try:
        async with asyncio.timeout(5):
            head = await reader.readuntil(b"\r\n\r\n")
            parts = head.split(b" ", 2)
            path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
            if path == "/w/slowloris-headers":
                writer.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(40):  # one header byte every 0.1 s: 4 s at most
                    writer.write(b"X")
                    await writer.drain()
                    await asyncio.sleep(0.1)
            else:
                writer.write(RAW.get(path, _raw("404 Not Found", [_TYPE], b"<h1>Not Found</h1>")))
                await writer.drain()
    except (TimeoutError, ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()
