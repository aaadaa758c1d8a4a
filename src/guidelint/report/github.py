"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…::` annotation per finding."""

from __future__ import annotations

from guidelint.diagnostics import Severity
from guidelint.lint import LintResult

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult) -> str:
    lines = []
    for d in result.diagnostics:
        properties = ",".join(
            (
                f"file={_escape_property(d.path)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={_escape_property(f'{d.code} {d.name}')}",
            )
        )
        lines.append(f"::{_COMMANDS[d.severity]} {properties}::{_escape_data(d.message)}")
    return "".join(f"{line}\n" for line in lines)
