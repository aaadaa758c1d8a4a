"""No one is accountable for the guide.

A guide without a real owner is a guide nobody updates when a helpline closes. The schema
requires `owner`, but a stand-in value satisfies it: "TBD", "unknown", "-", "n/a", "none",
"nobody", "unassigned", "owner", "?". Those, and the same stand-ins among `reviewers`,
are reported.

Failing:

    owner: TBD

Passing:

    owner: Safety content team
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.loader import Pointer
from guidelint.rules.base import Finding, Options

CODE = "GL502"
NAME = "missing-owner"
SEVERITY = Severity.ERROR
SUMMARY = "The owner (or a reviewer) is missing or a placeholder such as TBD or unknown."

_PLACEHOLDERS: Final = frozenset(
    {
        "",
        "tbd",
        "tbc",
        "tba",
        "todo",
        "fixme",
        "unknown",
        "unassigned",
        "not assigned",
        "to be assigned",
        "to be decided",
        "to be confirmed",
        "placeholder",
        "n/a",
        "na",
        "none",
        "nobody",
        "no one",
        "noone",
        "null",
        "nil",
        "owner",
        "someone",
        "anyone",
        "team",
        "x",
        "xxx",
        "-",
        "--",
        "?",
        "...",
        "…",
    }
)
_NOISE: Final = re.compile(r"[\s\[\]<>()\"'“”‘’*_]+")


def _placeholder(value: str) -> bool:
    return _NOISE.sub(" ", value).strip().lower() in _PLACEHOLDERS


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    owner = guide.data.get("owner")
    pointer: Pointer = ("owner",)
    if not isinstance(owner, str):
        yield Finding(
            guide.document.key_position(pointer)
            if owner is not None
            else guide.document.position(()),
            "no owner; name the team or person who keeps this guide correct",
        )
    elif _placeholder(owner):
        yield Finding(
            guide.document.position(pointer),
            f"owner '{owner.strip()}' is a placeholder; name the team or person who keeps "
            "this guide correct",
        )
    for index, reviewer in enumerate(guide.data.get("reviewers") or ()):
        if isinstance(reviewer, str) and _placeholder(reviewer):
            yield Finding(
                guide.document.position(("reviewers", index)),
                f"reviewer '{reviewer.strip()}' is a placeholder; name who reviewed the guide",
            )
