"""An emergency number that does not work in the guide's jurisdiction.

Guides are adapted from one country to another, and "call 911" survives into the UK version
more often than anyone would like. A reader in danger who dials another country's number
loses minutes. The rule knows every emergency number in `data/jurisdictions.toml`, however
it is written ("911", "9-1-1", "9 1 1", "nine one one", "triple zero"); one written where
the reader is told to use it ("call", "dial", "ring", "phone", "text", "contact", "phone
the Gardaí on", "ask for the Gardaí on", "NHS 111", "the 911 service") must be one the
guide's jurisdiction uses (a subdivision such as `GB-SCT` uses its country's, an EU member
the EU's). The short
non-emergency, health and support numbers listed for the jurisdiction (NHS 111 in GB, 988
in the US) are fine; the message says what the number is where it does work.

Not emergency numbers: digits inside URLs, helpline numbers ("0345 6000 459",
"844-878-2274"), dates, times, ages ("under 18", "18+"), counts ("48 hours"), and any number
without a calling context. A guide whose jurisdiction has no facts in the data file is not
checked (GL207 says so). Other countries' helplines and national numbers are GL208's.

Failing (jurisdiction `IE`):

    - text: If you are in immediate danger, call 9-1-1.
    - text: Phone the Gardaí on 911.

Passing (jurisdiction `IE`):

    - text: If you are in immediate danger, call 112 or 999.

Options: `extra_numbers`, emergency numbers of places the data file does not describe, so a
guide that borrows one is still caught.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Annotated

from guidelint import jurisdictions
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Option, Record
from guidelint.phones import PhoneToken, first_group, phone_tokens, told_to_use
from guidelint.rules.base import Finding

CODE = "GL201"
NAME = "wrong-emergency-number"
SEVERITY = Severity.ERROR
SUMMARY = "An emergency number that is not one of the guide's jurisdiction's numbers."


class Options(Record):
    extra_numbers: Annotated[
        tuple[str, ...],
        Option(doc="Emergency numbers of places the data file does not describe (as strings)."),
    ] = ("119", "995", "10111", "100", "190")


def _candidates(token: PhoneToken) -> Iterator[PhoneToken]:
    yield token
    # "call 111 24 hours a day" reads as one run of digits; "116 123" is one number.
    head = first_group(token)
    if head is not None and token.digits not in jurisdictions.number_uses():
        yield head


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def instructed(text: str, known: frozenset[str]) -> tuple[PhoneToken, ...]:
    """Each number of `known` in `text`, in any written form, that the reader is told to use."""
    found = []
    for token in phone_tokens(text):
        for candidate in _candidates(token):
            if candidate.digits in known and told_to_use(text, candidate.start, candidate.end):
                found.append(candidate)
                break
    return tuple(found)


def describe(number: str, besides: str) -> str:
    """What `number` is where it works ("the emergency number in the United States and
    Canada")."""
    uses = [
        use
        for use in jurisdictions.number_uses().get(number, ())
        if use.jurisdiction.code != besides
    ]
    if not uses:
        return "an emergency number elsewhere"
    emergency = [use.jurisdiction.in_sentence for use in uses if use.kind == "emergency"]
    parts = [f"the emergency number in {jurisdictions.join(emergency[:4])}"] if emergency else []
    parts += [use.describe() for use in uses if use.kind != "emergency"][:2]
    return " and ".join(parts)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    facts = jurisdictions.lookup(guide.jurisdiction)
    if facts is None:
        return
    allowed = jurisdictions.allowed_numbers(guide.jurisdiction)
    known = jurisdictions.all_emergency_numbers() | frozenset(options.extra_numbers)
    own = jurisdictions.join(facts.emergency, "or")
    for text in guide.texts():
        for token in instructed(text.text, known):
            if token.digits in allowed:
                continue
            yield Finding(
                guide.document.text_position(text.pointer, token.start),
                f"{token.shown} is not an emergency number in {facts.in_sentence} ({guide.jurisdiction}); "
                f"use {own} ({token.digits} is {describe(token.digits, facts.code)})",
            )
