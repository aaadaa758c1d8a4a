"""The one sanitiser for text guidelint did not write: remote pages, headers, file names.

Shared by every report (lint and links) and every line the CLI prints. Three things happen
to such text, in this order, whatever the medium:

1. `clip`: it is cut to a length cap with an ellipsis, so a 1 MB `<title>` cannot crowd out
   a report (the full value stays only where it is needed: the JSON contract's URLs);
2. `visible`: control, bidi and invisible formatting characters become visible stand-ins
   (U+241B for ESC, "<U+202E>" for a right-to-left override), so nothing reaches a terminal
   as an escape sequence, a CI log as a second line, or a reader as reordered text;
3. escaping for the medium: in Markdown, remote text goes into code spans, where GitHub
   makes no link, image, mention, issue reference or HTML of it (`md_code`); in HTML,
   `html.escape`; in GitHub workflow commands, the runner's own percent escapes.
"""

from __future__ import annotations

import re
from typing import Final

from guidelint.lazyre import lazy_pattern

#: Length caps for what reports show of remote text; JSON keeps what its contract needs.
TITLE_CAP: Final = 200
EXCERPT_CAP: Final = 300  # error text, notes
FACT_CAP: Final = 120
URL_CAP: Final = 300
ELLIPSIS: Final = "…"
#: What a link check keeps of a remote page at capture (`links.model.Page.capture`), and so
#: all the baseline and reports ever see of it: a 1 MB `<title>` stops here.
PAGE_TITLE_CAP: Final = TITLE_CAP
#: Enough visible text to compare a page with its baseline, without holding whole sites.
PAGE_TEXT_CAP: Final = 200_000

# C0 and C1 controls, DEL, bidi embeddings, overrides and isolates, marks that reorder or
# hide text (LRM, RLM, ALM, zero-width joiners, BOM), and Unicode's own line breaks.
# Compiled on first use: most text is printable and never needs it (see `visible`).
_INVISIBLE: Final = lazy_pattern(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def _stand_in(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␛ for ESC, ␊ for a line feed
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every control and invisible formatting character shown as a stand-in."""
    if text.isprintable():  # every character the pattern replaces is one isprintable refuses
        return text
    return _INVISIBLE().sub(_stand_in, text)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def plain(text: str, limit: int | None = None) -> str:
    """Terminal-safe, one line: clipped when `limit` is given, nothing invisible."""
    return visible(clip(text, limit) if limit is not None else text)


# What Markdown (GitHub flavour: tables, strikethrough, math) could read as markup mid-line.
_MD_SPECIAL: Final = lazy_pattern(r"([\\`*_\[\]()#!|<>&~$])")


def md_escape(text: str) -> str:
    """Markdown-inert text of guidelint's own wording: punctuation that means something is
    backslashed. Text from elsewhere goes in `md_code`, which also stops autolinks."""
    return _MD_SPECIAL().sub(r"\\\1", visible(text))


def md_code(text: str, limit: int | None = None, *, in_table: bool = False) -> str:
    """A code span that no backtick run inside `text` can close early.

    GitHub renders nothing inside a code span as a link, image, mention, issue reference
    or HTML, so this is where remote text goes in Markdown. In a table cell a `|` would
    still end the cell, so there it is escaped as GFM allows inside code spans.
    """
    text = plain(text, limit)
    if in_table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_WEB_URL: Final = lazy_pattern(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def md_link(url: str, limit: int = URL_CAP) -> str:
    """A guide's own http(s) URL as a Markdown link with the URL, clipped, as its text.

    Anything else (another scheme, spaces, control characters, brackets) is shown as code:
    only addresses the guides already send readers to are made clickable.
    """
    if not _WEB_URL().fullmatch(url) or "(" in url or ")" in url:
        return md_code(url, limit)
    return f"[{md_code(url, limit)}](<{url}>)"


def html_text(text: str, limit: int | None = None) -> str:
    """HTML-escaped (quotes too), clipped when `limit` is given, nothing invisible."""
    # Imported here: `html` loads its entity tables, and a one-file lint prints no HTML.
    import html

    return html.escape(plain(text, limit), quote=True)


def is_web_url(url: str) -> bool:
    """Whether `url` is a plain http(s) URL that may become a link in a report."""
    return _WEB_URL().fullmatch(url) is not None


def workflow_data(text: str) -> str:
    """The message of a GitHub Actions workflow command (`::error …::message`).

    The runner reads `%0A` back as a line break inside the annotation; a raw one would end
    the command and let the next line be read as a command of its own.
    """
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(escaped)


def workflow_property(text: str) -> str:
    """A property value of a workflow command (`file=…`): `:` and `,` end it otherwise."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
