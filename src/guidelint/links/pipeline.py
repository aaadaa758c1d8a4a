"""One `guidelint links` run, from guides to annotated results, without printing anything.

The steps, in order (the CLI only parses flags, prints and picks the exit code):

1. read the reviewed baseline and open the run history first, so a broken file stops the
   run before minutes of checking (`BaselineError`, `HistoryError`);
2. collect the URLs from the guides and check each once (`links.check`), starting with
   the first guides loaded while worker processes load the rest;
3. an offline run (the checker itself had no network) is recorded as offline in the
   history, where it counts for nobody, and nothing else happens;
4. `--update-baseline` / `--accept URL…`: accept what this run saw and save the baseline;
   the rest of the run then compares against the baseline just saved;
5. compare alive pages with the baseline, fetching pages that differ once more so that
   rotating content is excused (`links.baseline.review`, with or without a history), and
   record the run in the history (`links.health.record`), which annotates each result:
   confirmed, failing since, transition, flaky;
6. for dead reviewed pages, look for their new address on their own site, and with
   `--archive-lookup` for their archived copy (`links.suggest`: evidence, never a verdict);
7. `--fix-moved`: rewrite permanently moved URLs in the guides in place, and with
   `--accept-suggestions` dead ones whose new address is confidently suggested.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint import __version__, atomic
from guidelint.links import baseline as bl
from guidelint.links import health, suggest
from guidelint.links.collect import Collection, Unreadable, loading
from guidelint.links.history import History, HistoryError
from guidelint.links.model import (
    Feed,
    LinkResult,
    Page,
    Reference,
    RunOutcome,
    Verdict,
    failing,
)
from guidelint.links.recorder import Recorder
from guidelint.links.report import FORMATS, Trend
from guidelint.links.settings import CheckOptions, SuggestSettings

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links import fixmoved


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
    accept_suggestions: bool = False  # --fix-moved also applies confident suggestions
    suggest: SuggestSettings = field(default_factory=SuggestSettings)
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
    # Main content is read for the pages that are compared with the baseline or go into it.
    compared = None if request.update_baseline else frozenset((*reviewed.entries, *request.accept))
    options = request.options.replace(main_content_for=compared)
    request = dataclasses.replace(request, options=options)
    # Opened before the check, so an unusable database stops the run before minutes of
    # checking, and only once: recording, assessing and the reports' trend share it.
    with (
        _open_history(request.state_path) as history,
        _recording(history, request) as recorder,
    ):
        view = bl.BaselineView(reviewed.entries, frozenset(request.accept), request.update_baseline)
        outcome, collection = _check_guides(request, recorder, view)
        results = list(outcome.results)
        if outcome.offline:
            if history is not None:
                health.record(
                    results,
                    history,
                    now=request.now,
                    settings=request.settings,
                    offline=True,
                    tool_version=__version__,
                    recorder=recorder,
                )
            return Run(outcome, collection.unreadable)
        # From here `results` alone holds them: the review replaces many (a new page is
        # marked new), and the originals would otherwise live on in `outcome` to the end.
        outcome = dataclasses.replace(outcome, results=())
        accepting = _accept(request, results, reviewed)
        saved = accepting is not None and accepting.baseline != reviewed
        if accepting is not None:
            if saved:
                _save(accepting.baseline, request.baseline_path)
            reviewed = accepting.baseline
        accepted = accepting.accepted if accepting is not None else ()

        def refetch(again: list[str]) -> dict[str, Page]:
            urls = collection.urls
            second = _check({url: urls.get(url, ()) for url in again}, request)
            return {r.url: r.page for r in second.results if r.page is not None}

        results = bl.review(
            results,
            reviewed,
            request.settings.change,
            refetch=refetch,
            just_accepted=frozenset(accepted),
        )
        summary = trend = None
        if history is not None:
            results, summary = health.record(
                results,
                history,
                now=request.now,
                settings=request.settings,
                tool_version=__version__,
                recorder=recorder,
            )
            trend = _trend(history, results, request)
    results, searched = _suggest(request, results, reviewed, outcome)
    run = Run(
        dataclasses.replace(outcome, results=tuple(results), notes=outcome.notes + searched),
        collection.unreadable,
        summary,
        trend,
        accepted,
        accepting.refused if accepting is not None else {},
        saved,
    )
    return _fix_moved(run, request, reviewed) if request.fix_moved else run


@contextmanager
def _open_history(path: Path | None) -> Iterator[History | None]:
    if path is None:
        yield None
        return
    with History.open(path) as history:
        yield history


@contextmanager
def _recording(history: History | None, request: Request) -> Iterator[Recorder | None]:
    """The run's rows written while it checks (`links.recorder`); stopped when the run ends."""
    if history is None:
        yield None
        return
    recorder = Recorder(history, request.now, __version__)
    try:
        yield recorder
    finally:
        recorder.close()


def _check_guides(
    request: Request,
    recorder: Recorder | None = None,
    baseline: bl.BaselineView | None = None,
) -> tuple[RunOutcome, Collection]:
    """Load the guides and check their URLs; unreadable guides become notes of the outcome."""
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
            chosen = {u: refs for u, refs in found.urls.items() if u in wanted}
            outcome = _check(chosen, request, recorder=recorder, baseline=baseline)
        else:
            feed = Feed(found.pending, found.take)
            outcome = _check(found.urls, request, feed, recorder, baseline)
        collection = found.collection()
    skipped = tuple(
        f"{bad.path} was not checked: it cannot be loaded ({bad.message})"
        for bad in collection.unreadable
    )
    if skipped:
        outcome = dataclasses.replace(outcome, notes=skipped + outcome.notes)
    return outcome, collection


