"""The soft-404 probe: catch-all sites answer every path with the same page.

For an alive web page, the checker asks the same site for a random sibling path once per
directory (`Prober`) and compares what came back with our page (`judge`, pure): a page that
matches a path that cannot exist is no evidence that the linked page is there.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, replace
from typing import Final

from yarl import URL

from guidelint.links import signals
from guidelint.links.check.page import PageReader, PageView
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.check.transport import Failure, Transport
from guidelint.links.content import Extracted
from guidelint.links.model import Hop, Verdict

# A page's text is compared with a random sibling's only when it says enough to compare.
PROBE_MIN_TEXT: Final = 80
PROBE_SIMILARITY: Final = 0.9
SCRIPTED_NOTE: Final = "page is built by scripts: its content could not be verified"


@dataclass(frozen=True)
class Probe:
    """What a random path next to ours answered, when it was alive."""

    extracted: Extracted | None  # its page, when it answered 2xx with one
    final_url: str | None  # where its redirects landed, when it answered 2xx after some
    segment: str = ""  # the random last path segment the probe asked for

    @property
    def empty(self) -> bool:
        """Whether the probe found nothing to compare a page with (`judge` changes nothing)."""
        return self.extracted is None and self.final_url is None


class Prober:
    """One run's probes: one request per site directory, shared by every URL in it."""

    def __init__(self, transport: Transport, reader: PageReader) -> None:
        self._transport = transport
        self._reader = reader
        self._probes: dict[tuple[str, str], asyncio.Future[Probe]] = {}
        # A final URL's folder, as written -> its probe's key: yarl's origin() is built
        # once per folder, not once per page (10,000 pages share 100 folders on the bench).
        self._keys: dict[str, tuple[str, str]] = {}

    async def check(
        self, url: str, hops: tuple[Hop, ...], response: Response, page: PageView, outcome: Outcome
    ) -> Outcome:
        """`outcome` (an alive verdict on `url`), or what comparing with a probe makes of it."""
        if not self._transport.options.probe_soft_404:
            return outcome
        key = self._key(response)
        future = self._probes.get(key)
        if future is not None and future.done() and future.result().empty:
            return outcome  # what `judge` says to a probe that found nothing, home page or not
        if signals.is_home(url.split("#", 1)[0]):
            return outcome
        final = response.parsed_url()
        origin, parent = key
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._probes[key] = future
            segment = f"guidelint-probe-{secrets.token_hex(8)}"
            probe_url = str(URL(origin).with_path(parent + segment))
            try:
                future.set_result(await self._fetch(probe_url, segment))
            except BaseException:
                future.set_result(Probe(None, None))
                raise
        # Most URLs find their site's probe answered already: no need to shield a finished one.
        probe = future.result() if future.done() else await asyncio.shield(future)
        return judge(outcome, page, probe, final.path, response.url if hops else None)

    def _key(self, response: Response) -> tuple[str, str]:
        """(origin, folder path) of the response's URL: the probe it shares with its folder."""
        written = response.url.split("#", 1)[0].split("?", 1)[0]
        start = written.find("//")
        slash = written.find("/", start + 2) if start >= 0 else -1
        folder = written[: written.rfind("/") + 1] if slash >= 0 else ""
        key = self._keys.get(folder) if folder else None
        if key is None:
            final = response.parsed_url()
            key = (str(final.origin()), final.path.rsplit("/", 1)[0] + "/")
            if folder:
                self._keys[folder] = key
        return key

    async def _fetch(self, probe_url: str, segment: str) -> Probe:
        try:
            probe_hops, answer = await self._transport.follow(probe_url, "GET")
        except Failure:
            return Probe(None, None)
        if not 200 <= answer.status < 300:
            return Probe(None, None, segment)
        view = await self._reader.read(answer)
        return Probe(
            view.extracted if view is not None else None,
            answer.url if probe_hops else None,
            segment,
        )


def judge(outcome: Outcome, ours: PageView, probe: Probe, path: str, landed: str | None) -> Outcome:
    """Our alive `outcome` compared with what a random sibling path answered (`probe`).

    `path` is our final URL's path, `landed` where our redirects landed (None without any).
    Returns `outcome` itself when the probe changes nothing.
    """
    if landed is not None and probe.final_url is not None and probe.final_url == landed:
        error = f"redirected to {landed}, where a random path on the same site also lands"
        return replace(outcome, verdict=Verdict.SOFT_404, kind=FailureKind.CONTENT, error=error)
    theirs = probe.extracted
    if theirs is None:
        return outcome
    mine = ours.extracted
    short = len(mine.text) < PROBE_MIN_TEXT
    if not mine.text or (short and ours.scripted):
        # An app shell ("Loading…") looks the same on every path of a working site too.
        return outcome.noted(SCRIPTED_NOTE)
    from rapidfuzz import fuzz

    # Catch-all pages often quote the path they were asked for; compare them without it.
    ours_segment = path.rstrip("/").rsplit("/", 1)[-1]

    def without_ours(text: str) -> str:
        return text.replace(ours_segment, "\0") if len(ours_segment) >= 3 else text

    def without_probe(text: str) -> str:
        return text.replace(probe.segment, "\0") if probe.segment else text

    similarity = fuzz.ratio(without_ours(mine.text[:5000]), without_probe(theirs.text[:5000])) / 100
    # A short text must match exactly: a few words leave fuzzy matching too little to go on.
    threshold = 1.0 if short else PROBE_SIMILARITY
    title_similarity = fuzz.ratio(without_ours(mine.title or ""), without_probe(theirs.title or ""))
    if similarity >= threshold and title_similarity / 100 >= threshold:
        error = (
            f"the site answers any path with this same page ({similarity:.0%} alike a random "
            "path on the same host): the linked page is probably gone"
        )
        return replace(
            outcome, verdict=Verdict.SOFT_404, kind=FailureKind.CONTENT, error=error, page=None
        )
    return outcome
