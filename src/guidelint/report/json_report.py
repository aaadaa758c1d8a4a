"""The stable, versioned JSON contract (PRODUCT.md §3)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Final

from guidelint.lint import LintResult

VERSION: Final = 1


def as_dict(result: LintResult) -> dict[str, Any]:
    return {
        "version": VERSION,
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "code": d.code,
                "name": d.name,
                "severity": d.severity.value,
                "message": d.message,
            }
            for d in result.diagnostics
        ],
        "summary": asdict(result.summary),
    }


def render(result: LintResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
