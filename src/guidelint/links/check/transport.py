"""HTTP for the checker: sessions, guarded connections, redirects followed by hand, capped reads.

Every connection goes through the address guard (`GuardedResolver`, and IP-literal hosts
checked here); every redirect is followed by hand so that each hop is recorded and vetted;
bodies are streamed and capped after decompression. A request that gets no answer raises
`Failure`, whose outcome `failure_of` built: the one mapping of client errors to a
`FailureKind` and a verdict.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Final

import aiohttp
from yarl import URL

from guidelint.links.check.classify import ERROR_BODY_BYTES
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.check.retry import parse_retry_after
from guidelint.links.check.schedule import HostGate
from guidelint.links.guard import UnsafeAddressError, unsafe_cause
from guidelint.links.model import Hop, Verdict
from guidelint.links.resolver import GuardedResolver
from guidelint.links.settings import CheckOptions

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

_CHUNK: Final = 64 * 1024
_ACCEPT: Final = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# asyncio gives every TLS connection a 256 KiB read buffer (SSLProtocol.max_size) and fills
# it with zeros at once; with a connection kept alive per host, 100 hosts hold 25 MB of them.
# TLS records are at most 16 KiB, so a smaller buffer reads as fast.
TLS_READ_BUFFER: Final = 32 * 1024


@contextmanager
def small_tls_buffers() -> Iterator[None]:
    from asyncio import sslproto

    original = getattr(sslproto.SSLProtocol, "max_size", None)
    if not isinstance(original, int) or original <= TLS_READ_BUFFER:
        yield  # another Python's asyncio: leave it alone
        return
    sslproto.SSLProtocol.max_size = TLS_READ_BUFFER
    try:
        yield
    finally:
        sslproto.SSLProtocol.max_size = original


def ssl_context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        # Added to the system roots, not instead of them: an intranet CA alongside the web's.
        context.load_verify_locations(cafile=ca_file)
    return context


class Failure(Exception):
    """A request that ended without an answer to classify; `outcome` says why."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.error)
        self.outcome = outcome


def failure_of(error: BaseException, timeout: float) -> Outcome:
    """What a request that raised `error` (with `timeout` seconds allowed) comes to."""
    # Client errors first: aiohttp's connect timeouts are TimeoutErrors too, and say more.
    if isinstance(error, aiohttp.ClientError):
        return _client_failure(error)
    if isinstance(error, TimeoutError):
        message = f"no complete answer within {timeout:g} s"
        return Outcome(Verdict.TIMEOUT, FailureKind.TIMEOUT, error=message)
    if isinstance(error, ssl.SSLError):
        return Outcome(Verdict.TLS_ERROR, FailureKind.TLS, error=f"TLS error: {error}")
    return Outcome(Verdict.UNREACHABLE, FailureKind.NETWORK, error=str(error))


