"""The text form is the seeds' exact format: the bundled guides render to the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelint.guide import Guide
from guidelint.render import RENDERERS, load_guide
from guidelint.render.text import render_data

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def _guide(path: Path) -> Guide:
    guide = load_guide(path)
    assert isinstance(guide, Guide), guide
    return guide


@pytest.mark.parametrize(
    ("guide", "seed"),
    [
        ("guides/us/intimate-images-saved-us.yaml", "000_8748ff0df8935c11.txt"),
        ("guides/gb/intimate-images-saved-gb.yaml", "001_a8db087f2961b8db.txt"),
    ],
)
def test_bundled_guides_render_to_the_seeds_byte_for_byte(guide: str, seed: str) -> None:
    expected = (SEEDS / seed).read_bytes()
    # The seeds have no final newline and neither does the text form.
    assert not expected.endswith(b"\n")
    assert RENDERERS["text"](_guide(ROOT / guide)).encode("utf-8") == expected


def test_sub_steps_print_flat_and_resources_as_bare_urls_in_order() -> None:
    data = {
        "title": "What to do if…",
        "situation": "x happens",
        "short_answer": "First line.\nSecond line.",
        "do_not": ["Don't a.", "- b"],
        "steps": [
            {"text": "One.", "substeps": [{"text": "One a."}, {"text": "One b."}]},
            {"text": "Two."},
        ],
        "can_wait": ["Later."],
        "reassurance": "Normal.\n",
        "scope_note": "Scope.",
        "important_note": "Note.",
        "resources": [
            {"id": "b", "name": "B", "url": "https://b.example.org/"},
            {"id": "a", "url": "https://a.example.org/x"},
        ],
    }
    assert render_data(data) == "\n".join(
        [
            "What to do if…",
            "x happens",
            "Short answer",
            "First line.",
            "Second line.",
            "Do not do these things",
            "- Don't a.",
            "- - b",
            "What to do now",
            "- One.",
            "- One a.",
            "- One b.",
            "- Two.",
            "What can wait",
            "- Later.",
            "Important reassurance",
            "Normal.",
            "Scope note",
            "Scope.",
            "Important note",
            "Note.",
            "Additional Resources",
            "- https://b.example.org/",
            "- https://a.example.org/x",
        ]
    )


def test_a_line_break_inside_a_list_item_cannot_split_the_item() -> None:
    data = {
        "title": "T",
        "situation": "S",
        "short_answer": "A",
        "do_not": ["Don't\nsplit me"],
        "steps": [{"text": "Folded\ntext\n"}],
        "can_wait": ["W"],
        "reassurance": "R",
        "scope_note": "S",
        "important_note": "N",
        "resources": [{"id": "r", "url": "https://r.example.org/"}],
    }
    lines = render_data(data).split("\n")
    assert "- Don't split me" in lines
    assert "- Folded text" in lines
