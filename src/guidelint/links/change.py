"""Has a page's content changed since it was reviewed? Compare by meaning, not by bytes.

A helpline page that changes its number or its advice still answers 200, so alive pages are
compared with the reviewed baseline. Pages are noisy, though: a timestamp, a session token
or a rotating "quote of the day" changes on every fetch and must not raise an alarm, and a
site that re-templates its markup says the same thing in different HTML. So a page is
reduced to a *snapshot*:

- the visible text (from `links.content.extract`, which drops scripts, styles and hidden
  markup) with noise replaced by placeholders: dates, clock times next to dates or
  "updated" labels, "5 minutes ago", UUIDs, hex and opaque tokens, labelled request/session
  ids, numbers of four digits or more (cache-busters, counters, Unix times), response
  times, "N people online" and copyright years; shorter numbers (ages, hours, days) and
  opening hours are kept, since a change there is a change of advice;
- cut into sentences, each case-folded and stripped of punctuation, so markup, spacing and
  block order don't matter; sentences shorter than a few words (menu items, buttons) and
  sentences labelled as volatile ("quote of the day", "testimonial", …) are left out;
- kept as a fingerprint: a digest and a word count per sentence, so the committed baseline
  stores no page text;
- plus the salient facts: phone numbers (parsed with `phonenumbers`, Google's
  libphonenumber, using the guide's jurisdiction as the region for national formats),
  e-mail addresses and the organisation names that were on the page when it was accepted.

Similarity is the word-weighted Jaccard index of the two sentence sets (1.0 = same text).
A change is reported when similarity falls below a threshold or when any fact appeared or
vanished: one changed digit in a phone number is always a change, however similar the rest.
When a second fetch of the page is available, sentences that differ between the two
fetches are rotating content and are excused (`compare(..., recheck=...)`).

`compare` answers "report a change?" (a `Change` or None); `evaluate` also gives the
similarity and facts when nothing is reported.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, shortnumberinfo

from guidelint.links.model import Change, Page
from guidelint.links.settings import ChangeSettings as ChangeSettings

#: Visible text beyond this is not compared: a support page says what matters well before,
#: and a hostile page must not make the comparison slow (phone parsing is pure Python).
MAX_TEXT: Final = 200_000
MAX_PHONE_CANDIDATES: Final = 200


@dataclass(frozen=True)
class Snapshot:
    """What the baseline keeps of a page: enough to compare, no page text."""

    title: str | None
    fingerprint: tuple[str, ...]  # sorted "digest:words" per sentence
    facts: tuple[str, ...]  # sorted: "phone …", "email …", "name …"
    region: str | None = None  # region used to read national phone numbers

    def weights(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for item in self.fingerprint:
            digest, _, words = item.partition(":")
            counts[digest] += int(words) if words.isdigit() else 1
        return counts


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?"
_ORD = r"(?:st|nd|rd|th)?"
_TZ = r"(?:\s*(?:z|utc|gmt|bst|cet|cest|est|edt|cst|cdt|mst|mdt|pst|pdt|[+-]\d{2}:?\d{2}))"
_LABEL = (
    r"(?:last\s+)?(?:updated|modified|generated|refreshed|retrieved|fetched|rendered|cached"
    r"|published|posted|checked|as\s+of|(?:current|server|local)\s+time|time\s+now)"
)

# Order matters: the most specific shapes first, so a datetime isn't split into a date
# placeholder and a stray time.
_NOISE: Final = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (
            r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
            " ⟨id⟩ ",
        ),
        (
            r"\b(?:request|req|trace|correlation|session|sess|csrf|xsrf|nonce|ray|build|"
            r"deploy|revision|rev|cache|transaction|tx|visitor|client)[ _-]?"
            r"(?:id|key|token|no|number|hash)?\s*[:#=]\s*[^\s,;]+",
            " ⟨id⟩ ",
        ),
        (
            r"\b\d{4}-\d{2}-\d{2}(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?" + _TZ + r"?)?\b",
            " ⟨date⟩ ",
        ),
        (r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b", " ⟨date⟩ "),
        (
            r"\b(?:"
            + _WEEKDAY
            + r",?\s+)?(?:\d{1,2}"
            + _ORD
            + r"\s+(?:of\s+)?"
            + _MONTH
            + r"\.?,?(?:\s+\d{4})?|"
            + _MONTH
            + r"\.?\s+\d{1,2}"
            + _ORD
            + r"(?:,?\s+\d{4})?"
            r"|" + _MONTH + r"\.?\s+\d{4})\b",
            " ⟨date⟩ ",
        ),
        (r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:\s*[ap]\.?m\.?)?" + _TZ + r"?", " ⟨time⟩ "),
        (r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?" + _TZ, " ⟨time⟩ "),
        (r"⟨date⟩[\s,]*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?", " ⟨date⟩ "),
        (r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?[\s,]*(?:on\s+)?⟨date⟩", " ⟨date⟩ "),
        (
            r"\b" + _LABEL + r"\b[\s:]*(?:on\s+|at\s+)?(?:⟨\w+⟩|\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
            r"|today|yesterday|just\s+now)",
            " ⟨updated⟩ ",
        ),
        (
            r"\b(?:\d+|an?|one|a\s+few|several)\s+(?:second|sec|minute|min|hour|hr|day|week"
            r"|month|year)s?\s+ago\b|\bjust\s+now\b",
            " ⟨ago⟩ ",
        ),
        (r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-\u2013]\s*)?\d{4}", " © "),
        (r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b", " ⟨id⟩ "),
        (r"(?<![\w/])(?=[\w+/=-]*\d)(?=[\w+/=-]*[a-z])[\w+/=-]{16,}", " ⟨id⟩ "),
        (r"(?<![\w/])(?-i:(?=[\w+/=-]*[a-z][\w+/=-]*[A-Z]))[\w+/=-]{20,}", " ⟨id⟩ "),
        (
            r"\b\d+(?:\.\d+)?\s?(?:ms|msec|milliseconds?)\b"
            r"|\b(?:in|took)\s+\d+\.\d+\s?s(?:ecs?|econds?)?\b",
            " ⟨n⟩ ",
        ),
        (
            r"\b\d[\d,]*\s+(?:people|users|visitors|others|readers)\s+(?:are\s+)?"
            r"(?:online|viewing|reading|here)\b"
            r"|\b(?:page\s+)?(?:views|visits|visitors|hits)(?:\s+today)?\s*:?\s*\d[\d,]*"
            r"|\bonline(?:\s+now)?\s*:\s*\d[\d,]*",
            " ⟨n⟩ ",
        ),
        # Four digits or more: ids, counters, cache-busters, Unix times, years. Shorter
        # numbers (ages, hours, days) stay: "within 48 hours" changing to 72 is news.
        (r"\b\d[\d,]{3,}(?:\.\d+)?\b", " ⟨n⟩ "),
    )
)

# A sentence ends at . ! ? ; or : plus optional closing quotes or brackets, unless the
# period ends an initial ("A. A. Milne") or a dash follows (an attribution such as
# "… roar." — Name belongs to its quote); list separators
# (bars, bullets, guillemets) that join blocks in the extracted text end one too.
_SENTENCE_END = re.compile(
    r"(?<=[.!?;:])(?<!\b\w\.)[\"'\u201d\u2019)\]]*\s+(?![-\u2013\u2014~])|\s+[|\u2022\u00b7\u00bb\u203a]\s+"
)
_NOT_WORD = re.compile(r"[^\w⟨⟩]+")
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
# The careful fallback for numbers the library does not read: grouped digits, 7 to 15 of
# them, after a phone word.
_GROUPED_NUMBER = re.compile(r"(?<![\w+])\(?\d{2,5}\)?(?:[ .-]\d{2,4}){1,3}(?![\w])")


def denoise(text: str) -> str:
    """Replace volatile tokens (dates, times, ids, counters) by placeholders."""
    for pattern, replacement in _NOISE:
        text = pattern.sub(replacement, text)
    return text


def sentences(text: str) -> list[str]:
    """Normalised sentences of `text` (noise replaced, case-folded, no punctuation)."""
    out = []
    for raw in _SENTENCE_END.split(denoise(text)):
        words = _NOT_WORD.sub(" ", raw.casefold()).split()
        if words:
            out.append(" ".join(words))
    return out


def _stable_sentences(text: str, settings: ChangeSettings) -> Iterator[str]:
    markers = tuple(
        " ".join(_NOT_WORD.sub(" ", m.casefold()).split()) for m in settings.volatile_markers
    )
    skip_next = False
    for sentence in sentences(text):
        if skip_next:
            skip_next = False
            continue
        if any(marker and marker in sentence for marker in markers):
            # A bare heading such as "Quote of the day" labels the sentence that follows.
            skip_next = len(sentence.split()) <= 6
            continue
        if len(sentence.split()) >= settings.min_words:
            yield sentence


def _digest(sentence: str) -> str:
    return hashlib.blake2b(sentence.encode("utf-8"), digest_size=8).hexdigest()


def fingerprint(title: str | None, text: str, settings: ChangeSettings) -> Counter[str]:
    """Sentence digest -> word weight; the title counts as one more sentence."""
    weights: Counter[str] = Counter()
    parts = list(_stable_sentences(text[:MAX_TEXT], settings))
    if title:
        parts.extend(f"title {s}" for s in sentences(title))
    for sentence in parts:
        weights[_digest(sentence)] += len(sentence.split())
    return weights


def facts(text: str, *, region: str | None = None, names: Iterable[str] = ()) -> tuple[str, ...]:
    """Salient facts on the page: phone numbers, e-mail addresses, expected names."""
    text = text[:MAX_TEXT]
    found: set[str] = set()
    found.update(_phones(text, region))
    found.update(f"email {m.group(0).lower()}" for m in _EMAIL.finditer(text))
    folded = f" {' '.join(_NOT_WORD.sub(' ', text.casefold()).split())} "
    for name in names:
        key = " ".join(_NOT_WORD.sub(" ", name.casefold()).split())
        if key and f" {key} " in folded:
            found.add(f"name {name.strip()}")
    return tuple(sorted(found))


def region_of(jurisdiction: str | None) -> str | None:
    """ISO 3166-1/-2 code (`GB`, `US-CA`) to a phonenumbers region (`GB`, `US`)."""
    if not jurisdiction:
        return None
    region = jurisdiction.split("-", 1)[0].upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


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


def snapshot(
    page: Page,
    *,
    region: str | None = None,
    names: Iterable[str] = (),
    settings: ChangeSettings | None = None,
) -> Snapshot:
    """Reduce a fetched page to what the baseline keeps."""
    settings = settings or ChangeSettings()
    weights = fingerprint(page.title, page.text, settings)
    return Snapshot(
        title=page.title,
        fingerprint=tuple(sorted(f"{digest}:{weight}" for digest, weight in weights.items())),
        facts=facts(page.text, region=region, names=names),
        region=region,
    )


@dataclass(frozen=True)
class Comparison:
    """The full evidence of one comparison; `change` is set when it should be reported."""

    similarity: float
    facts_added: tuple[str, ...]
    facts_removed: tuple[str, ...]
    change: Change | None = field(default=None)


def similarity(before: Counter[str], after: Counter[str], excused: int = 0) -> float:
    """Word-weighted Jaccard index of two sentence multisets, 1.0 when both are empty.

    `excused` words of baseline sentences missing from `after` are forgiven: that much
    rotating content was seen on the page (see `compare`'s `recheck`).
    """
    common = sum((before & after).values())
    removed = sum((before - after).values())
    added = sum((after - before).values())
    removed -= min(removed, excused)
    union = common + removed + added
    return 1.0 if union == 0 else common / union


def evaluate(
    baseline: Snapshot,
    page: Page,
    settings: ChangeSettings | None = None,
    *,
    recheck: Page | None = None,
) -> Comparison:
    """Compare a fetched page with its reviewed snapshot, with all the evidence.

    Facts are read with the region and names recorded in the baseline, so a fact can only
    appear or vanish because the page changed, never because the guides did. With a
    `recheck` (a second fetch moments later), sentences that differ between the two fetches
    rotate by themselves and are excused, as is the same amount of missing baseline text.
    """
    settings = settings or ChangeSettings()
    before = baseline.weights()
    after = fingerprint(page.title, page.text, settings)
    excused = 0
    if recheck is not None:
        again = fingerprint(recheck.title, recheck.text, settings)
        volatile = after - again
        excused = sum(volatile.values())
        after = after & again
    score = round(similarity(before, after, excused), 4)
    names = [fact.removeprefix("name ") for fact in baseline.facts if fact.startswith("name ")]
    current = set(facts(page.text, region=baseline.region, names=names))
    if recheck is not None:
        # A fact that comes and goes between two fetches is part of the rotation.
        again_facts = set(facts(recheck.text, region=baseline.region, names=names))
        current = (current & again_facts) | (current & set(baseline.facts))
    added = tuple(sorted(current - set(baseline.facts)))
    removed = tuple(sorted(set(baseline.facts) - current))
    change = None
    if score < settings.threshold or added or removed:
        change = Change(
            similarity=score,
            title_before=baseline.title,
            title_after=page.title,
            facts_added=added,
            facts_removed=removed,
        )
    return Comparison(score, added, removed, change)


def compare(
    baseline: Snapshot,
    page: Page,
    settings: ChangeSettings | None = None,
    *,
    recheck: Page | None = None,
) -> Change | None:
    """The change to report between a reviewed snapshot and a fetched page, if any."""
    return evaluate(baseline, page, settings, recheck=recheck).change
