"""HTML pages: escaped, well-formed, accessible, self-contained."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guidelint.guide import Guide
from guidelint.render import load_guide
from guidelint.render.html import render, render_index

ROOT = Path(__file__).resolve().parents[2]
MARKUP = ROOT / "tests" / "fixtures" / "render" / "markup-test-gb.yaml"
# The two bundled guides, named so that guides added to the library do not change these tests.
BUNDLED = [
    ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml",
    ROOT / "guides" / "us" / "intimate-images-saved-us.yaml",
]


def _guide(path: Path) -> Guide:
    guide = load_guide(path)
    assert isinstance(guide, Guide), guide
    return guide


def _parse(page: str) -> ET.Element:
    # The page is XHTML-compatible, so a strict XML parser proves it well-formed.
    assert page.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


def test_markup_in_a_guide_is_escaped_and_prints_as_written() -> None:
    guide = _guide(MARKUP)
    page = render(guide)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; you&#x27;re" in page
    root = _parse(page)
    assert _text(root.find("body/main/h1")) == (  # type: ignore[arg-type]
        'What to do if… a page says <script>alert("x")</script> & you\'re worried'
    )
    # Nothing from the text became an element: the only links are the resources'.
    assert [element.tag for element in root.iter() if element.tag in ("script", "b", "em")] == []
    links = [(a.get("href"), _text(a)) for a in root.iter("a")]
    assert links == [
        # First where a sub-step refers to it, then in the resources section.
        ("https://example.org/help?a=1&b=(2)", 'Support & Advice "Line" <24/7>'),
        ("https://example.org/help?a=1&b=(2)", 'Support & Advice "Line" <24/7>'),
        ("tel:08001234567", "0800 123 4567"),
        ("https://example.org/info", "https://example.org/info"),
    ]
    items = [_text(li) for li in root.iter("li")]
    assert 'Don\'t click <a href="https://evil.example">links</a> in messages.' in items


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_page_structure_follows_the_guide(path: Path) -> None:
    guide = _guide(path)
    root = _parse(render(guide))
    assert root.get("lang") == guide.language
    assert root.find("head/title") is not None
    assert root.find("head/meta[@charset='utf-8']") is not None
    # Self-contained: no scripts, no external stylesheets, images or frames.
    assert not [e.tag for e in root.iter() if e.tag in ("script", "link", "img", "iframe")]
    assert len(list(root.iter("h1"))) == 1
    headings = [_text(h2) for h2 in root.iter("h2")]
    assert headings == [
        "Short answer",
        "Do not do these things",
        "What to do now",
        "What can wait",
        "Important reassurance",
        "Scope note",
        "Important note",
        "Additional Resources",
    ]
    steps = root.find(".//section[@aria-labelledby='steps']/ol")
    assert steps is not None
    top = steps.findall("li")
    assert len(top) == len(guide.steps)
    names = {resource["id"]: resource.get("name", resource["url"]) for resource in guide.resources}
    for item, step in zip(top, guide.steps, strict=True):
        assert (item.text or "").strip() == step["text"]
        assert [_text(a) for a in item.findall("span/a")] == [
            names[ref] for ref in step.get("resources", [])
        ]
        subs = item.findall("ul/li")
        assert [(li.text or "").strip() for li in subs] == [
            sub["text"] for sub in step.get("substeps", [])
        ]
        for li, sub in zip(subs, step.get("substeps", []), strict=True):
            refs = [_text(a) for a in li.findall("span/a")]
            assert refs == [names[ref] for ref in sub.get("resources", [])]
    resource_links = root.findall(".//section[@aria-labelledby='resources']/ul/li/a")
    assert [(a.get("href"), _text(a)) for a in resource_links] == [
        (resource["url"], resource.get("name", resource["url"])) for resource in guide.resources
    ]


def test_multi_line_paragraphs_keep_their_breaks_and_paragraphs() -> None:
    root = _parse(render(_guide(MARKUP)))
    section = root.find(".//section[@aria-labelledby='short-answer']")
    assert section is not None
    paragraphs = section.findall("p")
    assert len(paragraphs) == 2
    assert len(paragraphs[0].findall("br")) == 2
    assert _text(paragraphs[1]).startswith("1. Nor a numbered list")


def test_index_groups_by_situation_then_jurisdiction() -> None:
    guides = [_guide(path) for path in [*BUNDLED, MARKUP]]
    entries = [(f"{guide.id}.html", guide.data) for guide in guides]
    root = _parse(render_index(entries))
    groups = {
        _text(section.find("h2")): [  # type: ignore[arg-type]
            (_text(li).split(":", 1)[0], li.find("a").get("href"))  # type: ignore[union-attr]
            for li in section.iter("li")
        ]
        for section in root.iter("section")
    }
    assert groups == {
        "intimate-images-saved": [
            ("GB (en-GB)", "intimate-images-saved-gb.html"),
            ("US (en-US)", "intimate-images-saved-us.html"),
        ],
        "markup-test": [("GB (en-GB)", "markup-test-gb.html")],
    }
