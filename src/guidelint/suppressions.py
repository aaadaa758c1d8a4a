"""Inline suppressions: YAML comments that silence named rules on a line or in a file."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from guidelint.diagnostics import Diagnostic
from guidelint.lazyre import lazy_pattern
from guidelint.loader import Document

# Compiled on first use: most files hold no suppression comment (see `parse`).
_directive = lazy_pattern(
    r"#\s*guidelint:\s*(?P<kind>disable-file|disable)\s*=\s*"
    r"(?P<codes>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)"
    r"(?:\s+--\s*(?P<reason>.*?))?\s*$"
)


class Suppression(NamedTuple):
    line: int
    column: int
    target_line: int | None  # None: the whole file
    selectors: tuple[str, ...]
    reason: str
    used: set[str]  # filled in by `apply`: the codes this comment silenced


def parse(document: Document) -> list[Suppression]:
    """Every suppression comment in the file (a `#` inside a quoted or block scalar is text)."""
    text = document.text
    if "guidelint:" not in text:
        return []
    scalar_spans = sorted(
        (span.start, span.end) for span in document.values.values() if span.style is not None
    )
    starts = [start for start, _end in scalar_spans]
    lines = text.split("\n")
    found: list[Suppression] = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        for match in _directive().finditer(line):
            index = offset + match.start()
            position = bisect.bisect_right(starts, index) - 1
            if position >= 0 and scalar_spans[position][1] > index:
                continue
            standalone = not line[: match.start()].strip()
            if match["kind"] == "disable-file":
                target: int | None = None
            elif standalone:
                target = _next_content_line(lines, number)
            else:
                target = number
            selectors = tuple(code.strip() for code in match["codes"].split(","))
            found.append(
                Suppression(
                    number, match.start() + 1, target, selectors, match["reason"] or "", set()
                )
            )
        offset += len(line) + 1
    return found


def _next_content_line(lines: Sequence[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return after


def apply(
    diagnostics: Iterable[Diagnostic],
    suppressions: Sequence[Suppression],
    resolve: Callable[[str], Sequence[str]],
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; record on each suppression which codes it used."""
    if not suppressions:
        return list(diagnostics)
    expanded = [(s, {code for sel in s.selectors for code in resolve(sel)}) for s in suppressions]
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        suppressed = False
        for suppression, codes in expanded:
            if diagnostic.code in codes and suppression.target_line in (None, diagnostic.line):
                suppression.used.add(diagnostic.code)
                suppressed = True
        if not suppressed:
            kept.append(diagnostic)
    return kept
