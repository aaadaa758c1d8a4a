"""Straight and typographic quotes or apostrophes mixed in one guide.

A guide written with typographic quotes (“ ” ‘ ’) that also has straight ones (" ') was
pasted together from different sources; screen readers and search treat `don't` and
`don’t` differently. Pick one style per guide. Only characters inside values count (the
YAML quoting around a value is not text), URLs are ignored, and so are primes after digits
(5'10"). The guide's majority style wins; the first character of the minority style is
reported, with how many there are. A tie counts typographic as the majority.

Failing:

    short_answer: Don’t send anything else.
    reassurance: You don't have to handle it alone.

Passing:

    short_answer: Don’t send anything else.
    reassurance: You don’t have to handle it alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from guidelint import prose
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.loader import Pointer
from guidelint.rules.base import Finding, Options

CODE = "GL407"
NAME = "mixed-quotes"
SEVERITY = Severity.WARNING
SUMMARY = "Straight and typographic quotes or apostrophes are mixed in one guide."

_STRAIGHT: Final = "'\""
_TYPOGRAPHIC: Final = "‘’“”"
_QUOTES: Final = re.compile(f"[{_STRAIGHT}{_TYPOGRAPHIC}]")


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    found: dict[bool, list[tuple[Pointer, int, str]]] = {True: [], False: []}
    for text in guide.texts():
        for match in _QUOTES.finditer(text.text):
            index, char = match.start(), match.group()
            if prose.inside(index, prose.url_spans(text.text)) or (
                char in _STRAIGHT and text.text[index - 1 : index].isdigit()
            ):
                continue
            found[char in _TYPOGRAPHIC].append((text.pointer, index, char))
    typographic, straight = found[True], found[False]
    if not typographic or not straight:
        return
    minority, style = (
        (straight, "straight")
        if len(typographic) >= len(straight)
        else (typographic, "typographic")
    )
    majority = "typographic" if style == "straight" else "straight"
    pointer, index, char = minority[0]
    yield Finding(
        guide.document.text_position(pointer, index),
        f"{style} {char} in a guide that mostly uses {majority} quotes "
        f"({len(minority)} {style} against {len(found[majority == 'typographic'])}); use one style",
    )
