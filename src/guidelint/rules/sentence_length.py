"""A sentence longer than a reader in distress can hold in mind.

People in crisis read less and remember less. The NHS content style guide aims for 20
words or fewer per sentence as a target and GOV.UK for 25 as an upper bound; this rule warns
above `max_words` (default 25; set 20 to follow the NHS target). Words are counted as a
reader sees them: `re-sharing`, `(IC3)` and a URL are one word each; a dash, slash or
ampersand standing alone is none. Sentences end at `.`, `!`, `?` or `…` followed by a
capital letter (not after abbreviations such as "e.g."); a list item without a full stop is
one sentence. The finding points at the sentence's first word.

Failing (27 words):

    short_answer: Preserve proof of what happened, then use platform reporting and specialist
      support to reduce the risk of sharing and get content removed quickly if it is posted.

Passing:

    short_answer: Preserve proof of what happened. Then report it to the platform and get
      specialist support to have it removed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Annotated

from guidelint import prose
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Option, Record
from guidelint.rules.base import Finding

CODE = "GL403"
NAME = "sentence-length"
SEVERITY = Severity.WARNING
SUMMARY = "A sentence has more words than the plain-language target (default 25)."


class Options(Record):
    max_words: Annotated[
        int, Option(minimum=1, doc="Most words a sentence may have (the NHS target is 20).")
    ] = 25


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    limit = options.max_words
    for text in guide.texts():
        for start, count in _lengths(text.text):
            if count > limit:
                yield Finding(
                    guide.document.text_position(text.pointer, start),
                    f"sentence has {count} words (target: {limit} or fewer); split it or cut words",
                )


# Variants of a situation share most of their prose, so each string is counted once.
@functools.lru_cache(maxsize=8192)
def _lengths(text: str) -> tuple[tuple[int, int], ...]:
    """(offset, words) of each sentence of `text`."""
    return tuple(
        (sentence.start, prose.count_words(text[sentence.start : sentence.end]))
        for sentence in prose.sentences(text)
    )
