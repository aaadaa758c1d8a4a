"""The terminal report: plain lines, nothing a terminal would read as a control sequence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidelint.escape import EXCERPT_CAP, URL_CAP, plain
from guidelint.links.report.common import (
    Trend,
    action_part,
    archive_parts,
    attention,
    closing,
    headline,
    joined,
    label,
    place,
    sections,
    suggestion_parts,
    why,
)

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
            lines.append(f"{label(result).upper()}  {plain(result.url, URL_CAP)}")
            evidence = why(result)
            if evidence:
                lines.append(f"  why: {evidence}")
            lines.append(f"  action: {action_part(result).render(plain, plain)}")
            suggested = joined(suggestion_parts(result), plain, plain)
            if suggested:
                lines.append(f"  suggestion: {suggested}")
            archived = joined(archive_parts(result), plain, plain)
            if archived:
                lines.append(f"  archived: {archived}")
            lines.extend(
                f"  used in: {plain(ref.path, URL_CAP)}:{ref.line}:{ref.column} "
                f"({plain(place(ref), EXCERPT_CAP)})"
                for ref in result.references
            )
    last = closing(outcome.results)
    if last:
        lines.append(last)
    return "\n".join(lines) + "\n"