def _client_failure(error: aiohttp.ClientError) -> Outcome:
    unsafe = unsafe_cause(error)
    if unsafe is not None:
        return Outcome(Verdict.UNSAFE, FailureKind.UNSAFE, error=str(unsafe))
    described = _describe(error)
    if isinstance(error, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return Outcome(Verdict.TLS_ERROR, FailureKind.TLS, error=f"TLS error: {described}")
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        code = getattr(error.os_error, "errno", None)
        temporary = code in (socket.EAI_AGAIN, getattr(socket, "EAI_NODATA", None))
        kind = FailureKind.DNS_TEMPORARY if temporary else FailureKind.DNS
        return Outcome(Verdict.UNREACHABLE, kind, error=f"DNS lookup failed: {described}")
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return Outcome(Verdict.TIMEOUT, FailureKind.CONNECT_TIMEOUT, error="connection timed out")
    if isinstance(error, aiohttp.ServerTimeoutError):
        return Outcome(Verdict.TIMEOUT, FailureKind.TIMEOUT, error=f"timed out: {described}")
    if isinstance(error, aiohttp.ClientConnectorError):
        if error.os_error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            message = f"no route: {described}"
            return Outcome(Verdict.UNREACHABLE, FailureKind.NETWORK, error=message)
        message = f"cannot connect: {described}"
        return Outcome(Verdict.UNREACHABLE, FailureKind.REFUSED, error=message)
    if isinstance(error, aiohttp.ClientPayloadError):
        message = f"body cut off mid-transfer: {described}"
        return Outcome(Verdict.BROKEN, FailureKind.PAYLOAD, error=message)
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
        message = f"connection closed before a response: {described}"
        return Outcome(Verdict.UNREACHABLE, FailureKind.RESET, error=message)
    if isinstance(error, aiohttp.InvalidURL):
        return Outcome(Verdict.ERROR, FailureKind.INVALID, error=f"invalid URL: {described}")
    if isinstance(error, aiohttp.ClientResponseError) and "Got more than" in error.message:
        # Headers beyond our limit: the site may well work in a browser, so no verdict of death.
        message = f"response headers too large: {described}"
        return Outcome(Verdict.ERROR, FailureKind.OVERSIZED, error=message)
    if isinstance(error, aiohttp.ClientResponseError):
        # Malformed status line or headers: the server answered, but not in HTTP.
        message = f"malformed response: {described}"
        return Outcome(Verdict.BROKEN, FailureKind.MALFORMED, error=message)
    return Outcome(Verdict.ERROR, FailureKind.ERROR, error=described)


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return re.sub(r"\s+", " ", text)[:300]


def _invalid(error: str, final_url: str | None = None) -> Failure:
    return Failure(Outcome(Verdict.ERROR, FailureKind.INVALID, error=error, final_url=final_url))


def _broken_redirect(
    response: Response, hops: list[Hop], error: str, final_url: str | None = None
) -> Failure:
    return Failure(
        Outcome(
            Verdict.BROKEN,
            FailureKind.STATUS,
            status=response.status,
            hops=tuple(hops),
            final_url=final_url,
            error=error,
        )
    )


@asynccontextmanager
async def connect(
    options: CheckOptions, resolver: AbstractResolver | None
) -> AsyncIterator[Transport]:
    """A transport for one run in the running event loop, closed when the block ends."""
    guarded = GuardedResolver(options.allow, resolver)
    context = ssl_context(options.ca_file)
    # GETs reuse connections (keep-alive): a TLS handshake per URL cost more than the request
    # itself. A connection goes back to the pool only when its response was read to the end;
    # aiohttp closes it when the body was left unread, and we close it ourselves when a body
    # is abandoned at its cap, on any error and after redirects (see Transport.request).
    connector = aiohttp.TCPConnector(
        resolver=guarded,
        ssl=context,
        limit=max(options.concurrency * 2, 8),
        limit_per_host=options.per_host + 1,  # +1: the soft-404 probe may overlap a release
        ttl_dns_cache=300,
    )
    # HEAD gets a connection of its own, closed after each answer: aiohttp returns a HEAD's
    # connection to the pool as soon as its headers are parsed, so a body the server sends
    # anyway would be read as the next response's. HEAD is for documents and media only.
    head_connector = aiohttp.TCPConnector(
        resolver=guarded,
        ssl=context,
        limit=max(options.concurrency, 8),
        limit_per_host=options.per_host + 1,
        ttl_dns_cache=300,
        force_close=True,
    )
    timeout = aiohttp.ClientTimeout(
        total=None, connect=options.timeout * 0.9, sock_connect=options.timeout * 0.9
    )
    # Some sites set a cookie and redirect to the same URL to check it sticks; without
    # cookies that is an endless loop a browser never sees. Kept in memory for this run.
    cookies = aiohttp.CookieJar(unsafe=True)
    async with (
        _session(connector, timeout, cookies) as session,
        _session(head_connector, timeout, cookies) as head_session,
    ):
        yield Transport(options, session, head_session)
    await guarded.close()  # the connector closes only resolvers it created itself


def _session(
    connector: aiohttp.TCPConnector, timeout: aiohttp.ClientTimeout, cookies: aiohttp.CookieJar
) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        trust_env=False,  # a proxy from the environment would bypass the address guard
        cookie_jar=cookies,
        # Real sites send long CSP and cookie headers; aiohttp's 8 KiB default calls them broken.
        max_line_size=65536,
        max_field_size=65536,
    )


