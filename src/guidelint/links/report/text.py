"""The terminal report: plain lines, nothing a terminal would read as a control sequence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidelint.escape import EXCERPT_CAP, URL_CAP, plain
from guidelint.links.report.common import (
    Trend,
    attention,
    closing,
    finding_fields,
    headline,
    label,
    place,
    sections,
)
from guidelint.urls import shown

if TYPE_CHECKING:
    from guidelint.links.model import RunOutcome


def render_text(outcome: RunOutcome, trend: Trend | None = None) -> str:
    lines = [f"guidelint links: {headline(outcome)}"]
    needs = attention(outcome.results)
    if needs:
        lines.append(f"needs attention: {needs}")
    lines.extend(f"note: {plain(note, EXCERPT_CAP)}" for note in outcome.notes)
    for title, group in sections(outcome.results):
        lines.append("")
        lines.append(f"== {title} ({len(group)}) ==")
        for result in group:
            lines.append("")
            lines.append(f"{label(result).upper()}  {plain(shown(result.url), URL_CAP)}")
            lines.extend(f"  {name}: {text}" for name, text in finding_fields(result, plain, plain))
            lines.extend(
                f"  used in: {plain(ref.path, URL_CAP)}:{ref.line}:{ref.column} "
                f"({plain(place(ref), EXCERPT_CAP)})"
                for ref in result.references
            )
    last = closing(outcome.results)
    if last:
        lines.append(last)
    return "\n".join(lines) + "\n"
