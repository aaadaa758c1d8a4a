"""A phone number of another country: a helpline, a service line or a national number.

A guide adapted from another country's keeps that country's numbers: "call NHS 111" or the
police's "101" in an Irish guide, "text 741741" in a British one, the UK's "0808 2000 247"
domestic abuse helpline or "Childline 0800 1111" in an Irish one, Lifeline's "13 11 14" in a
New Zealand one. The reader dials a number that does not connect, or reaches a service that
cannot help them where they are.

Each phone number in the text and in resources' `phone` is read three ways:

- a short number (3-6 digits, written any way: "1 0 1", "one one one") that the data file
  lists as another jurisdiction's non-emergency, health or support line, where the reader
  is told to use it ("call", "text … to", "NHS 111");
- the number of a well-known national service of another country (`data/services.toml`);
- a national number that Google's libphonenumber (`phonenumbers`) finds invalid in the
  guide's country but valid in another (its neighbours first); keypad letters count as
  their digits ("1-800-799-SAFE"), and a name in one piece that is a home number without
  its last letters ("1800RESPECT" in Australia) is home.

Numbers that work in the guide's jurisdiction are never reported, nor are emergency
numbers (GL201's). A number the reader cannot dial as written (another country's national
format) is an error; one that connects but belongs to another country's service (an
international `+44 …` form, a Canadian number in a US guide) is a warning.

Failing (jurisdiction `IE`):

    - text: Call the National Domestic Abuse Helpline on 0808 2000 247.
    - text: If it is not an emergency, call NHS 111 or the police on 101.

Passing (jurisdiction `IE`):

    - text: Call Women's Aid on 1800 341 900, or text 50808.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from guidelint import jurisdictions, services
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.jurisdictions import Jurisdiction
from guidelint.phones import (
    PhoneToken,
    first_group,
    foreign_region,
    phone_tokens,
    told_to_use,
    valid_at_home_with_fewer_letters,
)
from guidelint.rules.base import Finding, Options

CODE = "GL208"
NAME = "foreign-phone-number"
SEVERITY = Severity.ERROR
SUMMARY = "A phone number (helpline, service line or national number) of another country."

#: A number of fewer digits, written as one group, is a short code judged from the data file
#: alone: libphonenumber would find a national number for it somewhere.
_NATIONAL_DIGITS = 7
#: Grouped ("13 11 14"), a number of this many digits may be a national one.
_GROUPED_DIGITS = 6


def _known(digits: str) -> bool:
    return digits in jurisdictions.number_uses() or services.service_for_number(digits) is not None


def _short(token: PhoneToken, facts: Jurisdiction, code: str) -> str | None:
    allowed = jurisdictions.allowed_numbers(code)
    uses = jurisdictions.number_uses().get(token.digits, ())
    if not uses or token.digits in allowed or token.digits in jurisdictions.all_emergency_numbers():
        return None
    where = jurisdictions.join([use.describe() for use in uses[:3]])
    return (
        f"{token.shown} is {where}; it does not work in {facts.in_sentence} ({code}): "
        f"give the service readers in {facts.in_sentence} can use"
    )


def _tries(facts: Jurisdiction) -> tuple[str, ...]:
    ordered = [*facts.neighbours, *jurisdictions.table()]
    ordered += [c for service in services.services() for c in service.countries]
    return tuple(dict.fromkeys(c for c in ordered if len(c) == 2))


@functools.lru_cache(maxsize=4096)
def judge(written: str, digits: str, code: str) -> tuple[str, bool] | None:
    """(why, dialable) when a national-format number belongs to another country than `code`."""
    facts = jurisdictions.lookup(code)
    if facts is None:
        return None
    own = jurisdictions.country(code)
    service = services.service_for_number(digits)
    if service is not None and own not in service.countries and "INT" not in service.countries:
        where = jurisdictions.join([jurisdictions.name_of(c) for c in service.countries])
        return f"{written} is the number of {service.name} in {where}", False
    if service is not None:
        return None
    foreign = foreign_region(written, own, _tries(facts))
    if foreign is None:
        return None
    return (
        f"{written} is a phone number in {jurisdictions.name_of(foreign.region)} "
        f"({foreign.international})",
        foreign.dialable,
    )


def _message(why: str, dialable: bool, facts: Jurisdiction, code: str) -> str:
    if dialable:
        return (
            f"{why}, not {facts.in_sentence} ({code}): make sure the service helps readers in "
            f"{facts.in_sentence}, or give one that does"
        )
    return (
        f"{why}; readers in {facts.in_sentence} ({code}) cannot dial it as written: give a service "
        f"for {facts.in_sentence}, or the international form if the service takes calls from abroad"
    )


def _national(token: PhoneToken, text: str | None, code: str) -> bool:
    """A number written as a national phone number: grouped or international, or long
    enough and told to call (`text` None: a resource's `phone`, which is one by definition);
    not one of the jurisdiction's own short numbers."""
    if token.digits in jurisdictions.allowed_numbers(code) or len(token.digits) < _GROUPED_DIGITS:
        return False
    if token.plus or token.groups > 1 or text is None:
        return True
    return len(token.digits) >= _NATIONAL_DIGITS and told_to_use(text, token.start, token.end)


def _verdict(
    token: PhoneToken, text: str | None, facts: Jurisdiction, code: str
) -> tuple[str, Severity | None] | None:
    """(message, severity) for a foreign number; `text` None for a resource's `phone`."""
    # "call 111 24 hours a day": the first group is the number, unless the whole is.
    head = None if _known(token.digits) else first_group(token)
    for candidate in (token, head):
        if candidate is None:
            continue
        if text is not None and not told_to_use(text, candidate.start, candidate.end):
            continue
        message = _short(candidate, facts, code)
        if message is not None:
            return message, None
    if not _national(token, text, code):
        return None
    if valid_at_home_with_fewer_letters(token, jurisdictions.country(code)):
        return None
    found = judge(token.written, token.digits, code)
    if found is None:
        return None
    why, dialable = found
    return _message(why, dialable, facts, code), Severity.WARNING if dialable else None


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    code = guide.jurisdiction
    facts = jurisdictions.lookup(code)
    if facts is None:
        return
    for text in guide.texts():
        for token in phone_tokens(text.text):
            if token.spelled:
                continue
            verdict = _verdict(token, text.text, facts, code)
            if verdict is not None:
                position = guide.document.text_position(text.pointer, token.start)
                yield Finding(position, verdict[0], severity=verdict[1])
    for index, resource in enumerate(guide.resources):
        phone = resource.get("phone")
        if not isinstance(phone, str):
            continue
        digits = services.digits(phone)
        groups = len(re.findall(r"\d+", phone))
        token = PhoneToken(0, len(phone), phone, digits, groups, phone.startswith("+"), False)
        verdict = _verdict(token, None, facts, code)
        if verdict is not None:
            position = guide.document.position(("resources", index, "phone"))
            yield Finding(position, verdict[0], severity=verdict[1])
