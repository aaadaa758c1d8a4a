"""HTTP for the checker: sessions, guarded connections, redirects followed by hand, capped reads.

Every connection goes through the address guard (`GuardedResolver`, and IP-literal hosts
in any form read by `guard.literal_address`, then requested as that address); every redirect
is followed by hand so that each hop is recorded and vetted: 3xx `Location`, a `Refresh`
header and (`Chain.refresh`, called by the loop) an immediate meta refresh share one chain,
hop limit and loop check. Credentials in a URL (`user:password@`) are never sent, on the
first request or any hop, and never recorded. Bodies are streamed and capped after
decompression. A request that gets no answer raises `Failure`, whose outcome `failure_of`
built: the one mapping of client errors to a `FailureKind` and a verdict.
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
from guidelint.links.check.page import refresh_target

# Failure lives with the other records; callers have always found it here.
from guidelint.links.check.records import Failure as Failure
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.check.redirects import Chain, broken_redirect
from guidelint.links.check.retry import parse_retry_after
from guidelint.links.check.schedule import HostGate
from guidelint.links.guard import UnsafeAddressError, literal_address, unsafe_cause
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
# Real sites send up to about a hundred headers (cookies, CSP, tracing); aiohttp's 128 is near
# that. Past this many the answer is unreadable, not dead (see failure_of). Each header line
# is capped at 64 KiB as well (`_session`).
MAX_HEADERS: Final = 512


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
    if isinstance(error, aiohttp.ClientPayloadError | aiohttp.ClientResponseError) and (
        "content-encoding" in described.lower()
    ):
        # The server answered in an encoding we cannot decode (Brotli, zstd, a corrupt
        # gzip stream); its status is lost with the headers, so nothing is known of the page.
        message = f"the server answered, but its body could not be decoded: {described}"
        return Outcome(Verdict.ERROR, FailureKind.UNREADABLE, error=message)
    if isinstance(error, aiohttp.ClientPayloadError):
        message = f"body cut off mid-transfer: {described}"
        return Outcome(Verdict.BROKEN, FailureKind.PAYLOAD, error=message)
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
        message = f"connection closed before a response: {described}"
        return Outcome(Verdict.UNREACHABLE, FailureKind.RESET, error=message)
    if isinstance(error, aiohttp.InvalidURL):
        return Outcome(Verdict.ERROR, FailureKind.INVALID, error=f"invalid URL: {described}")
    if isinstance(error, aiohttp.ClientResponseError) and (
        "Got more than" in error.message or "Too many headers" in error.message
    ):
        # Headers beyond our limits: the site may well work in a browser, so no verdict of death.
        message = (
            f"the server answered, but its headers could not be read (more than {MAX_HEADERS} "
            f"header lines, or a line over 64 KiB): {described}"
        )
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
        yield Transport(options, session, head_session, guarded, context)
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
        max_headers=MAX_HEADERS,
    )


class Transport:
    """One run's HTTP client: two sessions, a gate per host, the guard's word on literals."""

    def __init__(
        self,
        options: CheckOptions,
        session: aiohttp.ClientSession,
        head_session: aiohttp.ClientSession,  # its connections are never reused
        resolver: GuardedResolver | None = None,  # for `statusline`, when headers are unreadable
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.options = options
        self.session = session
        self.head_session = head_session
        self._resolver = resolver
        self._context = context
        self.bytes_read = 0  # decompressed body bytes, every request together
        self._gates: dict[str, HostGate] = {}
        self._literals: dict[str, tuple[str | None, UnsafeAddressError | None]] = {}

    def literal(self, raw_host: str) -> tuple[str | None, UnsafeAddressError | None]:
        """An IP-literal host's address as written canonically (None for a host name), and
        the guard's verdict on it; worked out once per host."""
        known = self._literals.get(raw_host)
        if known is None:
            address = literal_address(raw_host)
            canonical = str(address) if address is not None else None
            # The address just read is the one vetted (check_literal would read it again).
            refusal = None if canonical is None else self.options.allow.refusal(raw_host, canonical)
            known = (canonical, refusal)
            self._literals[raw_host] = known
        return known

    @property
    def gates(self) -> Mapping[str, HostGate]:
        """host:port -> its gate, for every host requested so far."""
        return self._gates

    def gate(self, url: URL) -> HostGate:
        key = f"{(url.host or '').lower()}:{url.port}"
        if key not in self._gates:
            self._gates[key] = HostGate(self.options.per_host, self.options.min_interval)
        return self._gates[key]

    async def follow(
        self, url: str, method: str, chain: Chain | None = None
    ) -> tuple[tuple[Hop, ...], Response]:
        """Request `url`, following redirects by hand: the hops, and the final answer.

        `chain` carries the hops (and what was noted) across calls: a meta refresh found in
        the final page continues the same chain (`Chain.refresh`), under the same limits.
        """
        if chain is None:
            chain = Chain.start(url, self.options.max_redirects)
        current = chain.clean(url)
        while True:
            try:
                response = await self.request(method, current)
            except Failure as failure:
                if not chain.hops:
                    raise
                failed = failure.outcome
                # Where the chain led before it failed, unless the failure says already.
                final_url = current if failed.final_url is None else failed.final_url
                hops = tuple(chain.hops)
                raise Failure(replace(failed, hops=hops, final_url=final_url)) from None
            if 300 <= response.status < 400 and response.status != 304:
                location = response.headers.get("location", "").strip()
                if not location:
                    raise broken_redirect(
                        response, chain, f"{response.status} redirect without a Location header"
                    )
                current = chain.advance(response, current, location)
                continue
            refresh = response.headers.get("refresh")
            target = refresh_target(refresh, current) if refresh else None
            if target is None or not 200 <= response.status < 300:
                return tuple(chain.hops), response
            following = chain.refresh(response, current, target, "Refresh header")
            if following is None:
                return tuple(chain.hops), response
            current = following

    async def request(self, method: str, url: str) -> Response:
        """One request, no redirect followed; raises Failure when there is no answer."""
        options = self.options
        try:
            parsed = URL(url)
        except ValueError as error:
            raise _invalid(f"invalid URL: {error}") from None
        if parsed.scheme not in ("http", "https"):
            raise _invalid(f"unsupported scheme {parsed.scheme!r}")
        host = parsed.raw_host
        if not host:
            raise _invalid("URL has no host")
        if parsed.raw_user is not None or parsed.raw_password is not None:
            parsed = parsed.with_user(None)  # never sent (follow strips and notes them first)
            url = str(parsed)
        canonical, refusal = self.literal(host)
        if refusal is not None:
            outcome = Outcome(Verdict.UNSAFE, FailureKind.UNSAFE, error=str(refusal), final_url=url)
            raise Failure(outcome)
        if canonical is not None and canonical != host:
            # `http://2130706433/` goes where a browser sends it, the address just vetted.
            parsed = parsed.with_host(canonical)
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
            failed = failure_of(error, options.timeout)
            if failed.kind in (FailureKind.OVERSIZED, FailureKind.MALFORMED):
                # Browsers read what aiohttp's strict parser rejects (bytes beyond the
                # Content-Length, a stray header): a readable status line is the answer.
                why = (
                    f"headers not read (more than {MAX_HEADERS} header lines, or a line over "
                    "64 KiB): judged by the status line alone"
                    if failed.kind is FailureKind.OVERSIZED
                    else "answer malformed past its status line: judged by the status line alone"
                )
                answer = await self._status_only(url, parsed, canonical, headers, why)
                if answer is not None:
                    return answer
            raise Failure(failed) from None
        finally:
            gate.release()

    async def _status_only(
        self, url: str, parsed: URL, address: str | None, headers: dict[str, str], why: str
    ) -> Response | None:
        """The answer as far as its status line goes, for one whose headers aiohttp could not
        read; None when that is unknown too, or a redirect (its Location is in the headers)."""
        if self._resolver is None or self._context is None:
            return None
        from guidelint.links.check.statusline import read_status

        status = await read_status(
            parsed, address, self._resolver, self._context, headers, self.options.timeout
        )
        if status is None or 300 <= status < 400:
            return None
        return Response(url, status, {}, None, parsed=parsed, unread=why)

    async def _answer(
        self, method: str, url: str, parsed: URL, raw: aiohttp.ClientResponse, gate: HostGate
    ) -> Response:
        options = self.options
        status = raw.status
        headers = {key.lower(): value for key, value in raw.headers.items()}
        body: bytes | None = None
        truncated = False
        unread = None
        if method == "GET" and not (300 <= status < 400):
            cap = options.max_body_bytes if status < 400 else ERROR_BODY_BYTES
            try:
                body, truncated = await self._read_capped(raw, cap)
            except aiohttp.ClientPayloadError as error:
                # The status and headers were read: they stand; only the content is unknown.
                # A body cut off mid-transfer (a proxy's timeout, a crashed worker) is a page a
                # browser shows as far as it got, never a dead one.
                raw.close()
                if "content-encoding" in str(error).lower():
                    encoding = headers.get("content-encoding", "")[:40]
                    unread = (
                        f"body not read: its Content-Encoding {encoding!r} could not be "
                        "decoded; the status alone was judged"
                    )
                else:
                    unread = "body cut off mid-transfer; the status alone was judged"
        else:
            raw.close()  # redirect bodies are never needed
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after is not None:
                gate.defer(min(retry_after, options.retry_after_cap))
        return Response(url, status, headers, body, truncated, raw.charset, parsed, unread)

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
