"""The Markdown report, for a GitHub issue or job summary; remote text is made inert."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from guidelint.escape import EXCERPT_CAP, URL_CAP, clip, md_code, md_escape, md_link
from guidelint.links.report.common import (
    Trend,
    attention,
    closing,
    dead_verdict,
    finding_fields,
    headline,
    label,
    place,
    sections,
)
from guidelint.urls import shown
from guidelint.wording import plural

if TYPE_CHECKING:
    from guidelint.links.model import RunOutcome

MARKDOWN_CAP: Final = 1024 * 1024  # GitHub's limit for a job summary (and far above an issue's)
_FIELD_NAMES: Final = {
    "why": "Why",
    "action": "Action",
    "suggestion": "Suggestion",
    "archived": "Archived copy",
}


def render_markdown(
    outcome: RunOutcome, trend: Trend | None = None, cap: int = MARKDOWN_CAP
) -> str:
    head = ["## Link health", "", md_escape(headline(outcome)), ""]
    needs = attention(outcome.results)
    if needs:
        head.extend([f"**Needs attention:** {md_escape(needs)}", ""])
    dead_per_run = _dead_over_time(trend)
    if dead_per_run:
        head.extend([f"Dead links over the last {md_escape(dead_per_run)}", ""])
    if outcome.notes:
        # Notes name files and hosts: code, so no name becomes a link or a mention. The
        # blank line ends the quote: without it the next paragraph would join it.
        head.extend([*(f"> {md_code(note, EXCERPT_CAP)}" for note in outcome.notes), ""])
    grouped = sections(outcome.results)
    last = closing(outcome.results)
    if last:
        head.append(md_escape(last))
    blocks: list[tuple[bool, str]] = []  # (is a finding, Markdown)
    for title, group in grouped:
        blocks.append((False, f"### {md_escape(title)} ({len(group)})\n"))
        for result in group:
            block: list[str] = [
                f"#### {md_escape(label(result))}: {md_link(shown(result.url))}",
                "",
            ]
            block.extend(
                f"- **{_FIELD_NAMES[name]}:** {text}"
                for name, text in finding_fields(result, md_escape, md_code)
            )
            block.extend(
                f"- **Used in:** {md_code(f'{ref.path}:{ref.line}:{ref.column}', URL_CAP)}, "
                f"{md_escape(clip(place(ref), EXCERPT_CAP))}"
                for ref in result.references
            )
            blocks.append((True, "\n".join(block) + "\n"))
    text = "\n".join(head) + "\n"
    size = len(text.encode())
    for index, (_, chunk) in enumerate(blocks):
        remaining = sum(finding for finding, _ in blocks[index:])
        note = (
            f"\n> Report truncated: {plural(remaining, 'more finding')} not shown; "
            "see the JSON or HTML report.\n"
        )
        added = len(chunk.encode()) + 1
        if size + added + len(note.encode()) > cap:
            return text + note
        text += "\n" + chunk
        size += added
    return text


def _dead_over_time(trend: Trend | None) -> str:
    """'4 runs: 0 → 2 → 3 (offline) → 3': dead links per finished run, oldest first."""
    if trend is None or len(trend.runs) < 2:
        return ""
    steps = []
    for _, offline, counts in trend.runs:
        dead = sum(count for verdict, count in counts.items() if dead_verdict(verdict))
        steps.append(f"{dead} (offline)" if offline else str(dead))
    return f"{len(steps)} runs: " + " → ".join(steps)
