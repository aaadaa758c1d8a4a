"""Link health over time: the step between checking links and reporting them.

`guidelint links` checks every URL, then calls `process`, which

1. compares alive pages with the reviewed baseline (`links.baseline.apply`): content that
   changed becomes `changed` with the evidence, URLs never reviewed are noted as new;
2. records the run in the history database (`links.history`), each check committed as it
   is written, the run marked finished only at the end;
3. reads back, per URL, whether its failure is confirmed, since when it fails, how its
   state moved since the last run, and whether it is flaky.

A run in which the checker itself was offline is recorded as such and changes nobody's
streak. The maintainer flows `--update-baseline` and `--accept URL…` are `update_baseline`
and `accept_urls`. Settings come from `[tool.guidelint.links]`, read into
`links.settings.HealthSettings` when the config loads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from guidelint.links.baseline import (
    AcceptOutcome,
    Baseline,
    LinkContext,
    accept,
    compare_pages,
    review,
)
from guidelint.links.clock import utc_stamp
from guidelint.links.history import Health, History
from guidelint.links.model import LinkResult, Page, Transition, Verdict
from guidelint.links.recorder import Recorder
from guidelint.links.settings import HealthSettings as HealthSettings


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    started_at: str
    offline: bool
    verdicts: Mapping[str, int]
    new_urls: int  # alive, never reviewed
    changed: int
    new_failures: int
    still_failing: int
    recovered: int
    confirmed: int
    flaky: int


def link_contexts(results: Iterable[LinkResult]) -> dict[str, LinkContext]:
    """Per URL: the region to read its phone numbers with, and the names it should show.

    Read from the references, which carry what the guides say around each use: a
    resource's own jurisdictions win over its guide's, since the page belongs to the
    organisation, not to the guide; a URL in prose gets its guide's jurisdiction.
    """
    from guidelint.phones import region_of  # only runs that accept pages need it

    out: dict[str, LinkContext] = {}
    for result in results:
        region: str | None = None
        names: list[str] = []
        for reference in result.references:
            if region is None and reference.jurisdiction:
                region = region_of(reference.jurisdiction)
            if reference.resource and reference.resource not in names:
                names.append(reference.resource)
        out[result.url] = LinkContext(region, tuple(names))
    return out


def needs_recheck(
    results: Iterable[LinkResult], baseline: Baseline, settings: HealthSettings | None = None
) -> list[str]:
    """URLs whose page differs from the baseline: the ones `review` fetches once more."""
    settings = settings or HealthSettings()
    compared = compare_pages(results, baseline, settings.change)
    return [url for url, change in compared.items() if change is not None]


def process(
    results: Iterable[LinkResult],
    *,
    baseline: Baseline,
    history: History,
    now: datetime,
    offline: bool,
    settings: HealthSettings | None = None,
    rechecks: Mapping[str, Page] | None = None,
    refetch: Callable[[list[str]], Mapping[str, Page]] | None = None,
    tool_version: str | None = None,
    just_accepted: Collection[str] = frozenset(),
) -> tuple[list[LinkResult], RunSummary]:
    """Compare with the baseline (`baseline.review`), then `record` the run in `history`.

    `offline` is the check's own decision (`RunOutcome.offline`, defined in `links.check`):
    an offline run is recorded for nobody, its results annotated by nothing.
    `refetch(urls)` is called with the pages that differ from the baseline, and the pages
    it returns are used as `rechecks`. `just_accepted`: URLs whose entry `update_baseline`
    or `accept_urls` made from these results in this run, which need no comparison.
    """
    settings = settings or HealthSettings()
    compared = review(
        results,
        baseline,
        settings.change,
        refetch=refetch,
        rechecks=rechecks,
        just_accepted=just_accepted,
    )
    return record(
        compared, history, now=now, settings=settings, offline=offline, tool_version=tool_version
    )


def record(
    results: Iterable[LinkResult],
    history: History,
    *,
    now: datetime,
    settings: HealthSettings | None = None,
    offline: bool = False,
    tool_version: str | None = None,
    recorder: Recorder | None = None,
) -> tuple[list[LinkResult], RunSummary]:
    """Record the run in the history and annotate each result with what the history says.

    With a `recorder` (which started the run and took each check as it was made), only the
    rows it has not written yet are written here. An offline run is recorded as such and
    annotates nobody: it is no evidence either way.
    """
    settings = settings or HealthSettings()
    results = list(results)
    if recorder is None:
        run_id = history.start_run(now, tool_version)
        history.record_many(run_id, results, now)
        history.finish_run(run_id, now, offline=offline)
    else:
        run_id = recorder.run_id
        history.finish_run(run_id, now, offline=offline, rows=recorder.finish(results))
    healths = (
        {}
        if offline
        else history.assess_many((result.url for result in results), run_id, settings.history)
    )
    annotated = [_annotate(result, healths.get(result.url)) for result in results]
    return annotated, _summary(run_id, now, offline, annotated)


def _annotate(result: LinkResult, health: Health | None) -> LinkResult:
    """The result with what the history says; the same object when that changes nothing."""
    if health is None:
        return result
    failure = result.failure  # dead, or dead once it lasts (model.FAILURES)
    confirmed = failure and health.confirmed
    failing_since = health.failing_since if failure else None
    if (confirmed, failing_since, health.transition, health.flaky) == (
        result.confirmed,
        result.failing_since,
        result.transition,
        result.flaky,
    ):
        return result  # most links: alive, steady, not flaky; a copy would cost 10 µs each
    return result.evolve(
        confirmed=confirmed,
        failing_since=failing_since,
        transition=health.transition,
        flaky=health.flaky,
    )


def _summary(run_id: int, now: datetime, offline: bool, results: list[LinkResult]) -> RunSummary:
    verdicts = Counter(result.verdict.value for result in results)
    transitions = Counter(result.transition for result in results)
    return RunSummary(
        run_id=run_id,
        started_at=utc_stamp(now),
        offline=offline,
        verdicts=dict(sorted(verdicts.items())),
        new_urls=sum(result.new for result in results),
        changed=verdicts.get(Verdict.CHANGED.value, 0),
        new_failures=transitions.get(Transition.NEW_FAILURE, 0),
        still_failing=transitions.get(Transition.STILL_FAILING, 0),
        recovered=transitions.get(Transition.RECOVERED, 0),
        confirmed=sum(result.confirmed for result in results),
        flaky=sum(result.flaky for result in results),
    )


def update_baseline(
    results: Iterable[LinkResult],
    baseline: Baseline,
    *,
    now: datetime,
    contexts: Mapping[str, LinkContext] | None = None,
    settings: HealthSettings | None = None,
    prune: bool = False,
) -> AcceptOutcome:
    """`--update-baseline`: accept what this run saw for every alive URL.

    With `prune` (when the whole library was checked), entries of URLs that no guide uses
    any more are dropped, so the file doesn't grow forever.
    """
    settings = settings or HealthSettings()
    return accept(
        results, baseline, now=now, contexts=contexts, settings=settings.change, prune=prune
    )


def accept_urls(
    results: Iterable[LinkResult],
    baseline: Baseline,
    urls: Iterable[str],
    *,
    now: datetime,
    contexts: Mapping[str, LinkContext] | None = None,
    settings: HealthSettings | None = None,
) -> AcceptOutcome:
    """`--accept URL…`: accept the chosen URLs only; the others keep their entries."""
    settings = settings or HealthSettings()
    return accept(
        results, baseline, now=now, urls=urls, contexts=contexts, settings=settings.change
    )
