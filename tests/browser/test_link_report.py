"""The HTML link report in a real browser: it fits a desktop and a phone (no sideways
scroll, long URLs wrap), passes axe-core, and its chart says in text what it shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from browserkit import Browser, Served, audit, serve
from guidelint.links.model import (
    ArchivedCopy,
    Change,
    Hop,
    LinkResult,
    Reference,
    RunOutcome,
    Suggestion,
    Transition,
    Verdict,
)
from guidelint.links.report import Trend, render_html

pytestmark = pytest.mark.browser

START = datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC)
LONG = "https://www.example-support-organisation.org.uk/get-help/" + "reporting-" * 12 + "form"


def _ref(line: int, resource: str | None = "Report Remove") -> Reference:
    return Reference(
        "guides/gb/intimate-images-saved-gb.yaml",
        line,
        8,
        f"/resources/{line}/url",
        resource=resource,
        jurisdiction="GB",
        guide_title="What to do if… you discover someone saved intimate photos you sent",
    )


def _outcome() -> RunOutcome:
    results = (
        LinkResult(
            LONG,
            Verdict.BROKEN,
            status=404,
            error="HTTP 404",
            confirmed=True,
            failing_since="2026-11-21T03:00:00Z",
            transition=Transition.STILL_FAILING,
            references=(_ref(1), _ref(2, None)),
            # Long addresses a site and an archive gave: they must wrap, not widen the page.
            suggestion=Suggestion(
                url=LONG.replace("get-help", "our-services/reporting"),
                score=0.81,
                confident=True,
                same_title=True,
                title_similarity=1.0,
                similarity=0.59,
                shared_facts=("phone +44 345 600 0459 (0345 600 0459)",),
                path_similarity=0.5,
            ),
            archived=ArchivedCopy(
                "https://web.archive.org/web/20261101093000/" + LONG, "2026-11-01T09:30:00Z"
            ),
        ),
        LinkResult(
            "https://old.example.org/help",
            Verdict.MOVED,
            status=200,
            final_url="https://www.example.org/new-home/" + "x" * 120,
            redirects=(Hop("https://old.example.org/help", 301),),
            references=(_ref(3, "Helpline"),),
        ),
        LinkResult(
            "https://changed.example.org/",
            Verdict.CHANGED,
            status=200,
            change=Change(0.61, "Get help", "Service closed", ("phone 0808 800 5000",), ()),
            references=(_ref(4, "Chat service"),),
        ),
        LinkResult("https://ok.example.org/", Verdict.OK, status=200, references=(_ref(5),)),
    )
    return RunOutcome(START, START + datetime.timedelta(seconds=9), results)


def _trend() -> Trend:
    runs = [
        (f"2026-11-{day:02d}T03:00:00Z", day == 14, {"ok": 3, "broken": 1, "changed": day % 2})
        for day in range(7, 36, 7)
        if day <= 30
    ]
    timeline = [(stamp, "broken") for stamp, _, _ in runs]
    return Trend(runs=runs, timelines={LONG: timeline})


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("report")
    (root / "links.html").write_text(render_html(_outcome(), _trend()), encoding="utf-8")
    with serve(root) as served:
        yield served


def test_link_report_fits_desktop_and_phone_and_passes_axe(
    browser: Browser, report: Served, shots: Path
) -> None:
    for result in audit(browser, report.url("links.html"), "link-report", shots):
        assert result.overflow <= 0, f"the report scrolls sideways at {result.width} px"
        assert result.serious == [], result.violations


def test_long_urls_wrap_at_separators_on_a_phone(browser: Browser, report: Served) -> None:
    browser.show(report.url("links.html"), width=390, height=800)
    widths = browser.js(
        """const link = document.querySelector("table.findings a");
           const box = link.getBoundingClientRect();
           return [box.width, document.documentElement.clientWidth,
                   link.getClientRects().length];"""
    )
    width, page, lines = widths
    assert width <= page and lines > 1  # wrapped over several lines, inside the page


def test_cards_label_each_field_on_a_phone(browser: Browser, report: Served) -> None:
    browser.show(report.url("links.html"), width=390, height=800)
    labels = browser.js(
        """return [...document.querySelector("table.findings tbody tr").cells]
             .map((td) => getComputedStyle(td, "::before").content);"""
    )
    assert labels == ['"Verdict: "', '"URL: "', '"Why: "', '"Action: "', '"Used in: "']


def test_used_in_names_the_resource_and_guide(browser: Browser, report: Served) -> None:
    browser.show(report.url("links.html"))
    used = browser.js(
        """return document.querySelector("table.findings tbody td[data-label='Used in']")
             .innerText;"""
    )
    assert "resource “Report Remove” in “What to do if…" in used
    assert "/resources/" not in used  # the JSON pointer stays in the JSON report


def test_the_chart_has_a_table_of_the_same_figures(browser: Browser, report: Served) -> None:
    browser.show(report.url("links.html"))
    rows = browser.js(
        """const details = document.querySelector("details");
           details.open = true;
           return [...details.querySelectorAll("tbody tr")].map((tr) => tr.innerText);"""
    )
    assert len(rows) == 4
    assert rows[1].startswith("14 Nov 2026 03:00 UTC (offline, not counted)")
