"""Connection reuse must never let one answer leak into the next (a raw server on 127.0.0.1).

aiohttp's servers cannot misbehave on the wire, so this module speaks HTTP/1.1 by hand: it
keeps every connection open, counts connections, and can send a body after a HEAD answer or
stall mid-body, the leftovers a kept-alive connection would hand to the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from guidelint.links.checker import check_urls
from guidelint.links.guard import AddressPolicy
from guidelint.links.model import Reference, Verdict
from guidelint.links.settings import CheckOptions

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
