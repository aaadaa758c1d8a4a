"""The same URL listed as two resources.

Two resources with one address are one resource written twice: readers see the same link
under two names, and a fix made to one copy misses the other. URLs are compared after
normalising what does not change the page: scheme and host case, a `www.` prefix, the
default port, a trailing slash and the `#fragment`.

Failing:

    - id: ic3
      url: https://www.ic3.gov/
    - id: fbi-ic3
      url: https://ic3.gov

Passing: one resource for `https://www.ic3.gov/`, referred to from every step that needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL307"
NAME = "duplicate-url"
SEVERITY = Severity.WARNING
SUMMARY = "Two resources have the same URL (after normalisation)."

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").removeprefix("www.")
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, resource in enumerate(guide.resources):
        key = normalise(str(resource["url"]))
        if key not in seen:
            seen[key] = index
            continue
        first = seen[key]
        line = guide.document.position(("resources", first, "url")).line
        yield Finding(
            guide.document.position(("resources", index, "url")),
            f"'{resource['url']}' is already listed as resource '{guide.resources[first]['id']}' "
            f"(line {line}); keep one resource and refer to it from each step",
        )
