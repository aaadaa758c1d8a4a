"""Each language, governance and library rule against its failing and passing fixture files.

A failing fixture lists its expected findings in trailing comments (`# expect: GL402 18:30`);
adding a case means adding a file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidelint.config import Config
from guidelint.lint import build_selection, lint_paths

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rules"
CODES = (
    "GL401",
    "GL402",
    "GL403",
    "GL404",
    "GL405",
    "GL406",
    "GL407",
    "GL408",
    "GL501",
    "GL502",
    "GL503",
    "GL601",
)
# The review-date rule judges against a fixed day, so the fixtures never go stale.
TODAY = "2026-11-22"
_EXPECT = re.compile(r"^# expect: (GL\d+) (\d+):(\d+)$", re.MULTILINE)


def _findings(code: str, folder: Path) -> list[tuple[str, str, int, int]]:
    config = Config(root=folder, rule_options={"GL501": {"today": TODAY}})
    result = lint_paths([folder], build_selection(config, select=[code]))
    return sorted((Path(d.path).name, d.code, d.line, d.column) for d in result.diagnostics)


def _expected(folder: Path) -> list[tuple[str, str, int, int]]:
    return sorted(
        (path.name, code, int(line), int(column))
        for path in folder.glob("*.yaml")
        for code, line, column in _EXPECT.findall(path.read_text("utf-8"))
    )


@pytest.mark.parametrize("code", CODES)
def test_failing_fixture_reports_exact_positions(code: str) -> None:
    folder = FIXTURES / code / "fail"
    expected = _expected(folder)
    assert expected, f"{folder} has no '# expect:' lines"
    assert _findings(code, folder) == expected


@pytest.mark.parametrize("code", CODES)
def test_passing_fixture_is_silent(code: str) -> None:
    folder = FIXTURES / code / "pass"
    assert list(folder.glob("*.yaml"))
    assert _findings(code, folder) == []
