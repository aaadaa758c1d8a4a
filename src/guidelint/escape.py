"""Escaping text that may be hostile (remote page titles, guide text) for reports.

Shared by the lint and link-health reporters: one definition of what is inert.
"""

from __future__ import annotations

import re
from typing import Final

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Terminal-safe: no escape sequences or bidi overrides from remote text."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text.replace("\n", " "))


# What Markdown (GitHub flavour: tables, strikethrough, math) could read as markup mid-line.
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]()#!|<>&~$])")


def md_escape(text: str) -> str:
    """Markdown-inert text: every ASCII punctuation that means something is backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text))


def md_code(text: str) -> str:
    """A code span that no backtick run inside `text` can close early."""
    text = plain(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"
