"""Transport: the one mapping of client errors, then redirects, caps, timeouts, TLS, the guard
and connection reuse against real servers on 127.0.0.1 (linkzoo, and a raw HTTP/1.1 server
that misbehaves on the wire)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from guidelint.links.check import check_urls
from guidelint.links.check.records import FailureKind
from guidelint.links.check.transport import failure_of
from guidelint.links.guard import AddressPolicy, UnsafeAddressError
from guidelint.links.model import Reference, Verdict
from guidelint.links.settings import DEFAULT_USER_AGENT, CheckOptions
from linkzoo import BOMB_INFLATED, GIB, Zoo

_KEY = ConnectionKey("help.example.org", 443, True, True, None, None, None, None)
_REQUEST = aiohttp.RequestInfo(
    URL("https://help.example.org/"),
    "GET",
    CIMultiDictProxy(CIMultiDict()),
    URL("https://help.example.org/"),
)


def _connector_error(code: int) -> aiohttp.ClientConnectorError:
    return aiohttp.ClientConnectorError(_KEY, OSError(code, "failed"))


@pytest.mark.parametrize(
    ("error", "verdict", "kind"),
    [
        (TimeoutError(), Verdict.TIMEOUT, FailureKind.TIMEOUT),
        (aiohttp.ConnectionTimeoutError(), Verdict.TIMEOUT, FailureKind.CONNECT_TIMEOUT),
        (aiohttp.SocketTimeoutError("read"), Verdict.TIMEOUT, FailureKind.TIMEOUT),
        (
            aiohttp.ClientConnectorDNSError(_KEY, OSError(socket.EAI_NONAME, "unknown")),
            Verdict.UNREACHABLE,
            FailureKind.DNS,
        ),
        (
            aiohttp.ClientConnectorDNSError(_KEY, OSError(socket.EAI_AGAIN, "try again")),
            Verdict.UNREACHABLE,
            FailureKind.DNS_TEMPORARY,
        ),
        (_connector_error(errno.ECONNREFUSED), Verdict.UNREACHABLE, FailureKind.REFUSED),
        (_connector_error(errno.ENETUNREACH), Verdict.UNREACHABLE, FailureKind.NETWORK),
        (_connector_error(errno.EHOSTUNREACH), Verdict.UNREACHABLE, FailureKind.NETWORK),
        (aiohttp.ServerDisconnectedError(), Verdict.UNREACHABLE, FailureKind.RESET),
        (aiohttp.ClientOSError(errno.ECONNRESET, "reset"), Verdict.UNREACHABLE, FailureKind.RESET),
        (aiohttp.ClientPayloadError("cut"), Verdict.BROKEN, FailureKind.PAYLOAD),
        (aiohttp.InvalidURL("http://"), Verdict.ERROR, FailureKind.INVALID),
        (
            aiohttp.ClientResponseError(_REQUEST, (), message="Got more than 65536 bytes"),
            Verdict.ERROR,
            FailureKind.OVERSIZED,
        ),
        (
            aiohttp.ClientResponseError(_REQUEST, (), message="Invalid status line"),
            Verdict.BROKEN,
            FailureKind.MALFORMED,
        ),
        (ssl.SSLError(1, "bad record"), Verdict.TLS_ERROR, FailureKind.TLS),
        (OSError(errno.EPIPE, "broken pipe"), Verdict.UNREACHABLE, FailureKind.NETWORK),
        (aiohttp.ClientError("odd"), Verdict.ERROR, FailureKind.ERROR),
    ],
)
def test_each_client_error_has_one_kind_and_verdict(
    error: BaseException, verdict: Verdict, kind: FailureKind
) -> None:
    outcome = failure_of(error, timeout=10)
    assert (outcome.verdict, outcome.kind) == (verdict, kind)
    assert outcome.error
    assert "\n" not in outcome.error


def test_a_refusal_by_the_address_guard_is_unsafe_whatever_it_is_wrapped_in() -> None:
    refusal = UnsafeAddressError("rebind.example", "127.0.0.1", "loopback")
    wrapped = aiohttp.ClientConnectorError(_KEY, refusal)
    outcome = failure_of(wrapped, timeout=10)
    assert (outcome.verdict, outcome.kind) == (Verdict.UNSAFE, FailureKind.UNSAFE)
    assert "loopback" in (outcome.error or "")


def test_a_timeout_says_how_long_it_waited() -> None:
    assert failure_of(TimeoutError(), timeout=2.5).error == "no complete answer within 2.5 s"


def test_user_agent_is_truthful(zoo: Zoo) -> None:
    zoo.user_agents.clear()
    zoo.check_one(zoo.url("/ok"))
    assert zoo.user_agents
    assert set(zoo.user_agents) == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("guidelint/")


def test_redirect_loop_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/loop/a"))
    assert result.verdict is Verdict.BROKEN
    assert result.dead
    assert "loop" in (result.error or "")


def test_cookie_check_redirect_to_itself_is_not_a_loop(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/cookie-check"))
    assert result.verdict is Verdict.REDIRECTED
    assert result.status == 200
    assert result.final_url == zoo.url("/cookie-check")


def test_redirect_hop_limit_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/endless"), max_redirects=5)
    assert result.verdict is Verdict.BROKEN
    assert len(result.redirects) == 5
    assert "more than 5 redirects" in (result.error or "")


def test_redirect_without_location_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/no-location"))
    assert result.verdict is Verdict.BROKEN
    assert "without a Location" in (result.error or "")


def test_long_response_headers_are_accepted(zoo: Zoo) -> None:
    assert zoo.check_one(zoo.url("/big-headers")).verdict is Verdict.OK


def test_one_gibibyte_body_is_never_downloaded_whole(zoo: Zoo) -> None:
    cap = 256 * 1024
    started = time.monotonic()
    outcome = zoo.check(zoo.url("/huge"), max_body_bytes=cap, probe_soft_404=False)
    result = outcome.results[0]
    assert result.verdict is Verdict.OK
    assert outcome.bytes_read <= cap
    assert any("cap" in note for note in result.notes)
    assert time.monotonic() - started < 5
    time.sleep(0.2)  # let the server notice the closed connection
    assert zoo.sent["huge"] < GIB // 8


def test_gzip_bomb_is_capped_after_decompression(zoo: Zoo) -> None:
    cap = 256 * 1024
    outcome = zoo.check(zoo.url("/gzip-bomb"), max_body_bytes=cap, probe_soft_404=False)
    assert outcome.bytes_read <= cap < BOMB_INFLATED
    assert outcome.results[0].verdict is Verdict.OK


def test_trickling_body_hits_the_deadline(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/trickle"), timeout=0.5, url_deadline=1.5)
    assert result.verdict is Verdict.TIMEOUT, result.error
    assert result.dead
    assert time.monotonic() - started < 3


def test_server_that_never_answers_times_out(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/never"), timeout=0.4, url_deadline=1.2)
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - started < 3


def test_body_cut_off_mid_transfer_is_judged_by_its_status(zoo: Zoo) -> None:
    # The server answered 200 and started sending the page: a browser shows it as far as it
    # got. Judged BROKEN before, a live page behind a flaky proxy was reported dead.
    result = zoo.check_one(zoo.url("/reset-mid-body"))
    assert result.verdict is Verdict.OK
    assert result.status == 200
    assert any("cut off" in note for note in result.notes)


def test_connection_refused_is_unreachable(zoo: Zoo) -> None:
    result = zoo.check_one(f"http://site.test:{zoo.closed_port}/ok", retries=1)
    assert result.verdict is Verdict.UNREACHABLE
    assert result.dead


def test_tls_with_the_test_ca_is_ok(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.tls_url("/ok"), ca_file=str(zoo.ca_file))
    assert result.verdict is Verdict.OK


def test_tls_with_an_unknown_ca_is_tls_error(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.tls_url("/ok"))
    assert result.verdict is Verdict.TLS_ERROR
    assert result.dead
    assert result.attempts == 1


def test_tls_certificate_for_another_name_is_tls_error(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.tls_url("/ok", "other-name.test"), ca_file=str(zoo.ca_file))
    assert result.verdict is Verdict.TLS_ERROR


def test_dns_name_that_does_not_exist_is_unreachable(zoo: Zoo) -> None:
    resolver = zoo.resolver()
    result = zoo.check(zoo.url("/ok", "no-such-host.example"), resolver=resolver).results[0]
    assert result.verdict is Verdict.UNREACHABLE
    assert "DNS" in (result.error or "")
    assert result.attempts == 1  # NXDOMAIN is an answer, not a hiccup


def test_name_resolving_to_loopback_is_unsafe_by_default(zoo: Zoo) -> None:
    resolver = zoo.resolver({"rebind.example": "127.0.0.1"})
    outcome = zoo.check(zoo.url("/ok", "rebind.example"), resolver=resolver, allow=AddressPolicy())
    result = outcome.results[0]
    assert result.verdict is Verdict.UNSAFE
    assert result.dead
    assert "loopback" in (result.error or "")
    assert zoo.max_in_flight["rebind.example"] == 0  # never connected


def test_redirect_to_a_forbidden_name_is_unsafe(zoo: Zoo) -> None:
    # Only site.test is allowed: the first hop passes, the redirect to internal.test does not.
    policy = AddressPolicy.from_entries(["site.test"])
    result = zoo.check_one(zoo.url("/to-internal-name"), allow=policy)
    assert result.verdict is Verdict.UNSAFE
    assert [hop.status for hop in result.redirects] == [302]
    assert result.final_url == zoo.url("/ok", "internal.test")
    assert zoo.max_in_flight["internal.test"] == 0


@pytest.mark.parametrize("path", ["/to-loopback-literal", "/to-metadata"])
def test_redirect_to_a_forbidden_literal_address_is_unsafe(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path), allow=AddressPolicy.from_entries(["site.test"]))
    assert result.verdict is Verdict.UNSAFE


def test_literal_loopback_url_is_unsafe_unless_allowed(zoo: Zoo) -> None:
    url = f"http://127.0.0.1:{zoo.port}/ok"
    assert zoo.check_one(url, allow=AddressPolicy()).verdict is Verdict.UNSAFE
    assert zoo.check_one(url).verdict is Verdict.OK  # the zoo's options allow 127.0.0.1/32


def test_unsupported_scheme_is_error(zoo: Zoo) -> None:
    result = zoo.check_one("ftp://files.example.org/leaflet.pdf")
    assert result.verdict is Verdict.ERROR
    assert "scheme" in (result.error or "")


PAGE = (
    b"<!doctype html><html><head><title>Helpline</title></head><body><h1>Talk to us</h1>"
    b"<p>Free and confidential support every day of the year. Call 0800 000 000.</p>"
    b"</body></html>"
)
# What a stray body after a HEAD answer looks like to a client that reads it as a response.
STRAY = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
CAP = 64 * 1024


@dataclass
class RawServer:
    port: int = 0
    connections: int = 0
    requests: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


async def _serve(
    server: RawServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    server.connections += 1
    try:
        while True:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            server.requests[f"{method} {path}"] += 1
            if path == "/files/stray.pdf":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n" % len(STRAY))
                await writer.drain()
                if method == "HEAD":
                    await asyncio.sleep(0.05)  # after the client has parsed the headers
                writer.write(STRAY)  # after HEAD: a body the client must never read
            elif path == "/big":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n" % (CAP * 8))
                writer.write(b"<html><body><p>" + b"help " * (CAP // 5 * 2))
                await writer.drain()
                await asyncio.sleep(0.3)  # the rest never comes in time; the cap is reached
                writer.write(STRAY)
            elif path.startswith("/page/"):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(PAGE), PAGE))
            else:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nNot found")
            await writer.drain()
    except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    state = RawServer()
    handlers: set[asyncio.Task[None]] = set()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="raw-http", daemon=True)
    thread.start()

    async def start() -> asyncio.Server:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            handlers.add(task)
            try:
                await _serve(state, reader, writer)
            finally:
                handlers.discard(task)

        return await asyncio.start_server(handle, "127.0.0.1", 0)

    server = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:

        async def stop() -> None:
            server.close()
            for task in list(handlers):
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), 2)

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def _check(*urls: str, **changes: object) -> dict[str, Verdict]:
    values: dict[str, object] = {
        "timeout": 1.0,
        "url_deadline": 4.0,
        "run_deadline": 20.0,
        "backoff": 0.02,
        "min_interval": 0.0,
        "concurrency": 1,  # one after the other: each request may get the last one's connection
        "per_host": 1,
        "max_body_bytes": CAP,
        "allow": AddressPolicy.from_entries(["127.0.0.1/32"]),
        "probe_soft_404": False,
    }
    values.update(changes)
    references = {
        url: (Reference("guides/zz/test.yaml", 1, 1, "/resources/0/url"),) for url in urls
    }
    outcome = check_urls(references, CheckOptions(**values))  # type: ignore[arg-type]
    return {result.url: result.verdict for result in outcome.results}


def test_pages_on_one_host_share_one_connection(raw_server: RawServer) -> None:
    urls = [raw_server.url(f"/page/{number}") for number in range(8)]
    assert set(_check(*urls).values()) == {Verdict.OK}
    assert raw_server.connections == 1


def test_a_body_sent_after_a_head_answer_never_becomes_the_next_answer(
    raw_server: RawServer,
) -> None:
    document = raw_server.url("/files/stray.pdf")
    pages = [raw_server.url(f"/page/{number}") for number in range(3)]
    verdicts = _check(document, *pages)
    assert raw_server.requests["HEAD /files/stray.pdf"] == 1
    assert verdicts == dict.fromkeys([document, *pages], Verdict.OK)


def test_a_body_abandoned_at_the_cap_closes_its_connection(raw_server: RawServer) -> None:
    big, page = raw_server.url("/big"), raw_server.url("/page/1")
    verdicts = _check(big, page)
    assert verdicts == {big: Verdict.OK, page: Verdict.OK}
    assert raw_server.connections == 2
