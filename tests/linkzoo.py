"""A zoo of misbehaving web servers on 127.0.0.1, for the link checker's tests.

The zoo runs real aiohttp servers (plain HTTP and TLS with a trustme CA) in a background
thread with its own event loop, so each test can call the checker's blocking API. Every
handler that waits or streams is bounded in time and stops by itself. Host names reach the
zoo through `ZooResolver`, an injected resolver: no real DNS, no internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

import openweb
import openweb_heldout
from guidelint.links.check import check_urls
from guidelint.links.guard import AddressPolicy
from guidelint.links.model import LinkResult, Reference, RunOutcome
from guidelint.links.settings import CheckOptions

GIB = 1024**3
BOMB_INFLATED = 64 * 1024 * 1024

OK_PAGE = (
    "<!doctype html><html><head><title>Helpline</title></head><body>"
    "<h1 id='top-heading'>Talk to someone today</h1>"
    "<p>Our helpline is free and confidential, open every day of the year for anyone who "
    "needs to talk. Call 0800 000 000 or chat online.</p>"
    "<h2 id='section'>Reporting</h2><a name='legacy'>old anchor</a></body></html>"
)


class ZooResolver(AbstractResolver):
    """Names to addresses from a table; anything else does not exist (NXDOMAIN)."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = dict(table)
        self.lookups: Counter[str] = Counter()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.lookups[host] += 1
        address = self.table.get(host) or self._wildcard(host)
        if address is None:
            raise OSError(socket.EAI_NONAME, f"{host}: Name or service not known")
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    def _wildcard(self, host: str) -> str | None:
        for name, address in self.table.items():
            if name.startswith("*.") and host.endswith(name[1:]):
                return address
        return None

    async def close(self) -> None:
        return None


