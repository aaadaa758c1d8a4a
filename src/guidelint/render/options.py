"""Settings of the published pages, from `[tool.guidelint.render]`.

    [tool.guidelint.render]
    exit-url = "https://www.bbc.co.uk/weather"

`exit-url` is where the "Exit this page" control sends a reader who needs to leave at once.
The default is the one the GOV.UK Design System's component uses: a page that is neutral,
widely visited and quick to load, so it looks unremarkable on a screen or in the history
list. Choose another only for the same reasons (a local weather or news page, say). Unknown
keys are errors that name the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from guidelint.config import ConfigError

DEFAULT_EXIT_URL: Final = "https://www.bbc.co.uk/weather"

_KEYS: Final = ("exit-url",)
_MAX_URL: Final = 2048


@dataclass(frozen=True)
class RenderOptions:
    """What a page needs beyond the guide. Built directly in tests (any URL), or from a
    config table by `from_table`, which vets what a maintainer wrote."""

    exit_url: str = DEFAULT_EXIT_URL

    @classmethod
    def from_table(cls, table: Mapping[str, Any], where: str = "config") -> RenderOptions:
        unknown = sorted(set(table) - set(_KEYS))
        if unknown:
            raise ConfigError(
                f"{where}: unknown key '{unknown[0]}' in [tool.guidelint.render]; "
                f"allowed: {', '.join(_KEYS)}"
            )
        exit_url = table.get("exit-url", DEFAULT_EXIT_URL)
        if not isinstance(exit_url, str) or not _is_https_url(exit_url):
            raise ConfigError(
                f"{where}: render.exit-url must be an absolute https:// URL (such as "
                f"{DEFAULT_EXIT_URL!r}), not {exit_url!r}"
            )
        return cls(exit_url=exit_url)


DEFAULT_OPTIONS: Final = RenderOptions()


def _is_https_url(url: str) -> bool:
    if len(url) > _MAX_URL or not url.isprintable() or any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname)
