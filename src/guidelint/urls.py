"""Finding URLs written in prose: shared by the lint rules and the link collector."""

from __future__ import annotations

import functools
import re
from typing import Final

# A URL ends at whitespace, angle brackets or quotes; trailing sentence punctuation and an
# unbalanced closing bracket belong to the prose around it.
_URL: Final = re.compile(r"\b(?:https?|ftp|ftps)://[^\s<>\"“”‘’]+|\bwww\.[^\s<>\"“”‘’]+", re.I)
_TRAILING: Final = ".,;:!?…"
_CLOSERS: Final = {")": "(", "]": "["}


@functools.lru_cache(maxsize=4096)
def find_urls(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, url) for every URL written in prose, trimmed of surrounding punctuation.

    Cached: several rules read the same prose.
    """
    found = []
    for match in _URL.finditer(text):
        url = match.group()
        while url:
            last = url[-1]
            unbalanced = last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])
            if last not in _TRAILING and not unbalanced:
                break
            url = url[:-1]
        if url:
            found.append((match.start(), url))
    return tuple(found)


def shown(url: str) -> str:
    """`url` as a message may quote it: a user name or password before an `@` in its host
    part is hidden (`https://***@example.org/`), so a credential written in a guide never
    reaches a terminal, a CI log or an annotation."""
    if "@" not in url:
        return url  # most URLs: a JSON report of 100,000 links asks four times per link
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    at = rest.rfind("@", 0, end)
    if at < 0:
        return url
    return f"{scheme}://***@{rest[at + 1 :]}"


def host_of(url: str) -> str:
    """The lower-case host of a URL, written with or without a scheme, without a trailing
    dot; "" when it has none or cannot be parsed."""
    from urllib.parse import urlsplit

    candidate = url if "://" in url else f"https://{url}"
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")
