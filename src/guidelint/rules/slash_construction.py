"""Words joined by slashes instead of "or" or "and".

"archive/mute/hide" or "and/or" make the reader work out whether one, some or all apply;
screen readers read "slash" aloud. GOV.UK and NHS style: do not use a slash instead of "or".
Write the words out ("archive, mute or hide the chat"). Not reported: URLs, bare domains and
e-mail addresses, numbers and dates ("24/7", "1/2", "12/05/2026"), quoted text (a label on
screen is written as the app writes it), resource names, pairs of short capitals such as
"TCP/IP" or "A/B" (names, not choices), and pronoun sets ("she/her", "they/them", "he/they",
"xe/xem"), which name a person's pronouns, not a choice ("he/she" and "him/her" are choices,
and reported). The finding quotes the slashed words
alone, without brackets or punctuation around them.

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
# Pronouns by the person they stand for: "she/her" names one person's pronouns, "she/they"
# one person who uses both; "he/she" and "him/her" are choices between two people.
_PERSON: Final = {
    word: person
    for person, words in {
        "she": ("she", "her", "hers", "herself"),
        "he": ("he", "him", "his", "himself"),
        "they": ("they", "them", "their", "theirs", "themself", "themselves"),
        "xe": ("xe", "xem", "xyr", "xyrs"),
        "ze": ("ze", "zir", "zirs", "hir", "hirs"),
        "ey": ("ey", "em", "eir", "eirs"),
        "fae": ("fae", "faer", "faers"),
        "it": ("it", "its"),
        "any": ("any", "all"),
    }.items()
    for word in words
}


def _pronoun_set(parts: list[str]) -> bool:
    persons = list(dict.fromkeys(_PERSON.get(part.casefold(), "") for part in parts))
    if "" in persons or len(persons) > 2:
        return False
    return len(persons) == 1 or "they" in persons or "any" in persons


def _trim(start: int, found: str) -> tuple[int, str]:
    """The slashed words without an unbalanced bracket around them: "(they/them)" is
    reported as "they/them", "URL(s)/link(s)" as written."""
    while found and found[-1] == ")" and found.count(")") > found.count("("):
        found = found[:-1]
    while found and found[0] == "(" and found.count("(") > found.count(")"):
        found, start = found[1:], start + 1
    return start, found.rstrip("’'-")


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def _slashed(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, words) of each slash construction in `text`, outside URLs and quotes."""
    found = []
    for match in _SLASHED.finditer(text):
        if prose.overlaps(match.start(), match.end(), prose.skipped_spans(text)):
            continue
        start, slashed = _trim(match.start(), match.group())
        parts = [part.strip() for part in slashed.split("/")]
        if all(part.isupper() and len(part) <= 4 for part in parts):
            continue
        if _pronoun_set(parts):
            continue  # "she/her", "they/them", "she/they": a person's pronouns
        found.append((start, slashed))
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
