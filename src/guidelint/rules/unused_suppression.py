"""An inline suppression that suppresses nothing.

A `# guidelint: disable=CODE` comment that no longer matches a finding hides the next real
problem on that line. Like ruff's RUF100, guidelint reports it so it can be removed. A
suppression naming an unknown rule is reported too.

Suppressions are YAML comments. At the end of a line they apply to that line; on a line of
their own, to the next line with content; `disable-file` applies to the whole file. A reason
after `--` is encouraged:

    title: What to do if…  # guidelint: disable=GL101 -- reason here

Failing (no GL401 finding on that line):

    owner: Safety team  # guidelint: disable=GL401

Passing: the comment is removed, or a finding it names is on that line.
"""

from __future__ import annotations

from guidelint.diagnostics import Severity

CODE = "GL008"
NAME = "unused-suppression"
SEVERITY = Severity.WARNING
SUMMARY = "A `# guidelint: disable=…` comment that matches no finding, or names no rule."
