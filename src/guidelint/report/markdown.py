"""A Markdown summary for GitHub job summaries, which GitHub caps at 1 MiB.

File names and messages (which quote guide text) are code: a name such as `@everyone.yaml`
or a URL in a message must not become a mention or a link.
"""

from __future__ import annotations

from guidelint.escape import md_code
from guidelint.lint import LintResult
from guidelint.report import GITHUB_SUMMARY_LIMIT
from guidelint.report.text import summary_line


def render(result: LintResult, max_bytes: int = GITHUB_SUMMARY_LIMIT) -> str:
    head = ["## guidelint lint", "", summary_line(result.summary), ""]
    if result.diagnostics:
        head += ["| Location | Rule | Severity | Message |", "|---|---|---|---|"]
    rows = [
        f"| {md_code(f'{d.path}:{d.line}:{d.column}', in_table=True)} | {d.code} {d.name} "
        f"| {d.severity.value} | {md_code(d.message, in_table=True)} |"
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
