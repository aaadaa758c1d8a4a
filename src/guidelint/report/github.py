"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…::` annotation per finding."""

from __future__ import annotations

from guidelint.diagnostics import Severity
from guidelint.escape import workflow_data, workflow_property
from guidelint.lint import LintResult

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(result: LintResult) -> str:
    lines = []
    for d in result.diagnostics:
        properties = ",".join(
            (
                f"file={workflow_property(d.path)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={workflow_property(f'{d.code} {d.name}')}",
            )
        )
        lines.append(f"::{_COMMANDS[d.severity]} {properties}::{workflow_data(d.message)}")
    return "".join(f"{line}\n" for line in lines)
