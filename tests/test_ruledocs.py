"""Rule documentation comes from the rule modules; docs/rules.md must match it."""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import guidelint.rules
from guidelint import ruledocs
from guidelint.cli import main
from guidelint.rules import RULES
from guidelint.rules.base import cleandoc

ROOT = Path(__file__).parents[1]


def test_docs_rules_md_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == ruledocs.render_all("markdown"), (
        "docs/rules.md is stale: run 'make docs' and commit the result"
    )


def test_every_rule_is_documented_with_examples() -> None:
    for code, rule in RULES.items():
        if code[2] in "456":
            assert "Failing" in rule.rationale and "Passing" in rule.rationale, code


def test_rules_command_lists_and_explains() -> None:
    out = io.StringIO()
    assert main(["rules"], stdout=out) == 0
    assert "GL402  spelling-locale" in out.getvalue()
    out = io.StringIO()
    assert main(["rules", "sentence-length"], stdout=out) == 0
    assert "- `max_words = 25`" in out.getvalue()
    out = io.StringIO()
    assert main(["rules", "GL405", "--format", "json"], stdout=out) == 0
    assert json.loads(out.getvalue())["name"] == "slash-construction"


def test_option_defaults_are_written_as_toml() -> None:
    text = ruledocs.render_one(RULES["GL402"], "markdown")
    assert "- `allow_oxford_ize = false`" in text
    assert "- `today` (unset): a date such as 2026-11-22." in ruledocs.render_one(
        RULES["GL501"], "markdown"
    )
    assert "- `extra_hosts = []`: a list of strings." in ruledocs.render_one(RULES["GL306"])
    assert '- `hosts = ["bit.ly", "bitly.com", ' in ruledocs.render_one(RULES["GL306"])


def test_rule_module_docs_are_cleaned_as_inspect_cleans_them() -> None:
    names = [info.name for info in pkgutil.iter_modules(guidelint.rules.__path__)]
    assert len(names) > 30
    for name in names:
        doc = importlib.import_module(f"guidelint.rules.{name}").__doc__ or ""
        assert cleandoc(doc) == inspect.cleandoc(doc), name


_LINES = st.sampled_from(["", " ", "\t", "x", "  x", "\tx", " \t x y ", "    - text: a", "a\tb"])


@given(st.lists(_LINES, max_size=8).map("\n".join))
def test_cleandoc_is_inspect_cleandoc(doc: str) -> None:
    assert cleandoc(doc) == inspect.cleandoc(doc)


def test_rules_are_listed_in_code_order_everywhere() -> None:
    codes = list(RULES)
    assert codes == sorted(codes)
    listed = [line.split()[0] for line in ruledocs.render_all("text").splitlines() if line]
    assert listed == codes
    documented = [
        line.split()[1]
        for line in ruledocs.render_all("markdown").splitlines()
        if line[:3] == "## "
    ]
    assert documented == codes


def test_every_selector_lint_accepts_names_rules() -> None:
    from guidelint.rules import resolve

    assert [rule.code for rule in resolve("GL2")] == [c for c in RULES if c.startswith("GL2")]
    assert [rule.code for rule in resolve("gl40")] == [c for c in RULES if c.startswith("GL40")]
    assert [rule.code for rule in resolve("slash-construction")] == ["GL405"]
    assert len(resolve("GL")) == len(RULES)
    assert resolve("GL9") == [] and resolve("nonsense") == []


def test_rules_are_explained_or_listed_for_any_selector() -> None:
    listed = ruledocs.render_selected("GL2")
    assert listed is not None
    assert [line.split()[0] for line in listed.splitlines()] == [
        code for code in RULES if code.startswith("GL2")
    ]
    assert ruledocs.render_selected("slash-construction") == ruledocs.render_one(RULES["GL405"])
    assert ruledocs.render_selected("gl405") == ruledocs.render_one(RULES["GL405"])
    assert ruledocs.render_selected("GL9") is None
    assert json.loads(ruledocs.render_selected("GL40", "json") or "")[0]["code"] == "GL401"
