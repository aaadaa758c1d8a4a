"""The floor of any aiohttp-based link checker: a bare GET loop over a list of URLs.

No guide parsing, page reading, classification, history or report: only what Python,
asyncio and aiohttp cost on their own with the bench's engine settings (N in flight over
keep-alive connections, a per-request timeout). Its wall time next to lychee's says how
much of guidelint's gap the stack alone accounts for.

    python bench/floor.py URLS.txt OUT.json [--concurrency 64] [--timeout 10] [--pages]

With `--pages`, each answer also goes through guidelint's own page reading and verdict
(`check.page.read_page`, `check.classify.classify`), on the event loop as guidelint does it:
the floor of a checker that judges pages, with no scheduling, politeness, probes, history
or report. A page judged dead counts as failed.

URLS.txt holds one URL per line; the farm's CA comes through SSL_CERT_FILE, as for lychee.
OUT.json gets the URLs that did not answer 2xx, so the bench can check the run did the work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import aiohttp

Judge = Callable[[str, int, Mapping[str, str], bytes, str | None], bool]


def page_judge() -> Judge:
    """guidelint's verdict on an answer: whether it is dead (imports guidelint's checker)."""
    from guidelint.links.check.classify import classify
    from guidelint.links.check.page import read_page
    from guidelint.links.check.records import Response
    from guidelint.links.settings import CheckOptions

    options = CheckOptions()

    def dead(
        url: str, status: int, headers: Mapping[str, str], body: bytes, charset: str | None
    ) -> bool:
        response = Response(url, status, headers, body, charset=charset)
        page = read_page(response) if 200 <= status < 300 else None
        return classify(url, (), response, page, options).verdict.dead

    return dead


async def fetch_all(
    urls: Sequence[str], concurrency: int, timeout: float, judge: Judge | None = None
) -> list[str]:
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
                        body = await response.read()
                        if judge is not None:
                            headers = {k.lower(): v for k, v in response.headers.items()}
                            status, charset = response.status, response.charset
                            if judge(url, status, headers, body, charset):
                                failed.add(url)
                        elif not 200 <= response.status < 300:
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
    parser.add_argument("--pages", action="store_true", help="judge each page as guidelint does")
    args = parser.parse_args(argv)
    urls = args.urls.read_text("utf-8").split()
    judge = page_judge() if args.pages else None
    failed = asyncio.run(fetch_all(urls, args.concurrency, args.timeout, judge))
    args.output.write_text(json.dumps({"failed": failed}), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
