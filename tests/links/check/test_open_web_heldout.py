"""The held-out bed (tests/openweb_heldout.py): behaviours of real sites added after the
checker was built, each with the verdict a careful maintainer wants."""

from __future__ import annotations

import pytest

from linkzoo import Zoo
from openweb import Behaviour
from openweb_heldout import BEHAVIOURS


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda behaviour: behaviour.name)
def test_each_held_out_behaviour_gets_the_verdict_a_maintainer_wants(
    zoo: Zoo, behaviour: Behaviour
) -> None:
    behaviour.check_as_wanted(zoo)


def test_there_are_at_least_twenty_held_out_behaviours_with_distinct_names() -> None:
    names = [behaviour.name for behaviour in BEHAVIOURS]
    assert len(names) >= 20 and len(set(names)) == len(names)


def test_no_held_out_behaviour_shares_a_route_with_the_first_bed() -> None:
    # Both beds serve /w/<name> from one zoo: a shared name would serve one bed's page twice.
    from openweb import BEHAVIOURS as FIRST

    assert not {b.name for b in BEHAVIOURS} & {b.name for b in FIRST}
