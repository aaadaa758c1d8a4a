"""The bundled guides: no errors, and exactly the language warnings a content designer accepts.

Each warning below was read and judged right: slashes standing for "or", sentences over 25
words, two dense sections, and the structural differences between the US and GB variants.
A new warning here is a false positive until someone reads the guide and agrees with it.
"""

from __future__ import annotations

from pathlib import Path

from guidelint.config import Config
from guidelint.diagnostics import Severity
from guidelint.lint import build_selection, lint_paths

ROOT = Path(__file__).parents[2]
MINE = ("GL4", "GL5", "GL6")

EXPECTED = [
    ("gb/intimate-images-saved-gb.yaml", "GL405", 16, 85),  # archive/mute/hide
    ("gb/intimate-images-saved-gb.yaml", "GL601", 18, 1),  # no report-to-platform step
    ("gb/intimate-images-saved-gb.yaml", "GL405", 26, 52),  # dates/times
    ("gb/intimate-images-saved-gb.yaml", "GL405", 36, 81),  # image/video
    ("gb/intimate-images-saved-gb.yaml", "GL405", 36, 151),  # detect/remove
    ("gb/intimate-images-saved-gb.yaml", "GL403", 57, 11),  # 28 words
    ("gb/intimate-images-saved-gb.yaml", "GL405", 57, 17),  # image/video
    ("gb/intimate-images-saved-gb.yaml", "GL405", 65, 167),  # calls/reports
    ("gb/intimate-images-saved-gb.yaml", "GL404", 69, 104),  # "What can wait", grade 9.3
    ("gb/intimate-images-saved-gb.yaml", "GL403", 71, 74),  # 27 words
    ("gb/intimate-images-saved-gb.yaml", "GL405", 72, 157),  # workplace/school
    ("us/intimate-images-saved-us.yaml", "GL403", 12, 81),  # 26 words
    ("us/intimate-images-saved-us.yaml", "GL405", 17, 76),  # archive/mute/hide
    ("us/intimate-images-saved-us.yaml", "GL601", 19, 1),  # no trusted-person step
    ("us/intimate-images-saved-us.yaml", "GL405", 27, 41),  # usernames/handles
    ("us/intimate-images-saved-us.yaml", "GL405", 27, 60),  # dates/times
    ("us/intimate-images-saved-us.yaml", "GL404", 34, 147),  # "What to do now", grade 9.5
    ("us/intimate-images-saved-us.yaml", "GL405", 38, 55),  # money/more images
    ("us/intimate-images-saved-us.yaml", "GL405", 55, 115),  # images/videos
    ("us/intimate-images-saved-us.yaml", "GL405", 68, 32),  # logins/devices
    ("us/intimate-images-saved-us.yaml", "GL405", 75, 171),  # workplace/school
]


def _lint() -> list[tuple[str, str, int, int, Severity]]:
    config = Config(root=ROOT, rule_options={"GL501": {"today": "2026-11-22"}})
    result = lint_paths([ROOT / "guides"], build_selection(config))
    guides = ROOT / "guides"
    return [
        (Path(d.path).relative_to(guides).as_posix(), d.code, d.line, d.column, d.severity)
        for d in result.diagnostics
    ]


def test_bundled_guides_have_no_errors() -> None:
    assert [d for d in _lint() if d[4] is Severity.ERROR] == []


def test_bundled_guides_get_exactly_the_reviewed_language_findings() -> None:
    found = [d[:4] for d in _lint() if d[1].startswith(MINE)]
    assert found == EXPECTED
