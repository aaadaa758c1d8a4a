"""Phone numbers written in prose, in any form, and whether the reader is told to use them.

Readers see numbers written every way: "911", "9-1-1", "9 1 1", "9.1.1", "nine one one",
"triple zero", "0808 2000 247", "(02) 9999 9999", "+44 808 2000 247". `phone_tokens` finds
each as one token with its digits; dates, times, decimals, percentages, "18+", ordinals and
digits inside URLs are not tokens. `told_to_use` decides whether the text tells the reader
to use a number ("call", "ring the Gardaí on", "text HOME to", "the helpline is", "NHS 111",
"999 emergency line"), as opposed to counting with it ("call 15 people", "48 hours").

What a number is (an emergency number, a national helpline, another country's number) is
for the rules to decide, from `guidelint.jurisdictions`, `guidelint.services` and
`phonenumbers`.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final, NamedTuple

from guidelint import jurisdictions
from guidelint.urls import find_urls

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber


class PhoneToken(NamedTuple):
    start: int
    end: int
    written: str
    digits: str
    groups: int  # digit groups as written: "0808 2000 247" has 3, "9-1-1" has 3
    plus: bool  # written in international form
    spelled: bool  # written in words

    @property
    def shown(self) -> str:
        """As messages quote it: "999", or "nine nine nine (999)" when written otherwise."""
        return self.written if self.written == self.digits else f"{self.written} ({self.digits})"


# One digit group after another, each joined by one space, dot or hyphen; an optional "+" and
# area code in brackets before. Each repetition must consume a separator and a digit, so a
# failed match backtracks over one run only (linear time).
_DIGITS: Final = re.compile(
    r"(?<![\w+#£$€@&/\\.,:\u2011-])(?:\+[ \u00a0]?)?(?:\(\d{1,5}\)[ \u00a0]?)?"
    r"\d+(?:[ \u00a0.\-\u2011]\d+)*"
)
_WORD_DIGITS: Final = {
    "zero": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_REPEAT: Final = {"double": 2, "triple": 3, "treble": 3}
_SPELLED_WORD: Final = "|".join([*_WORD_DIGITS, *_REPEAT])
# A spelled number may go on in single digits: "Triple 0", "double 9 9".
_SPELLED: Final = re.compile(
    rf"\b(?:{_SPELLED_WORD})(?:[ \u00a0\-](?:{_SPELLED_WORD}|\d\b))*\b", re.IGNORECASE
)
# A number spelled in part with keypad letters: "1-800-799-SAFE", "1800RESPECT". Letters
# must join the digits directly or by a hyphen or dot: "text 50808 HELLO" is a keyword.
_VANITY: Final = re.compile(r"(?<![\w+#£$€@&/\\.,:-])\d[\d.\-]{1,11}[A-Z]{3,8}\b")
_KEYPAD: Final = str.maketrans(
    {letter: str(key) for key, letters in enumerate(
        ("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")
    ) for letter in letters}
)  # fmt: skip
_VANITY_MIN_DIGITS: Final = 10  # a full national number: not "2024-ABC"
#: E.164 allows 15 digits; anything longer is not a phone number.
MAX_DIGITS: Final = 15


def _is_date(groups: list[str], separators: set[str]) -> bool:
    lengths = tuple(len(group) for group in groups)
    if len(lengths) != 3 or not separators <= {"-", ".", "\u2011"}:
        return False
    return lengths == (4, 2, 2) or (lengths[2] == 4 and max(lengths[:2]) <= 2)


def _digit_token(text: str, match: re.Match[str]) -> PhoneToken | None:
    written = match.group()
    after = text[match.end() : match.end() + 2]
    next_char, then = after[:1], after[1:2]
    if next_char and (
        next_char.isalnum() or next_char in "%+_" or (next_char in ":/.,'’" and then.isdigit())
    ):
        return None  # "18+", "15%", "3rd", "12:15", "24/7", "1.5", "1,000"
    groups = re.findall(r"\d+", written)
    separators = set(re.split(r"\d+", written)[1:-1])
    if written.count(".") == 1:
        return None  # a decimal
    digits = "".join(groups)
    if len(digits) > MAX_DIGITS or _is_date(groups, separators):
        return None
    return PhoneToken(
        match.start(), match.end(), written, digits, len(groups), written.startswith("+"), False
    )


def _spelled_token(match: re.Match[str]) -> PhoneToken | None:
    digits = ""
    repeat = 1
    for word in re.split(r"[ \u00a0\-]", match.group().lower()):
        if word in _REPEAT:
            if repeat != 1:
                return None
            repeat = _REPEAT[word]
            continue
        digits += (word if word.isdigit() else _WORD_DIGITS[word]) * repeat
        repeat = 1
    if repeat != 1 or len(digits) < 3:
        return None  # "one", "one two", a dangling "triple"
    return PhoneToken(match.start(), match.end(), match.group(), digits, 1, False, True)


def _vanity_token(match: re.Match[str]) -> PhoneToken | None:
    written = match.group()
    digits = "".join(re.findall(r"\d+", written.translate(_KEYPAD)))
    if not _VANITY_MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    groups = len(re.findall(r"[\dA-Z]+", written))
    return PhoneToken(match.start(), match.end(), written, digits, groups, False, False)


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def phone_tokens(text: str) -> tuple[PhoneToken, ...]:
    """Every phone-like token in `text`, in order, outside URLs."""
    spans = [(start, start + len(url)) for start, url in find_urls(text)]
    found: list[PhoneToken] = []
    if _SPELLED_HINT.search(text):
        for match in _SPELLED.finditer(text):
            token = _spelled_token(match)
            if token is not None:
                found.append(token)
    if any(char.isdigit() for char in text):
        vanity = [token for token in map(_vanity_token, _VANITY.finditer(text)) if token]
        found = sorted(found + vanity)
        digits = [
            token
            for token in map(functools.partial(_digit_token, text), _DIGITS.finditer(text))
            if token is not None
        ]
        # The digits of "Triple 0" or "1-800-799-SAFE" are part of the spelled number, not a
        # number of their own.
        found += _outside(digits, [(token.start, token.end) for token in found])
    return tuple(_outside(sorted(found), spans))


def _outside(tokens: list[PhoneToken], spans: list[tuple[int, int]]) -> list[PhoneToken]:
    """The tokens that start outside every span; both in order, so one pass over each."""
    kept: list[PhoneToken] = []
    index = 0
    for token in tokens:
        while index < len(spans) and spans[index][1] <= token.start:
            index += 1
        if index < len(spans) and spans[index][0] <= token.start:
            continue
        kept.append(token)
    return kept


_SPELLED_HINT: Final = re.compile(r"zero|nought|one|two|three|nine|double|triple|treble", re.I)


def first_group(token: PhoneToken) -> PhoneToken | None:
    """The first digit group of a token of several, on its own: "call 111 24 hours a day"
    reads as one run of digits, but what the reader dials is 111."""
    if token.groups < 2 or token.spelled or token.plus:
        return None
    head = re.match(r"\(?(\d+)", token.written)
    if head is None:
        return None
    digits = head.group(1)
    start = token.start + head.start(1)
    return PhoneToken(start, start + len(digits), digits, digits, 1, False, False)


_VERB: Final = re.compile(
    r"(?:call|dial|ring|phone|text|contact|reach|rang|redial)(?:s|ed|ing|led|ling)?", re.I
)
# Words that may stand between the instruction and the number: "ring the Gardaí free on",
# "text HOME to", "call them anonymously on", "contact the emergency services at".
_SKIP: Final = frozenset(
    (
        "the", "a", "an", "your", "local", "emergency", "services", "service", "police",
        "ambulance", "fire", "brigade", "department", "immediately", "now", "right", "away",
        "straight", "on", "at", "to", "for", "free", "freephone", "anonymously", "via", "by",
        "or", "and", "us", "them", "it", "him", "her", "is", "are", "be", "also", "please",
        "confidentially", "directly", "instead", "first", "back", "operator", "triple",
        "zero", "can", "could", "should", "may", "you", "always", "just",
    )
)  # fmt: skip
# Words that name a number: "the helpline is 0800 1111", "Tel: 01 234 5678".
_PHONE_NOUNS: Final = frozenset(
    (
        "number", "numbers", "no", "line", "lines", "helpline", "hotline", "textline", "tipline",
        "phone", "tel", "telephone", "freephone", "freefone", "landline", "sms", "whatsapp",
    )
)  # fmt: skip
# Words that name the service a number belongs to when written just before it: "NHS 111".
_SERVICE_WORDS: Final = frozenset(
    (
        "emergency", "police", "ambulance", "nhs", "garda", "gardaí", "gardai", "samaritans",
        "lifeline", "childline", "healthline", "crimestoppers", "helpline", "hotline", "zero",
    )
)  # fmt: skip
# An emergency service named anywhere in the clause makes its number one to call, whatever
# the verb: "ask for the Gardaí on 911", "the paramedics are on 000". Ireland's police go by
# their own name, so they are listed with the generic words.
_SERVICE: Final = frozenset(
    (
        "emergency", "police", "ambulance", "fire", "brigade", "garda", "gardaí", "gardai",
        "paramedics", "coastguard", "firefighters",
    )
)  # fmt: skip
_CONTEXT_WORD: Final = re.compile(r"[^\W\d_][\w’'&-]*")
_CLAUSE_BREAK: Final = re.compile(r"[.!?;\n]\s")
# What comes just after a number the reader is told to use: "the 911 service", "999 line".
_AFTER: Final = re.compile(
    r"^\s*(?:\)\s*)?(?:emergency|services?|operators?|dispatch(?:ers?)?|calls?|line|helpline)\b",
    re.I,
)
# "call 15 minutes later", "text 17 friends": a count, however it is introduced.
_COUNT: Final = re.compile(
    r"^\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|times|people|"
    r"persons|percent|per\s+cent|children|kids|adults|friends|messages|images|photos|"
    r"pictures|videos|accounts|platforms|sites|websites|organi[sz]ations|of)\b",
    re.I,
)
_CONTEXT_WORDS: Final = 8
_CONTEXT_CHARS: Final = 80


def told_to_use(text: str, start: int, end: int) -> bool:
    """Whether the number at `text[start:end]` is one the reader is told to call or text."""
    if _COUNT.match(text[end : end + 24]):
        return False
    if _AFTER.match(text[end : end + 30]):
        return True
    before = text[max(0, start - _CONTEXT_CHARS) : start]
    clause = _CLAUSE_BREAK.split(before)[-1]
    words = _CONTEXT_WORD.findall(clause)[-_CONTEXT_WORDS:]
    if words and words[-1].lower() in _SERVICE_WORDS:
        return True
    passed_service = False
    for word in reversed(words):
        lower = word.lower()
        if _VERB.fullmatch(lower) or lower in _PHONE_NOUNS:
            return True
        passed_service = passed_service or lower in _SERVICE
        if lower in _SKIP or not word.islower():  # a name: "the Gardaí", "NHS", "iCall"
            continue
        break
    return passed_service


def valid_at_home_with_fewer_letters(token: PhoneToken, own: str) -> bool:
    """Whether a keypad-letter number is one of `own`'s once its last letters are dropped:
    "1800RESPECT" is 1800 737 732 in Australia, and the T only makes the name. Only a name
    written in one piece is read so: a grouped "1-800-799-SAFE" is dialled as written."""
    letters = sum(char.isalpha() for char in token.written)
    if not letters or token.groups > 1:
        return False
    import phonenumbers

    if own not in phonenumbers.SUPPORTED_REGIONS:
        return False
    for cut in range(letters + 1):
        digits = token.digits[: len(token.digits) - cut]
        try:
            if phonenumbers.is_valid_number_for_region(phonenumbers.parse(digits, own), own):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


class Foreign(NamedTuple):
    """A valid phone number of another region than the guide's."""

    region: str  # ISO 3166-1 code of the region the number belongs to
    international: str  # as dialled from abroad: "+44 808 2000 247"
    #: True when a reader in the guide's region can dial it as written (international
    #: form, or a shared numbering plan such as +1 for the US and Canada).
    dialable: bool


