"""An emergency number that does not work in the guide's jurisdiction.

Guides are adapted from one country to another, and "call 911" survives into the UK version
more often than anyone would like. A reader in danger who dials another country's number
loses minutes. The rule knows every emergency number in `data/jurisdictions.toml`; a number
from that list written where the reader is told to use it ("call", "dial", "ring", "phone",
"text", "contact", "emergency services on", "the 911 service") must be one of the guide's
jurisdiction's numbers (a subdivision such as `GB-SCT` uses its country's). Short
non-emergency numbers listed for the jurisdiction (NHS 111 in GB, 988 in the US) are fine.

Not emergency numbers: digits inside URLs, helpline numbers ("0345 6000 459",
"844-878-2274"), dates, times, ages ("under 18", "18+"), counts ("48 hours"), and any number
without a calling context. A guide whose jurisdiction has no facts in the data file is not
checked (GL207 says so).

Failing (jurisdiction `GB`):

    - text: If you are in immediate danger, call 911.

Passing (jurisdiction `GB`):

    - text: If you are in immediate danger, call 999 (or 112 from any phone).

Options: `extra_numbers`, emergency numbers of places the data file does not describe, so a
guide that borrows one is still caught.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Annotated, Final

from guidelint import jurisdictions
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.lazyre import lazy_pattern
from guidelint.options import Option, Record
from guidelint.rules.base import Finding
from guidelint.rules.helpers import standalone_numbers

CODE = "GL201"
NAME = "wrong-emergency-number"
SEVERITY = Severity.ERROR
SUMMARY = "An emergency number that is not one of the guide's jurisdiction's numbers."


class Options(Record):
    extra_numbers: Annotated[
        tuple[str, ...],
        Option(doc="Emergency numbers of places the data file does not describe (as strings)."),
    ] = ("119", "995", "10111", "100", "190")


_VERB: Final = r"(?:call|dial|ring|phone|text|contact|reach)(?:s|ed|ing|led|ling)?"
_FILLER: Final = (
    r"(?:the|an?|your|local|emergency|services?|police|ambulance|fire|brigade|department|"
    r"immediately|now|right|away|straight|on|at|number|line|triple|zero|operator)"
)
_SERVICE: Final = (
    r"(?:emergency|police|ambulance|fire)(?:\s+(?:services?|number|line|brigade|department))?"
)
# What comes just before a number the reader is told to use.
_BEFORE: Final = re.compile(
    rf"(?:\b{_VERB}(?:\s+{_FILLER}\b)*|\b{_SERVICE}(?:\s+(?:on|at|is|number))?)\s*[(“\"']?\s*$",
    re.I,
)
# What comes just after one: "the 911 service", "999 emergency line".
_AFTER: Final = re.compile(
    r"^\s*\)?\s*(?:emergency|services?|operators?|dispatch(?:ers?)?|calls?|line)\b", re.I
)
# "call 15 minutes later", "text 17 friends": a count, however it is introduced.
_COUNT: Final = re.compile(
    r"^\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|times|people|"
    r"persons|percent|per\s+cent|children|kids|adults|friends|messages|images|photos|"
    r"pictures|videos|accounts|platforms|sites|websites|organi[sz]ations|of)\b",
    re.I,
)


# "call 999 or 112": a number joined to the previous one in the same instruction. Compiled on
# first use: most texts hold one number at most.
_joined = lazy_pattern(r"^\s*[)”\"']?\s*(?:,|/|or|and)\s*[(“\"']?\s*$", re.I)


def _told_to_call(text: str, start: int, end: int) -> bool:
    if _COUNT.match(text[end : end + 20]):
        return False
    before = text[max(0, start - 80) : start]
    # The clause that holds the number: a sentence break cuts the context.
    clause = re.split(r"[.!?;\n]\s", before)[-1]
    return bool(_BEFORE.search(clause) or _AFTER.search(text[end : end + 30]))


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def _instructed(text: str, known: frozenset[str]) -> tuple[tuple[int, str], ...]:
    """(offset, number) of each known number in `text` that the reader is told to use."""
    found = []
    previous_end = -1
    for start, number in standalone_numbers(text, known):
        end = start + len(number)
        joined = previous_end >= 0 and _joined().search(text[previous_end:start])
        if not (joined or _told_to_call(text, start, end)):
            continue
        previous_end = end
        found.append((start, number))
    return tuple(found)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    facts = jurisdictions.lookup(guide.jurisdiction)
    if facts is None:
        return
    allowed = {*facts.emergency, *facts.other_numbers}
    known = jurisdictions.all_emergency_numbers() | frozenset(options.extra_numbers)
    own = ", ".join(facts.emergency)
    for text in guide.texts():
        for start, number in _instructed(text.text, known):
            if number in allowed:
                continue
            yield Finding(
                guide.document.text_position(text.pointer, start),
                f"{number} is not an emergency number in {facts.name} ({guide.jurisdiction}); "
                f"use {own}",
            )
