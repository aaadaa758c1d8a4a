"""What a rule is: metadata next to a check that yields findings."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

from guidelint.diagnostics import Position, Severity
from guidelint.guide import Guide

Options = Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """A rule's finding before the engine attaches the path, code, name and severity."""

    position: Position
    message: str
    path: str | None = None  # library-wide rules name the guide a finding belongs to
    #: A rule with graded thresholds (warn, then fail) raises one finding above its default;
    #: a severity set in config still wins.
    severity: Severity | None = None


GuideCheck = Callable[[Guide, Options], Iterable[Finding]]
LibraryCheck = Callable[[Sequence[Guide], Options], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity and documentation; `check` runs per guide, `check_library` once."""

    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    check: GuideCheck | None = None
    check_library: LibraryCheck | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    #: `loader` rules are raised while reading a file and cannot be turned off when fatal.
    stage: Literal["loader", "schema", "guide", "library", "meta"] = "guide"

    @classmethod
    def from_module(cls, module: ModuleType, **extra: Any) -> Rule:
        """Build a rule from module constants, so a rule module reads like yamllint's."""
        check = getattr(module, "check", None)
        check_library = getattr(module, "check_library", None)
        stage = extra.pop("stage", "library" if check_library else "guide")
        return cls(
            code=module.CODE,
            name=module.NAME,
            severity=module.SEVERITY,
            summary=module.SUMMARY,
            rationale=inspect.cleandoc(module.__doc__ or ""),
            check=check,
            check_library=check_library,
            options=dict(getattr(module, "OPTIONS", {})),
            stage=stage,
            **extra,
        )


def run_guide_rule(rule: Rule, guide: Guide, options: Options) -> Iterator[Finding]:
    if rule.check is not None:
        yield from rule.check(guide, options)