def _accept(
    request: Request, results: list[LinkResult], reviewed: bl.Baseline
) -> bl.AcceptOutcome | None:
    """`--update-baseline` / `--accept URL…`: the baseline accepting what this run saw."""
    if not (request.update_baseline or request.accept):
        return None
    contexts = health.link_contexts(results)
    if request.update_baseline:
        return health.update_baseline(
            results,
            reviewed,
            now=request.now,
            contexts=contexts,
            settings=request.settings,
            prune=request.prune,
        )
    return health.accept_urls(
        results,
        reviewed,
        request.accept,
        now=request.now,
        contexts=contexts,
        settings=request.settings,
    )


def _suggest(
    request: Request, results: list[LinkResult], reviewed: bl.Baseline, outcome: RunOutcome
) -> tuple[list[LinkResult], tuple[str, ...]]:
    """Suggestions (and archived copies) for dead pages, in the time the run has left."""
    elapsed = (datetime.now(UTC) - outcome.started_at).total_seconds()
    return suggest.annotate(
        results,
        reviewed,
        request.options,
        request.suggest,
        request.settings.change,
        resolver=request.resolver,
        seconds=request.options.run_deadline - elapsed,
    )


def _fix_moved(run: Run, request: Request, reviewed: bl.Baseline) -> Run:
    """`--fix-moved`: rewrite moved URLs in the guides, and carry their review along.

    The guides and the baseline are replaced together, all or none: a run that fails to
    write one of them changes nothing, so no guide is left rewritten while the run says
    it failed, and the baseline never names addresses the guides do not use.
    """
    results = run.outcome.results
    # Imported here: 17 ms (suggestions, YAML editing) that a run without --fix-moved skips.
    from guidelint.links import fixmoved

    fixes = fixmoved.fix_moved(
        results,
        allow_cross_domain=request.fix_cross_domain,
        accept_suggestions=request.accept_suggestions,
        write=False,
    )
    fixed = _fully_fixed(results, fixes)
    carried = _carry_review(results, fixed, fixes, reviewed)
    changes = dict(fixes.texts)
    if carried != reviewed:
        changes[str(request.baseline_path)] = bl.dumps(carried)
    try:
        atomic.write_all(changes)
    except OSError as error:
        raise WriteError(f"--fix-moved changed nothing: {error}") from error
    annotated = tuple(
        result.evolve(fixed_to=_new_address(result.url, fixes)) if result.url in fixed else result
        for result in results
    )
    return dataclasses.replace(
        run,
        outcome=dataclasses.replace(run.outcome, results=annotated),
        baseline_saved=run.baseline_saved or carried != reviewed,
        fixes=fixes,
        fixed_urls=fixed,
    )


def _save(baseline: bl.Baseline, path: Path) -> None:
    try:
        bl.save(baseline, path)
    except OSError as error:
        raise bl.BaselineError(
            f"{path}: cannot write the baseline: {error.strerror or error}"
        ) from error


def _import_checker() -> None:
    import guidelint.links.check.loop  # noqa: F401


def _check(
    urls: Mapping[str, Sequence[Reference]],
    request: Request,
    feed: Feed | None = None,
    recorder: Recorder | None = None,
    baseline: bl.BaselineView | None = None,
) -> RunOutcome:
    from guidelint.links.check import check_urls

    return check_urls(
        urls,
        request.options,
        resolver=request.resolver,
        progress=request.progress,
        today=request.now.date(),
        feed=feed,
        on_result=recorder.add if recorder is not None else None,
        baseline=baseline,
    )


def _trend(history: History, results: Iterable[LinkResult], request: Request) -> Trend | None:
    """What the reports read from the history: only what their formats declare."""
    if not (request.run_totals or request.timelines):
        return None
    return Trend(
        runs=history.run_totals() if request.run_totals else (),
        timelines=history.timelines(r.url for r in results) if request.timelines else {},
    )


def _fully_fixed(results: Iterable[LinkResult], fixes: fixmoved.FixOutcome) -> frozenset[str]:
    """Moved (or dead, suggested) URLs rewritten at every place a guide uses them."""
    edited: dict[str, int] = {}
    for edit in fixes.edits:
        edited[edit.old] = edited.get(edit.old, 0) + 1
    refused = {skip.url for skip in fixes.skipped}
    return frozenset(
        result.url
        for result in results
        if (result.verdict is Verdict.MOVED or result.suggestion is not None)
        and result.url not in refused
        and edited.get(result.url, 0) >= len(result.references) > 0
    )


def _carry_review(
    results: Iterable[LinkResult],
    fixed: frozenset[str],
    fixes: fixmoved.FixOutcome,
    reviewed: bl.Baseline,
) -> bl.Baseline:
    """The baseline in step with the rewritten guides: each fixed URL's entry moves to its
    new address, since no guide uses the old one any more.

    The review travels only when the page still matches it (no change evidence) and the
    new address has no entry of its own; otherwise the new address is simply not reviewed
    yet, and shows as new. A dead page replaced by its suggested new address takes its
    review along, landing there now: the next run compares the new page with what was
    reviewed, and reports it `changed` with the evidence if it differs.
    """
    entries = dict(reviewed.entries)
    for result in results:
        entry = entries.get(result.url)
        if result.url not in fixed or entry is None:
            continue
        del entries[result.url]
        new = _new_address(result.url, fixes)
        if result.dead:
            entry = dataclasses.replace(entry, final_url=new.split("#", 1)[0])
        if result.change is None:
            entries.setdefault(new, entry)
    if entries == reviewed.entries:
        return reviewed
    return bl.Baseline(dict(sorted(entries.items())))


def _new_address(url: str, fixes: fixmoved.FixOutcome) -> str:
    return next(edit.new for edit in fixes.edits if edit.old == url)
