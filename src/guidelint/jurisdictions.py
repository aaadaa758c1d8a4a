"""Jurisdiction facts from data/jurisdictions.toml: emergency numbers and spelling conventions."""

from __future__ import annotations

import functools
import tomllib
from typing import Any, NamedTuple

from guidelint import read_data


class Jurisdiction(NamedTuple):
    code: str
    name: str
    emergency: tuple[str, ...]
    sources: tuple[str, ...]
    notes: str = ""
    #: Short non-emergency numbers it is right to mention (NHS 111 in GB, 988 in the US).
    other_numbers: tuple[str, ...] = ()
    #: Unions (`EU`) whose resources serve this jurisdiction too.
    member_of: tuple[str, ...] = ()

    @property
    def primary_emergency(self) -> str:
        return self.emergency[0]


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
            tuple(entry.get("other_numbers", ())),
            tuple(entry.get("member_of", ())),
        )
        for code, entry in _data()["jurisdictions"].items()
    }


def country(code: str) -> str:
    """`US-CA` → `US`: subdivisions inherit their country's facts."""
    return code.split("-", 1)[0]


def lookup(code: str) -> Jurisdiction | None:
    return table().get(code) or table().get(country(code))


@functools.cache
def all_emergency_numbers() -> frozenset[str]:
    return frozenset(number for entry in table().values() for number in entry.emergency)


def spelling(language: str) -> str | None:
    """`american`, `british`, or None when the tag's spelling is not checked."""
    value = _data()["spelling"].get(language)
    return value if isinstance(value, str) else None
