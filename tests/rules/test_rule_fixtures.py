"""Every rule in the registry against its fixture files; adding a case means adding a file.

For each code in `guidelint.rules.RULES`, `tests/fixtures/rules/<CODE>/pass/*.yaml` must lint
without a finding of that code, and `fail/*.yaml` must give exactly the findings of that code
its comments list: `# expect: GL402 18:30` (line and column), with the severity after it when
the rule grades a finding above or below its default (`# expect: GL501 5:16 error`). Each
folder is linted as a whole with every rule on, so library rules see all its guides and
suppressions are judged as in a real run. Passing fixtures must be readable, schema-valid
guides, and so must failing ones of rules that run on loaded guides: a fixture that stops at
the loader or the schema would never reach the rule it claims to test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidelint.config import Config
from guidelint.diagnostics import Diagnostic
from guidelint.lint import build_selection, lint_paths
from guidelint.rules import RULES

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
# The review-date rule judges against a fixed day, so the fixtures never go stale.
TODAY = "2026-11-22"
_EXPECT = re.compile(r"^# expect: (\S+) (\d+):(\d+)(?: (error|warning|info))?$", re.MULTILINE)
#: Findings made before any rule sees the guide: reading it, then checking its shape.
_GATES = frozenset(code for code, rule in RULES.items() if rule.stage in ("loader", "schema"))

Finding = tuple[str, str, int, int, str]  # file name, code, line, column, severity


def _folder(code: str, kind: str) -> Path:
    folder = FIXTURES / code / kind
    what = (
        f"guides that lint without {code}"
        if kind == "pass"
        else f"guides that trigger {code}, each finding listed as '# expect: {code} line:col'"
    )
    assert sorted(folder.glob("*.yaml")), (
        f"{code} ({RULES[code].name}) has no fixtures in {folder.relative_to(FIXTURES.parents[2])}:"
        f" add {what}"
    )
    return folder


def _lint(folder: Path) -> list[Diagnostic]:
    config = Config(root=folder, rule_options={"GL501": {"today": TODAY}})
    return lint_paths([folder], build_selection(config)).diagnostics


def _expected(code: str, folder: Path) -> list[Finding]:
    default = RULES[code].severity.value
    found = []
    for path in folder.glob("*.yaml"):
        # Fixtures of the encoding rule hold bytes that are not UTF-8 on purpose.
        text = path.read_bytes().decode("utf-8", errors="replace")
        for listed, line, column, severity in _EXPECT.findall(text):
            assert listed == code, f"{path.name}: '# expect: {listed}' in a fixture of {code}"
            found.append((path.name, listed, int(line), int(column), severity or default))
    return sorted(found)


def _found(code: str, diagnostics: list[Diagnostic]) -> list[Finding]:
    return sorted(
        (Path(d.path).name, d.code, d.line, d.column, d.severity.value)
        for d in diagnostics
        if d.code == code
    )


@pytest.mark.parametrize("code", RULES)
def test_failing_fixtures_give_exactly_the_expected_findings(code: str) -> None:
    folder = _folder(code, "fail")
    expected = _expected(code, folder)
    assert expected, f"{folder}: no '# expect: {code} line:col' comment lists a finding"
    diagnostics = _lint(folder)
    assert _found(code, diagnostics) == expected
    if code not in _GATES:
        assert [d for d in diagnostics if d.code in _GATES] == []


@pytest.mark.parametrize("code", RULES)
def test_passing_fixtures_are_silent(code: str) -> None:
    diagnostics = _lint(_folder(code, "pass"))
    assert _found(code, diagnostics) == []
    assert [d for d in diagnostics if d.code in _GATES] == []
