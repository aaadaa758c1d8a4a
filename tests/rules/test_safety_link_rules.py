"""Safety/jurisdiction and resource/link rules beyond their fixtures: options, the bundled guides.

Each rule's own failing and passing fixtures are checked by tests/rules/test_rule_fixtures.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from guidelint.config import Config, ConfigError
from guidelint.diagnostics import Diagnostic, Severity
from guidelint.lint import build_selection, lint_files

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "rules"


def lint(paths: Sequence[Path], select: Sequence[str] | None = None) -> list[Diagnostic]:
    selection = build_selection(Config(root=REPO), select=select)
    return lint_files(list(paths), selection).diagnostics


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
    path = FIXTURES / "GL207" / "fail" / "no-facts-for-br.yaml"
    assert lint([path], select=["GL201", "GL202", "GL204"]) == []
    text = path.read_text(encoding="utf-8")
    assert "call 999" in text  # a GB number, unchecked for BR: GL207 says so instead
