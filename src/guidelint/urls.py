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
