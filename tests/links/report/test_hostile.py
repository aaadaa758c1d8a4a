"""Remote text in every link report format, rendered as its reader would see it.

The Markdown report is pasted into a GitHub issue by the weekly workflow: it is rendered
here with GitHub's own renderer (cmark-gfm, autolink extension on, raw HTML let through as
GitHub would before sanitising), and nothing a server said may become a link, an image, a
mention, an issue reference or HTML.
"""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from guidelint.escape import TITLE_CAP, URL_CAP, visible
from guidelint.links.model import (
    ArchivedCopy,
    Change,
    Hop,
    LinkResult,
    Reference,
    RunOutcome,
    Suggestion,
    Verdict,
)
from guidelint.links.report import render_html, render_json, render_markdown, render_text

START = datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(seconds=3)

#: What a hostile page, header or redirect can say; each must stay inert everywhere.
HOSTILE = (
    "https://evil.example/track?x=1",
    "www.evil.example",
    "![pixel](https://evil.example/p.png)",
    "<img src=https://evil.example/p.png>",
    "[click](https://evil.example/)",
    "<https://evil.example/>",
    "@everyone",
    "@org/team",
    "#123",
    "org/repo#45",
    "GH-67",
    "admin@evil.example",
    "<script>alert(1)</script>",
    "**bold** _em_ ~~gone~~ $x$",
    "| a | b |",
    "```\ncode fence\n```",
    "\x1b[31mred\x1b[0m",
    "\u202egnp.exe",
    "line one\n::error::injected",
    "`` backticks ` ``",
)
GUIDE_URL = "https://help.example.org/report?x=1"
GUIDE_URLS = {
    GUIDE_URL,
    "https://soft.example/page",
    "https://changed.example/",
    "https://gone.example/page",
}


def hostile_outcome(text: str) -> RunOutcome:
    reference = Reference(f"guides/gb/{text}.yaml", 3, 8, "/resources/0/url")
    results = (
        LinkResult(
            GUIDE_URL,
            Verdict.MOVED,
            status=200,
            final_url=f"https://evil.example/{text}",
            redirects=(Hop(GUIDE_URL, 301),),
            references=(reference,),
            notes=(f"now lands on {text}",),
        ),
        LinkResult(
            "https://soft.example/page",
            Verdict.SOFT_404,
            status=200,
            error=f"error page served with a success status (“{text}”)",
            references=(reference,),
        ),
        LinkResult(
            "https://changed.example/",
            Verdict.CHANGED,
            status=200,
            change=Change(0.5, text, text + " now", (f"phone {text}",), (f"email {text}",)),
            references=(reference,),
        ),
        # What a site's sitemap, its pages and an archive service said: evidence, never links.
        LinkResult(
            "https://gone.example/page",
            Verdict.BROKEN,
            status=404,
            references=(reference,),
            suggestion=Suggestion(
                url=f"https://evil.example/{text}",
                score=0.9,
                confident=True,
                same_title=True,
                title_similarity=1.0,
                similarity=0.9,
                shared_facts=(f"phone {text}", f"email {text}", "name x"),
                path_similarity=0.5,
            ),
            archived=ArchivedCopy(f"https://web.archive.example/{text}", "2026-11-01T00:00:00Z"),
        ),
    )
    return RunOutcome(START, END, results, notes=(f"{text} was not checked",))


class _Rendered(HTMLParser):
    """Tags, link targets and the text outside code elements of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.outside_code: list[str] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "code":
            self._code += 1
        self.hrefs.extend(value or "" for name, value in attrs if name in ("href", "src"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if not self._code:
            self.outside_code.append(data)


def gfm(markdown: str) -> _Rendered:
    rendered = _Rendered()
    rendered.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, Options.CMARK_OPT_UNSAFE))
    return rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_report_keeps_remote_text_inert_on_github(text: str) -> None:
    rendered = gfm(render_markdown(hostile_outcome(text)))
    assert rendered.tags <= {"h2", "h4", "h3", "p", "ul", "li", "strong", "code", "a", "blockquote"}
    assert set(rendered.hrefs) == GUIDE_URLS  # only the guides' own URLs are links
    outside = "".join(rendered.outside_code)
    # GitHub turns these into mentions and issue links when they are not in code.
    assert not re.search(r"@\w|#\d|\bGH-\d|www\.|https?://|\w@\w", outside), outside


def test_markdown_links_only_the_guides_http_urls() -> None:
    odd = LinkResult(
        "javascript:alert(1)", Verdict.ERROR, error="unsupported scheme", references=()
    )
    rendered = gfm(render_markdown(RunOutcome(START, END, (odd,))))
    assert rendered.hrefs == []


@pytest.mark.parametrize("text", HOSTILE)
def test_text_report_has_no_control_characters(text: str) -> None:
    report = render_text(hostile_outcome(text))
    for line in report.splitlines():
        assert not line.startswith("::")
        assert visible(line) == line  # nothing invisible or able to move the cursor


@pytest.mark.parametrize("text", HOSTILE)
def test_html_report_keeps_remote_text_inert(text: str) -> None:
    rendered = _Rendered()
    rendered.feed(render_html(hostile_outcome(text)))
    assert "script" not in rendered.tags and "img" not in rendered.tags
    assert {href for href in rendered.hrefs if href} <= GUIDE_URLS


def test_a_huge_title_is_clipped_in_every_report_but_json() -> None:
    title = "Help " * 200_000  # a megabyte
    outcome = hostile_outcome("x")
    changed = outcome.results[2].evolve(change=Change(0.5, title, "Short", (), ()))
    outcome = RunOutcome(START, END, (changed,))
    for render in (render_markdown, render_text, render_html):
        report = render(outcome)
        assert len(report) < 10_000, render
        assert "Help " * (TITLE_CAP // 5 + 1) not in report
    assert json.loads(render_json(outcome))["links"][0]["change"]["title_before"] == title


def test_long_urls_are_clipped_where_people_read_them() -> None:
    url = "https://help.example.org/" + "a" * 5000
    result = LinkResult(url, Verdict.BROKEN, status=404, error="HTTP 404")
    outcome = RunOutcome(START, END, (result,))
    assert "a" * URL_CAP not in render_text(outcome)
    assert json.loads(render_json(outcome))["links"][0]["url"] == url
