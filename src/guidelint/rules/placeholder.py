"""Placeholder text left in a guide.

Drafts carry markers such as TODO, TBD, FIXME, XXX, "lorem ipsum", "[insert …]", template
braces (`{{name}}`), digits never filled in ("0800 ??? ???", "1-800-???-????") and
addresses on the reserved example domains. Published, they tell a reader in crisis that
the help they need is missing, or send them nowhere. Every string in
the guide is checked, metadata (owner, reviewers) and URLs included; a value that is only
"N/A", "TBC", "?" or "…" is a placeholder too.

Failing:

    phone: "0800 XXX XXX"
    owner: TBD
    text: Call the helpline on [insert number].
    text: Contact [organisation name] today.
    url: https://example.org/help

Passing:

    text: Call the helpline on 0345 6000 459.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Final

from guidelint import prose
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.lazyre import lazy_pattern
from guidelint.rules.base import Finding, Options

CODE = "GL401"
NAME = "placeholder"
SEVERITY = Severity.ERROR
SUMMARY = "Placeholder text (TODO, TBD, XXX, lorem ipsum, [insert …], example.com) in the guide."


# Upper case only: "todo" is an ordinary word in Spanish and Portuguese guides.
# Compiled on first use (a millisecond or two): most prose never gets past _HINT below.
_marker_pattern = lazy_pattern(
    r"\b(?:TODO|TBD|TBC|TBA|FIXME)\b|\bX{3,}(?:[\s-]+X+)*\b"
    r"|(?i:\blorem ipsum\b)"
    r"|(?i:[\[<]\s*(?:insert|add|enter|placeholder|your|name of|link|url|number|phone)\b[^\]>]*[\]>]?)"
    # "[organisation name]", "[phone number]": a slot for text that was never filled in.
    r"|(?i:\[[^\[\]\n]{0,40}\b(?:name|number|link|url|address|date|phone|e-?mail|website)\s*\])"
    r"|\{\{[^{}]{0,60}\}\}|\{\{|\$\{[^{}]{0,60}\}"
    # Digits never filled in: "0800 ??? ???", "1-800-???-????" (not "Locked out???").
    r"|(?<![\w?])\?{3,}(?:[\s-]+\?+)*"
    # Starts where a host name starts, not at every word boundary inside one: "a-a-a…"
    # rescanned its run from each boundary (quadratic).
    r"|(?i:(?<![\w.-])(?:[\w-]+\.)*example\.(?:com|org|net|edu)\b)"
    r"|(?i:https?://(?:[\w-]+\.)*(?:example|invalid)\b[\w.:-]*)"
)


# Every alternative of the marker pattern holds one of these; most prose holds none, and this
# scan is cheap.
_HINT: Final = re.compile(r"TODO|TBD|TBC|TBA|FIXME|XXX|[\[<{$]|\?\?\?|(?i:lorem|example|invalid)")
_WHOLE_VALUES: Final = frozenset(
    {"n/a", "na", "tbc", "tbd", "tba", "?", "??", "???", "...", "…", "-", "--", "xxx", "x", "todo"}
)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    for pointer, text in prose.strings(guide.data):
        stripped = text.strip()
        if stripped.lower() in _WHOLE_VALUES:
            yield Finding(
                guide.document.text_position(pointer, text.index(stripped[0])),
                f"'{stripped}' is a placeholder, not a value; write the real {_field(pointer)}",
            )
            continue
        for start, marker in _markers(text):
            yield Finding(
                guide.document.text_position(pointer, start),
                f"placeholder '{marker}' in {_field(pointer)}; "
                "replace it with the real text before publishing",
            )


@functools.lru_cache(maxsize=8192)
def _markers(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, marker) of each placeholder in `text`; strings repeat across a library."""
    if not _HINT.search(text):
        return ()
    return tuple(
        (match.start(), match.group().strip()) for match in _marker_pattern().finditer(text)
    )


def _field(pointer: tuple[str | int, ...]) -> str:
    names = [part for part in pointer if isinstance(part, str)]
    return names[-1].replace("_", " ") if names else "value"
