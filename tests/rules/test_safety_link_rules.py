"""Each safety/jurisdiction and resource/link rule against its failing and passing fixtures.

Fixtures are whole guides under tests/fixtures/rules/<CODE>/{fail,pass}/; every expected
finding is pinned to the exact line and column of the offending text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from guidelint.config import Config, ConfigError
from guidelint.diagnostics import Diagnostic, Severity
from guidelint.lint import build_selection, lint_files
from guidelint.rules import RULES
from guidelint.schema import SCHEMA_CODE

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "rules"


def lint(paths: Sequence[Path], select: Sequence[str] | None = None) -> list[Diagnostic]:
    selection = build_selection(Config(root=REPO), select=select)
    return lint_files(list(paths), selection).diagnostics


EXPECTED: dict[str, dict[str, list[tuple[int, int]]]] = {
    "GL201": {
        # "call 911" in a GB step; "112" chained after "call 911" in a US note; "ring 999"
        # on the second line of a block scalar in an AU guide (after "Triple Zero (000)").
        "call-911-in-gb.yaml": [(13, 44)],
        "112-after-911-in-us.yaml": [(23, 114)],
        "call-999-in-au.yaml": [(15, 32)],
    },
    "GL202": {
        "note-without-number-ie.yaml": [(23, 1)],
        "note-with-other-country-number-nz.yaml": [(23, 1)],
    },
    "GL203": {
        "note-without-disclaimer.yaml": [(23, 1)],
        "legal-advice-not-negated.yaml": [(23, 1)],
    },
    "GL204": {
        "us-resource-in-gb.yaml": [(30, 5)],
        "subdivision-resource-in-country-guide.yaml": [(30, 5)],
    },
    "GL205": {"no-under-18-step.yaml": [(7, 1)]},
    "GL206": {"adults-resource-unmarked.yaml": [(18, 7), (23, 5)]},
    "GL207": {"no-facts-for-za.yaml": [(3, 15)]},
    "GL301": {
        # Crimestoppers, Childline, Internet Watch Foundation, Victim Support, CEOP, NSPCC;
        # Childline's second mention is not repeated.
        "named-without-resource.yaml": [(13, 45), (15, 30), (15, 75), (17, 54), (22, 28), (22, 45)],
    },
    "GL302": {"unreferenced-resource.yaml": [(31, 7)]},
    "GL303": {"dangling-and-duplicate-ids.yaml": [(18, 7), (32, 7)]},
    "GL304": {"http-in-prose.yaml": [(17, 5), (17, 49)]},
    "GL305": {"malformed-urls.yaml": [(13, 40), (13, 68), (13, 98), (27, 8), (33, 8)]},
    "GL306": {"shortened-urls.yaml": [(13, 49), (27, 8)]},
    "GL307": {"same-url-twice.yaml": [(35, 8)]},
    "GL308": {
        "undescriptive-names.yaml": [(29, 9), (32, 9), (34, 7)],
        # No resource has a name (imported): one finding on the resources key.
        "imported-without-names.yaml": [(20, 1)],
    },
    "GL309": {"news-as-support.yaml": [(29, 8), (33, 8)]},
}

FAILING = [(code, name) for code, files in EXPECTED.items() for name in files]
PASSING = sorted(path.relative_to(FIXTURES) for path in FIXTURES.glob("*/pass/*.yaml"))


def test_every_rule_has_fixtures_both_ways() -> None:
    for code in EXPECTED:
        assert code in RULES
        assert sorted((FIXTURES / code / "fail").glob("*.yaml")), code
        assert sorted((FIXTURES / code / "pass").glob("*.yaml")), code
        listed = {path.name for path in (FIXTURES / code / "fail").glob("*.yaml")}
        assert listed == set(EXPECTED[code]), code


@pytest.mark.parametrize(("code", "name"), FAILING)
def test_failing_fixture_positions(code: str, name: str) -> None:
    path = FIXTURES / code / "fail" / name
    diagnostics = lint([path], select=[code])
    assert [d.code for d in diagnostics if d.code != code] == []
    assert [(d.line, d.column) for d in diagnostics] == EXPECTED[code][name]
    assert all(d.severity is RULES[code].severity for d in diagnostics)


@pytest.mark.parametrize("relative", PASSING, ids=str)
def test_passing_fixture_is_silent(relative: Path) -> None:
    code = relative.parts[0]
    assert lint([FIXTURES / relative], select=[code]) == []


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/*/*.yaml")), ids=lambda p: p.name)
def test_fixtures_are_schema_valid(path: Path) -> None:
    # A fixture the schema rejects would never reach the rule it is meant to test.
    assert [d for d in lint([path]) if d.code == SCHEMA_CODE or d.code.startswith("GL0")] == []


def test_bundled_guides_have_no_errors_and_only_agreed_warnings() -> None:
    diagnostics = lint(sorted((REPO / "guides").rglob("*.yaml")))
    assert [d for d in diagnostics if d.severity is Severity.ERROR] == []
    ours = sorted(
        (Path(d.path).parent.name, d.line, d.column, d.code)
        for d in diagnostics
        if d.code[:3] in ("GL2", "GL3")
    )
    assert ours == [
        # StopNCII is for adults; the sub-step offering it does not say so.
        ("gb", 38, 7, "GL206"),
        # Crimestoppers, Childline and the Internet Watch Foundation have no resource.
        ("gb", 45, 126, "GL301"),
        ("gb", 57, 95, "GL301"),
        ("gb", 57, 141, "GL301"),
    ]


def test_rule_options_extend_the_default_lists(tmp_path: Path) -> None:
    guide = (FIXTURES / "GL306" / "pass" / "full-urls.yaml").read_text(encoding="utf-8")
    path = tmp_path / "full-urls.yaml"
    path.write_text(guide.replace("https://netsafe.org.nz/", "https://go.example.org/"))
    config = Config(root=REPO, rule_options={"shortened-url": {"extra_hosts": ["go.example.org"]}})
    diagnostics = lint_files([path], build_selection(config, select=["GL306"])).diagnostics
    # The prose link and the resource both use the newly listed shortener.
    assert [(d.line, d.column) for d in diagnostics] == [(13, 49), (27, 8)]


def test_ignored_names_are_not_reported() -> None:
    path = FIXTURES / "GL301" / "fail" / "named-without-resource.yaml"
    config = Config(root=REPO, rule_options={"GL301": {"extra_ignore": ["Crimestoppers", "NSPCC"]}})
    diagnostics = lint_files([path], build_selection(config, select=["GL301"])).diagnostics
    assert [(d.line, d.column) for d in diagnostics] == [(15, 30), (15, 75), (17, 54), (22, 28)]


def test_unknown_rule_option_is_a_config_error() -> None:
    config = Config(root=REPO, rule_options={"GL306": {"hostz": []}})
    with pytest.raises(ConfigError, match=r"unknown key 'hostz' \(did you mean 'hosts'\?\)"):
        build_selection(config)


def test_rules_needing_facts_stay_silent_without_them() -> None:
    path = FIXTURES / "GL207" / "fail" / "no-facts-for-za.yaml"
    assert lint([path], select=["GL201", "GL202", "GL204"]) == []
    text = path.read_text(encoding="utf-8")
    assert "call 999" in text  # a GB number, unchecked for ZA: GL207 says so instead
