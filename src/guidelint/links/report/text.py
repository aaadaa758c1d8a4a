"""The terminal report: plain lines, nothing a terminal would read as a control sequence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidelint.escape import plain as _plain
from guidelint.links.model import action, is_finding
from guidelint.links.report.common import Trend, attention, headline, label, sections, why

if TYPE_CHECKING:
    from guidelint.links.checker import RunOutcome


def render_text(outcome: RunOutcome, trend: Trend | None = None) -> str:
    lines = [f"guidelint links: {headline(outcome)}"]
    needs = attention(outcome.results)
    if needs:
        lines.append(f"needs attention: {needs}")
    lines.extend(f"note: {_plain(note)}" for note in outcome.notes)
    for title, group in sections(outcome.results):
        lines.append("")
        lines.append(f"== {title} ({len(group)}) ==")
        for result in group:
            lines.append("")
            lines.append(f"{label(result).upper()}  {_plain(result.url)}")
            evidence = why(result)
            if evidence:
                lines.append(f"  why: {_plain(evidence)}")
            lines.append(f"  action: {_plain(action(result))}")
            lines.extend(
                f"  used in: {_plain(ref.path)}:{ref.line}:{ref.column} ({_plain(ref.pointer)})"
                for ref in result.references
            )
    if all(not is_finding(result) for result in outcome.results):
        lines.append("All links work.")
    return "\n".join(lines) + "\n"
