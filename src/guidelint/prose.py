"""Reading prose the way the language rules need it: words, sentences and the spans to skip.

Rules report character offsets into a guide's strings; `Document.text_position` turns them
into exact lines and columns. URLs, e-mail addresses and quoted labels are found here once,
so every rule skips the same things.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any, Final, NamedTuple

from guidelint.lazyre import lazy_pattern
from guidelint.loader import Pointer

_TLDS: Final = (
    "com|org|net|gov|edu|int|mil|info|io|co|uk|ie|au|nz|ca|us|eu|in|za|de|fr|es|it|nl|be|ch"
)


# Schemes, `www.` hosts, bare domains (`StopNCII.org`, `police.uk/advice`) and e-mail addresses.
# Compiled on first use (a couple of milliseconds): most prose fails `_URL_HINT` below.
# Each alternative starts only where its first run of characters starts (the look-behinds):
# tried at every letter of a long word, a scheme, an address or a domain rescanned the word
# to its end from each one (quadratic on 'a' * n).
_url_pattern = lazy_pattern(
    r"(?:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"“”]+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"“”]*)?",
    re.IGNORECASE,
)


_URL_TRAILING: Final = ".,;:!?)]}’'\""

# Quoted text: a label on a screen or a phrase the reader says or sees, quoted exactly.
# A single quote counts only where it cannot be an apostrophe (after a letter it is one).
QUOTED_RE: Final = re.compile(
    r"“[^“”]*”|\"[^\"]*\"|(?<![\w’'])‘[^‘’]*(?:’(?!\w)|$)|(?<![\w’'])'[^']*'(?!\w)"
)

WORD_RE: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS: Final = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "approx",
        "incl",
        "dept",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
        "cf",
    }
)
_SENTENCE_END: Final = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+|$)")


class Span(NamedTuple):
    start: int
    end: int

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and self.start <= index < self.end


# Every URL alternative above contains one of these; most prose contains none.
_URL_HINT: Final = re.compile(rf"://|www\.|@|\.(?:{_TLDS})\b", re.IGNORECASE)

# Several rules read the same strings; analysing each string once keeps a library of
# thousands of guides fast.
_cache = functools.lru_cache(maxsize=8192)


@_cache
def url_spans(text: str) -> tuple[Span, ...]:
    """URLs, bare domains and e-mail addresses, without trailing sentence punctuation."""
    if not _URL_HINT.search(text):
        return ()
    spans = []
    for match in _url_pattern().finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append(Span(match.start(), end))
    return tuple(spans)


@_cache
def quoted_spans(text: str) -> tuple[Span, ...]:
    return tuple(Span(match.start(), match.end()) for match in QUOTED_RE.finditer(text))


def skipped_spans(text: str) -> tuple[Span, ...]:
    """What language rules leave alone: URLs, e-mail addresses and quoted text."""
    return url_spans(text) + quoted_spans(text)


def inside(index: int, spans: Sequence[Span]) -> bool:
    return any(index in span for span in spans)


def overlaps(start: int, end: int, spans: Sequence[Span]) -> bool:
    return any(start < span.end and span.start < end for span in spans)


def words(text: str) -> Iterator[re.Match[str]]:
    """Runs of letters, with inner apostrophes (`don’t`); hyphens and slashes split words."""
    return WORD_RE.finditer(text)


@_cache
def sentences(text: str) -> tuple[Span, ...]:
    """Sentences of `text`, without surrounding whitespace. A list item is one sentence."""
    return tuple(_sentences(text))


_LAST_WORD: Final = re.compile(r"[\w.]+\Z")


def _sentences(text: str) -> Iterator[Span]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[max(start, match.start() - 12) : match.start()]
        last = _LAST_WORD.search(before)
        if (
            match.group().startswith(".")
            and last is not None
            and last.group().lower().rstrip(".") in _ABBREVIATIONS
        ):
            continue
        following = text[match.end() :].lstrip()
        # "… (hash-based tool) to help" or "e.g., “Delete" do not start a new sentence.
        if following and following[0].islower():
            continue
        span = _trim(text, start, match.end())
        if span is not None:
            yield span
        start = match.end()
    span = _trim(text, start, len(text))
    if span is not None:
        yield span


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def count_words(text: str) -> int:
    """Words as a reader counts them: `re-sharing` and `(IC3)` are one each, a dash is none.

    URLs count as one word; standalone punctuation (—, –, -, /, &) counts as nothing.
    """
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def strings(data: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, str]]:
    """Every string value in a guide (metadata included), with its pointer, in file order."""
    if isinstance(data, str):
        yield pointer, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*pointer, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*pointer, index))
