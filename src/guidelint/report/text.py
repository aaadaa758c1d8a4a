"""`path:line:col: CODE [severity] message`, one per line, then a summary line."""

from __future__ import annotations

from collections.abc import Iterator

from guidelint.diagnostics import Severity, Summary
from guidelint.escape import visible
from guidelint.lint import LintResult
from guidelint.wording import plural

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render(result: LintResult, color: bool = False) -> str:
    return "".join(chunks(result, color))


#: Lines per chunk written: big enough for few writes, small enough to stream.
_CHUNK = 1024


def chunks(result: LintResult, color: bool = False) -> Iterator[str]:
    """`render`'s text piece by piece, so a library's findings are never one big string."""
    diagnostics = result.diagnostics
    for start in range(0, len(diagnostics), _CHUNK):
        lines = []
        for d in diagnostics[start : start + _CHUNK]:
            # File names and quoted guide text are not ours: nothing in them may reach the
            # terminal as an escape sequence or start a line of its own.
            location = _paint(f"{visible(d.path)}:{d.line}:{d.column}:", "1", color)
            code = _paint(d.code, _COLORS[d.severity], color)
            lines.append(f"{location} {code} [{d.severity.value}] {visible(d.message)}\n")
        yield "".join(lines)
    yield summary_line(result.summary) + "\n"


def summary_line(summary: Summary) -> str:
    counts = ", ".join(
        (
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info"),
        )
    )
    return f"{plural(summary.files, 'file')} checked: {counts}."
