"""One schema problem hides nothing: the rules still run on the rest of the guide."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelint.config import Config
from guidelint.lint import build_selection, lint_files
from guidelint.loader import load_text
from guidelint.schema import guide_schema
from support import FIXTURES

VALID = FIXTURES / "guides" / "valid" / "minimal-us.yaml"

IRISH = """\
id: tracked-ie
situation_id: tracked
jurisdiction: IE
language: en-IE
last_reviewed: "2026-11-01"
owner: Guides team
title: What to do if…
situation: someone is tracking your phone
short_answer: Check your phone for tracking apps and get support.
do_not:
  - Don’t confront the person.
steps:
  - text: If you are in danger, call 911.
  - text: TODO write this step.
can_wait:
  - You can decide later.
reassurance: This is not your fault.
scope_note: These are first steps.
important_note: This guide is general information, not legal advice. If you are in immediate danger, call 112.
resources:
  - id: mens-aid
    name: Men’s Aid Ireland
    url: http://www.mensaid.ie/
    jurisdictions: [IE]
"""


def _lint(tmp_path: Path, text: str, name: str = "tracked-ie.yaml") -> list[tuple[int, str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = lint_files([path], build_selection(Config(root=tmp_path)))
    return [(d.line, d.code) for d in result.diagnostics]


def test_new_maintainer_scenario_reports_every_mistake_at_once(tmp_path: Path) -> None:
    found = _lint(tmp_path, IRISH)
    assert (13, "GL201") in found  # call 911 in Ireland
    assert (14, "GL401") in found  # the TODO
    assert (23, "GL304") in found  # http, with the https form to write
    assert "GL010" not in {code for _line, code in found}


def test_schema_problems_and_rule_findings_come_together(tmp_path: Path) -> None:
    broken = IRISH.replace(
        "    jurisdictions: [IE]", '    phone: "call us"\n    jurisdictions: [IE]'
    ).replace(
        "  - text: TODO write this step.", "  - text: TODO write this step.\n    audience: kids"
    )
    found = _lint(tmp_path, broken)
    assert (13, "GL201") in found and (14, "GL401") in found
    assert (15, "GL010") in found  # audience is not one of the choices
    assert (24, "GL304") in found  # the resource's http URL, one line down
    assert (25, "GL010") in found  # the phone is not a phone number


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # A whole section of the wrong type: the steps are set aside, the note still checked.
        (
            lambda text: text.replace(
                "steps:\n  - text: If you are in danger, call 911.\n  - text: TODO write this step.",
                "steps: call 911",
            ).replace("call 112.", "call 911."),
            {(12, "GL010"), (17, "GL201")},
        ),
        # A resource without its url: the TODO in the steps is still found.
        (
            lambda text: text.replace("    url: http://www.mensaid.ie/\n", ""),
            {(21, "GL010"), (14, "GL401")},
        ),
        # A date that does not exist: the rule reading it skips, the others run.
        (
            lambda text: text.replace('"2026-11-01"', '"2026-13-45"'),
            {(5, "GL010"), (13, "GL201")},
        ),
    ],
)
def test_rules_skip_only_the_broken_value(
    tmp_path: Path, change: Callable[[str], str], expected: set[tuple[int, str]]
) -> None:
    found = set(_lint(tmp_path, change(IRISH)))
    assert expected <= found, found


def test_a_broken_jurisdiction_silences_the_rules_that_compare_with_it(tmp_path: Path) -> None:
    found = _lint(tmp_path, IRISH.replace("jurisdiction: IE", "jurisdiction: Ireland"))
    codes = [code for _line, code in found]
    assert (3, "GL010") in found
    assert not {"GL201", "GL204", "GL207", "GL208", "GL209"} & set(codes)
    assert (14, "GL401") in found  # the rest still checked


def test_a_file_that_is_not_a_mapping_gets_only_the_schema_finding(tmp_path: Path) -> None:
    assert _lint(tmp_path, "- call 911\n- TODO\n") == [(1, "GL010")]


def test_library_rules_see_guides_with_schema_problems(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "minimal-us.yaml").write_text(text, encoding="utf-8")
    broken = text.replace(
        "    url: https://www.ic3.gov/", "    url: https://www.ic3.gov/\n    ages: kids"
    )
    (tmp_path / "b" / "minimal-us.yaml").write_text(broken, encoding="utf-8")
    files = [tmp_path / "a" / "minimal-us.yaml", tmp_path / "b" / "minimal-us.yaml"]
    result = lint_files(files, build_selection(Config(root=tmp_path)))
    found = {(Path(d.path).parent.name, d.code) for d in result.diagnostics}
    assert {("b", "GL010"), ("b", "GL103")} <= found


_URL_PATTERN_BREAKERS = st.one_of(
    st.text(max_size=30).filter(lambda url: not url.startswith("https://")),
    st.builds(lambda rest: "https://" + rest, st.text(max_size=20)).filter(
        lambda url: url == "https://" or any(char.isspace() for char in url)
    ),
)


@settings(max_examples=80, deadline=None)
@given(url=_URL_PATTERN_BREAKERS)
def test_every_url_the_schema_pattern_rejects_is_reported_by_the_url_rules(url: str) -> None:
    pattern = guide_schema()["$defs"]["resource"]["properties"]["url"]["pattern"]
    text = VALID.read_text(encoding="utf-8").replace(
        "url: https://www.ic3.gov/", f"url: {json.dumps(url)}"
    )
    loaded = load_text(text, "minimal-us.yaml")
    if re.search(pattern, url) or loaded.document is None or loaded.problems:
        return  # valid, or not a string YAML holds as written (the loader reports that)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "minimal-us.yaml"
        path.write_text(text, encoding="utf-8")
        result = lint_files([path], build_selection(Config(root=Path(folder))))
    codes = {d.code for d in result.diagnostics if d.line == 23}
    assert "GL010" not in codes and codes & {"GL304", "GL305"}, (url, result.diagnostics)
