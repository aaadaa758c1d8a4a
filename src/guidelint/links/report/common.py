"""What every link report format says, before it is escaped for its medium."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from guidelint.escape import EXCERPT_CAP, FACT_CAP, TITLE_CAP, URL_CAP, clip, plain
from guidelint.links.model import (
    SECTIONS,
    Change,
    LinkResult,
    Reference,
    Suggestion,
    Transition,
    Verdict,
    action,
    is_finding,
    rank,
)
from guidelint.wording import plural, them

if TYPE_CHECKING:
    from guidelint.links.model import RunOutcome

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


class Part(NamedTuple):
    """A clause of a finding's explanation: guidelint's wording, then what a server said.

    `said` came from a server or a page (or quotes one): reports show it clipped to `cap`
    characters, with nothing invisible, and in Markdown as code, so it can become no link,
    mention or markup.
    """

    wording: str
    said: str | None = None
    cap: int = EXCERPT_CAP
    after: str = ""  # guidelint's wording again, after what was said

    def render(self, ours: Callable[[str], str], theirs: Callable[[str, int], str]) -> str:
        said = theirs(self.said, self.cap) if self.said is not None else ""
        return ours(self.wording) + said + ours(self.after)


#: Facts listed per change before "and N more": a page of phone numbers is one finding.
FACTS_SHOWN: Final = 10


def why_parts(result: LinkResult) -> list[Part]:
    """The evidence behind a result's verdict, clause by clause."""
    parts: list[Part] = []
    if result.redirects and result.verdict.info.alive:
        # Where a link went matters more than the status it ended on ("HTTP 200").
        parts.append(Part("", redirect_chain(result), URL_CAP * 2))
    elif result.status is not None and not (result.error or "").startswith(f"HTTP {result.status}"):
        parts.append(Part(f"HTTP {result.status}"))
    if result.error:
        parts.append(Part("", result.error))
    if result.failing_since:
        parts.append(Part(f"failing since {result.failing_since}"))
    if result.transition is Transition.NEW_FAILURE:
        parts.append(Part("new failure this run"))
    elif result.transition is Transition.STILL_FAILING:
        parts.append(Part("still failing"))
    elif result.transition is Transition.RECOVERED:
        parts.append(Part("recovered this run"))
    if result.flaky:
        parts.append(Part("flaky: alternates between working and failing"))
    if result.change is not None:
        parts.extend(_change_parts(result.change))
    if result.new:
        parts.append(Part(NEW_NOTE))
    if result.fixed_to is not None:
        parts.append(Part("fixed: the guides now point to ", result.fixed_to, URL_CAP))
    parts.extend(Part("", note) for note in result.notes)
    return parts


def _change_parts(change: Change) -> list[Part]:
    # Facts first: a changed phone number matters more than any similarity figure.
    parts: list[Part] = []
    for wording, facts in (("gone: ", change.facts_removed), ("new: ", change.facts_added)):
        if facts:
            shown = ", ".join(clip(fact, FACT_CAP) for fact in facts[:FACTS_SHOWN])
            parts.append(Part(wording, shown, (FACT_CAP + 2) * FACTS_SHOWN))
            if len(facts) > FACTS_SHOWN:
                parts.append(Part(f"and {len(facts) - FACTS_SHOWN} more"))
    if change.title_before != change.title_after:
        before = repr(clip(change.title_before or "", TITLE_CAP)) if change.title_before else None
        after = repr(clip(change.title_after or "", TITLE_CAP)) if change.title_after else None
        parts.append(Part("title ", f"{before} -> {after}", 2 * TITLE_CAP + 10))
    parts.append(Part(f"text similarity {change.similarity:.0%}"))
    return parts


#: Shared facts a suggestion lists as evidence before "and N more".
SUGGESTION_FACTS_SHOWN: Final = 3
_FACT_WORDS: Final = {"phone": "same phone number ", "email": "same e-mail address "}


def evidence(found: Suggestion) -> list[tuple[str, str | None]]:
    """What a suggestion rests on, item by item: guidelint's wording, and what a page said."""
    evidence: list[tuple[str, str | None]] = []
    if found.same_title:
        evidence.append(("same title", None))
    elif found.title_similarity >= 0.5:
        evidence.append((f"title {found.title_similarity:.0%} alike", None))
    shown = [fact for fact in found.shared_facts if fact.partition(" ")[0] in _FACT_WORDS]
    for fact in shown[:SUGGESTION_FACTS_SHOWN]:
        kind, _, value = fact.partition(" ")
        evidence.append((_FACT_WORDS[kind], value))
    if len(shown) > SUGGESTION_FACTS_SHOWN:
        evidence.append((f"{len(shown) - SUGGESTION_FACTS_SHOWN} more facts in common", None))
    evidence.append((f"text {found.similarity:.0%} alike", None))
    if found.path_similarity > 0:
        evidence.append((f"address {found.path_similarity:.0%} alike", None))
    return evidence


