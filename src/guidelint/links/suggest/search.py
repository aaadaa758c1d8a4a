"""The search on the network: one event loop, one guarded transport, a request budget.

For each site with dead reviewed pages: `robots.txt` (its `Sitemap:` lines) and
`/sitemap.xml`, then the sitemaps they name (indexes to `MAX_INDEX_DEPTH`, at most
`MAX_SITEMAP_DOCS` documents and `MAX_SITE_URLS` addresses a site); then, per dead page,
the few best-ranked candidates (`suggest-pages`). Every request goes through the checker's
transport: the address guard on every connection, the same per-host politeness, capped
reads; redirects are followed only within the site. All of it counts against one budget
(`suggest-budget`) and stops at the run deadline, keeping what was found by then.
Parsing and scoring run in a worker thread, so a large sitemap never stalls the loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from yarl import URL

from guidelint.links.check.page import read_page
from guidelint.links.check.transport import Failure, Transport, connect, small_tls_buffers
from guidelint.links.content import main_text
from guidelint.links.model import ArchivedCopy, Page, Suggestion
from guidelint.links.signals import is_home
from guidelint.links.suggest.archive import MAX_ANSWER_BYTES, parse_answer, query_url
from guidelint.links.suggest.candidates import path_similarity, rank, same_site, site_key
from guidelint.links.suggest.score import Scored, choose, score_page
from guidelint.links.suggest.sitemap import MAX_SITEMAP_BYTES, parse_sitemap, robots_sitemaps

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links.change import ChangeSettings, Snapshot
    from guidelint.links.check.records import Response
    from guidelint.links.settings import CheckOptions, SuggestSettings

#: Sitemap documents fetched per site, robots.txt aside.
MAX_SITEMAP_DOCS: Final = 6
#: Sitemap indexes followed below the first document: an index of indexes, no deeper.
MAX_INDEX_DEPTH: Final = 2
#: Addresses kept per site, from all its sitemaps together (the protocol's per-file limit).
MAX_SITE_URLS: Final = 50_000
#: Redirects followed per request, each within the site.
MAX_HOPS: Final = 5


@dataclass(frozen=True)
class Job:
    """A dead page to find: its address and what it said when it was reviewed."""

    url: str
    reviewed: Snapshot


@dataclass(frozen=True)
class Lookup:
    """A dead page whose archived copy to look up, closest to `when`."""

    url: str
    when: datetime | None


@dataclass
class Found:
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    archived: dict[str, ArchivedCopy] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def search(
    jobs: Sequence[Job],
    lookups: Sequence[Lookup],
    options: CheckOptions,
    settings: SuggestSettings,
    change: ChangeSettings,
    *,
    resolver: AbstractResolver | None,
    seconds: float,
) -> Found:
    """Run the search in an event loop of its own, for at most `seconds`."""
    found = Found()

    async def main() -> None:
        # Sitemaps need more room than pages; pages are cut back to the usual cap below.
        wide = dataclasses.replace(
            options, max_body_bytes=max(options.max_body_bytes, MAX_SITEMAP_BYTES)
        )
        async with connect(wide, resolver) as transport:
            searcher = _Searcher(transport, settings, change, options.max_body_bytes, found)
            try:
                async with asyncio.timeout(seconds):
                    await searcher.run(jobs, lookups)
            except TimeoutError:
                found.notes.append(
                    "the search for moved pages stopped at the run deadline; "
                    "what it found by then is reported"
                )
        if searcher.spent:
            found.notes.append(
                f"the search for moved pages used its budget of {settings.budget} requests "
                "(suggest-budget); some dead links were not searched"
            )

    with small_tls_buffers():
        asyncio.run(main())
    return found


class _Searcher:
    def __init__(
        self,
        transport: Transport,
        settings: SuggestSettings,
        change: ChangeSettings,
        page_cap: int,
        found: Found,
    ) -> None:
        self.transport = transport
        self.settings = settings
        self.change = change
        self.page_cap = page_cap
        self.found = found
        self.left = settings.budget
        self.spent = False  # a request was wanted after the budget ran out
        self.sites: dict[object, asyncio.Task[tuple[str, ...]]] = {}

    async def run(self, jobs: Sequence[Job], lookups: Sequence[Lookup]) -> None:
        # Sites are searched at once, each one's pages in turn; archive lookups go in turn
        # too, since they all ask one service.
        by_site: dict[object, list[Job]] = {}
        for job in jobs:
            by_site.setdefault(site_key(job.url), []).append(job)
        tasks = [self._site(group) for group in by_site.values()]
        if lookups:
            tasks.append(self._archive(lookups))
        await asyncio.gather(*tasks)

    async def _site(self, jobs: list[Job]) -> None:
        for job in jobs:
            suggestion = await self._suggest(job)
            if suggestion is not None:
                self.found.suggestions[job.url] = suggestion

    async def _archive(self, lookups: Sequence[Lookup]) -> None:
        endpoint = self.settings.archive_endpoint
        for lookup in lookups:
            response = await self._get(query_url(endpoint, lookup.url, lookup.when), None)
            if response is not None and response.status == 200 and response.body is not None:
                copy = parse_answer(response.body[: MAX_ANSWER_BYTES + 1])
                if copy is not None:
                    self.found.archived[lookup.url] = copy

    def _spend(self) -> bool:
        if self.left <= 0:
            self.spent = True
            return False
        self.left -= 1
        return True

    async def _get(self, url: str, site: str | None) -> Response | None:
        """GET `url`, following redirects only within `site`'s site (none when None).

        None when the budget is spent, the request failed, or a redirect left the site.
        """
        current = url
        for _ in range(MAX_HOPS + 1):
            if not self._spend():
                return None
            try:
                response = await self.transport.request("GET", current)
            except Failure:
                return None
            if not (300 <= response.status < 400) or response.status == 304:
                return response
            location = response.headers.get("location", "").strip()
            try:
                following = str(URL(current).join(URL(location)).with_fragment(None))
            except ValueError:
                return None
            if not location or site is None or not same_site(following, site):
                return None
            current = following
        return None

    async def _suggest(self, job: Job) -> Suggestion | None:
        key = site_key(job.url)
        task = self.sites.get(key)
        if task is None:
            task = self.sites[key] = asyncio.ensure_future(self._sitemap_urls(job.url))
        locs = await task
        if not locs:
            return None
        picked = await asyncio.to_thread(
            rank, job.url, job.reviewed.title, locs, self.settings.pages
        )
        scored: list[Scored] = []
        weighed_urls: set[str] = set()
        for candidate in picked:
            response = await self._get(candidate.url, job.url)
            if response is None or not 200 <= response.status < 300 or response.body is None:
                continue
            # Two addresses that lead to one page are one candidate, not two rivals; a
            # page that sends readers home is no candidate at all.
            if response.url in weighed_urls or is_home(response.url):
                continue
            weighed_urls.add(response.url)
            weighed = await asyncio.to_thread(weigh, job, response, self.page_cap, self.change)
            if weighed is not None:
                scored.append(weighed)
        return choose(scored, self.settings.confidence)

    async def _sitemap_urls(self, dead_url: str) -> tuple[str, ...]:
        """Every page address the site's sitemaps list on the site, within the caps."""
        root = str(URL(dead_url).origin())
        listed: tuple[str, ...] = ()
        robots = await self._get(f"{root}/robots.txt", dead_url)
        if robots is not None and robots.status == 200 and robots.body:
            listed = await asyncio.to_thread(robots_sitemaps, robots.body)
        first = [*(url for url in listed if same_site(url, dead_url)), f"{root}/sitemap.xml"]
        queue = deque((url, 0) for url in dict.fromkeys(first))
        seen: set[str] = set()
        locs: list[str] = []
        while queue and len(seen) < MAX_SITEMAP_DOCS and len(locs) < MAX_SITE_URLS:
            url, depth = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            response = await self._get(url, dead_url)
            if response is None or response.status != 200 or response.body is None:
                continue
            sitemap = await asyncio.to_thread(
                parse_sitemap,
                response.body,
                max_urls=MAX_SITE_URLS - len(locs),
                truncated=response.truncated,
            )
            if sitemap.problem:
                self.found.notes.append(f"sitemap {url}: {sitemap.problem}")
            on_site = [loc for loc in sitemap.locs if same_site(loc, dead_url)]
            if not sitemap.index:
                locs.extend(on_site)
            elif depth < MAX_INDEX_DEPTH:
                queue.extend((loc, depth + 1) for loc in on_site[:MAX_SITEMAP_DOCS])
        return tuple(locs)


def weigh(job: Job, response: Response, page_cap: int, change: ChangeSettings) -> Scored | None:
    """Score one fetched candidate page; None unless it is HTML (run in a worker thread).

    The page is read as the checker reads one (`check.page.read_page`), so it compares
    with the reviewed snapshot as the baseline comparison would.
    """
    body = response.body
    assert body is not None
    view = read_page(dataclasses.replace(response, body=body[:page_cap]))
    if view is None:
        return None
    # Main content too: reviewed snapshots compare it (fingerprint version 2).
    page = Page.capture(view.extracted.title, view.extracted.text, main_text(view.markup))
    similar = round(path_similarity(job.url, response.url), 4)
    return score_page(job.reviewed, page, response.url, similar, change)
