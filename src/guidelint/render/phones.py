"""Phone numbers in guide text, found so a page can make each one a `tel:` link.

A reader in crisis on a phone should tap a number, not copy it. Two kinds are found:

- full numbers, by libphonenumber's matcher for the guide's country ("0808 157 0192",
  "(202) 555-0143", "+44 20 7946 0958"); the link dials the number in E.164 form
  (`tel:+448081570192`), which works from any phone in the country and abroad;
- the jurisdiction's short numbers from `data/jurisdictions.toml` (its emergency numbers
  and the short non-emergency ones such as NHS 111 or 988), written as a token of their
  own where the text tells the reader to use them: "call 999", "ring the police on 101",
  "NHS 111", "the 988 Lifeline", or joined to such a number ("999 or 112"). The link
  dials them as written (`tel:999`). Without that context a short number is left alone:
  "101 ways", "under 18" (France's fire brigade is 18) are not phone numbers.

Digits inside URLs are never numbers. The link text is always the number as written.

Cost: libphonenumber's matcher is linear in the text but spends about a millisecond on
each candidate, so hostile text full of digit runs is cut short after `MAX_CANDIDATES`
(later numbers in that one string stay plain text).
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Final, NamedTuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, shortnumberinfo

from guidelint import jurisdictions, phones
from guidelint.rules.helpers import standalone_numbers
from guidelint.urls import find_urls

MAX_CANDIDATES: Final = 64

# Each context pattern reads a window of `_WINDOW` characters beside the number, so the
# cost per number is bounded whatever the text holds.
_WINDOW: Final = 48
_FILLER: Final = (
    r"(?:the|an?|your|local|emergency|services?|police|ambulance|fire|brigade|helpline|"
    r"immediately|now|right|away|straight|on|at|number|line|free|for|of|charge)"
)
# What comes just before a number the reader is told to use: "call 999", "dial (17",
# "ring the police on 101", "NHS 111".
_BEFORE: Final = re.compile(
    rf"(?:\b(?:call|dial|ring|phone|text|contact)(?:s|ed|ing)?(?:\s+{_FILLER})*"
    r"|\b(?:on|nhs|number|helpline|lifeline|line|hotline))\s*(?:[(“\"']\s*)?$",
    re.I,
)
# What comes just after one: "999 emergency services", "the 988 Lifeline".
_AFTER: Final = re.compile(
    r"^\s*(?:[)”\"']\s*)?(?:emergency|services?|lifeline|helpline|line|operators?)\b", re.I
)
# Between two numbers of one instruction: "999 or 112", "999 (or 112". Like the two above,
# written so that no run of spaces or quotes is rescanned from each of its positions
# (tests/test_linear_time.py): optional spaces never stand next to each other, and a run
# of separators is read from its start only.
_JOINED: Final = re.compile(r"(?<![\s()“”\"'])[\s()“”\"']*(?:,|/|or|and)[\s()“”\"']*", re.I)
# libphonenumber's name for "no region": only numbers written with + are found then.
_NO_REGION: Final = "ZZ"


class PhoneLink(NamedTuple):
    """`text[start:end]` is a number to dial with `href` (`tel:…`)."""

    start: int
    end: int
    href: str


def region_of(jurisdiction: str) -> str:
    """`phones.region_of`, with libphonenumber's `ZZ` for a code without a numbering plan
    (`EU`, `INT`): only numbers written with + are found then."""
    return phones.region_of(jurisdiction) or _NO_REGION


@functools.lru_cache(maxsize=4096)
def phone_links(text: str, jurisdiction: str) -> tuple[PhoneLink, ...]:
    """The numbers in `text` to link, in order, none overlapping. Cached: variants of a
    situation share most of their prose."""
    taken = [(start, start + len(url)) for start, url in find_urls(text)]
    found: list[PhoneLink] = []

    def free(start: int, end: int) -> bool:
        return not any(start < high and low < end for low, high in taken)

    matcher = phonenumbers.PhoneNumberMatcher(
        text, region_of(jurisdiction), leniency=Leniency.VALID, max_tries=MAX_CANDIDATES
    )
    for match in itertools.islice(matcher, MAX_CANDIDATES):
        if free(match.start, match.end):
            href = "tel:" + phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            found.append(PhoneLink(match.start, match.end, href))
            taken.append((match.start, match.end))
    facts = jurisdictions.lookup(jurisdiction)
    if facts is not None:
        short = frozenset((*facts.emergency, *facts.other_numbers))
        previous_end = -1
        for start, number in itertools.islice(standalone_numbers(text, short), MAX_CANDIDATES):
            end = start + len(number)
            if free(start, end) and _told_to_use(text, start, end, previous_end):
                found.append(PhoneLink(start, end, f"tel:{number}"))
                previous_end = end
    return tuple(sorted(found))


def _told_to_use(text: str, start: int, end: int, previous_end: int) -> bool:
    if 0 <= start - previous_end <= _WINDOW and _JOINED.fullmatch(text[previous_end:start]):
        return True
    if _BEFORE.search(text, max(0, start - _WINDOW), start):
        return True
    return bool(_AFTER.match(text[end : end + _WINDOW]))


def dial_href(phone: str, jurisdiction: str) -> str:
    """The `tel:` URL of a resource's `phone` field, read in the guide's jurisdiction:
    E.164 for a full number, the digits of a short number, else the digits (and a leading
    `+`) as written, so even a number libphonenumber does not know can be tapped."""
    region = region_of(jurisdiction)
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        return "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)
    # A vanity number ("1-800-FLOWERS") dials the digits on the letters' keys.
    spelled = phonenumbers.convert_alpha_characters_in_number(phone)
    digits = "".join(char for char in spelled if char in "0123456789")
    if number is not None and shortnumberinfo.is_valid_short_number_for_region(number, region):
        return f"tel:{digits}"
    plus = "+" if phone.lstrip().startswith("+") else ""
    return f"tel:{plus}{digits}"
