"""Shared pieces of the content rules: URLs in prose, resource references, host matching.

Not a rule: the registry in `__init__.py` lists rules explicitly, so this module is never run.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any, Final, NamedTuple
from urllib.parse import urlsplit

from guidelint import urls
from guidelint.guide import Guide
from guidelint.loader import Pointer
from guidelint.urls import find_urls


class UrlUse(NamedTuple):
    """One URL and where it is written: `offset` is its first character in the string."""

    pointer: Pointer
    offset: int
    url: str
    in_resource: bool


def url_spans(text: str) -> list[tuple[int, int]]:
    return [(start, start + len(url)) for start, url in find_urls(text)]


def url_uses(guide: Guide) -> Iterator[UrlUse]:
    """Every URL in the guide: each resource's `url`, then URLs written in any prose."""
    for index, resource in enumerate(guide.resources):
        yield UrlUse(("resources", index, "url"), 0, str(resource["url"]), True)
    for text in guide.texts():
        for offset, url in find_urls(text.text):
            yield UrlUse(text.pointer, offset, url, False)


def host_of(url: str) -> str:
    """Lower-case host without a leading `www.`; "" when the URL has none or cannot parse."""
    return urls.host_of(url).removeprefix("www.")


def path_of(url: str) -> str:
    candidate = url if "://" in url else f"https://{url}"
    try:
        return urlsplit(candidate).path
    except ValueError:
        return ""


@functools.lru_cache(maxsize=32)
def _host_entries(entries: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    parsed = []
    for entry in entries:
        entry_host, _slash, entry_path = entry.lower().strip().partition("/")
        if entry_host:
            parsed.append((entry, entry_host.removeprefix("www."), entry_path.strip("/")))
    return tuple(parsed)


def on_host_list(url: str, entries: Sequence[str]) -> str | None:
    """The entry of `entries` (hosts, optionally with a path prefix) that covers `url`."""
    host = host_of(url)
    if not host:
        return None
    path = path_of(url).lower().strip("/")
    for entry, entry_host, entry_path in _host_entries(tuple(entries)):
        if not (host == entry_host or host.endswith("." + entry_host)):
            continue
        if entry_path and not (path == entry_path or path.startswith(entry_path + "/")):
            continue
        return entry
    return None


class Reference(NamedTuple):
    """A step or sub-step naming a resource id in its `resources` list."""

    pointer: Pointer  # of the id inside the list
    resource_id: str
    step: int
    substep: int | None


def step_owner(guide: Guide, step: int, substep: int | None) -> dict[str, Any]:
    owner: dict[str, Any] = guide.steps[step]
    if substep is not None:
        sub: dict[str, Any] = owner["substeps"][substep]
        return sub
    return owner


def references(guide: Guide) -> Iterator[Reference]:
    """Every resource reference, in reading order."""
    for index, step in enumerate(guide.steps):
        for position, resource_id in enumerate(step.get("resources", ())):
            yield Reference(("steps", index, "resources", position), resource_id, index, None)
        for sub_index, substep in enumerate(step.get("substeps", ())):
            for position, resource_id in enumerate(substep.get("resources", ())):
                yield Reference(
                    ("steps", index, "substeps", sub_index, "resources", position),
                    resource_id,
                    index,
                    sub_index,
                )


# A short number is a standalone token only when no digit group, decimal, time, date, range,
# currency, percentage, "18+" or ordinal joins it to its neighbours: "0345 6000 459",
# "844-878-2274", "12:15", "15/08", "£15", "18+", "15%", "18th" are never emergency numbers.
_NUMBER_BEFORE: Final = re.compile(r"(?:\d[\s\-.,]?|[+\-./:$£€#@%]|\w)$")
_NUMBER_AFTER: Final = re.compile(r"^(?:[\s\-.]?\d|[+%/:]|[-.,]\d|\w)", re.I)


@functools.lru_cache(maxsize=64)
def _alternation(numbers: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True)))


def standalone_numbers(text: str, numbers: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(offset, number) for each of `numbers` written as a token of its own, outside URLs."""
    if not numbers:
        return
    spans = url_spans(text)  # in order and apart: a bisection finds the one that may hold a match
    starts = [low for low, _high in spans]
    for match in _alternation(numbers).finditer(text):
        start, end = match.span()
        before = bisect.bisect_right(starts, start) - 1
        if before >= 0 and start < spans[before][1]:
            continue
        if _NUMBER_BEFORE.search(text[max(0, start - 2) : start]):
            continue
        if _NUMBER_AFTER.search(text[end : end + 2]):
            continue
        yield start, match.group()
