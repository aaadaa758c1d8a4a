"""The one sanitiser: what it does to text guidelint did not write."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guidelint import escape


@given(st.text())
def test_the_printable_shortcut_changes_nothing(text: str) -> None:
    # visible() skips the pattern for printable text: that must give the pattern's answer.
    assert escape.visible(text) == escape._INVISIBLE().sub(escape._stand_in, text)


def test_controls_bidi_and_line_breaks_become_visible() -> None:
    shown = escape.visible("a\x1b[2Jb\nc\u202ed\u2028e\u200bf\x9b")
    assert shown == "a\u241b[2Jb\u240ac<U+202E>d<U+2028>e<U+200B>f<U+009B>"
    assert shown.isprintable()


def test_clip_marks_the_cut() -> None:
    assert escape.clip("abcdef", 4) == "abc…"
    assert escape.clip("abcd", 4) == "abcd"


def test_workflow_commands_cannot_be_ended_early() -> None:
    assert escape.workflow_data("50%\r\n::error::x") == "50%25%0D%0A::error::x"
    assert escape.workflow_property("a:b,c") == "a%3Ab%2Cc"


def test_only_plain_http_urls_become_markdown_links() -> None:
    assert escape.md_link("https://a.example/x") == "[`https://a.example/x`](<https://a.example/x>)"
    assert escape.md_link("javascript:alert(1)") == "`javascript:alert(1)`"
    assert escape.md_link("https://a.example/(x)").startswith("`")
