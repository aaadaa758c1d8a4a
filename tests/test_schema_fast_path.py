"""The fast validator may only say "valid" when the reference validator (jsonschema) agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelint.loader import Document, load_path, load_text
from guidelint.schema import _validator, is_valid, validate
from support import FIXTURES, ROOT

# Only files that load reach validation; the rest never meet either validator.
GUIDES = sorted(
    path
    for path in (
        *(FIXTURES / "guides").glob("*/*.yaml"),
        *(FIXTURES / "hostile").glob("*.yaml"),
        *(ROOT / "guides").glob("*/*.yaml"),
    )
    if load_path(path).document is not None
)
BUNDLED = ROOT / "guides" / "us" / "intimate-images-saved-us.yaml"


def _reference_valid(document: Document) -> bool:
    return not any(True for _ in _validator().iter_errors(document.data))


@pytest.mark.parametrize("path", GUIDES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fast_path_agrees_with_jsonschema(path: Path) -> None:
    document = load_path(path).document
    assert document is not None
    assert is_valid(document) == _reference_valid(document)


def _bundled_with(old: str, new: str) -> Document:
    """The bundled guide with the first line containing `old` replaced by `new` (indent kept)."""
    lines = BUNDLED.read_text("utf-8").split("\n")
    number = next(index for index, line in enumerate(lines) if old in line)
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines[number] = indent + new
    document = load_text("\n".join(lines), "edge.yaml").document
    assert document is not None
    return document


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Python's `\s` matches U+001C, Rust's does not: the URL pattern disagrees.
        ("url: https://www.ftc.gov/", 'url: "https://www.ftc.gov/a\\x1cb"'),
        # `$` matches before a final newline in Python only.
        ("id: intimate-images-saved-us", 'id: "intimate-images-saved-us\\n"'),
        ("last_reviewed: '2026-11-01'", "last_reviewed: '2026-02-30'"),
        ("last_reviewed: '2026-11-01'", "last_reviewed: '2024-02-29'"),
    ],
)
def test_fast_path_never_accepts_what_jsonschema_rejects(old: str, new: str) -> None:
    document = _bundled_with(old, new)
    assert is_valid(document) <= _reference_valid(document)


def test_valid_guides_take_the_fast_path() -> None:
    document = load_path(BUNDLED).document
    assert document is not None
    assert is_valid(document)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("owner", "Guides \ud800 team"),
        ("id", "guide-\ud800"),
        ("owner", 10**30),
        ("owner", float("nan")),
    ],
)
def test_values_rust_cannot_hold_are_left_to_jsonschema(key: str, value: object) -> None:
    bundled = load_path(BUNDLED).document
    assert bundled is not None
    data = {**bundled.data, key: value}
    document = Document(bundled.path, bundled.text, data, bundled.values, bundled.keys)
    assert is_valid(document) <= _reference_valid(document)
    assert (validate(document) == []) == _reference_valid(document)
