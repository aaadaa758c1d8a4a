"""Helpers shared by the tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from guidelint import options
from guidelint.cli import main
from guidelint.options import Where
from guidelint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class CliRun:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliRun:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return CliRun(code, out.getvalue(), err.getvalue())


def rule_options(code: str, **values: Any) -> Any:
    """The options of rule `code` with `values` set, read as `[rules.CODE]` of a config is."""
    rule = RULES[code]
    where = Where(source="test", table=f"tool.guidelint.rules.{code}")
    return options.parse(type(rule.options), values, where, base=rule.options)


def die_like_oom(*_: object) -> NoReturn:
    """Stand-in for a worker's task that ends its process the way the kernel's out-of-memory
    killer would: no exception, no clean-up. Module-level, so a pool can send it by name."""
    os._exit(9)
