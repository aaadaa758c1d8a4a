"""How alike a candidate page is to the reviewed page that died, and which one to suggest.

The formula (docs/links-suggest.md), every part from 0 to 1:

    score = 0.40 × text + 0.25 × title + 0.30 × facts + 0.05 × path

- text: the similarity the baseline comparison uses (`links.change.evaluate`: the
  word-weighted Jaccard index of the two pages' normalised sentences);
- title: 1 for the same title (case, punctuation and spacing aside), else the share of
  title words in common;
- facts: the share of the reviewed facts the candidate still shows, phone numbers and
  e-mail addresses counting twice as much as organisation names (which a site repeats
  on every page); when the reviewed page had no facts, this weight is shared out among
  the other three;
- path: the share of path words the two addresses have in common.

A candidate that **contradicts** the reviewed page is never suggested, whatever its score:
it shows a phone number (or e-mail address) of its own while one the reviewed page gave
is missing, as a page about the same thing for another service would. A candidate is
suggested from `SUGGEST_MIN`; the suggestion is **confident** (`--accept-suggestions`
applies it) from the configured confidence (`suggest-confidence`, default 0.75) when no
other candidate comes within `MARGIN` of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from guidelint.links.change import ChangeSettings, Snapshot, evaluate, sentences
from guidelint.links.model import Page, Suggestion
from guidelint.links.suggest.candidates import jaccard, words

TEXT_WEIGHT: Final = 0.40
TITLE_WEIGHT: Final = 0.25
FACTS_WEIGHT: Final = 0.30
PATH_WEIGHT: Final = 0.05
#: Below this, a candidate is not worth a reader's time.
SUGGEST_MIN: Final = 0.5
#: A confident suggestion leads the next candidate by this much: two near-equal pages
#: (the same advice for two regions) are for a person to tell apart.
MARGIN: Final = 0.1
#: Fact kinds that identify a service: another one in their place is a contradiction.
STRONG_KINDS: Final = ("phone", "email")


@dataclass(frozen=True)
class Scored:
    """One candidate page weighed against the reviewed snapshot."""

    url: str
    score: float
    same_title: bool
    title_similarity: float
    similarity: float
    shared_facts: tuple[str, ...]
    #: Fact kinds ("phone", "email") the candidate gives other values for: never suggested.
    contradicted: tuple[str, ...]
    path_similarity: float


def _kind(fact: str) -> str:
    return fact.partition(" ")[0]


def _title_words(title: str | None) -> str:
    return " ".join(sentences(title or ""))


def score_page(
    reviewed: Snapshot,
    page: Page,
    url: str,
    path_similarity: float,
    settings: ChangeSettings | None = None,
) -> Scored:
    """`page` (fetched from `url`) weighed against what the dead page said when reviewed."""
    comparison = evaluate(reviewed, page, settings)
    removed = set(comparison.facts_removed)
    shared = tuple(fact for fact in reviewed.facts if fact not in removed)
    contradicted = tuple(
        kind
        for kind in STRONG_KINDS
        if any(_kind(fact) == kind for fact in comparison.facts_removed)
        and any(_kind(fact) == kind for fact in comparison.facts_added)
    )
    before, after = _title_words(reviewed.title), _title_words(page.title)
    same_title = bool(before) and before == after
    title = 1.0 if same_title else jaccard(words(before), words(after))
    parts = [
        (TEXT_WEIGHT, comparison.similarity),
        (TITLE_WEIGHT, title),
        (PATH_WEIGHT, path_similarity),
    ]
    facts = _facts_share(reviewed.facts, shared)
    if facts is not None:
        parts.append((FACTS_WEIGHT, facts))
    total = sum(weight for weight, _ in parts)
    score = sum(weight * value for weight, value in parts) / total
    return Scored(
        url=url,
        score=round(score, 4),
        same_title=same_title,
        title_similarity=round(title, 4),
        similarity=comparison.similarity,
        shared_facts=shared,
        contradicted=contradicted,
        path_similarity=path_similarity,
    )


def _facts_share(reviewed: Sequence[str], shared: Sequence[str]) -> float | None:
    """The weighted share of reviewed facts still shown; None when there were none."""

    def weight(fact: str) -> int:
        kind = _kind(fact)
        return 2 if kind in STRONG_KINDS else 1 if kind == "name" else 0

    total = sum(map(weight, reviewed))
    return sum(map(weight, shared)) / total if total else None


def choose(scored: Sequence[Scored], confidence: float) -> Suggestion | None:
    """The suggestion among the weighed candidates, if one is good enough."""
    eligible = sorted(
        (item for item in scored if not item.contradicted),
        key=lambda item: (-item.score, -item.path_similarity, len(item.url), item.url),
    )
    if not eligible or eligible[0].score < SUGGEST_MIN:
        return None
    best = eligible[0]
    runner_up = eligible[1].score if len(eligible) > 1 else 0.0
    return Suggestion(
        url=best.url,
        score=best.score,
        confident=best.score >= confidence and best.score - runner_up >= MARGIN,
        same_title=best.same_title,
        title_similarity=best.title_similarity,
        similarity=best.similarity,
        shared_facts=best.shared_facts,
        path_similarity=best.path_similarity,
    )
