"""The score of a candidate page against the reviewed snapshot, and which one is suggested."""

from __future__ import annotations

import pytest

from guidelint.links.change import Snapshot, snapshot
from guidelint.links.model import Page
from guidelint.links.suggest.score import (
    FACTS_WEIGHT,
    MARGIN,
    PATH_WEIGHT,
    SUGGEST_MIN,
    TEXT_WEIGHT,
    TITLE_WEIGHT,
    Scored,
    choose,
    score_page,
)

ADVICE = (
    "If someone has shared intimate images of you without consent, you can report it. "
    "We will help you ask the website to take the images down as quickly as possible. "
    "You do not have to deal with this on your own, and it is not your fault. "
)
REVIEWED = Page("Report online abuse | Safe Online", ADVICE + "Call our helpline on 0808 800 5000.")


def reviewed(page: Page = REVIEWED) -> Snapshot:
    return snapshot(page, region="GB", names=("Safe Online",))


def test_the_weights_add_up() -> None:
    assert pytest.approx(1.0) == TEXT_WEIGHT + TITLE_WEIGHT + FACTS_WEIGHT + PATH_WEIGHT


def test_the_same_page_scores_by_the_formula() -> None:
    scored = score_page(reviewed(), REVIEWED, "https://x.example/new", 0.5)
    assert scored.same_title and scored.similarity == 1.0 and not scored.contradicted
    assert scored.shared_facts == ("phone +44 808 800 5000 (0808 800 5000)",)
    assert scored.score == pytest.approx(
        TEXT_WEIGHT + TITLE_WEIGHT + FACTS_WEIGHT + PATH_WEIGHT * 0.5
    )


def test_a_page_with_another_helpline_contradicts() -> None:
    decoy = Page(
        "Report online abuse in Scotland | Safe Online",
        ADVICE + "Call our helpline on 0808 801 0000.",
    )
    scored = score_page(reviewed(), decoy, "https://x.example/scotland", 0.6)
    assert scored.contradicted == ("phone",)
    assert scored.shared_facts == ()
    assert scored.score < 0.75
    assert choose([scored], 0.75) is None  # however alike the rest


def test_a_page_that_only_drops_a_number_does_not_contradict() -> None:
    page = Page(REVIEWED.title, ADVICE + "Write to us.")
    scored = score_page(reviewed(), page, "https://x.example/new", 0.0)
    assert scored.contradicted == () and scored.shared_facts == ()


def test_without_reviewed_facts_the_weight_is_shared_out() -> None:
    bare = Page("Report online abuse", ADVICE)
    scored = score_page(reviewed(bare), bare, "https://x.example/new", 0.0)
    expected = (TEXT_WEIGHT + TITLE_WEIGHT) / (TEXT_WEIGHT + TITLE_WEIGHT + PATH_WEIGHT)
    assert scored.score == pytest.approx(expected, abs=1e-4)


def _scored(url: str, score: float, contradicted: tuple[str, ...] = ()) -> Scored:
    return Scored(url, score, True, 1.0, score, (), contradicted, 0.5)


def test_choose_needs_a_minimum_and_a_margin_for_confidence() -> None:
    assert choose([_scored("a", SUGGEST_MIN - 0.01)], 0.75) is None
    alone = choose([_scored("a", 0.8)], 0.75)
    assert alone is not None and alone.url == "a" and alone.confident
    close = choose([_scored("a", 0.8), _scored("b", 0.8 - MARGIN / 2)], 0.75)
    assert close is not None and close.url == "a" and not close.confident
    low = choose([_scored("a", 0.7)], 0.75)
    assert low is not None and not low.confident
    # A contradicted page is out of the race, and no rival for the margin either.
    ruled_out = choose([_scored("a", 0.8), _scored("b", 0.95, ("phone",))], 0.75)
    assert ruled_out is not None and ruled_out.url == "a" and ruled_out.confident
