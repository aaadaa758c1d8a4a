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
    from selectolax.lexbor import LexborHTMLParser

    return extract_tree(LexborHTMLParser(html))


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
