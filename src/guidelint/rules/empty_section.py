"""A section or list item that holds only whitespace.

The schema requires every section and rejects empty strings, but text made only of spaces or
line breaks passes it and publishes as a blank section: a reader in crisis finds a heading
with nothing under it. Write the text, or remove the item.

Failing:

    reassurance: "   "

Passing:

    reassurance: Feeling shocked is a normal response.
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint.diagnostics import Severity
from guidelint.guide import SECTIONS, Guide
from guidelint.rules.base import Finding, Options

CODE = "GL101"
NAME = "empty-section"
SEVERITY = Severity.ERROR
SUMMARY = "A section, list item or step is blank (whitespace only)."

_HEADINGS = dict(SECTIONS)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    for text in guide.texts():
        if not text.text.strip():
            heading = _HEADINGS[text.section]
            yield Finding(
                guide.document.position(text.pointer),
                f"blank text in '{heading}'; write it or remove the item",
            )
