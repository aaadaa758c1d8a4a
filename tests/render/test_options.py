"""`[tool.guidelint.render]`: the exit destination, vetted like every other config key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guidelint import options
from guidelint.config import ConfigError, load_config
from guidelint.options import Where
from guidelint.render.options import DEFAULT_EXIT_URL, RenderOptions


def from_table(table: dict[str, Any], source: str = "config") -> RenderOptions:
    return options.parse(RenderOptions, table, Where(source=source, table="tool.guidelint.render"))


def test_the_default_is_the_govuk_components_neutral_page() -> None:
    assert from_table({}).exit_url == DEFAULT_EXIT_URL == ("https://www.bbc.co.uk/weather")


def test_exit_url_is_read_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.guidelint.render]\nexit-url = "https://weather.example/today"\n', encoding="utf-8"
    )
    config = load_config(None, tmp_path)
    assert from_table(dict(config.render)).exit_url == "https://weather.example/today"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"exit_url": "https://x.example"},
            "render] unknown key 'exit_url' (did you mean 'exit-url'?)",
        ),
        ({"exit-url": "http://weather.example"}, "must be an absolute https:// URL"),
        ({"exit-url": "javascript:alert(1)"}, "must be an absolute https:// URL"),
        ({"exit-url": "/weather"}, "must be an absolute https:// URL"),
        ({"exit-url": "https://"}, "must be an absolute https:// URL"),
        ({"exit-url": "https://a.example/x y"}, "must be an absolute https:// URL"),
        ({"exit-url": "https://a.example/\u202e"}, "must be an absolute https:// URL"),
        ({"exit-url": ["https://a.example"]}, "must be an absolute https:// URL"),
    ],
)
def test_bad_settings_are_errors_that_say_what_to_write(
    table: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=r"^pyproject\.toml: ") as error:
        from_table(table, "pyproject.toml")
    assert message in str(error.value)