def suggestion_parts(result: LinkResult) -> list[Part]:
    """'probably moved to URL (same title, same phone number N, text 91% alike, …)', clause
    by clause: rendered one after the other, they read as one sentence."""
    found = result.suggestion
    if found is None:
        return []
    items = evidence(found)
    verdict = "confident" if found.confident else "not confident enough to apply by itself"
    parts = [Part("probably moved to ", found.url, URL_CAP, " (")]
    for index, (wording, said) in enumerate(items):
        after = ", " if index + 1 < len(items) else f"; score {found.score:.0%}, {verdict})"
        if said is None:
            parts.append(Part(wording + after))
        else:
            parts.append(Part(wording, said, FACT_CAP, after))
    return parts


def archive_parts(result: LinkResult) -> list[Part]:
    """The archived copy of a dead page, marked as what it said and never a replacement."""
    copy = result.archived
    if copy is None:
        return []
    return [
        Part(
            f"what the page said on {copy.captured_at[:10]}, archived (for the reviewer, not "
            "a replacement: readers need a working page): ",
            copy.url,
            URL_CAP,
        )
    ]


def joined(
    parts: Sequence[Part], ours: Callable[[str], str], theirs: Callable[[str, int], str]
) -> str:
    """Clauses that read as one sentence (`suggestion_parts`, `archive_parts`), rendered."""
    return "".join(part.render(ours, theirs) for part in parts)


def why(result: LinkResult) -> str:
    """`why_parts` as one line of plain text: clipped, nothing invisible."""
    return "; ".join(part.render(plain, plain) for part in why_parts(result))


def finding_fields(
    result: LinkResult, ours: Callable[[str], str], theirs: Callable[[str, int], str]
) -> list[tuple[str, str]]:
    """(field, rendered text) of a finding, in report order, the empty ones left out:
    "why", "action", "suggestion", "archived". Each format names and lays them out."""
    fields = [
        ("why", "; ".join(part.render(ours, theirs) for part in why_parts(result))),
        ("action", action_part(result).render(ours, theirs)),
        ("suggestion", joined(suggestion_parts(result), ours, theirs)),
        ("archived", joined(archive_parts(result), ours, theirs)),
    ]
    return [(name, text) for name, text in fields if text]


def action_part(result: LinkResult) -> Part:
    """`model.action`, with the address a server sent us to (a move) marked as said."""
    text = action(result)
    final = result.final_url
    if final and result.verdict is Verdict.MOVED and final in text:
        before, _, after = text.partition(final)
        return Part(before, final, URL_CAP, after)
    return Part(text)


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
            # Dead, or down for now (`unavailable`): both are watched until the history speaks.
            sum(result.failure and not result.confirmed for result in results),
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
    parts = [f"{plural(len(outcome.results), 'URL')} checked in {seconds:.1f} s", f"{dead} dead"]
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


def closing(results: Sequence[LinkResult]) -> str | None:
    """The report's last word when it lists no finding, true to what the run saw.

    "All links work." only when every link answered and nothing waits for a review; a
    first run, whose pages have no reviewed baseline yet, says so instead.
    """
    if any(is_finding(result) for result in results):
        return None
    unreviewed = sum(result.new for result in results)
    if unreviewed:
        return (
            f"Every link answered; {plural(unreviewed, 'page is', 'pages are')} not reviewed "
            f"yet: look, then accept {them(unreviewed)} with --update-baseline."
        )
    return "All links work."


_SECTION_NAMES: Final = {
    "short_answer": "short answer",
    "do_not": "do-not list",
    "steps": "step",
    "substeps": "sub-step",
    "can_wait": "what can wait",
    "important_note": "important note",
    "scope_note": "scope note",
    "resources": "resource",
}


def place(reference: Reference) -> str:
    """Where in its guide a URL is used, in words: the resource's name, or the section."""
    if reference.resource and reference.pointer.endswith("/url"):
        where = f"resource “{reference.resource}”"
    else:
        where = _pointer_words(reference.pointer)
    if reference.guide_title:
        where += f" in “{reference.guide_title}”"
    return where


def _pointer_words(pointer: str) -> str:
    """`/steps/2/substeps/0` -> 'step 3, sub-step 1'; unknown keys are shown as they are."""
    words: list[str] = []
    for token in pointer.strip("/").split("/"):
        if token.isdigit() and words:
            words[-1] = f"{words[-1]} {int(token) + 1}"
        elif token not in ("text", "url", "name"):
            words.append(_SECTION_NAMES.get(token, token.replace("_", " ")))
    return ", ".join(words) or "the guide"


def redirect_chain(result: LinkResult) -> str:
    """'301 → https://b/ → 302 → https://c/': each hop's status and where it led."""
    steps: list[str] = []
    hops = result.redirects
    requested = {hop.url for hop in hops}
    for index, hop in enumerate(hops):
        if index + 1 < len(hops):
            target: str | None = hops[index + 1].url
        else:
            # For a move, final_url is where the permanent hops led, which may be an earlier
            # hop: then where the last one went is not known here.
            target = result.final_url if result.final_url not in requested else None
        steps.append(f"{hop.status} → {target}" if target else str(hop.status))
    return " → ".join(steps)
