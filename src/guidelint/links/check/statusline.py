"""The status line of an answer whose headers aiohttp could not read.

More header lines than `transport.MAX_HEADERS`, or one longer than 64 KiB, make aiohttp give
up before it hands over the status: the server answered, but nothing of the answer is known.
`read_status` asks once more over a plain connection and reads only the first line (at most
`LINE_LIMIT` bytes), so the verdict can rest on the status the server gave: a 404 with 2,000
cookies is still a 404. The connection goes to the address the guard vetted (`GuardedResolver`,
or the IP literal `transport` already vetted), with TLS verified as for every request.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from typing import Final

from yarl import URL

from guidelint.links.resolver import GuardedResolver

LINE_LIMIT: Final = 1024
_STATUS: Final = re.compile(rb"HTTP/1\.[01] ([1-9][0-9]{2})\b")


async def read_status(
    url: URL,
    address: str | None,
    resolver: GuardedResolver,
    context: ssl.SSLContext,
    headers: dict[str, str],
    timeout: float,
) -> int | None:
    """The status `url` answers a GET with, from its status line; None when it cannot be read.

    `address`: the vetted IP literal of `url`'s host, or None to resolve its name through
    the guard. Raises nothing: a refusal or failure here means "still unknown".
    """
    host = url.raw_host or ""
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        async with asyncio.timeout(timeout):
            if address is None:
                resolved = await resolver.resolve(host, port)
                address = str(resolved[0]["host"])
            secure = url.scheme == "https"
            reader, writer = await asyncio.open_connection(
                address,
                port,
                ssl=context if secure else None,
                server_hostname=host if secure else None,
                limit=LINE_LIMIT,
            )
            try:
                lines = [f"GET {url.raw_path_qs or '/'} HTTP/1.1", f"Host: {url.raw_authority}"]
                lines += [f"{name}: {value}" for name, value in headers.items()]
                lines += ["Connection: close", "", ""]
                writer.write("\r\n".join(lines).encode("latin-1", "replace"))
                await writer.drain()
                first = await reader.readline()
            finally:
                writer.close()
    except (OSError, ValueError, TimeoutError, asyncio.LimitOverrunError, ssl.SSLError):
        return None
    match = _STATUS.match(first)
    return int(match.group(1)) if match else None
