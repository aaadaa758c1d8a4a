"""Any schema-valid prose: the language rules never crash and point inside the file."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelint.guide import Guide
from guidelint.loader import load_text
from guidelint.rules import RULES
from guidelint.schema import validate
from support import rule_options

BASE = yaml.safe_load(
    (Path(__file__).parents[1] / "fixtures/rules/GL402/pass/spelling-gb-ok.yaml").read_text("utf-8")
)
ALPHABET = st.sampled_from(
    [
        *"abcXYZ ./:;,!?()[]{}<>-—–'\"‘’“”…/@#\n\t0123456789é",
        "colour",
        "color",
        "TODO",
        "and/or",
        "https://a.org/x",
        "e.g.",
        "must",
        " within 48 hours",
    ]
)
PROSE = st.lists(ALPHABET, min_size=1, max_size=40).map("".join).filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None)
@given(
    short_answer=PROSE, item=PROSE, language=st.sampled_from(["en-US", "en-GB", "en-CA", "fr-FR"])
)
def test_rules_survive_any_prose(short_answer: str, item: str, language: str) -> None:
    data = {**BASE, "short_answer": short_answer, "do_not": [item, "Stop."], "language": language}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=30)
    result = load_text(text, "prop.yaml")
    if result.document is None or validate(result.document):
        return
    guide = Guide(result.document)
    lines = text.split("\n")
    for code, rule in RULES.items():
        if rule.check is None or not code.startswith(("GL4", "GL5")):
            continue
        options = rule_options(code, today="2026-11-22") if code == "GL501" else rule.options
        for finding in rule.check(guide, options):
            line, column = finding.position.line, finding.position.column
            assert 1 <= line <= len(lines), code
            assert 1 <= column <= len(lines[line - 1]) + 1, code
