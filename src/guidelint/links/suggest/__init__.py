"""Where did the page go: the probable new home of a dead page, on its own site, with evidence.

When a support organisation rebuilds its site, a page a guide links to often answers 404
with no redirect although it lives on at a new address. For each dead link (`broken` with
a 4xx status, or `soft-404`: a deep link sent to the home page, an error page) that has a
reviewed baseline entry, the search reads the site's sitemaps, ranks their addresses by
path and title words (`candidates`), fetches a few and weighs each against what the page
said when it was reviewed: title, text, phone numbers and e-mail addresses (`score`). The
best one becomes the result's `suggestion`, with its evidence; it never changes a verdict.
`--fix-moved --accept-suggestions` applies a confident one.

With `archive-lookup`, each dead link also gets its copy in the Internet Archive
(`archive`): what the page said, for the reviewer; never a replacement.

The pipeline calls `annotate` after the check and the history, for the few results that
qualify; a run where none does imports nothing of this and makes no request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from guidelint.links.model import LinkResult, Verdict, rank
from guidelint.links.suggest.archive import parse_stamp

if TYPE_CHECKING:
    from datetime import datetime

    from aiohttp.abc import AbstractResolver

    from guidelint.links.baseline import Baseline, Entry
    from guidelint.links.change import ChangeSettings
    from guidelint.links.settings import CheckOptions, SuggestSettings

#: Less time than this left in the run: the search is not started.
MIN_SECONDS = 1.0


def searchable(result: LinkResult, baseline: Baseline) -> bool:
    """Whether to look for the new home of this result's page.

    Only a page that is gone while its site answers (a 4xx, or a soft 404) can have moved
    on the site; only a reviewed one has a title, text and facts to recognise it by.
    """
    verdict = result.verdict
    if verdict is Verdict.BROKEN:
        if result.status is None or not 400 <= result.status < 500:
            return False
    elif verdict is not Verdict.SOFT_404:
        return False
    return result.url in baseline.entries


def archivable(result: LinkResult) -> bool:
    """Whether to look up the archived copy: a dead web page (not one the guard refused)."""
    return (
        result.dead
        and result.verdict is not Verdict.UNSAFE
        and result.url.startswith(("http://", "https://"))
    )


def annotate(
    results: Sequence[LinkResult],
    baseline: Baseline,
    options: CheckOptions,
    settings: SuggestSettings,
    change: ChangeSettings,
    *,
    resolver: AbstractResolver | None = None,
    seconds: float,
) -> tuple[list[LinkResult], tuple[str, ...]]:
    """`results` with suggestions (and archived copies) found within `seconds`; and notes.

    Results are returned as they are when nothing qualifies; no request is made then.
    """
    # A run of 10,000 links and no dead one pays for these two passes, nothing more.
    jobs_wanted = [r for r in results if searchable(r, baseline)] if settings.enabled else []
    lookups_wanted = [r for r in results if archivable(r)] if settings.archive else []
    if not (jobs_wanted or lookups_wanted):
        return list(results), ()
    # The most urgent first, in case the budget or the deadline runs out.
    jobs_wanted.sort(key=_urgency)
    lookups_wanted.sort(key=_urgency)
    if seconds < MIN_SECONDS:
        return list(results), ("no time was left in the run to search for moved pages",)
    from guidelint.links.suggest.search import Job, Lookup, search

    entries = baseline.entries
    jobs = [Job(r.url, entries[r.url].snapshot) for r in jobs_wanted]
    lookups = [Lookup(r.url, _when(r, entries)) for r in lookups_wanted]
    found = search(jobs, lookups, options, settings, change, resolver=resolver, seconds=seconds)
    annotated = [
        result.evolve(
            suggestion=found.suggestions.get(result.url, result.suggestion),
            archived=found.archived.get(result.url, result.archived),
        )
        if result.url in found.suggestions or result.url in found.archived
        else result
        for result in results
    ]
    return annotated, tuple(found.notes)


def _urgency(result: LinkResult) -> tuple[int, str]:
    return rank(result), result.url


def _when(result: LinkResult, entries: Mapping[str, Entry]) -> datetime | None:
    """The archived copy to ask for: the one closest to the review, else to the failure."""
    entry = entries.get(result.url)
    return parse_stamp(entry.accepted_at if entry is not None else result.failing_since)
