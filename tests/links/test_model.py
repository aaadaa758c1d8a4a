"""The link result model: the verdict table, and the cheap copy a run makes of results."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from guidelint.links import verdictdocs
from guidelint.links.model import (
    ALIVE,
    RANK_FINE,
    VERDICTS,
    LinkResult,
    Reference,
    Tone,
    Verdict,
)

ROOT = Path(__file__).parents[2]


def test_evolve_is_replace_without_the_cost() -> None:
    result = LinkResult(
        "https://example.org/a",
        Verdict.OK,
        status=200,
        references=(Reference("g.yaml", 3, 8, "/resources/0/url"),),
        notes=("first",),
    )
    changes = {"verdict": Verdict.CHANGED, "notes": ("first", "second")}
    evolved = result.evolve(**changes)
    assert evolved == dataclasses.replace(result, **changes)  # type: ignore[arg-type]
    assert evolved is not result
    assert result.notes == ("first",) and result.verdict is Verdict.OK
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolved.notes = ()  # type: ignore[misc]


def test_evolve_refuses_a_field_that_does_not_exist() -> None:
    with pytest.raises(TypeError, match="'note'"):
        LinkResult("https://example.org/a", Verdict.OK).evolve(note=("typo",))


def test_docs_verdict_table_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "links-json.md").read_text("utf-8")
    assert committed == verdictdocs.updated(committed), (
        "the verdict table in docs/links-json.md is stale: run 'make docs' and commit it"
    )


def test_every_verdict_has_its_meaning_written_once() -> None:
    assert set(VERDICTS) == set(Verdict)
    for verdict, info in VERDICTS.items():
        assert verdict.dead is info.dead
        assert not (info.dead and info.alive), verdict
        assert info.rank < RANK_FINE or info.tone in (Tone.FINE, Tone.UNKNOWN), verdict
        assert info.meaning and info.action, verdict


def test_history_evidence_and_baseline_read_the_table() -> None:
    from guidelint.links import history

    assert set(history._EVIDENCE) == {v.value for v, info in VERDICTS.items() if info.evidence}
    assert {Verdict.BLOCKED, Verdict.SKIPPED, Verdict.ERROR}.isdisjoint(
        Verdict(value) for value in history._EVIDENCE
    )
    assert {
        Verdict.OK,
        Verdict.REDIRECTED,
        Verdict.MOVED,
        Verdict.CHANGED,
        Verdict.FRAGMENT_MISSING,
    } == ALIVE
