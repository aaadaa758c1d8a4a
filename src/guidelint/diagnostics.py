"""The one record type every lint finding becomes, whatever produced it.

Records on the `guidelint lint` path are named tuples, not dataclasses: a one-file lint in a
pre-commit hook is mostly start-up, and each frozen dataclass costs about a millisecond to
create (plus importing dataclasses and inspect); a named tuple a fifth of that.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


class Position(NamedTuple):
    """A 1-based line and column in a source file."""

    line: int
    column: int


class Diagnostic(NamedTuple):  # a tuple is small: a large library yields tens of thousands
    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


class Summary(NamedTuple):
    files: int
    errors: int
    warnings: int
    infos: int

    @classmethod
    def of(cls, files: int, diagnostics: list[Diagnostic]) -> Summary:
        counts = dict.fromkeys(Severity, 0)
        for diagnostic in diagnostics:
            counts[diagnostic.severity] += 1
        return cls(files, counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO])
