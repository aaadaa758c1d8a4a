"""A Markdown summary for GitHub job summaries, which GitHub caps at 1 MiB."""

from __future__ import annotations

from guidelint.escape import md_escape
from guidelint.lint import LintResult
from guidelint.report import GITHUB_SUMMARY_LIMIT
from guidelint.report.text import summary_line


def escape_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no markup, no HTML, no broken columns."""
    return md_escape(text)


def render(result: LintResult, max_bytes: int = GITHUB_SUMMARY_LIMIT) -> str:
    head = ["## guidelint lint", "", summary_line(result.summary), ""]
    if result.diagnostics:
        head += ["| Location | Rule | Severity | Message |", "|---|---|---|---|"]
    rows = [
        f"| `{escape_cell(d.path).replace('`', '')}:{d.line}:{d.column}` | {d.code} {d.name} "
        f"| {d.severity.value} | {escape_cell(d.message)} |"
        for d in result.diagnostics
    ]
    out = "\n".join(head) + "\n"
    budget = max_bytes - 200  # room for the truncation note
    for index, row in enumerate(rows):
        line = row + "\n"
        if len(out.encode()) + len(line.encode()) > budget:
            left = len(rows) - index
            out += (
                f"\n_Truncated: {left} more finding(s) not shown; see the JSON or SARIF report._\n"
            )
            break
        out += line
    return out
