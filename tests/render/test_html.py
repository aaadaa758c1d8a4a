"""HTML pages: escaped, well-formed, accessible, self-contained. tests/browser opens them in
a real browser; these tests read the markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guidelint.guide import Guide
from guidelint.render import RenderOptions, load_guide
from guidelint.render.html import render, render_index
from guidelint.render.page import csp_hash

ROOT = Path(__file__).resolve().parents[2]
MARKUP = ROOT / "tests" / "fixtures" / "render" / "markup-test-gb.yaml"
PHONES = ROOT / "tests" / "fixtures" / "render" / "phones-gb.yaml"
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


def _item_text(item: ET.Element) -> str:
    """A list item's own text: phone links included, its resource links and sub-list not."""
    parts = [item.text or ""]
    for child in item:
        if child.tag == "a":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def test_markup_in_a_guide_is_escaped_and_prints_as_written() -> None:
    guide = _guide(MARKUP)
    page = render(guide)
    assert page.count("<script>") == 1  # the page's own, at the end of the body
    assert "alert(" not in _own_script(page)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; you&#x27;re" in page
    root = _parse(page)
    assert _text(root.find("body/main/h1")) == (  # type: ignore[arg-type]
        'What to do if… a page says <script>alert("x")</script> & you\'re worried'
    )
    # Nothing from the text became an element: the only links are the resources' and the
    # emergency number, the only script the page's own.
    assert [element.tag for element in root.iter() if element.tag in ("b", "em")] == []
    assert [script.text for script in root.iter("script")] == [_own_script(page)]
    links = [(a.get("href"), _text(a)) for a in root.iter("a")]
    assert links == [
        ("https://www.bbc.co.uk/weather", "Emergency Exit this page"),
        # First where a sub-step refers to it, then in the resources section.
        ("https://example.org/help?a=1&b=(2)", 'Support & Advice "Line" <24/7>'),
        ("tel:999", "999"),
        ("https://example.org/help?a=1&b=(2)", 'Support & Advice "Line" <24/7>'),
        ("tel:+448001234567", "0800 123 4567"),
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
    # Self-contained: no external scripts, stylesheets, images or frames.
    assert not [e.tag for e in root.iter() if e.tag in ("link", "img", "iframe", "object")]
    assert not [e for e in root.iter() if e.get("src") is not None]
    assert len(list(root.iter("h1"))) == 1
    reviewed = root.find("body/main/p[@class='reviewed']/time")
    assert reviewed is not None
    assert reviewed.get("datetime") == guide.data["last_reviewed"]
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
        assert _item_text(item) == step["text"]
        assert [_text(a) for a in item.findall("span/a")] == [
            names[ref] for ref in step.get("resources", [])
        ]
        subs = item.findall("ul/li")
        assert [_item_text(li) for li in subs] == [sub["text"] for sub in step.get("substeps", [])]
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


def test_index_groups_by_jurisdiction_then_title() -> None:
    guides = [_guide(path) for path in [*BUNDLED, MARKUP]]
    data = {guide.id: guide.data for guide in guides}
    data["scotland"] = {**data["markup-test-gb"], "jurisdiction": "GB-SCT", "language": "en"}
    data["unknown"] = {
        **data["markup-test-gb"],
        "jurisdiction": "XK",
        "last_reviewed": "2026-02-31",
    }
    root = _parse(render_index([(f"{name}.html", value) for name, value in data.items()]))
    groups = {
        _text(section.find("h2")): [  # type: ignore[arg-type]
            (
                li.find("a").get("href"),  # type: ignore[union-attr]
                li.find("a").get("hreflang"),  # type: ignore[union-attr]
                _text(li.find("a")).split("…")[1][:16],  # type: ignore[arg-type]
                _text(li.find("span/time")),  # type: ignore[arg-type]
            )
            for li in section.iter("li")
        ]
        for section in root.iter("section")
    }
    assert groups == {
        "United Kingdom": [
            ("markup-test-gb.html", "en-GB", " a page says <sc", "1 November 2026"),
            ("intimate-images-saved-gb.html", "en-GB", " you discover so", "1 November 2026"),
        ],
        "United Kingdom (GB-SCT)": [
            ("scotland.html", "en", " a page says <sc", "1 November 2026"),
        ],
        "United States": [
            ("intimate-images-saved-us.html", "en-US", " you discover so", "November 1, 2026"),
        ],
        # A jurisdiction the data file does not know, and a date the calendar does not.
        "XK": [("unknown.html", "en-GB", " a page says <sc", "2026-02-31")],
    }


def _own_script(page: str) -> str:
    match = re.search(r"<script>(.*?)</script>", page, re.S)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("path", [*BUNDLED, MARKUP], ids=lambda path: path.stem)
def test_content_security_policy_allows_only_the_pages_own_style_and_script(path: Path) -> None:
    page = render(_guide(path))
    root = _parse(page)
    policy = root.find("head/meta[@http-equiv='Content-Security-Policy']")
    assert policy is not None
    directives = dict(
        directive.strip().split(" ", 1) for directive in (policy.get("content") or "").split(";")
    )
    style = root.find("head/style")
    assert style is not None
    assert directives == {
        "default-src": "'none'",
        "style-src": csp_hash(style.text or ""),
        "script-src": csp_hash(_own_script(page)),
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    assert "unsafe" not in page.split("<body>")[0]
    # The policy comes before anything it governs.
    assert page.index("Content-Security-Policy") < page.index("<style>")


def test_exit_control_leads_to_the_configured_page_and_tells_nobody_where_from() -> None:
    options = RenderOptions(exit_url="https://weather.example/today?a=1&b=2")
    for page in (
        render(_guide(MARKUP), options),
        render_index([("x.html", _guide(MARKUP).data)], options=options),
    ):
        root = _parse(page)
        header = root.find("body/header")
        assert header is not None
        link = header.find("a")
        assert link is not None
        assert link.get("href") == "https://weather.example/today?a=1&b=2"
        assert link.get("rel") == "nofollow noreferrer"
        assert _text(link) == "Emergency Exit this page"
        assert root.find("head/meta[@name='referrer']").get("content") == "no-referrer"  # type: ignore[union-attr]
        # First in the page, before `main`, so it is the first thing a keyboard reaches.
        assert [child.tag for child in root.find("body")] == ["header", "main", "script"]  # type: ignore[union-attr]


def test_phone_numbers_become_tel_links_with_their_text_as_written() -> None:
    root = _parse(render(_guide(PHONES)))
    main = root.find("body/main")
    assert main is not None
    links = [
        (a.get("href"), _text(a)) for a in main.iter("a") if a.get("href", "").startswith("tel:")
    ]
    assert links == [
        ("tel:999", "999"),
        ("tel:112", "112"),
        ("tel:111", "111"),
        ("tel:+448081570192", "0808 157 0192"),
        ("tel:+442079460958", "+44 20 7946 0958"),
        ("tel:101", "101"),
        ("tel:999", "999"),
        ("tel:+448081570192", "0808 157 0192"),
        ("tel:116123", "116 123"),
    ]
    # Counts, dates and digits in a URL stay text.
    do_not = [_text(li) for li in main.findall(".//section[@aria-labelledby='do-not']/ul/li")]
    assert do_not[0] == "Don't wait 101 minutes for a call back, or count to 999 before you act."
    assert not main.findall(".//section[@aria-labelledby='do-not']//a")
