"""Edge cases of the language, governance and parity rules, on real YAML text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guidelint import prose
from guidelint.config import Config, ConfigError
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.lint import build_selection, lint_paths
from guidelint.loader import load_text
from guidelint.rules import RULES
from guidelint.rules.base import Finding
from guidelint.rules.reading_level import syllables
from guidelint.schema import validate
from support import rule_options

FIXTURES = Path(__file__).parent.parent / "fixtures"

TEMPLATE = """\
id: sample
situation_id: sample
jurisdiction: {jurisdiction}
language: {language}
last_reviewed: '2026-11-01'
owner: Safety content team
title: What to do if…
situation: someone has taken over one of your accounts
short_answer: {short_answer}
do_not:
- Don’t pay anyone.
steps:
- text: Change your email password first.
can_wait:
- You don’t need to report it today.
reassurance: This happens to many people.
scope_note: These are first steps.
important_note: This guide is general information, not legal advice.
resources:
- id: help
  name: {name}
  url: https://www.usa.gov/help
"""


def _guide(
    short_answer: str,
    language: str = "en-US",
    jurisdiction: str = "US",
    name: str = "Helpline",
    extra: str = "",
) -> Guide:
    text = TEMPLATE.format(
        short_answer=short_answer, language=language, jurisdiction=jurisdiction, name=name
    )
    result = load_text(extra + text, "sample.yaml")
    assert result.document is not None, result.problems
    assert validate(result.document) == []
    return Guide(result.document)


def _run(code: str, guide: Guide, **options: Any) -> list[Finding]:
    rule = RULES[code]
    assert rule.check is not None
    return list(rule.check(guide, rule_options(code, **options)))


def _words(code: str, guide: Guide, **options: Any) -> list[str]:
    """The text each finding points at, up to the next space."""
    lines = guide.document.text.splitlines()
    return [
        lines[f.position.line - 1][f.position.column - 1 :].split(" ")[0]
        for f in _run(code, guide, **options)
    ]


def test_sentences_skip_abbreviations_and_lowercase_continuations() -> None:
    text = "Write a boundary (e.g., “Delete it”). Then stop. Use it (hash-based tool) to help… ok"
    found = [text[s.start : s.end] for s in prose.sentences(text)]
    assert found == [
        "Write a boundary (e.g., “Delete it”).",
        "Then stop.",
        "Use it (hash-based tool) to help… ok",
    ]


def test_word_count_ignores_dashes_and_keeps_bracketed_words() -> None:
    assert prose.count_words("Report to the FBI (IC3) — now / or re-share it & go") == 10


def test_syllable_estimates() -> None:
    assert [syllables(w) for w in ("make", "saved", "posted", "little", "authentication")] == [
        1,
        1,
        2,
        2,
        5,
    ]


@pytest.mark.parametrize(
    ("language", "jurisdiction", "sentence", "expected"),
    [
        ("en-US", "US", "Don’t recognise the colour.", ["recognise", "colour."]),
        ("en-AU", "AU", "Call a counselor at the center.", ["counselor", "center."]),
        ("en-NZ", "NZ", "Organize your notes.", ["Organize"]),
        ("en-IE", "IE", "Keep a catalog of the behavior.", ["catalog", "behavior."]),
        ("en-GB", "GB", "The center’s staff can help.", ["center’s"]),
        ("en-GB", "GB", "Wear gray.", ["gray."]),
        ("en-US", "US", "Don’t send a cheque from the second storey.", ["cheque", "storey."]),
    ],
)
def test_wrong_locale_spelling(
    language: str, jurisdiction: str, sentence: str, expected: list[str]
) -> None:
    assert _words("GL402", _guide(sentence, language, jurisdiction)) == expected


def test_spelling_skips_names_quotes_urls_and_resource_names() -> None:
    sentence = (
        "Ask the World Health Organization. Tap “Favorites” or 'Color settings' at "
        "https://color.example.com/center or mail center@help.org. Visit the Centers for "
        "Disease Control."
    )
    assert _words("GL402", _guide(sentence, "en-GB", "GB", name="Center for Safety")) == []


def test_spelling_ignores_words_correct_in_both_locales() -> None:
    sentence = "Install the program; practice helps, and draft a license."
    assert _words("GL402", _guide(sentence, "en-GB", "GB")) == []
    assert _words("GL402", _guide("Open the dialogue and the catalogue.")) == []


def test_oxford_ize_is_an_option_for_british_guides() -> None:
    guide = _guide("Recognize the signs and organize the colors.", "en-GB", "GB")
    assert _words("GL402", guide) == ["Recognize", "organize", "colors."]
    assert _words("GL402", guide, allow_oxford_ize=True) == ["colors."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Open 24/7, on 12/05/2026, half (1/2) the time.",
        "See https://www.police.uk/advice/online-safety and police.uk/advice.",
        "Use TCP/IP or an A/B test.",
        "Tap “Settings/Privacy” in the app.",
    ],
)
def test_slash_exclusions(sentence: str) -> None:
    assert _run("GL405", _guide(sentence)) == []


def test_slash_inside_names_is_not_skipped_by_mistake() -> None:
    assert _words("GL405", _guide("Tell a friend/relative and/or a teacher.")) == [
        "friend/relative",
        "and/or",
    ]


def test_mixed_quotes_reports_typographic_minority() -> None:
    guide = _guide(
        "Don't panic. It's \"normal\" and you didn’t cause it. See https://x.example.gov/it's."
    )
    found = _run("GL407", guide)
    assert len(found) == 1
    assert "typographic ’" in found[0].message
    assert _words("GL407", guide) == ["’t"]


def test_mixed_quotes_ignores_primes_after_digits() -> None:
    assert _run("GL407", _guide("He is 5'10\" tall and it’s fine.")) == []


def test_generic_resource_name() -> None:
    assert len(_run("GL406", _guide("Get help.", name="Read more"))) == 1
    assert _run("GL406", _guide("Start here if you are stuck.", name="Helpline")) == []


def test_placeholder_whole_value_and_case() -> None:
    assert _words("GL401", _guide("N/A")) == ["N/A"]
    # Lower-case "todo" is Spanish for "all"; only the marker in capitals is a placeholder.
    assert _run("GL401", _guide("Lo hacemos todo juntos.", "es-US")) == []
    assert _words("GL401", _guide("Call {{helpline}} or 0800 XXX XXX.")) == ["{{helpline}}", "XXX"]
    assert _words("GL401", _guide("Contact [organisation name] or <your GP>.")) == [
        "[organisation",
        "<your",
    ]
    assert "'XXX XXX'" in _run("GL401", _guide("Call 0800 XXX XXX."))[0].message


@pytest.mark.parametrize(
    ("reviewed", "severity"),
    [
        ("2026-11-01", None),
        ("2026-05-26", None),
        ("2026-05-25", Severity.WARNING),
        ("2025-11-22", Severity.WARNING),
        ("2025-11-21", Severity.ERROR),
        ("2026-11-23", None),
        ("2026-11-24", Severity.ERROR),
        ("2026-02-30", Severity.ERROR),
    ],
)
def test_review_thresholds(reviewed: str, severity: Severity | None) -> None:
    guide = _guide("Stop.", extra="")
    text = guide.document.text.replace("'2026-11-01'", f"'{reviewed}'")
    result = load_text(text, "sample.yaml")
    assert result.document is not None
    found = _run("GL501", Guide(result.document), today="2026-11-22")
    if severity is None:
        assert found == []
    else:
        assert len(found) == 1
        assert (found[0].severity or RULES["GL501"].severity) is severity
        assert found[0].position.line == 5


def test_review_thresholds_are_options() -> None:
    guide = _guide("Stop.")
    assert _run("GL501", guide, today="2026-11-22", warn_after_days=10) != []
    assert _run("GL501", guide, today="2026-11-22", warn_after_days=30) == []


def test_review_today_must_be_a_date() -> None:
    with pytest.raises(ConfigError, match="today"):
        _run("GL501", _guide("Stop."), today="yesterday")


def test_review_severity_in_config_wins_over_the_graded_one(tmp_path: Path) -> None:
    text = _guide("Stop.").document.text.replace("'2026-11-01'", "'2024-01-01'")
    (tmp_path / "sample.yaml").write_text(text, "utf-8")
    from guidelint.diagnostics import Severity as S

    for configured, expected in ((None, S.ERROR), (S.INFO, S.INFO)):
        severity = {"GL501": configured} if configured else {}
        config = Config(root=tmp_path, severity=severity)
        result = lint_paths([tmp_path], build_selection(config, select=["GL501"]))
        assert [d.severity for d in result.diagnostics] == [expected]


def test_negated_duty_is_not_a_legal_claim() -> None:
    guide = _guide(
        "You don’t have to report it within 48 hours. You do not have to act within 2 days."
    )
    assert _run("GL503", guide) == []


def test_law_that_makes_something_an_offence_is_a_claim() -> None:
    guide = _guide("The Online Safety Act 2023 makes it an offence to share them.", "en-GB", "GB")
    assert _words("GL503", guide) == ["makes"]


def test_dated_legal_claim_is_fine() -> None:
    claim = "Under the Online Safety Act, platforms must remove it within 48 hours."
    assert len(_run("GL503", _guide(claim, "en-GB", "GB"))) == 1
    dated = _guide(claim, "en-GB", "GB", extra="effective_date: '2024-01-31'\n")
    assert _run("GL503", dated) == []


def test_reviewer_placeholders() -> None:
    guide = _guide("Stop.", extra="reviewers:\n- Legal review\n- '?'\n")
    assert [f.position.line for f in _run("GL502", guide)] == [3]


def test_imported_guide_shape_does_not_crash_any_rule() -> None:
    folder = FIXTURES / "imported"
    config = Config(root=folder, rule_options={"GL501": {"today": "2026-11-22"}})
    result = lint_paths([folder], build_selection(config))
    mine = [d for d in result.diagnostics if d.code.startswith(("GL4", "GL5", "GL6"))]
    found = [(Path(d.path).name, d.code, d.line, d.column) for d in mine]
    assert found == [("account-hacked-au.yaml", "GL601", 13, 1)]
    assert "no step has a slot" in mine[0].message


def test_parity_names_a_few_variants_and_counts_the_rest(tmp_path: Path) -> None:
    source = (FIXTURES / "rules" / "GL601" / "fail" / "parity-us.yaml").read_text("utf-8")
    for country in ("us", "ca", "au", "nz", "ie"):
        (tmp_path / f"parity-{country}.yaml").write_text(
            source.replace("id: parity-us", f"id: parity-{country}"), "utf-8"
        )
    lacking = (FIXTURES / "rules" / "GL601" / "fail" / "parity-gb.yaml").read_text("utf-8")
    (tmp_path / "parity-gb.yaml").write_text(lacking, "utf-8")
    result = lint_paths([tmp_path], build_selection(Config(root=tmp_path), select=["GL601"]))
    messages = [(Path(d.path).name, d.message) for d in result.diagnostics]
    assert [name for name, _ in messages] == ["parity-gb.yaml"] * 3
    assert all(
        "parity-au.yaml (US), " in message and "and 2 more" in message for _, message in messages
    )


def test_suppressing_one_slash_keeps_the_others(tmp_path: Path) -> None:
    source = (FIXTURES / "rules" / "GL405" / "fail" / "slash-us.yaml").read_text("utf-8")
    lines = source.splitlines()
    lines[22] += "  # guidelint: disable=GL405 -- quoting the reader's own words"
    (tmp_path / "slash-us.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    result = lint_paths(
        [tmp_path], build_selection(Config(root=tmp_path), select=["GL405", "GL008"])
    )
    assert [(d.code, d.line) for d in result.diagnostics] == [("GL405", 16)]
