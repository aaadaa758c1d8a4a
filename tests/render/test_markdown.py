"""Markdown output: read back with a CommonMark parser, it means exactly the guide's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from guidelint.guide import Guide
from guidelint.render import load_guide
from guidelint.render.markdown import escape, render, render_index

ROOT = Path(__file__).resolve().parents[2]
MARKUP = ROOT / "tests" / "fixtures" / "render" / "markup-test-gb.yaml"
GUIDES = [
    ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml",
    ROOT / "guides" / "us" / "intimate-images-saved-us.yaml",
    MARKUP,
]


def _guide(path: Path) -> Guide:
    guide = load_guide(path)
    assert isinstance(guide, Guide), guide
    return guide


def _parser() -> MarkdownIt:
    # GitHub-flavoured extras (tables, strikethrough) on top of CommonMark.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@pytest.mark.parametrize("path", GUIDES, ids=lambda path: path.stem)
def test_markdown_means_the_guide_text_and_nothing_more(path: Path) -> None:
    guide = _guide(path)
    tokens = _parser().parse(render(guide))
    kinds = {token.type for token in tokens}
    assert not kinds & {"html_block", "code_block", "fence", "table_open", "hr"}
    inline = [token for token in tokens if token.type == "inline"]
    for token in inline:
        child_kinds = {child.type for child in token.children or []}
        assert not child_kinds & {"html_inline", "em_open", "strong_open", "s_open", "code_inline"}
    texts = [_inline_text(token) for token in inline]
    data = guide.data
    by_id = {resource["id"]: resource for resource in data["resources"]}

    def label(resource: dict[str, str]) -> str:
        return str(resource.get("name", resource["url"]))

    def with_refs(item: dict[str, Any]) -> str:
        refs = [label(by_id[ref]) for ref in item.get("resources", [])]
        return str(item["text"]) + (f" ({', '.join(refs)})" if refs else "")

    title = f"{data['title']} {data['situation']}"
    expected = [title, "Short answer", *data["short_answer"].split("\n\n")]
    expected += ["Do not do these things", *data["do_not"], "What to do now"]
    referred = []
    for step in data["steps"]:
        expected += [with_refs(step), *(with_refs(sub) for sub in step.get("substeps", []))]
        for item in [step, *step.get("substeps", [])]:
            referred += [by_id[ref]["url"] for ref in item.get("resources", [])]
    expected += ["What can wait", *data["can_wait"]]
    expected += ["Important reassurance", data["reassurance"], "Scope note", data["scope_note"]]
    expected += ["Important note", data["important_note"], "Additional Resources"]
    for resource in data["resources"]:
        phone = f" — {resource['phone']}" if "phone" in resource else ""
        expected.append(label(resource) + phone)
    assert texts == expected
    hrefs = [
        child.attrs["href"]
        for token in inline
        for child in token.children or []
        if child.type == "link_open"
    ]
    assert hrefs == [
        url.replace("(", "%28").replace(")", "%29")
        for url in [*referred, *(resource["url"] for resource in data["resources"])]
    ]


def test_steps_are_an_ordered_list_with_nested_sub_steps() -> None:
    guide = _guide(ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml")
    tokens = _parser().parse(render(guide))
    opened = [token.type for token in tokens if token.type.endswith("_list_open")]
    steps_with_substeps = sum(1 for step in guide.steps if "substeps" in step)
    # do-not, steps (ordered) + one nested list per step with sub-steps, can-wait, resources
    assert opened.count("ordered_list_open") == 1
    assert opened.count("bullet_list_open") == 3 + steps_with_substeps
    nested = [token.level for token in tokens if token.type == "bullet_list_open"]
    assert max(nested) > min(nested)


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "- not an item",
        "+ not an item",
        "1. not numbered",
        "12) not numbered",
        "===",
        "> not a quote",
        "a *b* _c_ `d` [e](f) <g> &amp; | h | ~~i~~ \\ !",
    ],
)
def test_escape_keeps_text_literal(text: str) -> None:
    tokens = _parser().parse(escape(text))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert _inline_text(tokens[1]) == text


def test_index_lists_guides_by_jurisdiction_and_title() -> None:
    guides = [_guide(path) for path in GUIDES]
    index = render_index([(f"{guide.id}.md", guide.data) for guide in guides])
    tokens = _parser().parse(index)
    headings = [
        _inline_text(tokens[i + 1])
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert headings == ["Guides", "United Kingdom", "United States"]
    items = [_inline_text(token) for token in tokens if token.type == "inline"][2:]
    assert items == [
        'What to do if… a page says <script>alert("x")</script> & you\'re worried'
        " — last reviewed 1 November 2026",
        "What to do if… you discover someone saved intimate photos you sent with an "
        "expectation of privacy — last reviewed 1 November 2026",
        "United States",
        "What to do if… you discover someone saved intimate photos you sent with an "
        "expectation of privacy — last reviewed November 1, 2026",
    ]
    assert "](intimate-images-saved-us.md)" in index
