"""The guide pages and the site index in a real browser (headless Chromium): they fit a
desktop and a phone, pass axe-core, load nothing else, print cleanly, and their "Exit this
page" control and phone links work."""

from __future__ import annotations

from pathlib import Path

import pytest

from browserkit import Browser, Served, audit

pytestmark = pytest.mark.browser

PAGES = {
    "index": "index.html",
    "guide-gb": "gb/intimate-images-saved-gb.html",
    "guide-us": "us/intimate-images-saved-us.html",
    "phones-gb": "gb/phones-gb.html",
    "markup-gb": "gb/markup-test-gb.html",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_desktop_and_phone_and_passes_axe(
    browser: Browser, site: Served, shots: Path, name: str
) -> None:
    for result in audit(browser, site.url(PAGES[name]), name, shots):
        assert result.screenshot.stat().st_size > 10_000, result
        assert result.overflow <= 0, f"{name} scrolls sideways at {result.width} width"
        assert result.serious == [], result.violations
        # Nothing moderate or minor either: the report lists what axe-core found.
        assert result.violations == []


def test_index_groups_guides_under_jurisdictions_by_title(browser: Browser, site: Served) -> None:
    browser.show(site.url("index.html"))
    sections = browser.js(
        """return [...document.querySelectorAll("main section")].map((s) => [
             s.querySelector("h2").textContent,
             [...s.querySelectorAll("li")].map((li) => [
               li.querySelector("a").textContent, li.querySelector("time").textContent])]);"""
    )
    assert [heading for heading, _ in sections] == ["United Kingdom", "United States"]
    uk, us = (entries for _, entries in sections)
    saved = (
        "What to do if… you discover someone saved intimate photos you sent with an "
        "expectation of privacy"
    )
    # By title: the markup fixture's title starts "a page says", the phones one "you need".
    assert uk == [
        [
            'What to do if… a page says <script>alert("x")</script> & you\'re worried',
            "1 November 2026",
        ],
        [saved, "1 November 2026"],
        ["What to do if… you need to phone someone now", "1 November 2026"],
    ]
    assert us == [[saved, "November 1, 2026"]]


def _no_other_requests(browser: Browser) -> None:
    resources = browser.js("return performance.getEntriesByType('resource').map((e) => e.name);")
    assert resources == []
    assert not [line for line in browser.console() if "Content Security Policy" in line]


def test_page_loads_nothing_else_and_its_own_style_and_script_run(
    browser: Browser, site: Served
) -> None:
    site.requests.clear()
    browser.show(site.url(PAGES["guide-gb"]))
    _no_other_requests(browser)
    assert [path for path, _ in site.requests if path != "/favicon.ico"] == [
        "/" + PAGES["guide-gb"]
    ]
    # The stylesheet applied (its hash is in the CSP) and the script ran (it shows the hint).
    colour = browser.js(
        "return getComputedStyle(document.getElementById('exit-this-page')).backgroundColor;"
    )
    assert colour == "rgb(179, 38, 30)"
    assert browser.js("return document.getElementById('exit-hint').hidden;") is False
    assert browser.js("return document.querySelector('time').textContent;") == "1 November 2026"


def test_shortcut_hint_shows_where_there_is_a_keyboard(browser: Browser, site: Served) -> None:
    shown = "return getComputedStyle(document.getElementById('exit-hint')).display;"
    browser.show(site.url(PAGES["guide-gb"]), 1200, 900)
    assert browser.js(shown) == "block"
    browser.show(site.url(PAGES["guide-gb"]), 390, 844)  # a touch screen: no Shift key
    assert browser.js(shown) == "none"


def test_phone_numbers_are_tel_links_in_the_browser(browser: Browser, site: Served) -> None:
    browser.show(site.url(PAGES["phones-gb"]), 390, 844)
    links = browser.js(
        """return [...document.querySelectorAll("main a")]
             .filter((a) => a.protocol === "tel:")
             .map((a) => [a.href, a.textContent, a.getBoundingClientRect().width > 0]);"""
    )
    assert links == [
        ["tel:999", "999", True],
        ["tel:112", "112", True],
        ["tel:111", "111", True],
        ["tel:+448081570192", "0808 157 0192", True],
        ["tel:+442079460958", "+44 20 7946 0958", True],
        ["tel:101", "101", True],
        ["tel:999", "999", True],
        ["tel:+448081570192", "0808 157 0192", True],
        ["tel:116123", "116 123", True],
    ]


def _start_then_open(browser: Browser, site: Served) -> str:
    """Open the index, then a guide: the guide is the second entry of the tab's history."""
    browser.show(site.url("index.html"))
    guide = site.url(PAGES["guide-gb"])
    browser.driver.get(guide)
    return guide


def _wait_for(browser: Browser, url: str) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(browser.driver, 10).until(lambda driver: driver.current_url == url)


def test_exit_button_replaces_the_page_in_history(
    browser: Browser, site: Served, neutral: Served
) -> None:
    _start_then_open(browser, site)
    neutral.requests.clear()
    browser.driver.find_element("id", "exit-this-page").click()
    _wait_for(browser, neutral.url("weather.html"))
    # No referrer: the neutral site does not learn which guide was open.
    referrers = [
        headers.get("Referer") for path, headers in neutral.requests if path != "/favicon.ico"
    ]
    assert referrers == [None]
    browser.driver.back()
    _wait_for(browser, site.url("index.html"))


def test_shift_three_times_leaves_the_page(browser: Browser, site: Served, neutral: Served) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _start_then_open(browser, site)
    actions = ActionChains(browser.driver)
    for _ in range(2):
        actions.key_down(Keys.SHIFT).key_up(Keys.SHIFT)
    actions.perform()
    status = browser.js("return document.getElementById('exit-status').textContent;")
    assert status == "Shift, press 1 more time to exit."
    ActionChains(browser.driver).key_down(Keys.SHIFT).key_up(Keys.SHIFT).perform()
    _wait_for(browser, neutral.url("weather.html"))
    browser.driver.back()
    _wait_for(browser, site.url("index.html"))


def test_shift_as_a_modifier_or_another_key_resets_the_count(
    browser: Browser, site: Served
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    guide = _start_then_open(browser, site)
    actions = ActionChains(browser.driver)
    actions.key_down(Keys.SHIFT).key_up(Keys.SHIFT)
    actions.key_down(Keys.SHIFT).send_keys("a").key_up(Keys.SHIFT)  # Shift+A: typing
    actions.key_down(Keys.SHIFT).key_up(Keys.SHIFT)
    actions.perform()
    assert browser.driver.current_url == guide
    assert browser.js("return document.getElementById('exit-status').textContent;") == (
        "Shift, press 2 more times to exit."
    )


def test_exit_link_works_without_javascript(
    browser_without_js: Browser, site: Served, neutral: Served
) -> None:
    browser = browser_without_js
    browser.show(site.url(PAGES["guide-gb"]))
    # The shortcut hint stays hidden: without scripts there is no shortcut to offer.
    assert browser.driver.find_element("id", "exit-hint").is_displayed() is False
    browser.driver.find_element("id", "exit-this-page").click()
    _wait_for(browser, neutral.url("weather.html"))


def test_print_hides_the_exit_control_and_shows_link_addresses(
    browser: Browser, site: Served
) -> None:
    browser.show(site.url(PAGES["guide-gb"]))
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.js(
            """const bar = document.querySelector(".exit-bar");
               const link = document.querySelector("section[aria-labelledby=resources] a");
               return [getComputedStyle(bar).display,
                       getComputedStyle(link, "::after").content, link.href];"""
        )
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    display, after, href = shown
    assert display == "none"
    assert after == f'" ({href})"'
