"""Counts in words, for every message and report: "1 URL", "2 URLs", "it", "them"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 URL', '2 URLs'; `many` for nouns that do not just take an s ('page is', 'pages are')."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def them(count: int) -> str:
    """The pronoun for `count` things: 'it' or 'them'."""
    return "it" if count == 1 else "them"
