"""The held-out bed (tests/openweb_heldout.py): behaviours of real sites added after the
checker was built, each with the verdict a careful maintainer wants."""

from __future__ import annotations

import time

import pytest

from guidelint.links.model import action
from linkzoo import Zoo
from openweb import Behaviour
from openweb_heldout import BEHAVIOURS


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda behaviour: behaviour.name)
def test_each_held_out_behaviour_gets_the_verdict_a_maintainer_wants(
    zoo: Zoo, behaviour: Behaviour
) -> None:
    started = time.monotonic()
    result = zoo.check_one(behaviour.url(zoo), ca_file=str(zoo.ca_file), **behaviour.options)
    assert result.verdict is behaviour.verdict, (behaviour.reason, result.error, result.notes)
    if not result.verdict.info.alive:
        assert result.error and "\n" not in result.error, result
    assert all("\n" not in note for note in result.notes)
    assert action(result) and "\n" not in action(result)
    assert time.monotonic() - started < 6


def test_there_are_at_least_twenty_held_out_behaviours_with_distinct_names() -> None:
    names = [behaviour.name for behaviour in BEHAVIOURS]
    assert len(names) >= 20 and len(set(names)) == len(names)
