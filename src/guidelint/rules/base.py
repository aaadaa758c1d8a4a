"""What a rule is: metadata next to a check that yields findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any, Literal, NamedTuple

from guidelint.diagnostics import Position, Severity
from guidelint.guide import Guide

Options = Mapping[str, Any]


class Finding(NamedTuple):
    """A rule's finding before the engine attaches the path, code, name and severity."""

    position: Position
    message: str
    path: str | None = None  # library-wide rules name the guide a finding belongs to
    #: A rule with graded thresholds (warn, then fail) raises one finding above its default;
    #: a severity set in config still wins.
    severity: Severity | None = None


GuideCheck = Callable[[Guide, Options], Iterable[Finding]]
#: Gets the linted guides in path order, preceded (when only part of the library is linted)
#: by the guides of the rest of it that share an id or a situation id with them; findings
#: about those are dropped: they are context.
LibraryCheck = Callable[[Sequence[Guide], Options], Iterable[Finding]]


class Rule(NamedTuple):
    """A rule's identity and documentation; `check` runs per guide, `check_library` once.

    `options` defaults to one shared `{}`: it is typed read-only and the engine copies it.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    check: GuideCheck | None = None
    check_library: LibraryCheck | None = None
    options: Mapping[str, Any] = {}
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
            rationale=cleandoc(module.__doc__ or ""),
            check=check,
            check_library=check_library,
            options=dict(getattr(module, "OPTIONS", {})),
            stage=stage,
            **extra,
        )


def cleandoc(doc: str) -> str:
    """What `inspect.cleandoc` returns (tests hold the two to it), without importing inspect:
    that import alone is several milliseconds of a one-file lint's start-up."""
    lines = doc.expandtabs().split("\n")
    margin = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()), default=0)
    lines = [lines[0].lstrip(), *(line[margin:] for line in lines[1:])]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def run_guide_rule(rule: Rule, guide: Guide, options: Options) -> Iterator[Finding]:
    if rule.check is not None:
        yield from rule.check(guide, options)
