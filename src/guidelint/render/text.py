"""The published plain-text form of a guide: the format of the seed guides, line for line.

    What to do if…                      title
    you discover someone saved …        situation
    Short answer                        heading, then a paragraph (one or more lines)
    Do not do these things              heading, then one "- " line per item
    What to do now                      heading, then steps and sub-steps as flat "- " lines
    What can wait                       heading, then "- " lines
    Important reassurance               heading, then a paragraph
    Scope note                          heading, then a paragraph
    Important note                      heading, then a paragraph
    Additional Resources                heading, then "- URL" per resource, in order

No blank lines, no final newline (the seeds have none). The form is lossy: sub-steps print
like steps and resources print as bare URLs, so the YAML holds more than the text shows.
`guidelint.importer` parses this same layout back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal

from guidelint.guide import SECTIONS, Guide

Kind = Literal["paragraph", "items", "steps", "resources"]

BULLET: Final = "- "

_KINDS: Final[dict[str, Kind]] = {
    "short_answer": "paragraph",
    "do_not": "items",
    "steps": "steps",
    "can_wait": "items",
    "reassurance": "paragraph",
    "scope_note": "paragraph",
    "important_note": "paragraph",
    "resources": "resources",
}

#: The headed sections of the text form, in published order: (key, heading, kind).
LAYOUT: Final[tuple[tuple[str, str, Kind], ...]] = tuple(
    (key, heading, _KINDS[key]) for key, heading in SECTIONS if key in _KINDS
)


def render(guide: Guide) -> str:
    """The guide as published text, without a final newline."""
    return render_data(guide.data)


def render_data(data: Mapping[str, Any]) -> str:
    """`render` for a schema-valid guide given as plain data."""
    return "\n".join(_lines(data))


def _lines(data: Mapping[str, Any]) -> Iterator[str]:
    yield _one_line(data["title"])
    yield _one_line(data["situation"])
    for key, heading, kind in LAYOUT:
        yield heading
        if kind == "paragraph":
            # Block scalars (`|`) end with a line break that is YAML syntax, not text.
            yield data[key].strip("\n")
        elif kind == "items":
            yield from (BULLET + _one_line(item) for item in data[key])
        elif kind == "steps":
            for step in data[key]:
                yield BULLET + _one_line(step["text"])
                yield from (BULLET + _one_line(sub["text"]) for sub in step.get("substeps", ()))
        else:
            yield from (BULLET + resource["url"] for resource in data[key])


def _one_line(text: str) -> str:
    # The text form has one line per item: a line break inside an item would end it early.
    return " ".join(text.strip("\n").split("\n"))
