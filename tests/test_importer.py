"""Importing the published text form: exact round trips, and located errors for bad text."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from guidelint.guide import Guide
from guidelint.importer import (
    OWNER_PLACEHOLDER,
    MetadataError,
    TextFormatError,
    import_text,
    parse_text,
    resource_id_for,
    to_yaml,
)
from guidelint.loader import load_text
from guidelint.render.text import render, render_data
from guidelint.schema import validate
from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
TODAY = datetime.date(2026, 11, 22)
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _seed(index: int = 0) -> str:
    return SEEDS[index].read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_seeds_round_trip_through_yaml_that_passes_the_schema(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    data = import_text(text, jurisdiction="GB", today=TODAY)
    yaml_text = to_yaml(data, "../../schema/guide.schema.json")
    loaded = load_text(yaml_text, "imported.yaml")
    assert loaded.problems == []
    assert loaded.document is not None
    assert validate(loaded.document) == []
    assert render(Guide(loaded.document)) == text


def test_imported_guide_shape_and_metadata() -> None:
    data = import_text(_seed(0), jurisdiction="us-ca", today=TODAY)
    assert data["jurisdiction"] == "US-CA"
    assert data["language"] == "en-US"
    assert data["last_reviewed"] == "2026-11-22"
    assert data["owner"] == OWNER_PLACEHOLDER
    assert data["situation_id"] == "discover-someone-saved-intimate-photos"
    assert data["id"] == "discover-someone-saved-intimate-photos-us-ca"
    assert list(data)[:6] == [
        "id",
        "situation_id",
        "jurisdiction",
        "language",
        "last_reviewed",
        "owner",
    ]
    # Every "What to do now" line is a step: the text does not show which were sub-steps.
    assert len(data["steps"]) == 22
    # Who a step is for is read from its words: "If anyone in the images is under 18, …".
    marked = [step["text"] for step in data["steps"] if step.get("audience") == "under-18"]
    assert marked == [
        "If anyone in the images is under 18, treat this as an urgent child-safety issue."
    ]
    assert data["needs_under_18_pathway"] is True
    assert all(set(step) <= {"text", "audience"} for step in data["steps"])
    assert [set(resource) for resource in data["resources"]] == [{"id", "url"}] * 7
    ids = [resource["id"] for resource in data["resources"]]
    assert len(set(ids)) == len(ids)
    assert all(ID_PATTERN.match(resource_id) for resource_id in ids)


def test_yaml_output_is_tidy() -> None:
    data = import_text(
        _seed(1), jurisdiction="GB", language="en-GB", guide_id="saved-gb", today=TODAY
    )
    yaml_text = to_yaml(data, "../../schema/guide.schema.json")
    lines = yaml_text.split("\n")
    assert lines[0] == "# yaml-language-server: $schema=../../schema/guide.schema.json"
    assert "last_reviewed: '2026-11-22'" in lines
    assert "title: What to do if…" in lines  # unicode kept, no needless quotes
    assert (
        "- Don\u2019t agree to demands (money, more images, meeting up) — this often escalates."
        in lines
    )


@pytest.mark.parametrize(
    ("step", "marked"),
    [
        ("If you are under 18, report it to CEOP.", True),
        ("Young people can call Childline on 0800 1111.", True),
        ("If your child is under 13, set up parental controls.", False),
        ("If you’re 18 or older, consider StopNCII.", False),
    ],
)
def test_import_marks_the_under_18_route_and_declares_it(step: str, marked: bool) -> None:
    text = _seed(1).replace("\nWhat can wait\n", f"\n- {step}\nWhat can wait\n", 1)
    data = import_text(text, jurisdiction="GB", today=TODAY)
    last = data["steps"][-1]
    assert last["text"] == step
    assert (last.get("audience") == "under-18") is marked
    assert isinstance(data["needs_under_18_pathway"], bool)
    assert data["needs_under_18_pathway"] is (
        any(s.get("audience") == "under-18" for s in data["steps"])
    )


def test_explicit_metadata_is_validated() -> None:
    with pytest.raises(MetadataError, match="ISO 3166"):
        import_text(_seed(), jurisdiction="USA", today=TODAY)
    with pytest.raises(MetadataError, match="BCP 47"):
        import_text(_seed(), jurisdiction="US", language="english", today=TODAY)
    with pytest.raises(MetadataError, match="kebab-case"):
        import_text(_seed(), jurisdiction="US", guide_id="My Guide", today=TODAY)
    with pytest.raises(MetadataError, match="kebab-case"):
        import_text(_seed(), jurisdiction="US", situation_id="bad--slug", today=TODAY)


def test_line_endings_bom_and_final_newline_are_accepted() -> None:
    text = _seed(1)
    for variant in (text + "\n", "\ufeff" + text, text.replace("\n", "\r\n") + "\r\n"):
        assert render_data(parse_text(variant) | _meta()) == text


def _meta() -> dict[str, str]:
    return {"id": "x", "situation_id": "x", "jurisdiction": "GB", "language": "en-GB"}


def test_multi_line_paragraphs_keep_their_line_breaks() -> None:
    lines = _seed(0).split("\n")
    at = lines.index("Scope note") + 1
    lines[at:at] = ["First line of the note.", "", "  An indented line after a blank one."]
    text = "\n".join(lines)
    data = parse_text(text)
    assert data["scope_note"].startswith("First line of the note.\n\n  An indented line")
    assert render_data(data) == text


@pytest.mark.parametrize(
    ("url", "taken", "expected"),
    [
        ("https://www.ic3.gov/", set(), "ic3"),
        ("https://revengepornhelpline.org.uk/", set(), "revengepornhelpline"),
        ("https://www.ceop.police.uk/Safety-Centre/", set(), "ceop-police-safety-centre"),
        ("https://example.org/a/report.html?x=1#top", set(), "example-report"),
        ("https://example.org/a/report.html", {"example-report"}, "example-report-2"),
        ("https://example.org/", {"example", "example-2"}, "example-3"),
        ("https://xn--bcher-kva.example/", set(), "xn-bcher-kva"),
        ("https://[2001:db8::1]/", set(), "2001-db8-1"),
        ("https://192.0.2.1/Ünïcode-päth", set(), "192-0-2-unicode-path"),
    ],
)
def test_resource_ids_are_readable_unique_kebab_case(
    url: str, taken: set[str], expected: str
) -> None:
    resource_id = resource_id_for(url, taken)
    assert resource_id == expected
    assert ID_PATTERN.match(resource_id)


def _replace(old: str, new: list[str]) -> Callable[[list[str]], None]:
    def edit(lines: list[str]) -> None:
        at = lines.index(old)
        lines[at : at + 1] = new

    return edit


def _insert_after(anchor: str, new: list[str], skip: int = 0) -> Callable[[list[str]], None]:
    def edit(lines: list[str]) -> None:
        at = lines.index(anchor) + 1 + skip
        lines[at:at] = new

    return edit


def _remove_section(heading: str) -> Callable[[list[str]], None]:
    def edit(lines: list[str]) -> None:
        start = lines.index(heading)
        end = start + 1
        while lines[end] not in _HEADINGS:
            end += 1
        del lines[start:end]

    return edit


def _empty(heading: str) -> Callable[[list[str]], None]:
    def edit(lines: list[str]) -> None:
        start = lines.index(heading) + 1
        end = start
        while lines[end] not in _HEADINGS:
            end += 1
        del lines[start:end]

    return edit


_HEADINGS = [
    "Short answer",
    "Do not do these things",
    "What to do now",
    "What can wait",
    "Important reassurance",
    "Scope note",
    "Important note",
    "Additional Resources",
]


def _swap_can_wait_and_reassurance(lines: list[str]) -> None:
    wait = lines.index("What can wait")
    reassure = lines.index("Important reassurance")
    scope = lines.index("Scope note")
    lines[wait:scope] = lines[reassure:scope] + lines[wait:reassure]


BAD_TEXTS: list[tuple[str, Callable[[list[str]], None], str, str]] = [
    (
        "misspelt heading",
        _replace("Short answer", ["Short answr"]),
        "Short answr",
        "misspelt heading 'Short answr': did you mean 'Short answer'?",
    ),
    (
        "wrong case",
        _replace("Additional Resources", ["Additional resources"]),
        "Additional resources",
        "did you mean 'Additional Resources'?",
    ),
    (
        "heading with a trailing space",
        _replace("Scope note", ["Scope note "]),
        "Scope note ",
        "heading 'Scope note' has extra spaces",
    ),
    (
        "sections out of order",
        _swap_can_wait_and_reassurance,
        "Important reassurance",
        "section 'Important reassurance' is out of order: expected the heading 'What can wait'",
    ),
    (
        "missing section",
        _remove_section("Scope note"),
        "Important note",
        "missing section 'Scope note': expected its heading before 'Important note'",
    ),
    (
        "bullet in a paragraph",
        _insert_after("Short answer", ["- a stray bullet"], skip=1),
        "- a stray bullet",
        "a '- ' list item where the text of 'Short answer' is expected",
    ),
    (
        "text in a list",
        _insert_after("Do not do these things", ["Some text without a dash."], skip=1),
        "Some text without a dash.",
        "text where a '- ' item of 'Do not do these things' is expected",
    ),
    (
        "other bullet character",
        _insert_after("What can wait", ["• Another thing."], skip=1),
        "• Another thing.",
        "items of 'What can wait' start with '- '",
    ),
    (
        "empty list section",
        _empty("Do not do these things"),
        "Do not do these things",
        "section 'Do not do these things' is empty",
    ),
    (
        "empty paragraph section",
        _empty("Important reassurance"),
        "Important reassurance",
        "section 'Important reassurance' is empty",
    ),
    (
        "empty item",
        _insert_after("What to do now", ["- "]),
        "- ",
        "empty '- ' item in 'What to do now'",
    ),
    (
        "blank line between sections",
        _insert_after("Do not do these things", [""], skip=5),
        "",
        "blank line",
    ),
    (
        "blank line after a list heading",
        _insert_after("What can wait", [""]),
        "",
        "blank line; the text form has no blank lines ('- ' items of 'What can wait' expected)",
    ),
    (
        "duplicate heading",
        _replace("Do not do these things", ["Short answer"]),
        "MARK:5",
        "section 'Short answer' appears again (first on line 3)",
    ),
    (
        "trailing garbage",
        lambda lines: lines.append("Thanks for reading!"),
        "Thanks for reading!",
        "unexpected text after the last section",
    ),
    (
        "two-line situation",
        _insert_after("What to do if…", ["more situation"], skip=1),
        "more situation",
        "expected the heading 'Short answer' after the situation line",
    ),
    (
        "no title",
        lambda lines: lines.__delitem__(slice(0, 2)),
        "MARK:1",
        "expected the title line",
    ),
]


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [case[1:] for case in BAD_TEXTS],
    ids=[case[0] for case in BAD_TEXTS],
)
def test_bad_text_raises_a_located_error(
    edit: Callable[[list[str]], None], where: str, message: str
) -> None:
    lines = _seed(0).split("\n")
    edit(lines)
    if where.startswith("MARK:"):
        expected_line = int(where.removeprefix("MARK:"))
    else:
        expected_line = len(lines) - lines[::-1].index(where)
    with pytest.raises(TextFormatError) as caught:
        parse_text("\n".join(lines))
    assert message in caught.value.message
    assert caught.value.line == expected_line


@pytest.mark.parametrize(
    "bad_url", ["http://insecure.example.org/", "www.ic3.gov", "htps://x", "https://[::1"]
)
def test_a_bad_resource_url_is_imported_as_written_for_lint_to_report(
    bad_url: str, in_tmp: Path
) -> None:
    text = _seed(0).replace("- https://www.ic3.gov/", f"- {bad_url}")
    (in_tmp / "guide.txt").write_text(text, "utf-8")
    run = run_cli("import", "guide.txt", "--jurisdiction", "US", "-o", "guide-us.yaml")
    assert run.code == 0, run.stderr
    assert ("warning:" in run.stderr) == (not bad_url.startswith("https://"))
    yaml_text = (in_tmp / "guide-us.yaml").read_text("utf-8")
    line = next(
        n
        for n, row in enumerate(yaml_text.splitlines(), 1)
        if row.strip() in (f"url: {bad_url}", f"url: '{bad_url}'", f'url: "{bad_url}"')
    )
    lint = run_cli("lint", "--format", "json", "guide-us.yaml")
    assert lint.code == 1
    lines = {d["line"] for d in json.loads(lint.stdout)["diagnostics"] if d["severity"] == "error"}
    assert line in lines
    assert render_data(import_text(text, jurisdiction="US", today=TODAY)) == text.rstrip("\n")


def test_text_that_ends_early_names_the_missing_sections() -> None:
    lines = _seed(1).split("\n")
    text = "\n".join(lines[: lines.index("Important reassurance")])
    with pytest.raises(TextFormatError) as caught:
        parse_text(text)
    assert caught.value.line == len(text.split("\n"))
    assert "the text ends before the heading 'Important reassurance'" in caught.value.message
    assert "'Scope note', 'Important note', 'Additional Resources'" in caught.value.message


def test_empty_text_is_an_error_at_line_one() -> None:
    with pytest.raises(TextFormatError) as caught:
        parse_text("\n\n")
    assert caught.value.line == 1
