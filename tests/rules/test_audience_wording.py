"""The wordings read as addressed to a child (GL210, import's under-18 marking), and near
misses that are about children or for their parents."""

from __future__ import annotations

import pytest

from guidelint.audience import addressed_to_children

ADDRESSED = [
    "If you are under 18, report it to CEOP.",
    "If you're a teenager, tell a trusted adult and save screenshots.",
    "Young people can call Childline on 0800 1111.",
    "If you're below the age of 18, tell a parent.",
    "If you're still at school, tell a teacher you trust.",
    "If you are in secondary school, talk to a guidance counsellor.",
    # Readers named as a group, with or without an age.
    "Children can call Childline on 116.",
    "Children should tell a trusted adult.",
    "Young people under 18 can call Childline.",
    "Anyone under 18 can call Childline.",
    "Teenagers aged 13 to 17 can text Kids Help Phone.",
    # A sentence that opens by naming who it is for.
    "For young people under 16, Childline can help on 1800 66 66 66.",
    "For children and teenagers, Childline is free.",
    "Save it. For young people under 18 Childline helps.",
    # A question the reader answers.
    "Under 18? Call Childline.",
    "Are you under 18? Talk to Childline.",
]

NOT_ADDRESSED = [
    "If your child is under 13, talk to them.",
    "Parents of children under 13 can call the helpline.",
    "If your kids can use the phone, check its settings.",
    "Children can be targeted by scammers.",
    "If anyone in the images is under 18, report it.",
    "Childline is a service for young people.",
    "Young people aged 5 to 25 can call Kids Helpline.",
    "Some sites are not for children under 13.",
    "If your child is at school, tell the school.",
]


@pytest.mark.parametrize("text", ADDRESSED)
def test_addressed_to_children(text: str) -> None:
    assert addressed_to_children(text) is not None


@pytest.mark.parametrize("text", NOT_ADDRESSED)
def test_not_addressed_to_children(text: str) -> None:
    assert addressed_to_children(text) is None
