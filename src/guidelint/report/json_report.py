"""The stable, versioned JSON contract (PRODUCT.md §3)."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Iterator
from typing import Any, Final

from guidelint.diagnostics import Diagnostic
from guidelint.lint import LintResult

VERSION: Final = 1

# What json.dumps(..., ensure_ascii=False) writes for a string (the C version when present).
_string: Final = json.encoder.encode_basestring

#: Diagnostics per chunk written: big enough for few writes, small enough to stream.
_CHUNK: Final = 512


def as_dict(result: LintResult) -> dict[str, Any]:
    return {
        "version": VERSION,
        "diagnostics": [_item(d) for d in result.diagnostics],
        "summary": result.summary._asdict(),
    }


def _item(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
    }


def render(result: LintResult) -> str:
    return "".join(chunks(result))


def _dumps(value: Any, indent: int) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * indent)


def _entry(d: Diagnostic) -> str:
    """One diagnostic as `json.dumps(..., indent=2)` writes it in the list, without its encoder."""
    return (
        f'{{\n      "path": {_string(d.path)},\n      "line": {d.line},\n'
        f'      "column": {d.column},\n      "code": {_string(d.code)},\n'
        f'      "name": {_string(d.name)},\n      "severity": {_string(d.severity.value)},\n'
        f'      "message": {_string(d.message)}\n    }}'
    )


def chunks(result: LintResult) -> Iterator[str]:
    """`render`'s text, piece by piece: exactly `json.dumps(as_dict(result), indent=2)`.

    Tens of thousands of diagnostics made the whole document, and the pure-Python encoder
    that indentation needs, the largest thing a library lint held in memory.
    """
    yield f'{{\n  "version": {json.dumps(VERSION)},\n  "diagnostics": ['
    diagnostics = result.diagnostics
    for start in range(0, len(diagnostics), _CHUNK):
        separator = "\n    " if start == 0 else ",\n    "
        yield separator + ",\n    ".join(_entry(d) for d in diagnostics[start : start + _CHUNK])
    yield "\n  ]," if diagnostics else "],"
    yield f'\n  "summary": {_dumps(result.summary._asdict(), 2)}\n}}\n'