def region_of(jurisdiction: str | None) -> str | None:
    """ISO 3166-1/-2 code (`GB`, `US-CA`, `gb`) to a phonenumbers region (`GB`, `US`); None
    for codes it has no numbering plan for (`EU`, `INT`) and for no code. Guides, pages
    and rendered links all read national numbers by it."""
    if not jurisdiction:
        return None
    import phonenumbers

    region = jurisdictions.country(jurisdiction).upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def foreign_region(written: str, own: str, tries: tuple[str, ...]) -> Foreign | None:
    """The region of `written` when it is a valid number of a region other than `own`.

    A national-format number is first read as `own` would dial it; only a number invalid
    there is tried against `tries` (neighbours first), so a number valid at home is never
    reported. `phonenumbers` (Google's libphonenumber metadata) is imported here, on the
    first guide that writes a national number: most one-file lints never need it.
    """
    import phonenumbers

    if own not in phonenumbers.SUPPORTED_REGIONS:
        return None
    try:
        if written.lstrip().startswith("+"):
            number = phonenumbers.parse(written, None)
            region = phonenumbers.region_code_for_number(number)
            if not phonenumbers.is_valid_number(number) or region in (None, own):
                return None
            return Foreign(region, _international(number), True)
        if phonenumbers.is_valid_number_for_region(phonenumbers.parse(written, own), own):
            return None
        home_code = phonenumbers.country_code_for_region(own)
        for region in tries:
            if region == own or region not in phonenumbers.SUPPORTED_REGIONS:
                continue
            number = phonenumbers.parse(written, region)
            if phonenumbers.is_valid_number_for_region(number, region):
                return Foreign(region, _international(number), number.country_code == home_code)
    except phonenumbers.NumberParseException:
        return None
    return None


def _international(number: PhoneNumber) -> str:
    import phonenumbers

    formatted: str = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return formatted
