"""Real-browser checks of the pages guidelint writes: Debian's chromium and chromium-driver,
driven by selenium, with axe-core from the npm registry (tests/browser/package-lock.json).

`.ci/run` installs all three (`.ci/browser-deps`). Where one is missing the browser tests
skip and say what is missing and how to get it; with GUIDELINT_BROWSER_TESTS=require (set
by `.ci/run` once its install succeeded) they fail instead, so a CI run cannot pass them
vacuously.

`audit` is the one check every page gets: at 1200 and 390 px wide it screenshots the whole
page, measures horizontal overflow and runs axe-core. A new page (the link report, say) needs
one test that renders it into the served folder and calls `audit`.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
AXE_PACKAGE: Final = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
REQUIRE_ENV: Final = "GUIDELINT_BROWSER_TESTS"
SHOTS_ENV: Final = "GUIDELINT_SCREENSHOTS"

#: Desktop and phone (an iPhone 12-15 is 390 CSS px wide).
WIDTHS: Final = {"desktop": (1200, 900), "phone": (390, 844)}
#: Without the background-networking flags Chromium dials out on start, and this machine's
#: closed network refuses it; the user data dir is fresh for every browser.
CHROMIUM_FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
#: Every bounded wait, in seconds: page loads, scripts, the servers' lifetime.
PAGE_TIMEOUT: Final = 20
SERVER_LIFETIME: Final = 600
SERIOUS: Final = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class Tools:
    chromium: Path
    chromedriver: Path
    axe: Path


def _which(env: str, *candidates: str) -> Path | None:
    for candidate in (os.environ.get(env), *candidates):
        if candidate and (found := shutil.which(candidate)):
            return Path(found)
    return None


@functools.cache
def find_tools() -> Tools | str:
    """The browser, its driver and axe-core, or what is missing and how to install it."""
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    # Debian's package, else Chrome (as GitHub's Ubuntu runners have it).
    chromium = _which("GUIDELINT_CHROMIUM", "/usr/bin/chromium", "chromium", "google-chrome")
    driver = _which("GUIDELINT_CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver")
    if chromium is None or driver is None:
        missing.append("Chromium and its driver (apt-get install chromium chromium-driver)")
    axe = Path(os.environ.get("GUIDELINT_AXE_JS") or AXE_PACKAGE)
    if not axe.is_file():
        missing.append(f"axe-core at {axe} (npm ci --prefix tests/browser)")
    if missing or chromium is None or driver is None:
        return "browser tests need " + "; ".join(missing) + "; .ci/run installs them"
    return Tools(chromium, driver, axe)


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") == "require"


@dataclass
class Served:
    """A folder served over HTTP on 127.0.0.1, with the requests it received."""

    root: Path
    port: int
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Served]:
    """Serve `root` on loopback until the block ends, or `SERVER_LIFETIME` seconds at most."""
    served = Served(root, 0)

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self) -> None:
            served.requests.append((self.path, dict(self.headers.items())))
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    deadline = threading.Timer(SERVER_LIFETIME, server.shutdown)
    thread.start()
    deadline.start()
    try:
        yield served
    finally:
        deadline.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Browser:
    """One headless Chromium. Pages are opened at a width with `show`."""

    def __init__(self, tools: Tools, profile: Path, *, javascript: bool = True) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(tools.chromium)
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        if not javascript:
            options.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2}
            )
        # Both paths given: selenium never looks for (or downloads) a browser of its own.
        self.driver = webdriver.Chrome(
            options=options, service=Service(executable_path=str(tools.chromedriver))
        )
        self.driver.set_page_load_timeout(PAGE_TIMEOUT)
        self.driver.set_script_timeout(PAGE_TIMEOUT)
        self.axe_source = tools.axe.read_text(encoding="utf-8")

    def close(self) -> None:
        self.driver.quit()

    def resize(self, width: int, height: int) -> None:
        # Emulated like a device, so a phone width also gets the phone's viewport rules and a
        # touch screen (CSS `pointer: coarse`).
        phone = width < 600
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": phone},
        )
        self.driver.execute_cdp_cmd(
            "Emulation.setTouchEmulationEnabled", {"enabled": phone, "maxTouchPoints": 5}
        )

    def show(self, url: str, width: int = 1200, height: int = 900) -> None:
        self.resize(width, height)
        self.driver.get(url)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def screenshot(self, path: Path) -> Path:
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than the window (0: no sideways scroll)."""
        width: int = self.js(
            "const e = document.documentElement; return e.scrollWidth - e.clientWidth;"
        )
        return width

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the current page: id, impact, help and the nodes."""
        self.js(self.axe_source)
        result: Any = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ["violations"]}).then(
              (r) => done(r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")),
              }))),
              (e) => done({error: String(e)}));
            """
        )
        if isinstance(result, dict):
            raise AssertionError(f"axe-core failed: {result['error']}")
        violations: list[dict[str, Any]] = result
        return violations

    def console(self) -> list[str]:
        entries: list[dict[str, Any]] = self.driver.get_log("browser")  # type: ignore[no-untyped-call]
        return [entry["message"] for entry in entries]


@dataclass(frozen=True)
class Audit:
    """What `audit` found at one width."""

    width: str
    screenshot: Path
    overflow: int
    violations: list[dict[str, Any]]

    @property
    def serious(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v["impact"] in SERIOUS]


def audit(browser: Browser, url: str, name: str, shots: Path) -> list[Audit]:
    """Open `url` at each of `WIDTHS`: screenshot it to `shots/<name>-<width>.png`, measure
    sideways overflow, and run axe-core."""
    results = []
    for label, (width, height) in WIDTHS.items():
        browser.show(url, width, height)
        shot = browser.screenshot(shots / f"{name}-{label}-{width}.png")
        results.append(Audit(label, shot, browser.overflow(), browser.axe()))
    return results
