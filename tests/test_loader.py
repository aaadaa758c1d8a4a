"""Every loader hazard is a fixture file; each must give a located finding, never a crash."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from guidelint import loader
from support import FIXTURES

HOSTILE = FIXTURES / "hostile"

# file -> (code, line, column, words the message must contain)
EXPECTED = {
    "anchor-alias.yaml": ("GL005", 1, 8, "anchor '&who'"),
    "billion-laughs.yaml": ("GL005", 1, 4, "anchor '&a'"),
    "complex-key.yaml": ("GL001", 1, 3, "key must be plain text"),
    "control-char.yaml": ("GL002", 1, 9, "U+0007"),
    "custom-tag.yaml": ("GL005", 1, 8, "tag '!custom'"),
    "deep-block.yaml": ("GL003", 25, 49, "deeper than 24"),
    "deep-flow.yaml": ("GL003", 1, 31, "deeper than 24"),
    "duplicate-key.yaml": ("GL004", 2, 1, "duplicate key 'id' (first set on line 1)"),
    "impossible-date.yaml": ("GL007", 1, 16, "'2025-13-45' is not a real date"),
    "latin1.yaml": ("GL002", 1, 8, "byte 0xe9 is not valid UTF-8"),
    "multiple-documents.yaml": ("GL005", 2, 1, "more than one YAML document"),
    "nul-byte.yaml": ("GL002", 1, 6, "NUL byte"),
    "python-tag.yaml": ("GL005", 1, 5, "python/object/apply"),
    "tab-indent.yaml": ("GL001", 2, 1, "tab characters"),
    "unclosed-flow.yaml": ("GL001", 1, 8, "flow sequence, which starts here"),
    "unterminated-quote.yaml": ("GL001", 1, 8, "never closed"),
    "utf16.yaml": ("GL002", 1, 4, "UTF-16"),
    "yaml11-boolean.yaml": ("GL006", 2, 12, "unquoted 'no' means false"),
}


def test_every_hostile_fixture_has_an_expectation() -> None:
    on_disk = {path.name for path in HOSTILE.glob("*.yaml")} - {"empty.yaml", "top-level-list.yaml"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_gives_located_problem(name: str) -> None:
    code, line, column, words = EXPECTED[name]
    result = loader.load_path(HOSTILE / name)
    first = result.problems[0]
    assert (first.code, first.line, first.column) == (code, line, column)
    assert words in first.message
    if code in loader.FATAL_CODES:
        assert result.document is None


def test_billion_laughs_is_refused_quickly_and_small() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = loader.load_path(HOSTILE / "billion-laughs.yaml")
    assert time.perf_counter() - started < 1
    assert result.document is None
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"title: " + b"x" * (loader.MAX_BYTES + 10) + b"\n")
    result = loader.load_path(big)
    assert result.document is None
    assert [(p.code, p.line, p.column) for p in result.problems] == [("GL003", 1, 1)]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = loader.load_path(fifo)
    assert result.problems[0].message.startswith("not a regular file")


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    result = loader.load_path(tmp_path / "absent.yaml")
    assert result.problems[0].code == "GL002"
    assert "cannot read" in result.problems[0].message


def test_values_follow_yaml_1_2_core_schema() -> None:
    text = "a: 1\nb: 1.5\nc: true\nd: ~\ne: 2026-01-01\nf: 'no'\ng: !!str 12\nh: +.inf\n"
    result = loader.load_text(text, "x.yaml")
    assert result.document is not None
    assert result.document.data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": "2026-01-01",
        "f": "no",
        "g": "12",
        "h": float("inf"),
    }
    assert [p.code for p in result.problems] == ["GL007"]


@pytest.mark.parametrize("value", ["yes", "No", "ON", "off", "y", "1:20", "0777", "1_000"])
def test_yaml11_surprises_are_flagged(value: str) -> None:
    result = loader.load_text(f"title: {value}\n", "x.yaml")
    assert [(p.code, p.line, p.column) for p in result.problems] == [("GL006", 1, 8)]
    assert result.document is not None


def test_quoted_yaml11_words_are_fine() -> None:
    result = loader.load_text("a: 'no'\nb: \"on\"\nc: |\n  yes\n", "x.yaml")
    assert result.problems == []


def test_positions_of_keys_and_values() -> None:
    text = "id: a\nsteps:\n  - text: one\n    substeps:\n      - text: two\n"
    document = loader.load_text(text, "x.yaml").document
    assert document is not None
    assert document.position(("steps", 0, "substeps", 0, "text")) == (5, 15)
    assert document.key_position(("steps", 0, "substeps")) == (4, 5)
    assert document.position(("steps", 7, "text")) == (3, 3)  # falls back to the nearest node


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("t: plain words here\n", "here", (1, 16)),
        ("t: >-\n  folded text\n  goes on here\n", "here", (3, 11)),
        ("t: |\n  literal\n  block here\n", "here", (3, 9)),
        ("t: 'it''s quoted here'\n", "here", (1, 18)),
        ('t: "esc \\u00e9 then here"\n', "here", (1, 21)),
        ("t: plain that\n  wraps here\n", "here", (2, 9)),
        ("t: “typographic” here\n", "here", (1, 18)),
    ],
)
def test_text_position_inside_every_scalar_style(
    text: str, needle: str, expected: tuple[int, int]
) -> None:
    document = loader.load_text(text, "x.yaml").document
    assert document is not None
    value = document.data["t"]
    assert document.text_position(("t",), value.index(needle)) == expected


ALIGN_CASES = (
    "a: plain words here\n"
    "b: 'it''s quoted  with  runs'\n"
    'c: "esc \\u00e9 and \\t tab  here"\n'
    'd: "plain double  quoted  text"\n'
    "e: two  spaces   and\ttab inside plain\n"
    "f: plain that\n  wraps  here\n"
    "g: >-\n  folded text\n  goes  on here\n"
    "h: |\n  literal\n  block  here\n"
    "i: 'single\n  quoted fold'\n"
    "j: “typographic”  here\n"
)


def test_shortcut_alignment_lands_where_the_walk_does() -> None:
    # text_position maps a value written as it reads straight to its offset; every offset of
    # every scalar style (and every string of every fixture guide) must land where the
    # character-by-character walk does, runs of spaces included.
    documents = [loader.load_text(ALIGN_CASES, "x.yaml").document]
    for path in sorted(FIXTURES.rglob("*.yaml")):
        documents.append(loader.load_path(path).document)
    checked = 0
    for document in documents:
        if document is None:
            continue
        for pointer, span in document.values.items():
            value = loader._get(document.data, pointer)
            if not isinstance(value, str):
                continue
            for offset in range(len(value)):
                walked = loader._walk(value, document.text, span, offset)
                assert loader._align(value, document.text, span, offset) == walked, (
                    document.path,
                    pointer,
                    offset,
                )
                checked += 1
    assert checked > 10_000


def test_bom_is_accepted() -> None:
    result = loader.load_bytes(b"\xef\xbb\xbfa: b\n", "x.yaml")
    assert result.problems == []
    assert result.document is not None
    assert result.document.data == {"a": "b"}


def test_huge_integer_stays_text() -> None:
    result = loader.load_text("id: " + "9" * 5000 + "\n", "x.yaml")
    assert result.document is not None
    assert result.document.data["id"] == "9" * 5000


def test_problem_flood_stops_reading() -> None:
    text = "".join(f"k{i}: &a{i} v\n" for i in range(500))
    result = loader.load_text(text, "x.yaml")
    assert len(result.problems) == loader.MAX_PROBLEMS + 1
    assert result.problems[-1].code == "GL003"
    assert result.document is None


def test_duplicate_key_keeps_the_first_value_and_its_positions() -> None:
    result = loader.load_text("a: {x: 1}\na:\n  y: 2\n", "x.yaml")
    assert result.document is not None
    assert result.document.data == {"a": {"x": 1}}
    assert result.document.position(("a",)) == (1, 4)
    assert result.document.position(("a", "x")) == (1, 8)
