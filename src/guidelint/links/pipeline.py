"""One `guidelint links` run, from guides to annotated results, without printing anything.

The steps, in order (the CLI only parses flags, prints and picks the exit code):

1. read the reviewed baseline and open the run history first, so a broken file stops the
   run before minutes of checking (`BaselineError`, `HistoryError`);
2. collect the URLs from the guides and check each once (`links.checker`), starting with
   the first guides loaded while worker processes load the rest;
3. an offline run (the checker itself had no network) is recorded as offline in the
   history, where it counts for nobody, and nothing else happens;
4. `--update-baseline` / `--accept URL…`: accept what this run saw and save the baseline;
   the rest of the run then compares against the baseline just saved;
5. compare alive pages with the baseline, fetching pages that differ once more so that
   rotating content is excused (`links.health.process`), and record the run in the
   history, which annotates each result: confirmed, failing since, transition, flaky;
6. `--fix-moved`: rewrite permanently moved URLs in the guides in place.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint import __version__
from guidelint.guide import Guide
from guidelint.links import baseline as bl
from guidelint.links import fixmoved, health
from guidelint.links.collect import Collection, Unreadable, loading
from guidelint.links.history import History, HistoryError
from guidelint.links.model import Feed, LinkResult, Page, Reference, Verdict
from guidelint.links.report import FIXED_MARK, FORMATS, Trend, failing
from guidelint.links.settings import CheckOptions
from guidelint.loader import load_path

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links.checker import RunOutcome

FIXED_NOTE = FIXED_MARK + " {new}"


class WriteError(Exception):
    """A guide could not be rewritten; the message names the file."""


@dataclass(frozen=True)
class Request:
    paths: Sequence[str]
    options: CheckOptions
    settings: health.HealthSettings
    now: datetime
    baseline_path: Path
    state_path: Path | None  # None: keep no run history
    update_baseline: bool = False
    accept: tuple[str, ...] = ()
    prune: bool = False  # drop baseline entries no checked guide uses (whole library checked)
    fix_moved: bool = False
    fix_cross_domain: bool = False
    resolver: AbstractResolver | None = None  # tests inject one; None: the system's DNS
    # The reports the caller writes from the run: (format, file; None for standard output).
    # `Run.trend` reads from the history only what their formats declare in
    # `links.report.FORMATS`: a run whose reports show no trend (JSON, text) reads nothing.
    reports: tuple[tuple[str, str | None], ...] = ()
    progress: Callable[[int, int], None] | None = None

    @property
    def run_totals(self) -> bool:
        """Whether a report shows the verdicts per run (Markdown and HTML)."""
        return any(FORMATS[name].run_totals for name, _ in self.reports)

    @property
    def timelines(self) -> bool:
        """Whether a report shows each URL's latest verdicts (HTML: the costliest query)."""
        return any(FORMATS[name].timelines for name, _ in self.reports)


@dataclass(frozen=True)
class Run:
    outcome: RunOutcome  # results annotated with baseline and history
    unreadable: tuple[Unreadable, ...] = ()
    summary: health.RunSummary | None = None
    trend: Trend | None = None
    accepted: tuple[str, ...] = ()
    refused: Mapping[str, str] = field(default_factory=dict)
    baseline_saved: bool = False
    fixes: fixmoved.FixOutcome | None = None
    fixed_urls: frozenset[str] = frozenset()

    @property
    def offline(self) -> bool:
        return self.outcome.offline

    def failing(self, fail_on: str) -> list[LinkResult]:
        """Results that make the run exit 1; a moved URL fixed in every guide no longer does."""
        return [
            result
            for result in failing(self.outcome.results, fail_on)
            if result.url not in self.fixed_urls
        ]


def run(request: Request) -> Run:
    """One run; raises BaselineError, HistoryError or WriteError, each naming its file."""
    try:
        return _run(request)
    except sqlite3.Error as error:  # e.g. locked by another run, disk full mid-run
        raise HistoryError(f"{request.state_path}: history database error: {error}") from error


