"""Fixtures of the browser tests: the tools (or a skip that says what is missing), a site of
rendered guides on a loopback server, a neutral "exit" site on another, and browsers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from browserkit import REQUIRE_ENV, SHOTS_ENV, Browser, Served, Tools, find_tools, required, serve
from guidelint.guide import Guide
from guidelint.render import RenderOptions, load_guide, render_library

ROOT = Path(__file__).resolve().parents[2]
#: Guides on the test site, by their path in it.
SITE_GUIDES = {
    "gb/intimate-images-saved-gb.yaml": ROOT / "guides/gb/intimate-images-saved-gb.yaml",
    "us/intimate-images-saved-us.yaml": ROOT / "guides/us/intimate-images-saved-us.yaml",
    "gb/phones-gb.yaml": ROOT / "tests/fixtures/render/phones-gb.yaml",
    "gb/markup-test-gb.yaml": ROOT / "tests/fixtures/render/markup-test-gb.yaml",
}
NEUTRAL_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>Weather</title>'
    "</head><body><main><h1>Weather</h1></main></body></html>\n"
)

_shots: list[Path] = []


@pytest.fixture(scope="session")
def tools() -> Tools:
    found = find_tools()
    if isinstance(found, str):
        if required():
            pytest.fail(f"{found} ({REQUIRE_ENV}=require)")
        pytest.skip(found)
    return found


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $GUIDELINT_SCREENSHOTS, else pytest's temporary folder."""
    chosen = os.environ.get(SHOTS_ENV)
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _shots.append(folder)
    return folder


@pytest.fixture(scope="session")
def neutral(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The page "Exit this page" leads to, on its own origin (another port)."""
    root = tmp_path_factory.mktemp("neutral")
    (root / "weather.html").write_text(NEUTRAL_PAGE, encoding="utf-8")
    with serve(root) as served:
        yield served


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, neutral: Served) -> Iterator[Served]:
    """The guides in `SITE_GUIDES` rendered as HTML with an index, served on loopback."""
    root = tmp_path_factory.mktemp("site")
    guides = []
    for name, path in SITE_GUIDES.items():
        guide = load_guide(path)
        assert isinstance(guide, Guide), guide
        guides.append((PurePosixPath(name), guide))
    options = RenderOptions(exit_url=neutral.url("weather.html"))
    for output, text in render_library(guides, "html", options).items():
        target = root / output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    with serve(root) as served:
        yield served


@pytest.fixture(scope="session")
def browser(tools: Tools, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    opened = Browser(tools, tmp_path_factory.mktemp("profile"))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def browser_without_js(tools: Tools, tmp_path: Path) -> Iterator[Browser]:
    opened = Browser(tools, tmp_path / "profile", javascript=False)
    try:
        yield opened
    finally:
        opened.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for folder in _shots:
        terminalreporter.write_line(f"browser screenshots: {folder}")