@dataclass
class Zoo:
    port: int
    tls_port: int
    closed_port: int
    ca_file: Path
    state: Counter[str] = field(default_factory=Counter)
    user_agents: list[str] = field(default_factory=list)
    sent: Counter[str] = field(default_factory=Counter)  # body bytes written, by path
    in_flight: Counter[str] = field(default_factory=Counter)
    max_in_flight: Counter[str] = field(default_factory=Counter)
    raw_port: int = 0  # openweb's raw server: answers written byte by byte
    authorizations: list[str] = field(default_factory=list)  # Authorization headers received
    drawn: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # openweb's /drawn

    def url(self, path: str, host: str = "site.test") -> str:
        return f"http://{host}:{self.port}{path}"

    def tls_url(self, path: str, host: str = "secure.test") -> str:
        return f"https://{host}:{self.tls_port}{path}"

    def resolver(self, extra: Mapping[str, str] | None = None) -> ZooResolver:
        return ZooResolver({"*.test": "127.0.0.1", **(extra or {})})

    def options(self, **changes: Any) -> CheckOptions:
        """Fast test settings; the guard allows 127.0.0.1 only (the zoo's address)."""
        values: dict[str, Any] = {
            "timeout": 1.0,
            "url_deadline": 4.0,
            "run_deadline": 20.0,
            "retries": 2,
            "backoff": 0.02,
            "min_interval": 0.0,
            "retry_after_cap": 2.0,
            "max_body_bytes": 256 * 1024,
            "per_host": 4,
            "allow": AddressPolicy.from_entries(["127.0.0.1/32"]),
        }
        values.update(changes)
        return CheckOptions(**values)

    def check(
        self,
        *urls: str,
        resolver: AbstractResolver | None = None,
        progress: Callable[[int, int], None] | None = None,
        **changes: Any,
    ) -> RunOutcome:
        references = {
            url: (Reference("guides/zz/test.yaml", index + 1, 7, f"/resources/{index}/url"),)
            for index, url in enumerate(urls)
        }
        return check_urls(
            references,
            self.options(**changes),
            resolver=resolver or self.resolver(),
            progress=progress,
        )

    def check_one(self, url: str, **changes: Any) -> LinkResult:
        outcome = self.check(url, **changes)
        assert len(outcome.results) == 1
        return outcome.results[0]


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _html(body: str, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", headers=headers)


def build_app(zoo: Zoo) -> web.Application:
    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        zoo.user_agents.append(request.headers.get("User-Agent", ""))
        key = request.host.split(":")[0]
        zoo.in_flight[key] += 1
        zoo.max_in_flight[key] = max(zoo.max_in_flight[key], zoo.in_flight[key])
        try:
            return await handler(request)
        finally:
            zoo.in_flight[key] -= 1

    def page(title: str, text: str) -> str:
        return f"<!doctype html><html><head><title>{title}</title></head><body>{text}</body></html>"

    async def site_handler(request: web.Request) -> web.StreamResponse:
        host = request.host.split(":")[0]
        if host == "catchall.test":
            return _html(
                page(
                    "Welcome",
                    "<h1>Welcome to our service</h1>"
                    + "<p>"
                    + "We help people every day with advice and support. " * 5
                    + "</p>",
                )
            )
        if host == "echo-catchall.test":
            # Answers everything, quoting the path: the page differs only in the path's text.
            body = "<p>" + "Our advice service is here for everyone who needs it. " * 4 + "</p>"
            return _html(page(f"Advice - {request.path}", f"<h1>{request.path}</h1>{body}"))
        if host == "tiny-catchall.test":
            return _html(page("Hi", "<h1>Welcome</h1>"))
        if host == "app.test":
            return _html(
                page("App", "<div id='root'>Loading\u2026</div><script src='/app.js'></script>")
            )
        if host == "parked.test":
            return _html(page("parked.test", "<p>This domain is for sale! Inquire now.</p>"))
        special = own_hosts.get(host)
        if special is not None:
            return await special(request)
        if host == "sedo.test":
            return _html(
                page(
                    "Related links",
                    "<script src='https://img.sedoparking.com/js/x.js'></script><p>Links</p>",
                )
            )
        return await dispatch(request)

    handlers: dict[str, Handler] = {}
    own_hosts: dict[str, Handler] = {}

    def route(path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            handlers[path] = handler
            return handler

        return register

    async def dispatch(request: web.Request) -> web.StreamResponse:
        handler = handlers.get(request.path)
        if handler is None:
            return _html(page("Not Found", "<h1>Not Found</h1>"), status=404)
        return await handler(request)

    @route("/")
    async def home(request: web.Request) -> web.StreamResponse:
        return _html(
            page("Home", "<p>" + "Welcome to the home page of this organisation. " * 4 + "</p>")
        )

    @route("/ok")
    async def ok(request: web.Request) -> web.StreamResponse:
        return _html(OK_PAGE)

    @route("/files/leaflet.pdf")
    async def pdf(request: web.Request) -> web.StreamResponse:
        zoo.state["leaflet:" + request.method] += 1
        return web.Response(body=b"%PDF-1.4 " + b"x" * 1000, content_type="application/pdf")

    @route("/scripted")
    async def scripted(request: web.Request) -> web.StreamResponse:
        return _html(
            "<!doctype html><html><head><title></title><script src='/app.js'></script></head><body><div id='root'></div></body></html>"
        )

    for status, name in (
        (301, "perm"),
        (302, "temp"),
        (303, "see-other"),
        (307, "temp307"),
        (308, "perm308"),
    ):

        def make(status: int) -> Handler:
            async def redirect(request: web.Request) -> web.StreamResponse:
                return web.Response(status=status, headers={"Location": "/ok"})

            return redirect

        handlers[f"/redirect/{name}"] = make(status)

    @route("/chain/1")
    async def chain1(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": "/chain/2"})

    @route("/chain/2")
    async def chain2(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": "/chain/3"})

    @route("/chain/3")
    async def chain3(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "/ok"})

    @route("/loop/a")
    async def loop_a(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "/loop/b"})

    @route("/loop/b")
    async def loop_b(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "/loop/a"})

    @route("/endless")
    async def endless(request: web.Request) -> web.StreamResponse:
        step = int(request.query.get("n", "0"))
        return web.Response(status=302, headers={"Location": f"/endless?n={step + 1}"})

    @route("/cookie-check")
    async def cookie_check(request: web.Request) -> web.StreamResponse:
        if request.cookies.get("seen") == "1":
            return _html(OK_PAGE)
        response = web.Response(status=302, headers={"Location": "/cookie-check"})
        response.set_cookie("seen", "1")
        return response

    @route("/meta-refresh-home")
    async def meta_refresh_home(request: web.Request) -> web.StreamResponse:
        return _html(
            "<html><head><meta http-equiv='Refresh' content='0; URL=/'></head><body>Moved</body></html>"
        )

    @route("/meta-refresh-page")
    async def meta_refresh_page(request: web.Request) -> web.StreamResponse:
        return _html(
            "<html><head><title>Moved</title><meta http-equiv='refresh' content=\"3;url='/ok'\"></head>"
            "<body><p>This page has moved to a new address. You will be taken there in a moment.</p></body></html>"
        )

    @route("/big-headers")
    async def big_headers(request: web.Request) -> web.StreamResponse:
        return _html(
            OK_PAGE,
            headers={
                "Content-Security-Policy": "default-src 'self' " + "https://cdn.example " * 1500
            },
        )

    @route("/no-location")
    async def no_location(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302)

    @route("/old-help-page")
    async def old_help(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": "/"})

    @route("/to-other-domain")
    async def other_domain(request: web.Request) -> web.StreamResponse:
        return web.Response(
            status=301, headers={"Location": f"http://new-owner.example:{zoo.port}/ok"}
        )

    @route("/to-internal-name")
    async def to_internal_name(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": f"http://internal.test:{zoo.port}/ok"})

    @route("/to-loopback-literal")
    async def to_literal(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": f"http://127.0.0.2:{zoo.port}/ok"})

    @route("/to-metadata")
    async def to_metadata(request: web.Request) -> web.StreamResponse:
        return web.Response(
            status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
        )

    @route("/gone")
    async def gone(request: web.Request) -> web.StreamResponse:
        return _html(page("Gone", "<h1>Gone</h1>"), status=410)

    @route("/bad-request")
    async def bad_request(request: web.Request) -> web.StreamResponse:
        return _html(page("Bad", "<h1>Bad request</h1>"), status=400)

    @route("/files/head-405.pdf")
    async def head_405(request: web.Request) -> web.StreamResponse:
        zoo.state["head-405:" + request.method] += 1
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(body=b"%PDF-1.4 document", content_type="application/pdf")

    @route("/files/head-404.pdf")
    async def head_404(request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=404)
        return web.Response(body=b"%PDF-1.4 document", content_type="application/pdf")

    @route("/rate-limited-once")
    async def rate_limited_once(request: web.Request) -> web.StreamResponse:
        zoo.state["rate-limited-once"] += 1
        if zoo.state["rate-limited-once"] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"})
        return _html(OK_PAGE)

    @route("/rate-limited-date")
    async def rate_limited_date(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})

    @route("/rate-limited-slow")
    async def rate_limited_slow(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, headers={"Retry-After": "2"})

    @route("/rate-limited")
    async def rate_limited(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, headers={"Retry-After": "0"})

    @route("/unavailable-once")
    async def unavailable_once(request: web.Request) -> web.StreamResponse:
        zoo.state["unavailable-once"] += 1
        if zoo.state["unavailable-once"] == 1:
            return web.Response(status=503)
        return _html(OK_PAGE)

    @route("/always-500")
    async def always_500(request: web.Request) -> web.StreamResponse:
        zoo.state["always-500"] += 1
        return web.Response(status=500)

    @route("/cf-challenge")
    async def cf_challenge(request: web.Request) -> web.StreamResponse:
        return _html(
            page("Just a moment...", "<p>Checking your browser</p>"),
            status=403,
            headers={"cf-mitigated": "challenge"},
        )

    @route("/cf-challenge-503")
    async def cf_challenge_503(request: web.Request) -> web.StreamResponse:
        body = page(
            "Just a moment...",
            "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script>",
        )
        return _html(body, status=503)

    @route("/captcha-200")
    async def captcha_200(request: web.Request) -> web.StreamResponse:
        return _html(page("Pardon Our Interruption", "<p>Please verify you are human.</p>"))

    @route("/forbidden")
    async def forbidden(request: web.Request) -> web.StreamResponse:
        return _html(
            page("Access Denied", "<h1>Access Denied</h1><p>Reference #18.2f</p>"), status=403
        )

    @route("/linkedin")
    async def linkedin(request: web.Request) -> web.StreamResponse:
        return web.Response(status=999)

    @route("/unauthorized")
    async def unauthorized(request: web.Request) -> web.StreamResponse:
        return web.Response(status=401)

    @route("/bucket/deleted.pdf")
    async def bucket(request: web.Request) -> web.StreamResponse:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
            "<Message>Access Denied</Message><RequestId>X</RequestId></Error>"
        )
        return web.Response(text=body, status=403, content_type="application/xml")

    @route("/blank")
    async def blank(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"", content_type="text/html")

    @route("/blank-markup")
    async def blank_markup(request: web.Request) -> web.StreamResponse:
        return _html("<html><head></head><body>  </body></html>")

    @route("/error-200")
    async def error_200(request: web.Request) -> web.StreamResponse:
        return _html(
            page(
                "Page not found | Helpline",
                "<nav>Home About Contact</nav><h1>Sorry, we couldn't find that page</h1>"
                + "<p>menu item</p>" * 40,
            )
        )

    @route("/not-found-text")
    async def not_found_text(request: web.Request) -> web.StreamResponse:
        return _html(page("Helpline", "<p>The page you requested could not be found.</p>"))

    @route("/phone-404")
    async def phone_404(request: web.Request) -> web.StreamResponse:
        return _html(page("Helpline", "<p>Call 1-800-404-1234 any time, day or night.</p>"))

    @route("/deep-divs")
    async def deep_divs(request: web.Request) -> web.StreamResponse:
        # <div> x depth (?depth=, default 100,000): parsed whole, 26.5 s on the loop thread.
        depth = int(request.query.get("depth", "100000"))
        return _html(page("Deep", "<p>Before the divs.</p>" + "<div>" * depth + "Deep text."))

    @route("/huge")
    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/html", "Content-Length": str(GIB)}
        )
        await response.prepare(request)
        chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        loop = asyncio.get_running_loop()
        stop_at = loop.time() + 10
        try:
            while sent < GIB and loop.time() < stop_at:
                await response.write(chunk)
                sent += len(chunk)
                zoo.sent["huge"] = sent
        except (ConnectionError, RuntimeError):
            pass
        return response

    @route("/gzip-bomb")
    async def gzip_bomb(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=_bomb(),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        )

    @route("/trickle")
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/html", "Content-Length": "100000"}
        )
        try:
            await response.prepare(request)
            for _ in range(100):  # 1 byte every 0.1 s: at most 10 s, then it stops by itself
                await response.write(b"<")
                await asyncio.sleep(0.1)
        except (ConnectionError, RuntimeError):
            pass
        return response

    @route("/never")
    async def never(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(8)  # longer than any test deadline; bounded so the server stops
        return _html(OK_PAGE)

    @route("/reset-mid-body")
    async def reset_mid_body(request: web.Request) -> web.StreamResponse:
        zoo.state["reset-mid-body"] += 1
        response = web.StreamResponse(
            headers={"Content-Type": "text/html", "Content-Length": "100000"}
        )
        await response.prepare(request)
        if request.method == "GET":
            await response.write(b"<html><body>" + b"x" * 1000)
            await asyncio.sleep(0.05)
        assert request.transport is not None
        request.transport.abort()
        return response

    @route("/hostile-title")
    async def hostile(request: web.Request) -> web.StreamResponse:
        # The verdict's evidence quotes the title, so every report must escape it.
        title = (
            "Error 404 <script>alert(1)</script> [click](javascript:alert(2)) | **pwn** </table>"
        )
        return _html(
            "<html><head><title>" + title.replace("<", "&lt;") + "</title></head>"
            "<body><p>Nothing here.</p></body></html>"
        )

    @route("/slow-ok")
    async def slow_ok(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.2)
        return _html(OK_PAGE)

    own_hosts.update(openweb.register(route, zoo))
    openweb_heldout.register(route)
    openweb.RAW.update(openweb_heldout.RAW)
    app = web.Application(middlewares=[record])
    app.router.add_route("*", "/{tail:.*}", site_handler)
    return app


_BOMB: list[bytes] = []


def _bomb() -> bytes:
    """A gzip stream of about 100 KiB that inflates to 64 MiB of HTML-ish filler."""
    if not _BOMB:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b"<p>" + b"help " * (1024 * 1024 // 5 - 1) + b"</p>"[: 1024 * 1024 % 5 + 2]
        parts = [compressor.compress(block) for _ in range(BOMB_INFLATED // len(block))]
        parts.append(compressor.flush())
        _BOMB.append(b"".join(parts))
    return _BOMB[0]


@contextlib.contextmanager
def running_zoo(directory: Path) -> Iterator[Zoo]:
    """Start the zoo (HTTP and HTTPS) in a background thread; stop it on exit."""
    ca = trustme.CA()
    ca_file = directory / "zoo-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("secure.test", "127.0.0.1").configure_cert(server_context)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # nothing listens here once the socket closes
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="linkzoo", daemon=True)
    thread.start()
    zoo = Zoo(0, 0, closed_port, ca_file)

    async def start() -> web.AppRunner:
        runner = web.AppRunner(build_app(zoo), shutdown_timeout=0.5, handler_cancellation=True)
        await runner.setup()
        plain = web.TCPSite(runner, "127.0.0.1", 0)
        await plain.start()
        secure = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_context)
        await secure.start()
        zoo.port = _port(plain)
        zoo.tls_port = _port(secure)
        raw = await asyncio.start_server(openweb.serve_raw, "127.0.0.1", 0)
        zoo.raw_port = raw.sockets[0].getsockname()[1]
        raw_servers.append(raw)
        return runner

    raw_servers: list[asyncio.Server] = []
    runner = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield zoo
    finally:
        for raw in raw_servers:
            loop.call_soon_threadsafe(raw.close)
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def _port(site: web.TCPSite) -> int:
    server = site._server
    assert isinstance(server, asyncio.Server)
    port: int = server.sockets[0].getsockname()[1]
    return port
