"""Generated YAML reads back the same in YAML 1.1 tools, YAML 1.2 editors and guidelint."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from guidelint.loader import load_text
from guidelint.yamlwrite import dump_guide, schema_ref

TRICKY = [
    "no",
    "No",
    "yes",
    "on",
    "off",
    "y",
    "N",
    "null",
    "~",
    "",
    "true",
    "FALSE",
    "2025-01-01",
    "2025-1-1",
    "1_000",
    "1:30",
    "012",
    "0o17",
    "0x1F",
    "1e5",
    ".5",
    "-.inf",
    ".NaN",
    "3.14",
    "42",
    "- not a list",
    "key: value",
    "# not a comment",
    "a #hash",
    "'quoted'",
    '"double"',
    "&anchor",
    "*alias",
    "!tag",
    "@at",
    "`tick",
    "%percent",
    "{flow}",
    "[flow]",
    ", comma",
    "? question",
    "| pipe",
    "> fold",
    " leading space",
    "trailing space ",
    "tab\there",
    "line one\nline two",
    "trailing spaces  \nnext",
    "ends with newline\n",
    "“typographic” — dash… \u2019",
    "control \x07 char",
    "line\u2028separator",
    "next\x85line",
]


@pytest.mark.parametrize("value", TRICKY)
def test_values_survive_every_reader(value: str) -> None:
    text = dump_guide({"title": value, "do_not": [value]}, "schema.json")
    loaded = load_text(text, "x.yaml")
    assert loaded.problems == []  # no ambiguous-scalar or unquoted-date findings
    assert loaded.document is not None
    assert loaded.document.data == {"title": value, "do_not": [value]}
    # PyYAML's YAML 1.1 reading agrees too.
    assert yaml.safe_load(text) == {"title": value, "do_not": [value]}


def test_keys_follow_the_schema_order_and_unicode_is_kept() -> None:
    text = dump_guide(
        {"resources": [], "title": "What to do if…", "id": "x", "language": "en-GB"}, "s.json"
    )
    assert text == (
        "# yaml-language-server: $schema=s.json\n"
        "id: x\n"
        "language: en-GB\n"
        "title: What to do if…\n"
        "resources: []\n"
    )


def test_multi_line_text_is_a_literal_block() -> None:
    text = dump_guide({"scope_note": "First line.\nSecond: line."}, "s.json")
    assert "scope_note: |-\n  First line.\n  Second: line.\n" in text


def test_schema_ref_is_relative_to_the_repository_schema(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "guide.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "guides" / "us").mkdir(parents=True)
    assert schema_ref(tmp_path / "guides" / "us" / "x.yaml") == "../../schema/guide.schema.json"
    assert schema_ref(tmp_path / "x.yaml") == "schema/guide.schema.json"
    elsewhere = tmp_path.parent / f"{tmp_path.name}-other" / "x.yaml"
    assert schema_ref(elsewhere).startswith("https://")
    assert schema_ref(None).startswith("https://")