class Transport:
    """One run's HTTP client: two sessions, a gate per host, the guard's word on literals."""

    def __init__(
        self,
        options: CheckOptions,
        session: aiohttp.ClientSession,
        head_session: aiohttp.ClientSession,  # its connections are never reused
    ) -> None:
        self.options = options
        self.session = session
        self.head_session = head_session
        self.bytes_read = 0  # decompressed body bytes, every request together
        self._gates: dict[str, HostGate] = {}
        self._literals: dict[str, UnsafeAddressError | None] = {}

    def literal_refusal(self, raw_host: str) -> UnsafeAddressError | None:
        """The guard's verdict on an IP-literal host, worked out once per host."""
        if raw_host not in self._literals:
            self._literals[raw_host] = self.options.allow.check_literal(raw_host)
        return self._literals[raw_host]

    @property
    def gates(self) -> Mapping[str, HostGate]:
        """host:port -> its gate, for every host requested so far."""
        return self._gates

    def gate(self, url: URL) -> HostGate:
        key = f"{(url.host or '').lower()}:{url.port}"
        if key not in self._gates:
            self._gates[key] = HostGate(self.options.per_host, self.options.min_interval)
        return self._gates[key]

    async def follow(self, url: str, method: str) -> tuple[tuple[Hop, ...], Response]:
        """Request `url`, following redirects by hand: the hops, and the final answer."""
        hops: list[Hop] = []
        visits = {url: 1}
        current = url
        while True:
            try:
                response = await self.request(method, current)
            except Failure as failure:
                if not hops:
                    raise
                failed = failure.outcome
                # Where the chain led before it failed, unless the failure says already.
                final_url = current if failed.final_url is None else failed.final_url
                raise Failure(replace(failed, hops=tuple(hops), final_url=final_url)) from None
            if not (300 <= response.status < 400) or response.status == 304:
                return tuple(hops), response
            hops.append(Hop(current, response.status))
            current = self._next_hop(response, hops, current, visits)

    def _next_hop(
        self, response: Response, hops: list[Hop], current: str, visits: dict[str, int]
    ) -> str:
        """Where a redirect leads, vetted; raises Failure for a redirect that goes nowhere."""
        location = response.headers.get("location", "").strip()
        if not location:
            raise _broken_redirect(
                response, hops, f"{response.status} redirect without a Location header"
            )
        try:
            following = str(URL(current).join(URL(location)).with_fragment(None))
        except ValueError as error:
            raise _broken_redirect(
                response, hops, f"redirect to an invalid Location {location[:200]!r}: {error}"
            ) from None
        # A second visit is allowed (cookie checks redirect to the same URL); a third is a loop.
        if visits.get(following, 0) >= 2:
            raise _broken_redirect(
                response, hops, f"redirect loop: {following} was already visited", following
            )
        limit = self.options.max_redirects
        if len(hops) >= limit:
            raise _broken_redirect(response, hops, f"more than {limit} redirects", following)
        if URL(following).scheme not in ("http", "https"):
            raise _broken_redirect(
                response, hops, f"redirect to a non-web address {following[:200]}", following
            )
        visits[following] = visits.get(following, 0) + 1
        return following

    async def request(self, method: str, url: str) -> Response:
        """One request, no redirect followed; raises Failure when there is no answer."""
        options = self.options
        try:
            parsed = URL(url)
        except ValueError as error:
            raise _invalid(f"invalid URL: {error}") from None
        if parsed.scheme not in ("http", "https"):
            raise _invalid(f"unsupported scheme {parsed.scheme!r}")
        if not parsed.raw_host:
            raise _invalid("URL has no host")
        refusal = self.literal_refusal(parsed.raw_host)
        if refusal is not None:
            outcome = Outcome(Verdict.UNSAFE, FailureKind.UNSAFE, error=str(refusal), final_url=url)
            raise Failure(outcome)
        rule = options.host_rule(parsed.host or "")
        headers = {
            "User-Agent": options.user_agent,
            "Accept": _ACCEPT,
            "Accept-Language": "en;q=0.9,*;q=0.5",
            **rule.headers,
        }
        gate = self.gate(parsed)
        await gate.acquire()
        try:
            async with asyncio.timeout(options.timeout):
                session = self.head_session if method == "HEAD" else self.session
                async with session.request(
                    method, parsed, headers=headers, allow_redirects=False
                ) as raw:
                    try:
                        return await self._answer(method, url, parsed, raw, gate)
                    except BaseException:
                        # A half-read response must never go back to the pool: the next
                        # request on that connection would read this one's leftovers.
                        raw.close()
                        raise
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise Failure(failure_of(error, options.timeout)) from None
        finally:
            gate.release()

    async def _answer(
        self, method: str, url: str, parsed: URL, raw: aiohttp.ClientResponse, gate: HostGate
    ) -> Response:
        options = self.options
        status = raw.status
        headers = {key.lower(): value for key, value in raw.headers.items()}
        body: bytes | None = None
        truncated = False
        if method == "GET" and not (300 <= status < 400):
            cap = options.max_body_bytes if status < 400 else ERROR_BODY_BYTES
            body, truncated = await self._read_capped(raw, cap)
        else:
            raw.close()  # redirect bodies are never needed
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after is not None:
                gate.defer(min(retry_after, options.retry_after_cap))
        return Response(url, status, headers, body, truncated, raw.charset, parsed)

    async def _read_capped(self, raw: aiohttp.ClientResponse, cap: int) -> tuple[bytes, bool]:
        """Read at most `cap` decompressed bytes, chunk by chunk; never the whole of a huge body."""
        chunks: list[bytes] = []
        size = 0
        truncated = False
        async for chunk in raw.content.iter_chunked(_CHUNK):
            room = cap - size
            if len(chunk) >= room:
                chunks.append(chunk[:room])
                size += room
                truncated = len(chunk) > room or not raw.content.at_eof()
                break
            chunks.append(chunk)
            size += len(chunk)
        self.bytes_read += size
        if truncated:
            raw.close()  # drop the connection: draining the rest is what the cap is there to avoid
        return b"".join(chunks), truncated
