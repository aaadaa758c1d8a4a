"""The salient facts on a page: what must never change unnoticed, however similar the rest.

Phone numbers (parsed with `phonenumbers`, Google's libphonenumber, using the guide's
jurisdiction as the region for national formats, with a careful fallback for grouped digits
after a phone word), e-mail addresses, the organisation names the guides expect, and notices
that the service has closed or is suspended. Each is a string ("phone …", "email …",
"name …", "closure: …"); `links.change` compares the sets, so one changed digit is a change.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Final

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, shortnumberinfo

#: Visible text beyond this is not compared: a support page says what matters well before,
#: and a hostile page must not make the comparison slow (phone parsing is pure Python).
MAX_TEXT: Final = 200_000
MAX_PHONE_CANDIDATES: Final = 200

_NOT_WORD: Final = re.compile(r"[^\w⟨⟩]+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PHONE_CONTEXT = re.compile(
    r"\b(?:call|phone|telephone|tel|ring|dial|text|sms|helpline|hotline|freephone|"
    r"toll[- ]free|number|contact)\b[^.\n]{0,24}$",
    re.IGNORECASE,
)
_SHORT_NUMBER = re.compile(
    r"\b(?:call|phone|ring|dial|text|sms)\b\s*(?:us\s+)?(?:on\s+|at\s+|to\s+)?(\d(?:[ ]?\d){1,5})\b",
    re.IGNORECASE,
)
# "Text SHOUT to 85258": a text service's keyword and short code. Short codes are four to
# six digits, which the noise filter hides from similarity, and few regions' plans hold.
_TEXT_CODE = re.compile(
    r"\btext\s+(?:the\s+word\s+)?[\"'\u201c\u2018]?([a-z]{2,15})[\"'\u201d\u2019]?\s+to\s+"
    r"(\d{4,6})\b",
    re.IGNORECASE,
)
# The careful fallback for numbers the library does not read: grouped digits, 7 to 15 of
# them, after a phone word.
_GROUPED_NUMBER = re.compile(r"(?<![\w+])\(?\d{2,5}\)?(?:[ .-]\d{2,4}){1,3}(?![\w])")


# Notices that a service has closed or stopped taking people: a guide must not keep sending
# readers there. Said of the service ("this service has now closed", "our helpline has been
# temporarily suspended"), or in phrases that only a closure uses ("no longer taking calls",
# "temporarily closed", "until further notice"). Opening hours are not closures: "closed on
# bank holidays", "closed for the day", "now closed, back tomorrow at 9" are left out.
_SERVICE: Final = (
    r"(?:service|helpline|help\s?line|hotline|centre|center|clinic|charity|organi[sz]ation"
    r"|project|programme|program|refuge|shelter|drop-in|support\s+group)"
)
_CLOSED: Final = (
    r"(?:closing|close(?!\s+(?:at|for)\b)|shut\s+down|suspended|paused|discontinued|withdrawn"
    r"|ended|ending|ceased|no\s+longer\s+(?:available|running|operating|open)"
    r"|(?:closed|shut)(?!\s+(?:on|at|for|during|over|between|from|every|each|outside|overnight"
    r"|weekends?|bank)\b))"
)
_MONTH: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_CLOSURE: Final = re.compile(
    r"(?:\b(?:this|the|our)\s+(?:[\w-]+\s+)?" + _SERVICE + r"\s+(?:has|have|is|are|was|will)\s+"
    r"(?:(?:now|sadly|permanently|temporarily|officially|currently|be|been)\s+)*"
    + _CLOSED
    + r"|\bno\s+longer\s+(?:taking|accepting|answering|receiving|operating|running|providing"
    r"|offering|open\s+to)(?:\s+(?:new\s+)?(?:calls|referrals|self-referrals|clients|enquiries"
    r"|inquiries|messages|texts|emails|bookings|appointments|applications))?"
    r"|\btemporarily\s+(?:closed|suspended|unavailable|paused|out\s+of\s+(?:service|action|order)"
    r"|not\s+(?:available|operating|running|taking\s+calls))"
    r"|\b(?:closed|suspended)\s+until\s+further\s+notice"
    r"|\b(?:has|have)\s+(?:(?:now|sadly|permanently)\s+)*(?:closed\s+down|shut\s+down"
    r"|ceased\s+(?:operating|operations|trading|to\s+operate)|stopped\s+operating)"
    # "This service closed on 1 March": the past tense with a date, which opening hours
    # ("is closed on bank holidays", "closes on 25 December") never use.
    r"|\b(?:this|the|our)\s+(?:[\w-]+\s+)?" + _SERVICE + r"\s+(?:permanently\s+)?"
    r"(?:closed|shut(?:\s+down)?|ended|ceased)\s+(?:on|in)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?:" + _MONTH + r"|\d{4})"
    # An archived page is no longer kept up to date: its advice may be stale.
    r"|\b(?:this|the)\s+(?:page|content|website|site|information)\s+(?:has\s+been|is|was)\s+"
    r"(?:now\s+)?archived"
    r"|\bno\s+longer\s+(?:being\s+)?(?:updated|maintained|reviewed))\b"
    # Closed for the day, or until it opens again at nine: opening hours, not a closure.
    r"(?![^.!?\n]{0,40}?\bfor\s+the\s+(?:day|night|evening|weekend)\b)"
    r"(?![^\n]{0,100}?\b(?:re-?opens?|open(?:s|ing)?\s+again|back\s+open)\b"
    r"[^.!?\n]{0,30}?\b(?:tomorrow|tonight|at\s+\d))",
    re.IGNORECASE,
)


def closures(text: str) -> Iterator[str]:
    """Closure and suspension notices in `text`, case-folded, as they read."""
    for match in itertools.islice(_CLOSURE.finditer(text[:MAX_TEXT]), MAX_PHONE_CANDIDATES):
        yield " ".join(match.group(0).casefold().split())


def facts(text: str, *, region: str | None = None, names: Iterable[str] = ()) -> tuple[str, ...]:
    """Salient facts on the page: phone numbers, e-mail addresses, expected names, and
    notices that the service has closed or is suspended."""
    text = text[:MAX_TEXT]
    found: set[str] = set()
    found.update(_phones(text, region))
    found.update(f"email {m.group(0).lower()}" for m in _EMAIL.finditer(text))
    found.update(f"closure: {notice}" for notice in closures(text))
    found.update(
        f"text {m.group(1).upper()} to {m.group(2)}"
        for m in itertools.islice(_TEXT_CODE.finditer(text), MAX_PHONE_CANDIDATES)
    )
    folded = f" {' '.join(_NOT_WORD.sub(' ', text.casefold()).split())} "
    for name in names:
        key = " ".join(_NOT_WORD.sub(" ", name.casefold()).split())
        if key and f" {key} " in folded:
            found.add(f"name {name.strip()}")
    return tuple(sorted(found))


def _phones(text: str, region: str | None) -> Iterator[str]:
    spans: list[tuple[int, int]] = []
    # Each candidate costs about a millisecond; a support page lists a handful of numbers,
    # so a page full of them is cut short rather than allowed to stall the run
    # (max_tries bounds the invalid candidates, islice the valid ones).
    matcher = phonenumbers.PhoneNumberMatcher(
        text, region, leniency=Leniency.VALID, max_tries=MAX_PHONE_CANDIDATES
    )
    for match in itertools.islice(matcher, MAX_PHONE_CANDIDATES):
        raw = match.raw_string
        grouped = any(not char.isdigit() for char in raw)
        if not grouped and not _PHONE_CONTEXT.search(text, max(0, match.start - 48), match.start):
            continue  # a bare run of digits is more often an id than a number to call
        spans.append((match.start, match.end))
        yield _phone_fact(match.number)
    if region is not None:
        for short in itertools.islice(_SHORT_NUMBER.finditer(text), MAX_PHONE_CANDIDATES):
            if any(start <= short.start(1) < end for start, end in spans):
                continue
            digits = short.group(1).replace(" ", "")
            try:
                number = phonenumbers.parse(digits, region)
            except phonenumbers.NumberParseException:
                continue
            if shortnumberinfo.is_valid_short_number_for_region(number, region):
                spans.append((short.start(1), short.end(1)))
                yield f"phone {digits} (short number, {region})"
    # Numbers libphonenumber does not hold valid for the region (other countries' national
    # formats, fictional 555 numbers, new ranges) still matter: one changed digit on a
    # helpline page must count, and the noise filter hides long digit runs from similarity.
    for grouped_match in itertools.islice(_GROUPED_NUMBER.finditer(text), MAX_PHONE_CANDIDATES):
        if any(start <= grouped_match.start() < end for start, end in spans):
            continue
        digits = re.sub(r"\D", "", grouped_match.group(0))
        if 7 <= len(digits) <= 15 and _PHONE_CONTEXT.search(
            text, max(0, grouped_match.start() - 48), grouped_match.start()
        ):
            yield f"phone {digits}"


def _phone_fact(number: phonenumbers.PhoneNumber) -> str:
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return f"phone {international} ({national})"
