"""A character YAML forbids is placed by characters, whatever libyaml counts it in."""

from __future__ import annotations

import pytest

from guidelint import loader


@pytest.mark.parametrize("before", ["", "é", "’’’", "café 💙 — ", "line one\n  é: ’"])
def test_control_character_column_counts_characters_not_bytes(before: str) -> None:
    text = f"key: {before}\x07 after\n"
    index = text.index("\x07")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    problem = loader.load_text(text, "x.yaml").problems[0]
    assert (problem.code, problem.line, problem.column) == (loader.ENCODING, line, column)
    assert "U+0007" in problem.message
