"""A section written above the plain-language reading level.

GOV.UK writes for a reading age of 9 and the NHS for the general public; a reader in shock
reads below their usual level. This rule scores each section with the Flesch-Kincaid grade
level (Kincaid et al., 1975: 0.39 × words per sentence + 11.8 × syllables per word − 15.59;
a US school grade, so reading age ≈ grade + 5) and warns when a section scores above
`max_grade`.

The default, grade 9 (reading age 14), is not the GOV.UK target: the formula only counts
syllables and sentence length, so crisis vocabulary that cannot be simplified ("harassment",
"authentication", "intimate") raises every guide's score by a few grades. Grade 9 catches
text that is hard by any measure; lower `max_grade` to hold a library to a stricter target.
Sections shorter than `min_words` (default 40) are not scored, since the formula is
unreliable on a few sentences. Syllables are estimated from vowel groups (silent final
e, -le and -ed handled); URLs are left out. The finding points at the section's hardest
sentence, the best place to start simplifying.

Failing:

    reassurance: Individuals experiencing unauthorised dissemination of intimate imagery
      frequently demonstrate considerable psychological disorientation …

Passing:

    reassurance: Feeling shocked or panicky is a normal response. You are not overreacting.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Annotated, Final, NamedTuple

from guidelint import prose
from guidelint.diagnostics import Severity
from guidelint.guide import SECTIONS, Guide, Text
from guidelint.loader import Pointer
from guidelint.options import Option, Record
from guidelint.rules.base import Finding

CODE = "GL404"
NAME = "reading-level"
SEVERITY = Severity.WARNING
SUMMARY = "A section's Flesch-Kincaid grade is above the target reading level."


class Options(Record):
    max_grade: Annotated[
        float, Option(minimum=0.0, doc="Highest Flesch-Kincaid grade a section may score.")
    ] = 9.0
    min_words: Annotated[
        int, Option(minimum=0, doc="Sections with fewer words are not scored.")
    ] = 40


_HEADINGS: Final = dict(SECTIONS)
_VOWEL_GROUPS: Final = re.compile(r"[aeiouy]+")


# Words repeat across a library (and within a guide): each is counted once per process.
@functools.lru_cache(maxsize=16384)
def syllables(word: str) -> int:
    """Estimated syllables of one English word (at least one)."""
    word = word.lower().replace("’", "").replace("'", "")
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "make", "save"
    elif word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "saved", "posted" keeps its syllable
    return max(count, 1)


class Sentence(NamedTuple):
    """Counts for one sentence of one text."""

    pointer: Pointer
    start: int
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        return _formula(1, self.words, self.syllables)


def _formula(sentences: int, words: int, syllables: int) -> float:
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def measure(texts: list[Text]) -> list[Sentence]:
    """Word and syllable counts of every sentence; words inside URLs are left out."""
    return [
        Sentence(text.pointer, start, words, counted)
        for text in texts
        for start, words, counted in _counts(text.text)
    ]


# Variants of a situation share most of their prose, so each string is counted once.
@functools.lru_cache(maxsize=8192)
def _counts(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, words, syllables) of each sentence of `text` that has words outside URLs."""
    urls = prose.url_spans(text)
    found = []
    for sentence in prose.sentences(text):
        words = [
            match.group()
            for match in prose.words(text[sentence.start : sentence.end])
            if not urls or not prose.inside(sentence.start + match.start(), urls)
        ]
        if words:
            found.append((sentence.start, len(words), sum(syllables(word) for word in words)))
    return tuple(found)


def grade(sentences: list[Sentence]) -> float:
    """Flesch-Kincaid grade of the sentences taken together (0 when there are none)."""
    words = sum(sentence.words for sentence in sentences)
    if not words:
        return 0.0
    return _formula(len(sentences), words, sum(sentence.syllables for sentence in sentences))


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    target = options.max_grade
    minimum = options.min_words
    by_section: dict[str, list[Text]] = {}
    for text in guide.texts():
        if text.section not in ("title", "resources"):
            by_section.setdefault(text.section, []).append(text)
    for section, texts in by_section.items():
        sentences = measure(texts)
        score = grade(sentences)
        if sum(sentence.words for sentence in sentences) < minimum or score <= target:
            continue
        hardest = max(sentences, key=lambda sentence: sentence.grade)
        yield Finding(
            guide.document.text_position(hardest.pointer, hardest.start),
            f"'{_HEADINGS[section]}' reads at grade {score:.1f} (target: {target:g} or "
            f"lower); its hardest sentence starts here (grade {hardest.grade:.1f}): use shorter "
            "sentences and everyday words",
        )
