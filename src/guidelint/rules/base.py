"""What a rule is: metadata next to a check that yields findings.

A rule with options declares them as `Options`, a `guidelint.options.Record` whose fields
carry `Option` metadata (see `sentence_length.py`); its check receives an instance, read
from `[tool.guidelint.rules.CODE]`. A rule without options imports `Options` from here: it
has no fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any, Literal, NamedTuple

from guidelint.diagnostics import Position, Severity
from guidelint.guide import Guide
from guidelint.options import Record


class Options(Record):
    """The options of a rule that has none."""


class Finding(NamedTuple):
    """A rule's finding before the engine attaches the path, code, name and severity."""

    position: Position
    message: str
    path: str | None = None  # library-wide rules name the guide a finding belongs to
    #: A rule with graded thresholds (warn, then fail) raises one finding above its default;
    #: a severity set in config still wins.
    severity: Severity | None = None


# A check takes its own module's Options; the registry holds rules of every kind.
GuideCheck = Callable[[Guide, Any], Iterable[Finding]]
#: Gets the linted guides in path order, preceded (when only part of the library is linted)
#: by the guides of the rest of it that share an id or a situation id with them; findings
#: about those are dropped: they are context.
LibraryCheck = Callable[[Sequence[Guide], Any], Iterable[Finding]]


class Rule(NamedTuple):
    """A rule's identity and documentation; `check` runs per guide, `check_library` once."""

    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    check: GuideCheck | None = None
    check_library: LibraryCheck | None = None
    #: The defaults, an instance of the rule module's `Options`.
    options: Record = Options()
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
            options=getattr(module, "Options", Options)(),
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


def run_guide_rule(rule: Rule, guide: Guide, options: Record) -> Iterator[Finding]:
    if rule.check is not None:
        yield from rule.check(guide, options)
