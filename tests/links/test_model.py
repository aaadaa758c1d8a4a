"""LinkResult.evolve: the cheap copy a run makes of most results, same as replace()."""

from __future__ import annotations

import dataclasses

import pytest

from guidelint.links.model import LinkResult, Reference, Verdict


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