def _run(request: Request) -> Run:
    reviewed = bl.load(request.baseline_path)
    if request.state_path is not None:
        History.open(request.state_path).close()  # refuse an unusable database up front
    # The checker (aiohttp and friends, 0.13 s to import) is imported while the guides
    # load in worker processes, and checking starts with the first guides loaded. Accepting
    # chosen URLs checks just those (a maintainer reviewing one change should not wait for
    # the whole library), so it needs every guide loaded first, as several processes do
    # (check_urls waits for them); only a check that starts at once leaves a CPU to itself.
    chosen_only = bool(request.accept) and not request.update_baseline
    streaming = not chosen_only and (request.options.jobs or 1) == 1
    with loading(request.paths, meanwhile=_import_checker, spare_cpu=streaming) as found:
        if chosen_only:
            found.finish()
            wanted = set(request.accept)
            outcome = _check({u: refs for u, refs in found.urls.items() if u in wanted}, request)
        else:
            outcome = _check(found.urls, request, Feed(found.pending, found.take))
        collection = found.collection()
    urls = collection.urls
    skipped = tuple(
        f"{bad.path} was not checked: it cannot be loaded ({bad.message})"
        for bad in collection.unreadable
    )
    if skipped:
        outcome = dataclasses.replace(outcome, notes=skipped + outcome.notes)
    results = list(outcome.results)

    if outcome.offline:
        if request.state_path is not None:
            health.process(
                results,
                baseline=reviewed,
                history_db=request.state_path,
                now=request.now,
                settings=request.settings,
                offline=True,
                tool_version=__version__,
            )
        return Run(outcome, collection.unreadable)

    accepted: tuple[str, ...] = ()
    refused: Mapping[str, str] = {}
    saved = False
    if request.update_baseline or request.accept:
        contexts = health.link_contexts(results, _guides(collection))
        if request.update_baseline:
            outcome_of_accept = health.update_baseline(
                results,
                reviewed,
                now=request.now,
                contexts=contexts,
                settings=request.settings,
                prune=request.prune,
            )
        else:
            outcome_of_accept = health.accept_urls(
                results,
                reviewed,
                request.accept,
                now=request.now,
                contexts=contexts,
                settings=request.settings,
            )
        accepted, refused = outcome_of_accept.accepted, outcome_of_accept.refused
        if outcome_of_accept.baseline != reviewed:
            _save(outcome_of_accept.baseline, request.baseline_path)
            saved = True
        reviewed = outcome_of_accept.baseline

    def refetch(again: list[str]) -> dict[str, Page]:
        second = _check({url: urls.get(url, ()) for url in again}, request)
        return {result.url: result.page for result in second.results if result.page is not None}

    summary = None
    trend = None
    if request.state_path is not None:
        results, summary = health.process(
            results,
            baseline=reviewed,
            history_db=request.state_path,
            now=request.now,
            settings=request.settings,
            offline=False,
            refetch=refetch,
            tool_version=__version__,
            just_accepted=frozenset(accepted),
        )
        if request.run_totals or request.timelines:
            trend = _trend(
                request.state_path,
                results if request.timelines else (),
                run_totals=request.run_totals,
            )
    else:
        first = bl.compare_pages(
            results, reviewed, request.settings.change, just_accepted=frozenset(accepted)
        )
        differing = [url for url, change in first.items() if change is not None]
        rechecks = refetch(differing) if differing else {}
        results = bl.apply(
            results, reviewed, request.settings.change, rechecks=rechecks, compared=first
        )

    fixes = None
    fixed: frozenset[str] = frozenset()
    if request.fix_moved:
        try:
            fixes = fixmoved.fix_moved(results, allow_cross_domain=request.fix_cross_domain)
        except OSError as error:
            raise WriteError(
                f"{error.filename or 'a guide'}: cannot rewrite: {error.strerror or error}"
            ) from error
        fixed = _fully_fixed(results, fixes)
        carried = _carry_review(results, fixed, fixes, reviewed)
        if carried != reviewed:
            _save(carried, request.baseline_path)
            saved = True
        results = [
            dataclasses.replace(
                result,
                notes=(*result.notes, FIXED_NOTE.format(new=_new_address(result.url, fixes))),
            )
            if result.url in fixed
            else result
            for result in results
        ]
    return Run(
        dataclasses.replace(outcome, results=tuple(results)),
        collection.unreadable,
        summary,
        trend,
        accepted,
        refused,
        saved,
        fixes,
        fixed,
    )


def _save(baseline: bl.Baseline, path: Path) -> None:
    try:
        bl.save(baseline, path)
    except OSError as error:
        raise bl.BaselineError(
            f"{path}: cannot write the baseline: {error.strerror or error}"
        ) from error


def _import_checker() -> None:
    import guidelint.links.checker  # noqa: F401


def _check(
    urls: Mapping[str, Sequence[Reference]], request: Request, feed: Feed | None = None
) -> RunOutcome:
    from guidelint.links.checker import check_urls

    return check_urls(
        urls,
        request.options,
        resolver=request.resolver,
        progress=request.progress,
        today=request.now.date(),
        feed=feed,
    )


def _guides(collection: Collection) -> list[Guide]:
    """The guides that loaded, for the region and names each URL is read with.

    A guide without a jurisdiction still has its URLs checked; its pages are read with no
    region (international phone formats only).
    """
    guides = []
    paths = {ref.path for refs in collection.urls.values() for ref in refs}
    for path in sorted(paths):
        document = load_path(Path(path)).document
        if document is None or not isinstance(document.data, dict):
            continue
        if not isinstance(document.data.get("jurisdiction"), str):
            continue
        resources = document.data.get("resources", [])
        if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
            continue
        guides.append(Guide(document))
    return guides


def _trend(state_path: Path, results: Iterable[LinkResult], *, run_totals: bool = True) -> Trend:
    with History.open(state_path) as history:
        return Trend(
            runs=history.run_totals() if run_totals else (),
            timelines=history.timelines(result.url for result in results),
        )


def _fully_fixed(results: Iterable[LinkResult], fixes: fixmoved.FixOutcome) -> frozenset[str]:
    """Moved URLs rewritten at every place a guide uses them."""
    edited: dict[str, int] = {}
    for edit in fixes.edits:
        edited[edit.old] = edited.get(edit.old, 0) + 1
    refused = {skip.url for skip in fixes.skipped}
    return frozenset(
        result.url
        for result in results
        if result.verdict is Verdict.MOVED
        and result.url not in refused
        and edited.get(result.url, 0) >= len(result.references) > 0
    )


def _carry_review(
    results: Iterable[LinkResult],
    fixed: frozenset[str],
    fixes: fixmoved.FixOutcome,
    reviewed: bl.Baseline,
) -> bl.Baseline:
    """The baseline with each rewritten URL's review carried to its new address.

    Only when the page still matches what was reviewed (no change evidence) and the new
    address has no entry of its own: the guides now use the new URL, and a page already
    reviewed should not come back as "new".
    """
    entries = dict(reviewed.entries)
    for result in results:
        entry = entries.get(result.url)
        if result.url not in fixed or entry is None or result.change is not None:
            continue
        new = _new_address(result.url, fixes)
        entries.setdefault(new, entry)
    if len(entries) == len(reviewed.entries):
        return reviewed
    return bl.Baseline(dict(sorted(entries.items())))


def _new_address(url: str, fixes: fixmoved.FixOutcome) -> str:
    return next(edit.new for edit in fixes.edits if edit.old == url)
