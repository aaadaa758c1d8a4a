"""Words joined by slashes instead of "or" or "and".

"archive/mute/hide" or "and/or" make the reader work out whether one, some or all apply;
screen readers read "slash" aloud. GOV.UK and NHS style: do not use a slash instead of "or".
Write the words out ("archive, mute or hide the chat"). Not reported: URLs, bare domains and
e-mail addresses, numbers and dates ("24/7", "1/2", "12/05/2026"), quoted text (a label on
screen is written as the app writes it), resource names, and pairs of short capitals such as
"TCP/IP" or "A/B" (names, not choices).

Failing:

    text: Screenshot messages, usernames/handles and links.

Passing:

    text: Screenshot messages, usernames or handles, and links. Open 24/7.
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

CODE = "GL405"
NAME = "slash-construction"
SEVERITY = Severity.WARNING
SUMMARY = "Words joined by a slash ('archive/mute/hide', 'and/or'); write 'or' or 'and'."

_WORD: Final = r"[^\W\d_][\w’'()-]*"
_SLASHED: Final = re.compile(rf"(?<![\w/.]){_WORD}(?:\s?/\s?{_WORD})+(?![\w/])")


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def _slashed(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, words) of each slash construction in `text`, outside URLs and quotes."""
    found = []
    for match in _SLASHED.finditer(text):
        if prose.overlaps(match.start(), match.end(), prose.skipped_spans(text)):
            continue
        parts = [part.strip() for part in match.group().split("/")]
        if all(part.isupper() and len(part) <= 4 for part in parts):
            continue
        found.append((match.start(), match.group()))
    return tuple(found)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    for text in guide.texts():
        if text.section == "resources" or "/" not in text.text:
            continue
        for start, slashed in _slashed(text.text):
            yield Finding(
                guide.document.text_position(text.pointer, start),
                f"'{slashed}': write the choices out with 'or' (or 'and') instead of a slash",
            )
