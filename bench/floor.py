"""The floor of any aiohttp-based link checker: a bare GET loop over a list of URLs.

No guide parsing, page reading, classification, history or report: only what Python,
asyncio and aiohttp cost on their own with the bench's engine settings (N in flight over
keep-alive connections, a per-request timeout). Its wall time next to lychee's says how
much of guidelint's gap the stack alone accounts for.

    python bench/floor.py URLS.txt OUT.json [--concurrency 64] [--timeout 10]

URLS.txt holds one URL per line; the farm's CA comes through SSL_CERT_FILE, as for lychee.
OUT.json gets the URLs that did not answer 2xx, so the bench can check the run did the work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
from collections.abc import Iterator, Sequence
from pathlib import Path

import aiohttp


async def fetch_all(urls: Sequence[str], concurrency: int, timeout: float) -> list[str]:
    """The URLs that did not answer 2xx (errors included), in the order given."""
    failed: set[str] = set()
    connector = aiohttp.TCPConnector(
        ssl=ssl.create_default_context(), limit=concurrency, limit_per_host=concurrency
    )
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)
    ) as session:
        queue: Iterator[str] = iter(urls)

        async def worker() -> None:
            for url in queue:  # one shared iterator: each URL is taken once
                try:
                    async with session.get(url, allow_redirects=False) as response:
                        await response.read()
                        if not 200 <= response.status < 300:
                            failed.add(url)
                except (aiohttp.ClientError, TimeoutError):
                    failed.add(url)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return [url for url in urls if url in failed]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    urls = args.urls.read_text("utf-8").split()
    failed = asyncio.run(fetch_all(urls, args.concurrency, args.timeout))
    args.output.write_text(json.dumps({"failed": failed}), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
