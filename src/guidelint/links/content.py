"""What a page says: its title, visible text and anchors, from HTML that may be hostile.

Parsing uses selectolax (the Lexbor HTML5 engine): it is fast, tolerant of broken markup and
never executes anything. Scripts, styles, templates and hidden elements are dropped before
the text is read, so what remains is what a reader would see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

_INVISIBLE: Final = (
    "script, style, noscript, template, svg, iframe, object, head > *:not(title), "
    "[hidden], [aria-hidden='true'], [style*='display:none'], [style*='display: none']"
)


@dataclass(frozen=True)
class Extracted:
    title: str | None
    text: str  # visible text, whitespace collapsed to single spaces
    anchors: frozenset[str]  # every id and <a name>, for #fragment checks


def decode(body: bytes, charset: str | None) -> str:
    """Bytes to text with the declared charset, falling back to UTF-8; never raises."""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return body.decode(candidate, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")


def extract(html: str) -> Extracted:
    return extract_tree(parse(html).tree)


# What a support page repeats around its content: consent and cookie banners, menus,
# sidebars and "related" lists, headers and footers. Resiliparse's main-content heuristics
# catch most by their class names; these say it for the common markup that names them.
_BOILERPLATE: Final = [
    "nav",
    "aside",
    "footer",
    "[role=navigation]",
    "[role=contentinfo]",
    "[role=complementary]",
    "[role=dialog]",
    "[aria-modal=true]",
    "[id*=cookie]",
    "[class*=cookie]",
    "[id*=consent]",
    "[class*=consent]",
    "[class*=related]",
    "[class*=sidebar]",
]


def main_text(markup: str) -> str | None:
    """The page's main content without its boilerplate, one block (paragraph, heading, list
    item, table cell) per line; None if it cannot be read.

    Resiliparse (Lexbor, like selectolax) reads a 40 KB page in about a millisecond; the
    markup is bounded first as for `parse`, since deep nesting costs it the same.
    """
    from resiliparse.extract.html2text import extract_plain_text

    markup = markup[:MAX_CHARS]
    if markup.count("<") > MAX_DEPTH and not _within(markup, MAX_DEPTH, MAX_TAGS):
        markup = _flatten(markup, MAX_DEPTH, MAX_TAGS)[0]
    try:
        text = extract_plain_text(
            markup,
            preserve_formatting=True,
            main_content=True,
            list_bullets=False,
            alt_texts=False,
            comments=False,
            skip_elements=_BOILERPLATE,
        )
    except Exception:  # its parser errors, or text it cannot encode: compared without it
        return None
    # Table cells come out separated by tabs: each is a block of its own.
    blocks = (" ".join(part.split()) for part in _BLOCKS.split(text[: 2 * MAX_MAIN]))
    return "\n".join(block for block in blocks if block)[:MAX_MAIN]


_BLOCKS: Final = re.compile(r"[\n\t]+")
#: Main content kept at most: as much as change detection reads of a page's text.
MAX_MAIN: Final = 200_000


@dataclass(frozen=True)
class Parsed:
    tree: LexborHTMLParser
    note: str | None  # how the markup was bounded before parsing, for the result's notes


#: Deeper elements are parsed as siblings, as Blink's parser does past 512 levels. Lexbor walks
#: the stack of open elements at each tag: `<div>` x 20,000 took 0.6 s to parse, x 100,000
#: 26.5 s, and a page no browser shows that deep must not stall the event loop (issue 14).
MAX_DEPTH: Final = 512
#: Tags parsed at most (a long support page has a few thousand) and characters, so that the
#: time a page can take to parse has a bound whatever the body cap is set to.
MAX_TAGS: Final = 100_000
MAX_CHARS: Final = 4 * 1024 * 1024


def parse(markup: str, *, max_depth: int = MAX_DEPTH, max_tags: int = MAX_TAGS) -> Parsed:
    """Parse a page with bounds on its nesting depth, tag count and size, in linear time.

    A page within the bounds (every page a person reads) is parsed as it is. One past them
    is parsed with its deeper tags dropped (their text stays, flat) or cut after the last
    tag or character allowed, and `note` says so.
    """
    from selectolax.lexbor import LexborHTMLParser

    notes = []
    if len(markup) > MAX_CHARS:
        markup = markup[:MAX_CHARS]
        notes.append(f"read up to its {MAX_CHARS:,}th character")
    # Fewer tags than the depth bound cannot reach it (most pages): no scan at all.
    if markup.count("<") > max_depth and not _within(markup, max_depth, max_tags):
        markup, why = _flatten(markup, max_depth, max_tags)
        notes.extend(why)
    note = f"page too complex to parse whole: {'; '.join(notes)}" if notes else None
    return Parsed(LexborHTMLParser(markup), note)


# What the depth scan reads of the markup, as the tokenizer does: start and end tags by name,
# comment starts ("!--") and ends (""). In a comment or an element whose content is text
# (script, style, …) nothing else counts until it ends.
_TOKEN: Final = re.compile(r"<(/?[A-Za-z][^\t\n\f\r />]*|!--)|-->")
_RAW: Final = frozenset(
    ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
)
# Elements without content, and elements the parser closes by itself when a sibling starts
# (so `<p>` x 1,000 or `<li>` x 1,000 is flat): neither makes the tree deeper.
_FLAT: Final = frozenset(
    (
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"),
        *("source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image"),
        *("p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody"),
        *("tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body"),
    )
)


def _within(markup: str, max_depth: int, max_tags: int) -> bool:
    """Whether the page surely stays within the bounds: a fast pass (1.5 ms on a 120 KB page
    of 9,600 tags, where lexbor takes 1.7 ms to parse) that may overestimate the depth (a
    self-closing SVG element counts as open), never underestimate it."""
    names = _TOKEN.findall(markup)
    if len(names) > max_tags:
        return False
    stack: list[str] = []
    push, pop = stack.append, stack.pop
    open_by_name: dict[str, int] = {}
    until: str | None = None  # the token that ends the comment or raw text we are in
    for token in names:
        name = token.lower()
        if until is not None:
            if name == until:
                until = None
        elif name[:1] == "/":
            name = name[1:]
            if open_by_name.get(name):
                while (top := pop()) != name:
                    open_by_name[top] -= 1
                open_by_name[name] -= 1
        elif not name or name in _FLAT:
            continue
        elif name in _RAW or name == "!--":
            until = "/" + name if name in _RAW else ""
        elif len(stack) < max_depth:
            push(name)
            open_by_name[name] = open_by_name.get(name, 0) + 1
        else:
            return False
    return True


def _flatten(markup: str, max_depth: int, max_tags: int) -> tuple[str, list[str]]:
    """`markup` without the tags nested deeper than `max_depth`, cut after `max_tags`.

    `_within`'s pass with positions: an end tag closes the innermost open element of its
    name and everything opened inside it, or the innermost dropped one, or nothing.
    """
    stack: list[str] = []
    open_by_name: dict[str, int] = {}
    dropped_by_name: dict[str, int] = {}
    drops: list[tuple[int, int]] = []
    cut = len(markup)
    until: str | None = None
    tag_end = _TagEnds(markup)
    for count, match in enumerate(_TOKEN.finditer(markup), 1):
        if count > max_tags:
            cut = match.start()
            break
        name = (match.group(1) or "").lower()
        if until is not None:
            if name == until:
                until = None
            continue
        if name[:1] == "/":
            name = name[1:]
            if dropped_by_name.get(name):
                dropped_by_name[name] -= 1
                drops.append((match.start(), tag_end(match.end())))
            elif open_by_name.get(name):
                while (top := stack.pop()) != name:
                    open_by_name[top] -= 1
                open_by_name[name] -= 1
            continue
        if not name or name in _FLAT:
            continue
        if name in _RAW or name == "!--":
            until = "/" + name if name in _RAW else ""
            continue
        end = tag_end(match.end())
        if markup[end - 2 : end] == "/>":  # self-closing, in SVG and MathML
            continue
        if len(stack) >= max_depth:
            dropped_by_name[name] = dropped_by_name.get(name, 0) + 1
            drops.append((match.start(), end))
        else:
            stack.append(name)
            open_by_name[name] = open_by_name.get(name, 0) + 1
    why = []
    if drops:
        why.append(f"{len(drops):,} tags nested deeper than {max_depth} levels were read as flat")
    if cut < len(markup):
        why.append(f"read up to its {max_tags:,}th tag")
    pieces = []
    start = 0
    for begin, end in drops:
        if begin >= cut:
            break
        pieces.append(markup[start:begin])
        start = max(start, end)
    pieces.append(markup[start:cut])
    return "".join(pieces), why


class _TagEnds:
    """Where a tag ends (just past its `>`), asked at positions that only grow: a search
    resumes where the last one found its `>`, so tags without one (`<div x` x 100,000, each
    searched to the end of the page, took 14.6 s) cost one pass in all."""

    def __init__(self, markup: str) -> None:
        self._markup = markup
        self._next = -1  # the `>` found last, or len(markup) when there is none further

    def __call__(self, position: int) -> int:
        if self._next < position:
            found = self._markup.find(">", position)
            self._next = len(self._markup) if found < 0 else found
        return min(self._next + 1, len(self._markup))


def extract_tree(tree: LexborHTMLParser) -> Extracted:
    """`extract` on a page as parsed, for callers that read more from it first: this drops the
    invisible nodes from `tree`."""
    source = lowered_source(tree)
    anchors: frozenset[str] = frozenset()
    if source is None or _may_name(source):
        anchors = frozenset(
            value
            for node in tree.css("[id], a[name]")
            for key in ("id", "name")
            if (value := node.attributes.get(key))
        )
    # tags() lists every <title> as css("title") finds them, in document order, but walks the
    # whole tree where css_first stops at the first: on a big page the CSS engine is there anyway.
    titles = tree.tags("title") if source is not None else [tree.css_first("title")]
    title_node = titles[0] if titles else None
    # split/join collapses whitespace exactly as re's \s does (str.isspace), five times faster.
    title = " ".join(title_node.text().split()) if title_node is not None else None
    if source is None or _may_hide(tree, source):
        for node in tree.css(_INVISIBLE):
            node.decompose()
    root = tree.body or tree.root
    text = " ".join(root.text(separator=" ").split()) if root is not None else ""
    return Extracted(title or None, text, anchors)


# Past this size parsing costs far more than the CSS engine does, and such pages hold
# scripts and ids anyway: no shortcut is looked for (that would cost a pass over the source).
SHORTCUT_MAX_BYTES: Final = 64 * 1024


def lowered_source(tree: LexborHTMLParser) -> bytes | None:
    """The bytes `tree` was parsed from, lowercased, for the checks that let a small page skip
    the CSS engine; None for a page too big to bother."""
    raw = tree.raw_html
    return raw.lower() if len(raw) <= SHORTCUT_MAX_BYTES else None


# The CSS engine costs more to set up and compile selectors for than a small page takes to
# parse, so a selector is run only when the markup could hold a match. Element and attribute
# names reach the tree only as written in the markup (the parser lowercases ASCII letters,
# and no implied element is one of these), so a lowercased source without a name has none of
# its elements or attributes. Values can be character references; names cannot.
_INVISIBLE_TAGS: Final = re.compile(rb"<(?:script|noscript|template|svg|iframe|object)")
_INVISIBLE_ATTRIBUTES: Final = (b"hidden", b"style")  # [hidden], [aria-hidden]; [style]
_WHITESPACE: Final = b"\t\n\f\r "  # HTML's, between an attribute's name and its `=`


def _may_hide(tree: LexborHTMLParser, source: bytes) -> bool:
    """Whether `_INVISIBLE` can match anything in `tree`: False means it certainly cannot."""
    if _INVISIBLE_TAGS.search(source) is not None:
        return True
    if any(name in source for name in _INVISIBLE_ATTRIBUTES):
        return True
    # `head > *:not(title)`: what the head holds besides titles (comments count, to be safe).
    return any(child.tag != "title" for head in tree.tags("head") for child in head.iter())


def _may_name(source: bytes) -> bool:
    """Whether an element can have an id or a name with a value (`id=x`, `name = x`)."""
    if b"id=" in source or b"name=" in source:
        return True
    if b"id" not in source and b"name" not in source:
        return False
    # Whitespace before the `=`: look behind every `=` (a regex tries every "i" and "n").
    start = 0
    while (equals := source.find(b"=", start)) >= 0:
        end = equals
        while end and source[end - 1] in _WHITESPACE:
            end -= 1
        if source.endswith((b"id", b"name"), 0, end):
            return True
        start = equals + 1
    return False
