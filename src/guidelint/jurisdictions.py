"""Jurisdiction facts from data/jurisdictions.toml: phone numbers and spelling conventions."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from guidelint import read_data

#: What a listed number is for, in the words messages use.
KINDS: Final = {
    "emergency": "emergency number",
    "non_emergency": "non-emergency line",
    "health": "health line",
    "crisis": "support line",
}


class Jurisdiction(NamedTuple):
    code: str
    name: str
    emergency: tuple[str, ...]
    sources: tuple[str, ...]
    notes: str = ""
    #: Short numbers of national services, right to mention here and wrong elsewhere.
    non_emergency: tuple[str, ...] = ()
    health: tuple[str, ...] = ()
    crisis: tuple[str, ...] = ()
    #: Unions (`EU`) whose resources and shared numbers serve this jurisdiction too.
    member_of: tuple[str, ...] = ()
    #: Countries whose phone numbers a guide for this one is most likely to borrow.
    neighbours: tuple[str, ...] = ()
    labels: Mapping[str, str] = {}
    article: str = ""

    @property
    def in_sentence(self) -> str:
        """The name as a sentence uses it: "the United Kingdom", "Ireland"."""
        return f"{self.article} {self.name}" if self.article else self.name

    @property
    def primary_emergency(self) -> str:
        return self.emergency[0]

    @property
    def other_numbers(self) -> tuple[str, ...]:
        """Short non-emergency numbers it is right to mention (NHS 111 in GB, 988 in the US)."""
        return (*self.non_emergency, *self.health, *self.crisis)


class NumberUse(NamedTuple):
    """One jurisdiction's use of a short number."""

    jurisdiction: Jurisdiction
    kind: str  # a key of KINDS
    label: str  # what the service is, or ""

    def describe(self) -> str:
        if self.label:
            what = self.label
        elif self.kind == "emergency":
            what = "the emergency number"
        else:
            what = f"a {KINDS[self.kind]}"
        return f"{what} in {self.jurisdiction.in_sentence}"


@functools.cache
def _data() -> dict[str, Any]:
    return tomllib.loads(read_data("jurisdictions.toml"))


@functools.cache
def table() -> dict[str, Jurisdiction]:
    return {
        code: Jurisdiction(
            code,
            entry["name"],
            tuple(entry["emergency"]),
            tuple(entry["sources"]),
            entry.get("notes", ""),
            tuple(entry.get("non_emergency", ())),
            tuple(entry.get("health", ())),
            tuple(entry.get("crisis", ())),
            tuple(entry.get("member_of", ())),
            tuple(entry.get("neighbours", ())),
            dict(entry.get("labels", {})),
            entry.get("article", ""),
        )
        for code, entry in _data()["jurisdictions"].items()
    }


def country(code: str) -> str:
    """`US-CA` → `US`: subdivisions inherit their country's facts."""
    return code.split("-", 1)[0]


def lookup(code: str) -> Jurisdiction | None:
    return table().get(code) or table().get(country(code))


def name_of(code: str) -> str:
    """`Ireland (IE)`, or the bare code for places the data file does not describe."""
    facts = table().get(code)
    return f"{facts.in_sentence} ({code})" if facts else code


@functools.cache
def all_emergency_numbers() -> frozenset[str]:
    return frozenset(number for entry in table().values() for number in entry.emergency)


@functools.cache
def allowed_numbers(code: str) -> frozenset[str]:
    """Every short number a guide for `code` may give: its own and its unions'."""
    facts = lookup(code)
    if facts is None:
        return frozenset()
    found: set[str] = set()
    for entry in (facts, *(table()[union] for union in facts.member_of if union in table())):
        found.update(entry.emergency, entry.other_numbers)
    return frozenset(found)


@functools.cache
def number_uses() -> Mapping[str, tuple[NumberUse, ...]]:
    """Each listed short number (digits only) → the jurisdictions that use it, and how."""
    uses: dict[str, list[NumberUse]] = {}
    for entry in table().values():
        for kind in KINDS:
            for number in getattr(entry, kind):
                uses.setdefault(number, []).append(
                    NumberUse(entry, kind, entry.labels.get(number, ""))
                )
    return {number: tuple(found) for number, found in uses.items()}


def join(names: list[str] | tuple[str, ...], word: str = "and") -> str:
    """Names as a sentence lists them: A; A and B; A, B and C (or with "or")."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def spelling(language: str) -> str | None:
    """`american`, `british`, or None when the tag's spelling is not checked."""
    value = _data()["spelling"].get(language)
    return value if isinstance(value, str) else None
