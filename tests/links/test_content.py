"""Page extraction: the shortcuts that skip the CSS engine must read a page as the CSS does."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser
from yarl import URL

from guidelint.links import content
from guidelint.links.check.page import REFRESH, REFRESH_MAX_DELAY, PageView, read_page
from guidelint.links.check.records import Response
from guidelint.links.content import Extracted, extract

BASE = "https://a.example/page"


def _by_css(html: str) -> tuple[Extracted, tuple[str, ...], bool, str | None]:
    """What extract and the checker's page view read, the plain way: a CSS query for each."""
    tree = LexborHTMLParser(html)
    anchors = frozenset(
        value
        for node in tree.css("[id], a[name]")
        for key in ("id", "name")
        if (value := node.attributes.get(key))
    )
    headings = tuple(t for node in tree.css("h1")[:3] if (t := " ".join(node.text().split())))
    scripted = tree.css_first("script") is not None
    refresh = _refresh_by_css(tree)
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node is not None else None
    for node in tree.css(content._INVISIBLE):
        node.decompose()
    root = tree.body or tree.root
    text = " ".join(root.text(separator=" ").split()) if root is not None else ""
    return Extracted(title or None, text, anchors), headings, scripted, refresh


def _refresh_by_css(tree: LexborHTMLParser) -> str | None:
    # A refresh inside <noscript> sends only browsers without scripts away: not a redirect.
    hidden = {node.mem_id for node in tree.css("noscript meta")}
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        if node.mem_id in hidden:
            continue
        match = REFRESH.match(node.attributes.get("content") or "")
        if match and float(match.group(1)) <= REFRESH_MAX_DELAY and match.group(2).strip():
            return str(URL(BASE).join(URL(match.group(2).strip())))
    return None


def _view(html: str) -> PageView:
    response = Response(BASE, 200, {"content-type": "text/html"}, html.encode())
    view = read_page(response)
    assert view is not None
    return view


TRICKY = [
    "",
    "<title>Plain</title><p>Hello</p>",
    "<!doctype html><html><head><title> Help \n line </title></head><body><h1>Hi</h1></body>",
    "<svg><title>Icon</title></svg><title>Page</title><p>text</p>",
    "<TITLE>Upper</TITLE><H1>Head</H1><P ID=Top>x</P><A NAME=Anchor>y</A>",
    "<p id\n=spaced>a</p>",
    "<a name =x>b</a><p>id and name, said the text</p>",
    "<p data-id=no>c</p>",
    "<p id>empty</p><a name=''>none</a><p id=' '>space</p>",
    "<p title='id=x'>value, not a name</p>",
    "<template><h1>t</h1><script>s</script><p id=in-template>x</p></template><p>y</p>",
    "<p hidden>gone</p><p aria-hidden=true>gone too</p><p>kept</p>",
    "<p style='display:none'>gone</p><p STYLE='color: red'>kept</p>",
    "<p style='display&#58;none'>entity</p><p>kept</p>",
    "<head><title>a</title><link rel=x><meta http-equiv=refresh content='0;url=/'></head><p>x",
    "<head><!-- note --><title>a</title></head><p>x",
    # No <body>: the text is read from the whole document, so what the head holds matters.
    "<head><noframes>words</noframes><title>t</title></head><frameset></frameset>",
    "<noscript><p>no js</p></noscript><object>o</object><iframe>i</iframe><p>kept</p>",
    "<svg><script>s</script><h1>in svg</h1></svg><math><mi><h1>m</h1></mi></math>",
    "<div><svg><p id=inner>breaks out</p></svg></div>",
    "<body><script>var a = 'x';</script><style>p{}</style><p>Text</p></body>",
    "<h1> </h1><h1>Second</h1><h1>Third</h1><h1>Fourth</h1>",
    "<meta HTTP-EQUIV=' Refresh ' content=5><p>x",
    "<title>A</title><title>B</title><p>x",
    "<p>id = 3 and name = 4 in text</p>",
]


# A comment past the shortcut size: pages that big are read with the CSS engine throughout.
BIG = "<!--" + "x" * content.SHORTCUT_MAX_BYTES + "-->"


