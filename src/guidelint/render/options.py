"""Settings of the published pages, from `[tool.guidelint.render]`.

    [tool.guidelint.render]
    exit-url = "https://www.bbc.co.uk/weather"

`exit-url` is where the "Exit this page" control sends a reader who needs to leave at once.
The default is the one the GOV.UK Design System's component uses: a page that is neutral,
widely visited and quick to load, so it looks unremarkable on a screen or in the history
list. Choose another only for the same reasons (a local weather or news page, say). The
table is read by `guidelint.options.parse` when pages are rendered (not when the config
loads: the render package is a large import `guidelint lint` does not need); unknown keys
are errors that name the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final
from urllib.parse import urlsplit

from guidelint.options import Key, Option

DEFAULT_EXIT_URL: Final = "https://www.bbc.co.uk/weather"

_MAX_URL: Final = 2048
_HTTPS_URL: Final = f"an absolute https:// URL (such as {DEFAULT_EXIT_URL!r})"


def _https_url(value: Any, at: Key) -> str:
    if not isinstance(value, str) or not _is_https_url(value):
        at.fail(_HTTPS_URL, value)
    return value


@dataclass(frozen=True)
class RenderOptions:
    """What a page needs beyond the guide. Built directly in tests (any URL), or read from
    `[tool.guidelint.render]` by `guidelint.options.parse`, which vets what a maintainer
    wrote."""

    exit_url: Annotated[
        str,
        Option(
            key="exit-url",
            parse=_https_url,
            kind=_HTTPS_URL,
            doc="where the 'Exit this page' control sends a reader who must leave at once",
        ),
    ] = DEFAULT_EXIT_URL


DEFAULT_OPTIONS: Final = RenderOptions()


def _is_https_url(url: str) -> bool:
    if len(url) > _MAX_URL or not url.isprintable() or any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname)
