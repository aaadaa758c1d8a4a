"""Has a page's content changed since it was reviewed? Compare by meaning, not by bytes.

A helpline page that changes its number or its advice still answers 200, so alive pages are
compared with the reviewed baseline. Pages are noisy, though: a timestamp, a session token
or a rotating "quote of the day" changes on every fetch and must not raise an alarm, a site
that re-templates its markup says the same thing in different HTML, and menus, cookie
banners, sidebars and footers change without the advice changing. So a page is reduced to
a *snapshot*:

- its main content (`Page.main`, from `links.content.main_text`: no menus, banners,
  dialogs, sidebars, "related" lists or footers, one block a line), or for entries accepted
  before that (`fingerprint_version` 1) its whole visible text, with noise replaced by
  placeholders: dates, clock times next to dates or "updated" labels, "5 minutes ago",
  UUIDs, hex and opaque tokens, labelled request/session ids, numbers of four digits or
  more (cache-busters, counters, Unix times), response times, "N people online" and
  copyright years; shorter numbers (ages, hours, days) and opening hours are kept, since a
  change there is a change of advice;
- cut into sentences, each block ending one, each case-folded and stripped of punctuation,
  so markup, spacing and block order don't matter; sentences shorter than a few words (menu
  items, buttons) and sentences labelled as volatile ("quote of the day", "testimonial", …)
  are left out;
- kept as a fingerprint: a digest and a word count per sentence, so the committed baseline
  stores no page text;
- plus the salient facts of the whole visible text (`links.facts`): phone numbers, e-mail
  addresses, the organisation names that were on the page when it was accepted, and
  closure or suspension notices.

Similarity is the word-weighted Jaccard index of the two sentence sets (1.0 = same text).
A change is reported when similarity falls below a threshold or when any fact appeared or
vanished: one changed digit in a phone number, or a notice that the service has closed, is
always a change, however similar the rest. When a second fetch of the page is available,
sentences that differ between the two fetches are rotating content and are excused
(`compare(..., recheck=...)`).

`compare` answers "report a change?" (a `Change` or None); `evaluate` also gives the
similarity and facts when nothing is reported.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from guidelint.links.facts import MAX_TEXT, facts
from guidelint.links.model import Change, Page
from guidelint.links.settings import ChangeSettings as ChangeSettings

#: How a snapshot's sentences were read: 1, from the whole visible text (baselines accepted
#: before issue 14); 2, from the main content, each block (paragraph, heading, list item,
#: table cell) cut into sentences of its own, so menus, banners and sidebars do not count.
FINGERPRINT_VERSION: Final = 2


@dataclass(frozen=True)
class Snapshot:
    """What the baseline keeps of a page: enough to compare, no page text."""

    title: str | None
    fingerprint: tuple[str, ...]  # sorted "digest:words" per sentence
    facts: tuple[str, ...]  # sorted: "phone …", "email …", "name …", "closure: …"
    region: str | None = None  # region used to read national phone numbers
    fingerprint_version: int = FINGERPRINT_VERSION  # see FINGERPRINT_VERSION

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

_DIGIT: Final = re.compile(r"\d")
_LETTER: Final = re.compile(r"[a-z]", re.IGNORECASE)
_HEX_LETTER: Final = re.compile(r"[a-f]", re.IGNORECASE)
_LOWER: Final = re.compile(r"[a-z]")
_UPPER: Final = re.compile(r"[A-Z]")


def _token(
    first: re.Pattern[str], second: re.Pattern[str], *, in_order: bool = False
) -> Callable[[re.Match[str]], str]:
    """A replacement that makes a token an id placeholder when it holds a match of `first` and
    one of `second` (after it, with `in_order`); otherwise the token is left as it was.

    The token is the whole run its pattern matched, so a shorter token inside it holds no more:
    trying no other start inside the run changes nothing.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        found = first.search(token)
        if found is not None and second.search(token, found.end() if in_order else 0):
            return " ⟨id⟩ "
        return token

    return replace


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
        # Hex ids, opaque tokens with a digit and a letter, and mixed-case tokens. Which
        # tokens hold what is decided by `_token`, not by look-aheads: `(?=[\w+/=-]*\d)` at
        # every position rescanned the run from each, 7.7 s on 32,000 letters (issue 14).
        (r"\b[0-9a-f]{7,}\b", _token(_DIGIT, _HEX_LETTER)),
        (r"(?<![\w/])[\w+/=-]{16,}", _token(_DIGIT, _LETTER)),
        (r"(?<![\w/])[\w+/=-]{20,}", _token(_LOWER, _UPPER, in_order=True)),
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
# (bars, bullets, guillemets) that join blocks in the extracted text end one too; such a
# separator's spaces are matched from the first (not from each of a long run of spaces).
_SENTENCE_END = re.compile(
    r"(?<=[.!?;:])(?<!\b\w\.)[\"'\u201d\u2019)\]]*\s+(?![-\u2013\u2014~])|(?<!\s)\s+[|\u2022\u00b7\u00bb\u203a]\s+"
)
_NOT_WORD = re.compile(r"[^\w⟨⟩]+")


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