@pytest.mark.parametrize("html", [*TRICKY, *(page + BIG for page in TRICKY)])
def test_extraction_reads_a_page_as_the_css_queries_do(html: str) -> None:
    expected, headings, scripted, refresh = _by_css(html)
    assert extract(html) == expected
    view = _view(html)
    assert view.extracted == expected
    assert (view.headings, view.scripted, view.refresh) == (headings, scripted, refresh)


PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<a ", "<p ", ">", "id", "ID", "name", "NAME", "=", " = ",
    "\n", "\t", "x", "'y'", '"z"', "hidden", "aria-hidden=true", "style=", "'display:none'",
    "<script>", "</script>", "<svg>", "</svg>", "<title>", "</title>", "<h1>", "</h1>",
    "<template>", "</template>", "<head>", "</head>", "<link>", "<meta http-equiv=refresh content='0;url=/x'>",
    "<noscript>", "<iframe>", "<object>", "<math>", "<mi>", "text", "&#105;d=", "<!-- c -->",
    "<noframes>", "</noframes>", "<frameset>",
]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=30))
@settings(max_examples=300, deadline=None)
def test_shortcuts_never_miss_what_css_finds(pieces: list[str]) -> None:
    html = "".join(pieces)
    expected, headings, scripted, refresh = _by_css(html)
    view = _view(html)
    assert view.extracted == expected
    assert (view.headings, view.scripted, view.refresh) == (headings, scripted, refresh)


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_nested_divs_are_parsed_in_bounded_time(depth: int) -> None:
    # Parsed whole, x100,000 took 26.5 s and x1,000,000 more than 280 s (issue 14).
    markup = "<title>Deep</title><p>Before the divs.</p>" + "<div>" * depth + "Deep text."
    started = time.perf_counter()
    parsed = content.parse(markup)
    extracted = content.extract_tree(parsed.tree)
    assert time.perf_counter() - started < 5
    assert extracted.title == "Deep"
    assert extracted.text.startswith("Before the divs.")
    assert parsed.note is not None and "nested deeper than 512 levels" in parsed.note


def test_deep_markup_keeps_its_text_and_says_why() -> None:
    markup = "<p>Start.</p>" + "<div>" * 600 + "Deep text." + "</div>" * 600 + "<p>End.</p>"
    parsed = content.parse(markup)
    assert content.extract_tree(parsed.tree).text == "Start. Deep text. End."
    assert parsed.note == (
        "page too complex to parse whole: 176 tags nested deeper than 512 levels were read as flat"
    )
    # Within the bounds, the page is parsed as it is, with no note.
    shallow = "<p>Start.</p>" + "<div>" * 500 + "Deep text." + "</div>" * 500
    assert content.parse(shallow).note is None
    assert content.parse(shallow).tree.html == LexborHTMLParser(shallow).html


@pytest.mark.parametrize(
    "markup",
    [
        # Tags in comments and in text-only elements do not nest, as the tokenizer reads them.
        "<!--" + "<div>" * 700 + "--><p>x</p>",
        "<script>" + "'<div>'+" * 700 + "</script><p>x</p>",
        "<svg>" + "<path d='M0'/>" * 700 + "</svg><p>x</p>",
        "<ul>" + "<li>item" * 700 + "</ul>",
        "<p>" + "<p>para" * 700,
    ],
)
def test_flat_markup_is_not_flattened(markup: str) -> None:
    parsed = content.parse(markup)
    assert parsed.note is None
    assert parsed.tree.html == LexborHTMLParser(markup).html


def test_close_tags_in_text_only_elements_cannot_hide_depth() -> None:
    # A script full of "</div>" closes nothing: the divs around it are still counted.
    unit = "<div>" * 100 + "<script>" + "</div>" * 100 + "</script>"
    parsed = content.parse(unit * 10)
    assert parsed.note is not None and "nested deeper" in parsed.note


def test_tag_count_is_bounded() -> None:
    markup = "<span>x</span>" * 60_000
    parsed = content.parse(markup, max_tags=100_000)
    assert parsed.note == "page too complex to parse whole: read up to its 100,000th tag"
    assert content.extract_tree(parsed.tree).text.count("x") == 50_000
