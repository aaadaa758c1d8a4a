"""Link text or prose that does not say where a link goes.

Resource names are published as link text. "Click here", "read more" or "this link" tell a
screen-reader user (who often lists a page's links out of context) nothing, and sound
wrong on a phone where nobody clicks. Name the destination instead. A resource name is
reported when it is only a generic phrase or a bare "here", "link", "website" or "page";
prose is reported for the phrases that point at a link: "click here", "tap here", "press
here", "this link", "follow the link", "read more", "learn more", "find out more here".

Failing:

    - id: ccri-helpline
      name: Click here
    text: For help, click here.

Passing:

    - id: ccri-helpline
      name: Cyber Civil Rights Initiative Crisis Helpline
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Final

from guidelint import prose
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL406"
NAME = "generic-link-text"
SEVERITY = Severity.WARNING
SUMMARY = "Generic link text ('click here', 'read more', 'this link'); name the destination."

_PHRASES: Final = (
    r"(?:click|tap|press|go|look)\s+here|(?:this|the\s+following|the\s+above|the\s+below)\s+link"
    r"|follow\s+(?:the|this)\s+link|read\s+more|learn\s+more|find\s+out\s+more\s+here"
    r"|more\s+(?:info|information)\s+here|see\s+here"
)
_IN_PROSE: Final = re.compile(rf"\b(?:{_PHRASES})\b", re.IGNORECASE)
_WHOLE_NAME: Final = re.compile(
    # Possessive spaces, and none matched from inside a run: linear time (tests/test_linear_time.py).
    rf"(?<!\s)\s*+(?:{_PHRASES}|here|link|this|website|web\s*site|page|this\s+page|more"
    r"|more\s+info|more\s+information|details|url|resource)\s*+[.!:…]*+\s*+",
    re.IGNORECASE,
)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    for text in guide.texts():
        if text.section == "resources" and _WHOLE_NAME.fullmatch(text.text):
            yield Finding(
                guide.document.text_position(
                    text.pointer, len(text.text) - len(text.text.lstrip())
                ),
                f"resource name '{text.text.strip()}' is generic link text; "
                "use the organisation or page name",
            )
            continue
        for start, phrase in _generic(text.text):
            yield Finding(
                guide.document.text_position(text.pointer, start),
                f"'{phrase}' does not say where the link goes; "
                "name the organisation or page instead",
            )


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def _generic(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, phrase) of each generic link phrase in `text`, outside URLs and quotes."""
    return tuple(
        (match.start(), match.group())
        for match in _IN_PROSE.finditer(text)
        if not prose.overlaps(match.start(), match.end(), prose.skipped_spans(text))
    )
