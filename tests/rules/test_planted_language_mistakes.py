"""One planted mistake per guide, in several jurisdictions and languages.

Starting from the bundled guides (which these rules leave without errors), each case edits
one line and expects a finding from the named rule on exactly that line and column, while
the untouched guide gets none from that rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.loader import load_text
from guidelint.rules import RULES
from guidelint.schema import validate
from support import rule_options

ROOT = Path(__file__).parents[2]
GB = (ROOT / "guides/gb/intimate-images-saved-gb.yaml").read_text("utf-8")
US = (ROOT / "guides/us/intimate-images-saved-us.yaml").read_text("utf-8")
LOCALES = {
    "en-GB": ("GB", GB),
    "en-IE": ("IE", GB),
    "en-AU": ("AU", GB),
    "en-NZ": ("NZ", GB),
    "en-US": ("US", US),
    "en-CA": ("CA", US),
}
OPTIONS = {"GL501": {"today": "2026-11-22"}}


def _variant(language: str) -> str:
    jurisdiction, text = LOCALES[language]
    original = "US" if text is US else "GB"
    return text.replace(f"jurisdiction: {original}\n", f"jurisdiction: {jurisdiction}\n").replace(
        f"language: en-{original}\n", f"language: {language}\n"
    )


def _guide(text: str) -> Guide:
    result = load_text(text, "planted.yaml")
    assert result.document is not None
    assert validate(result.document) == []
    return Guide(result.document)


def _positions(code: str, text: str) -> list[tuple[int, int]]:
    rule = RULES[code]
    options = rule_options(code, **OPTIONS.get(code, {}))
    assert rule.check is not None
    return [(f.position.line, f.position.column) for f in rule.check(_guide(text), options)]


def _plant(text: str, old: str, new: str) -> tuple[str, int, int]:
    """Replace `old` by `new`; return the text and the line and column where `new` starts."""
    index = text.index(old)
    planted = text[:index] + new + text[index + len(old) :]
    line = planted.count("\n", 0, index) + 1
    column = index - (planted.rfind("\n", 0, index) + 1) + 1
    return planted, line, column


# (code, text in the bundled guide, replacement, the mistake inside the replacement)
GB_CASES = [
    ("GL401", "Make a report to CEOP.", "Make a report to CEOP on TODO.", "TODO"),
    ("GL401", "Turn on two-factor authentication.", "Call [insert number] now.", "[insert"),
    ("GL402", "Write down what you discovered", "Write down what color you discovered", "color"),
    ("GL402", "Turn on two-factor authentication.", "Organize your two-factor codes.", "Organize"),
    (
        "GL405",
        "Turn on two-factor authentication.",
        "Turn on two-factor authentication and/or passkeys.",
        "and/or",
    ),
    ("GL406", "Make a report to CEOP.", "Make a report to CEOP, or click here.", "click here"),
    (
        "GL503",
        "Turn on two-factor authentication.",
        "Platforms must remove reported images within 48 hours.",
        "must remove",
    ),
    (
        "GL503",
        "Turn on two-factor authentication.",
        "It is illegal to share these images.",
        "It is",
    ),
]
US_CASES = [
    ("GL401", "Save the threats and stop engaging.", "Save the threats and email FIXME.", "FIXME"),
    (
        "GL402",
        "Save the threats and stop engaging.",
        "Save the threats in a colour folder.",
        "colour",
    ),
    ("GL405", "Save the threats and stop engaging.", "Tell him/her to stop.", "him/her"),
    (
        "GL503",
        "Save the threats and stop engaging.",
        "Websites are required by law to delete it.",
        "required by law",
    ),
]


def _cases() -> list[tuple[str, str, str, str, str]]:
    cases = []
    for language in ("en-GB", "en-IE", "en-AU", "en-NZ"):
        cases += [(language, *case) for case in GB_CASES]
    for language in ("en-US", "en-CA"):
        cases += [
            (language, *case)
            for case in US_CASES
            if not (case[0] == "GL402" and language == "en-CA")
        ]
    return cases


@pytest.mark.parametrize(("language", "code", "old", "new", "mistake"), _cases())
def test_planted_mistake_is_found_on_its_line(
    language: str, code: str, old: str, new: str, mistake: str
) -> None:
    clean = _variant(language)
    if code == "GL503":
        clean = clean.replace("effective_date: '2026-05-19'\n", "")
    planted, line, column = _plant(clean, old, new)
    expected = (line, column + new.index(mistake))
    assert expected in _positions(code, planted)
    # The rule did not fire there before the edit (the line held other text).
    before = [position for position in _positions(code, clean) if position[0] == line]
    assert before == []


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_bundled_text_has_no_errors_from_these_rules_in_any_locale(language: str) -> None:
    guide = _guide(_variant(language))
    for code, rule in RULES.items():
        if (
            rule.check is None
            or rule.severity is not Severity.ERROR
            or not code.startswith(("GL4", "GL5"))
        ):
            continue
        options = rule_options(code, **OPTIONS.get(code, {}))
        assert list(rule.check(guide, options)) == [], code


def test_canadian_spelling_is_not_checked() -> None:
    planted, _, _ = _plant(_variant("en-CA"), "stop engaging", "stop engaging, colour or color")
    assert _positions("GL402", planted) == []
