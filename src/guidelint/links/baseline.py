"""The reviewed baseline: what each linked page said when a maintainer last accepted it.

The file (default `guides/links-baseline.json`, committed next to the guides) is JSON made
to be reviewed in a pull request: keys sorted, two-space indentation, one block per URL,
one fingerprint line per sentence, a final newline. It keeps no page text, only the
snapshot from `links.change` (title, sentence digests, salient facts), the final URL the
link landed on and when it was accepted::

    {
      "links": {
        "https://example.org/help": {
          "accepted_at": "2026-11-22T02:25:00Z",
          "facts": ["phone +44 808 800 5000 (0808 800 5000)"],
          "final_url": "https://example.org/help",
          "fingerprint": ["0a1b2c3d4e5f6a7b:12", "…"],
          "fingerprint_version": 2,
          "region": "GB",
          "title": "Get help"
        }
      },
      "version": 2
    }

`fingerprint_version` says how the sentences were read (`links.change.FINGERPRINT_VERSION`):
files of version 1 have none, and their entries (version 1, the whole visible text) are
compared the way they were made until a maintainer accepts them again.

Maintainers change it on purpose (`--update-baseline`, `--accept URL…`) after reviewing a
change; the weekly run only reads it. Writes are atomic (see `guidelint.atomic`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import urlsplit

from guidelint import atomic
from guidelint.bounded import MIB, FileRefused, read_bytes
from guidelint.links.clock import utc_stamp
from guidelint.links.model import ALIVE, Change, LinkResult, Page, Verdict
from guidelint.links.settings import ChangeSettings
from guidelint.workers import can_fork, fork_map, usable_cpus

if TYPE_CHECKING:
    # `links.change` (and the phone-number library under it) is imported where a page is
    # compared or a snapshot read: a run with no baseline entries never needs it, and a
    # pull request's check starts its requests 20-30 ms sooner without it.
    from guidelint.links.change import Snapshot

VERSION: Final = 2  # 2 added `fingerprint_version`; files of version 1 are read too
DEFAULT_PATH: Final = Path("guides/links-baseline.json")

OLD_FINGERPRINT_NOTE: Final = (
    "baseline entry compared as the whole page's text, as it was accepted: accept it again "
    "(--update-baseline or --accept) so that menus, banners and sidebars stop counting"
)
NO_MAIN_NOTE: Final = "main content not read: compared by title and facts only"


class BaselineError(Exception):
    """The baseline file cannot be read; the message names the file and, if known, line:col."""


@dataclass(frozen=True)
class LinkContext:
    """What the guides say about a URL: the region for phone numbers, names to expect."""

    region: str | None = None
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    snapshot: Snapshot
    final_url: str
    accepted_at: str


@dataclass(frozen=True)
class Baseline:
    entries: Mapping[str, Entry] = field(default_factory=dict)


@dataclass(frozen=True)
class BaselineView:
    """What the reviewed baseline and the run's flags tell the checker before it starts.

    An alive result whose URL has no `entries` is marked new as it is made (the review
    would copy every result of a first run to say so), unless the run accepts pages, which
    may give it one; a result keeps its page's text only when the run reads it later: to
    compare it with its entry, or to accept it.
    """

    entries: Container[str]
    accepting: Collection[str] = frozenset()
    accept_all: bool = False  # --update-baseline: every alive page may be accepted

    def keeps_page(self, url: str) -> bool:
        return self.accept_all or url in self.entries or url in self.accepting

    def new(self, url: str, verdict: Verdict) -> bool:
        """Whether a result is new to the baseline, as `baseline.apply` would mark it."""
        accepts = self.accept_all or bool(self.accepting)
        return not accepts and verdict in ALIVE and url not in self.entries


@dataclass(frozen=True)
class AcceptOutcome:
    baseline: Baseline
    accepted: tuple[str, ...]
    refused: Mapping[str, str]  # url -> why it could not be accepted


#: A baseline keeps about a kilobyte per URL: this is room for tens of thousands of links.
MAX_BYTES: Final = 64 * MIB


def load(path: Path) -> Baseline:
    """Read the baseline; a missing file is an empty baseline (the first run)."""
    try:
        raw = read_bytes(Path(path), MAX_BYTES, "baseline")
    except FileRefused as error:
        raise BaselineError(str(error)) from None
    if raw is None:
        return Baseline()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BaselineError(
            f"{path}: the baseline is not UTF-8 text (byte {error.start}); "
            "restore it from version control"
        ) from None
    return loads(text, str(path))


def loads(text: str, where: str = "baseline") -> Baseline:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{where}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}; "
            "fix the file or restore it from version control"
        ) from None
    if not isinstance(raw, dict):
        raise BaselineError(f"{where}: the baseline must be a JSON object")
    unknown = sorted(set(raw) - {"version", "links"})
    if unknown:
        raise BaselineError(f"{where}: unknown key '{unknown[0]}' (expected version, links)")
    version = raw.get("version")
    if version not in (1, VERSION) or isinstance(version, bool):
        raise BaselineError(
            f"{where}: unsupported baseline version {version!r} (expected {VERSION} or 1)"
        )
    links = raw.get("links", {})
    if not isinstance(links, dict):
        raise BaselineError(f"{where}: 'links' must be an object keyed by URL")
    return Baseline({url: _entry(url, value, where) for url, value in links.items()})


_ENTRY_KEYS: Final = {
    "accepted_at",
    "facts",
    "final_url",
    "fingerprint",
    "fingerprint_version",
    "region",
    "title",
}


def _entry(url: str, value: Any, where: str) -> Entry:
    from guidelint.links.change import FINGERPRINT_VERSION, Snapshot

    def fail(problem: str) -> BaselineError:
        return BaselineError(f"{where}: entry for {url}: {problem}")

    if not isinstance(value, dict):
        raise fail("must be an object")
    unknown = sorted(set(value) - _ENTRY_KEYS)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}'")
    missing = sorted({"accepted_at", "fingerprint", "final_url"} - set(value))
    if missing:
        raise fail(f"missing '{missing[0]}'")
    for key in ("fingerprint", "facts"):
        items = value.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise fail(f"'{key}' must be a list of strings")
    for key in ("final_url", "accepted_at"):
        if not isinstance(value[key], str):
            raise fail(f"'{key}' must be a string")
    for key in ("title", "region"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise fail(f"'{key}' must be a string or null")
    version = value.get("fingerprint_version", 1)
    if version not in range(1, FINGERPRINT_VERSION + 1) or isinstance(version, bool):
        raise fail(f"'fingerprint_version' must be 1 to {FINGERPRINT_VERSION}, not {version!r}")
    return Entry(
        snapshot=Snapshot(
            title=value.get("title"),
            fingerprint=tuple(sorted(value["fingerprint"])),
            facts=tuple(sorted(value.get("facts", []))),
            region=value.get("region"),
            fingerprint_version=version,
        ),
        final_url=value["final_url"],
        accepted_at=value["accepted_at"],
    )


def dumps(baseline: Baseline) -> str:
    links = {
        url: {
            "accepted_at": entry.accepted_at,
            "facts": sorted(entry.snapshot.facts),
            "final_url": entry.final_url,
            "fingerprint": sorted(entry.snapshot.fingerprint),
            "fingerprint_version": entry.snapshot.fingerprint_version,
            "region": entry.snapshot.region,
            "title": entry.snapshot.title,
        }
        for url, entry in baseline.entries.items()
    }
    document = {"links": links, "version": VERSION}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save(baseline: Baseline, path: Path) -> None:
    atomic.write_text(Path(path), dumps(baseline), parents=True)


def accept(
    results: Iterable[LinkResult],
    baseline: Baseline,
    *,
    now: datetime,
    urls: Iterable[str] | None = None,
    contexts: Mapping[str, LinkContext] | None = None,
    settings: ChangeSettings | None = None,
    prune: bool = False,
) -> AcceptOutcome:
    """A new baseline accepting what these results saw: all alive pages, or only `urls`.

    Entries for URLs not accepted now are kept as they were, unless `prune` drops those no
    guide uses any more (pass it only when every guide was checked). A URL that was asked
    for but is not alive (or had no page to read) is refused with the reason.
    """
    from guidelint.links.change import snapshot

    contexts = contexts or {}
    by_url = {result.url: result for result in results}
    wanted = list(by_url) if urls is None else list(dict.fromkeys(urls))
    entries = {url: entry for url, entry in baseline.entries.items() if not prune or url in by_url}
    accepted: list[str] = []
    refused: dict[str, str] = {}
    stamp = utc_stamp(now)
    pages: list[tuple[Page, LinkContext]] = []
    for url in wanted:
        result = by_url.get(url)
        if result is None:
            refused[url] = "not checked in this run (is it used by a guide?)"
            continue
        if result.verdict not in ALIVE or result.page is None:
            if urls is not None:
                refused[url] = (
                    f"not accepted: the check gave '{result.verdict.value}'"
                    if result.verdict not in ALIVE
                    else "not accepted: no page content was read"
                )
            continue
        pages.append((result.page, contexts.get(url, LinkContext())))
        accepted.append(url)
    snapshots = _map_pages(
        lambda item: snapshot(
            item[0], region=item[1].region, names=item[1].names, settings=settings
        ),
        pages,
    )
    for url, taken in zip(accepted, snapshots, strict=True):
        result = by_url[url]
        entries[url] = Entry(taken, final_url=result.final_url or result.url, accepted_at=stamp)
    return AcceptOutcome(Baseline(dict(sorted(entries.items()))), tuple(accepted), refused)


def _landing(url: str) -> tuple[str, str]:
    """Where a URL lands, for comparison: host and path, without query or fragment.

    Redirects often add session ids or tracking parameters to the query; a different host
    (a domain taken over) or path (a deep link sent to the home page) is what matters.
    """
    parts = urlsplit(url)
    return (parts.hostname or "").removeprefix("www."), parts.path.rstrip("/") or "/"


def compare_pages(
    results: Iterable[LinkResult],
    baseline: Baseline,
    settings: ChangeSettings | None = None,
    *,
    just_accepted: Collection[str] = frozenset(),
) -> dict[str, Change | None]:
    """url -> the change to report (None: none) for each alive page with a baseline entry.

    The first look, without a second fetch: the URLs with a change are the ones to fetch
    again (see `review`), and `apply(compared=…)` reuses the rest.
    `just_accepted` URLs have an entry made from these very results (`accept` in this
    run, with the same settings): comparing a page with its own snapshot finds nothing,
    so they are not compared (a millisecond or more a page).
    """
    from guidelint.links.change import compare

    out: dict[str, Change | None] = {}
    pairs: list[tuple[str, Snapshot, Page]] = []
    for result in results:
        entry = baseline.entries.get(result.url)
        if entry is not None and result.page is not None and result.verdict in ALIVE:
            out[result.url] = None
            if result.url not in just_accepted:
                pairs.append((result.url, entry.snapshot, result.page))
    changes = _map_pages(lambda pair: compare(pair[1], pair[2], settings), pairs)
    for (url, _, _), change in zip(pairs, changes, strict=True):
        out[url] = change
    return out


def apply(
    results: Iterable[LinkResult],
    baseline: Baseline,
    settings: ChangeSettings | None = None,
    *,
    rechecks: Mapping[str, Page] | None = None,
    compared: Mapping[str, Change | None] | None = None,
) -> list[LinkResult]:
    """Results with content changes against the baseline marked.

    An alive page whose content changed becomes `changed` (a `moved` or `fragment-missing`
    verdict is kept, since its action comes first, but `change` is filled); a page that now
    lands on another host or path than the one accepted is `changed` too, with a note; a URL
    without an entry keeps its verdict and is marked `new`. `compared` holds comparisons
    `compare_pages` already made with the same settings: pages without a recheck are not
    compared again. A result nothing changes for is returned as it is, not copied.
    """
    from guidelint.links.change import compare

    rechecks = rechecks or {}
    compared = compared or {}
    out = []
    for result in results:
        if result.verdict not in ALIVE:
            out.append(result)
            continue
        entry = baseline.entries.get(result.url)
        if entry is None:
            # The checker marks new pages as it makes them (`BaselineView`): no copy then.
            out.append(result if result.new else result.evolve(new=True))
            continue
        verdict = result.verdict
        change = None
        method_notes = _method_notes(entry, result.page)
        if result.page is not None:
            recheck = rechecks.get(result.url)
            if recheck is None and result.url in compared:
                change = compared[result.url]
            else:
                change = compare(entry.snapshot, result.page, settings, recheck=recheck)
        final_url = result.final_url or result.url
        landed_elsewhere = _landing(final_url) != _landing(entry.final_url)
        if not landed_elsewhere and change is None and result.change is None:
            # The reviewed page as it was: most links, most weeks.
            out.append(
                result.evolve(notes=(*result.notes, *method_notes)) if method_notes else result
            )
            continue
        notes = (*result.notes, *method_notes)
        if landed_elsewhere:
            notes = (*notes, f"now lands on {final_url} (accepted: {entry.final_url})")
        if (change is not None or landed_elsewhere) and verdict in (
            Verdict.OK,
            Verdict.REDIRECTED,
        ):
            verdict = Verdict.CHANGED
        out.append(result.evolve(verdict=verdict, change=change, notes=notes))
    return out


def _method_notes(entry: Entry, page: Page | None) -> tuple[str, ...]:
    """Why a comparison read less than it could: an entry older than the page's reading (one
    accepted again would compare main content), or a page read without its main content."""
    from guidelint.links.change import FINGERPRINT_VERSION

    version = entry.snapshot.fingerprint_version
    if page is None or page.main is None:
        return (NO_MAIN_NOTE,) if version >= 2 else ()
    return (OLD_FINGERPRINT_NOTE,) if version < FINGERPRINT_VERSION else ()


def review(
    results: Iterable[LinkResult],
    baseline: Baseline,
    settings: ChangeSettings | None = None,
    *,
    refetch: Callable[[list[str]], Mapping[str, Page]] | None = None,
    rechecks: Mapping[str, Page] | None = None,
    just_accepted: Collection[str] = frozenset(),
) -> list[LinkResult]:
    """Results compared with the reviewed baseline: the one path every run takes.

    Pages that differ from their entry are fetched once more (`refetch(urls)`, e.g. the
    checker run again on those URLs; `rechecks` are second fetches already made), so that
    rotating content (a quote of the day) is told apart from a real change; then `apply`
    marks what changed. Each page is compared once: the comparisons that pick the pages to
    fetch again serve `apply` for every page that was not fetched again.
    """
    results = list(results)
    first = compare_pages(results, baseline, settings, just_accepted=just_accepted)
    if refetch is not None:
        wanted = [url for url, change in first.items() if change is not None]
        if wanted:
            rechecks = {**(rechecks or {}), **refetch(wanted)}
    return apply(results, baseline, settings, rechecks=rechecks, compared=first)


#: Below this many pages a pool costs more (forking, moving results) than it saves.
POOL_MIN_PAGES: Final = 200

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def _map_pages(function: Callable[[_Item], _Result], items: Sequence[_Item]) -> list[_Result]:
    """`[function(item) for item in items]`, in forked worker processes when there are many.

    Reading a page for the baseline (a snapshot, a comparison) is a millisecond or more of
    pure Python, regular expressions and phone number parsing: seconds for a library of
    thousands of links, which spread over the cores. The workers are forked once the check
    is over (no event loop or thread left), inherit the pages and send back only results.
    Raises WorkerError when one of them dies.
    """
    cpus = usable_cpus()
    if len(items) < POOL_MIN_PAGES or cpus < 2 or not can_fork():
        return [function(item) for item in items]
    # Several slices per worker, so one slow slice does not leave the others idle.
    size = max(16, -(-len(items) // (cpus * 8)))
    slices = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]

    def run_slice(bounds: tuple[int, int]) -> list[_Result]:
        return [function(item) for item in items[bounds[0] : bounds[1]]]

    parts = fork_map("reading linked pages for the baseline", run_slice, slices, cpus)
    return [result for part in parts for result in part]
