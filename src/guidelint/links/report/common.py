"""What every link report format says, before it is escaped for its medium."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

from guidelint.links.model import SECTIONS, LinkResult, Transition, Verdict, is_finding, rank

if TYPE_CHECKING:
    from guidelint.links.checker import RunOutcome  # aiohttp: not needed to write a report

NEW_NOTE: Final = "new: no reviewed baseline for this URL yet; accept it with --accept"


@dataclass(frozen=True)
class Trend:
    """What the run history adds to a report: health over time.

    `runs` is `History.run_totals()` (started_at, offline, {verdict: count}), oldest first;
    `timelines` is `History.timeline(url)` (checked_at, verdict) per URL, oldest first.
    """

    runs: Sequence[tuple[str, bool, Mapping[str, int]]] = ()
    timelines: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)


class Renderer(Protocol):
    def __call__(self, outcome: RunOutcome, trend: Trend | None = None) -> str: ...


def ordered(results: Iterable[LinkResult]) -> list[LinkResult]:
    return sorted(results, key=lambda result: (rank(result), result.url))


def sections(results: Iterable[LinkResult]) -> list[tuple[str, list[LinkResult]]]:
    """The findings grouped into `SECTIONS` (empty sections left out), each in rank order."""
    findings = [result for result in ordered(results) if is_finding(result)]
    out = []
    for title, ranks in SECTIONS:
        group = [result for result in findings if rank(result) in ranks]
        if group:
            out.append((title, group))
    return out


def label(result: LinkResult) -> str:
    if result.dead and result.confirmed:
        return f"{result.verdict.value} (confirmed)"
    if result.verdict is Verdict.MOVED and result.cross_domain:
        return "moved (to another site)"
    return result.verdict.value


def why(result: LinkResult) -> str:
    """The evidence behind a result's verdict, in one line."""
    parts = []
    if result.status is not None and not (result.error or "").startswith(f"HTTP {result.status}"):
        parts.append(f"HTTP {result.status}")
    if result.error:
        parts.append(result.error)
    if result.failing_since:
        parts.append(f"failing since {result.failing_since}")
    if result.transition is Transition.NEW_FAILURE:
        parts.append("new failure this run")
    elif result.transition is Transition.STILL_FAILING:
        parts.append("still failing")
    elif result.transition is Transition.RECOVERED:
        parts.append("recovered this run")
    if result.flaky:
        parts.append("flaky: alternates between working and failing")
    if result.change is not None:
        # Facts first: a changed phone number matters more than any similarity figure.
        change = result.change
        if change.facts_removed:
            parts.append("gone: " + ", ".join(change.facts_removed))
        if change.facts_added:
            parts.append("new: " + ", ".join(change.facts_added))
        if change.title_before != change.title_after:
            parts.append(f"title {change.title_before!r} -> {change.title_after!r}")
        parts.append(f"text similarity {change.similarity:.0%}")
    if result.new:
        parts.append(NEW_NOTE)
    if result.fixed_to is not None:
        parts.append(f"fixed: the guides now point to {result.fixed_to}")
    parts.extend(result.notes)
    return "; ".join(parts)


def attention(results: Sequence[LinkResult]) -> str:
    """One line: how many of each kind of finding, in the order they need action."""
    counts = [
        (sum(result.dead and result.confirmed for result in results), "confirmed dead"),
        (sum(result.verdict is Verdict.CHANGED for result in results), "changed"),
        (sum(result.verdict is Verdict.MOVED for result in results), "moved"),
        (
            sum(result.transition is Transition.NEW_FAILURE for result in results),
            "new failures",
        ),
        (
            sum(result.dead and not result.confirmed for result in results),
            "failing, not confirmed",
        ),
        (sum(result.transition is Transition.RECOVERED for result in results), "recovered"),
        (sum(result.flaky for result in results), "flaky"),
        (sum(result.new for result in results), "never reviewed (no baseline)"),
    ]
    return ", ".join(f"{count} {name}" for count, name in counts if count)


def counts(outcome: RunOutcome) -> Counter[Verdict]:
    return Counter(result.verdict for result in outcome.results)


def headline(outcome: RunOutcome) -> str:
    tally = counts(outcome)
    dead = sum(1 for result in outcome.results if result.dead)
    seconds = (outcome.finished_at - outcome.started_at).total_seconds()
    parts = [f"{len(outcome.results)} URLs checked in {seconds:.1f} s", f"{dead} dead"]
    parts.extend(
        f"{count} {verdict.value}"
        for verdict, count in sorted(tally.items(), key=lambda item: item[0].value)
        if not verdict.dead
    )
    return ", ".join(parts)


def dead_verdict(verdict: str) -> bool:
    """Whether a verdict as stored in the history is dead; one from another version is not."""
    try:
        return Verdict(verdict).dead
    except ValueError:
        return False