def _stable_sentences(text: str, settings: ChangeSettings, blocks: bool) -> Iterator[str]:
    markers = tuple(
        " ".join(_NOT_WORD.sub(" ", m.casefold()).split()) for m in settings.volatile_markers
    )
    skip_next = False
    # Block boundaries end sentences: a menu item or a banner button on a line of its own
    # is a short "sentence" that is left out, not words added to its neighbour's.
    parts = (
        itertools.chain.from_iterable(map(sentences, text.split("\n")))
        if blocks
        else sentences(text)
    )
    for sentence in parts:
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


def fingerprint(
    title: str | None, text: str, settings: ChangeSettings, *, blocks: bool = False
) -> Counter[str]:
    """Sentence digest -> word weight; the title counts as one more sentence. With `blocks`,
    each line of `text` is a block whose end ends a sentence (`Page.main`)."""
    weights: Counter[str] = Counter()
    parts = list(_stable_sentences(text[:MAX_TEXT], settings, blocks))
    if title:
        parts.extend(f"title {s}" for s in sentences(title))
    for sentence in parts:
        weights[_digest(sentence)] += len(sentence.split())
    return weights


def snapshot(
    page: Page,
    *,
    region: str | None = None,
    names: Iterable[str] = (),
    settings: ChangeSettings | None = None,
) -> Snapshot:
    """Reduce a fetched page to what the baseline keeps: its main content's sentences when
    the page carries them (`Page.main`), else its whole text's (version 1)."""
    settings = settings or ChangeSettings()
    version = FINGERPRINT_VERSION if page.main is not None else 1
    weights = _read(page, version, settings)
    assert weights is not None  # either version can be read from such a page
    return Snapshot(
        title=page.title,
        fingerprint=tuple(sorted(f"{digest}:{weight}" for digest, weight in weights.items())),
        facts=facts(page.text, region=region, names=names),
        region=region,
        fingerprint_version=version,
    )


def _read(page: Page, version: int, settings: ChangeSettings) -> Counter[str] | None:
    """The page's fingerprint as a snapshot of `version` reads it; None if it cannot be."""
    if version < 2:
        return fingerprint(page.title, page.text, settings)
    if page.main is None:
        return None
    return fingerprint(page.title, page.main, settings, blocks=True)


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

    Sentences are read from the page as the snapshot's were (`fingerprint_version`): an
    entry accepted from the whole text before main content was compared is compared the old
    way, never against main-content sentences, which would differ on every page. A page
    without its main content compared with a main-content entry is judged by title and
    facts alone. Facts are read with the region and names recorded in the baseline, so a
    fact can only appear or vanish because the page changed, never because the guides did.
    With a `recheck` (a second fetch moments later), sentences that differ between the two
    fetches rotate by themselves and are excused, as is the same amount of missing text.
    """
    settings = settings or ChangeSettings()
    before = baseline.weights()
    after = _read(page, baseline.fingerprint_version, settings)
    retitled = False
    if after is None:
        score = 1.0
        retitled = sentences(baseline.title or "") != sentences(page.title or "")
    else:
        excused = 0
        again = None if recheck is None else _read(recheck, baseline.fingerprint_version, settings)
        if again is not None:
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
    # Closure notices (all of them before version 2; "closed on 1 March", "archived" and
    # "Text SHOUT to 85258" since the held-out bed) were not facts when older entries were
    # accepted: one whose sentence the reviewed snapshot already holds is not new.
    if any(fact.startswith(_LATER_FACTS) for fact in added):
        reviewed = (
            sentences(page.text[:MAX_TEXT])
            if baseline.fingerprint_version < 2 or page.main is None
            else [s for block in page.main[:MAX_TEXT].split("\n") for s in sentences(block)]
        )
        added = tuple(fact for fact in added if not _reviewed_fact(fact, reviewed, before))
    removed = tuple(sorted(set(baseline.facts) - current))
    change = None
    if score < settings.threshold or added or removed or retitled:
        change = Change(
            similarity=score,
            title_before=baseline.title,
            title_after=page.title,
            facts_added=added,
            facts_removed=removed,
        )
    return Comparison(score, added, removed, change)


#: Kinds of fact that entries accepted by earlier versions may lack.
_LATER_FACTS: Final = ("closure: ", "text ")


def _reviewed_fact(fact: str, page_sentences: list[str], reviewed: Counter[str]) -> bool:
    """Whether `fact` (a later kind) stands in a sentence the reviewed snapshot holds.

    A short code in the sentence is noise to the snapshot, so a code changed since an entry
    that lacked the fact was accepted goes unnoticed until the entry is accepted again."""
    if not fact.startswith(_LATER_FACTS):
        return False
    words = " ".join(sentences(fact.removeprefix("closure: ")))
    return bool(words) and any(
        words in sentence and _digest(sentence) in reviewed for sentence in page_sentences
    )


def compare(
    baseline: Snapshot,
    page: Page,
    settings: ChangeSettings | None = None,
    *,
    recheck: Page | None = None,
) -> Change | None:
    """The change to report between a reviewed snapshot and a fetched page, if any."""
    return evaluate(baseline, page, settings, recheck=recheck).change
