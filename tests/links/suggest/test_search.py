"""Where did the page go, against real sites on 127.0.0.1 (tests/movedsite.py).

Each test reviews the charity's reporting page in phase 1 (`--update-baseline`), then the
site is rebuilt (phase 2): the page answers 404 and lives on at a new address that only
the sitemaps know, next to a decoy. The runs go through `links.pipeline`, as the CLI's do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from guidelint.links import baseline as bl
from guidelint.links import pipeline
from guidelint.links.check.records import Response
from guidelint.links.guard import AddressPolicy
from guidelint.links.model import LinkResult, Verdict
from guidelint.links.report import render_html, render_json, render_markdown, render_text
from guidelint.links.settings import CheckOptions, HealthSettings, SuggestSettings
from guidelint.links.suggest.search import MAX_SITE_URLS, MAX_SITEMAP_DOCS, Job, weigh
from linkzoo import ZooResolver
from movedsite import (
    ALIAS_PATH,
    ARCHIVED_AT,
    CHARITY,
    DEAD_PATH,
    DECOY_PATH,
    NEW_PATH,
    Sites,
    moved_page,
    other_page,
    running_sites,
)

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
PHONE_FACT = "+44 808 800 5000 (0808 800 5000)"
REVIEWED = datetime(2026, 11, 2, 5, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    with running_sites() as running:
        yield running


def write_guide(path: Path, urls: list[str]) -> Path:
    resources = "".join(
        f"- id: r{index}\n  name: {CHARITY}\n  url: {url}  # the reporting page\n"
        for index, url in enumerate(urls)
    )
    path.write_text(
        f"id: g\ntitle: What to do if…\njurisdiction: GB\nresources:\n{resources}",
        encoding="utf-8",
    )
    return path


def request(sites: Sites, tmp_path: Path, guide: Path, **changes: Any) -> pipeline.Request:
    options = CheckOptions(
        timeout=3.0,
        retries=0,
        min_interval=0.0,
        run_deadline=60.0,
        allow=AddressPolicy.from_entries(["127.0.0.1/32"]),
    )
    values: dict[str, Any] = {
        "paths": [str(guide)],
        "options": options,
        "settings": HealthSettings(),
        "now": NOW,
        "baseline_path": tmp_path / "links-baseline.json",
        "state_path": None,
        "resolver": ZooResolver({"*.test": "127.0.0.1"}),
        "suggest": SuggestSettings(),
    }
    values.update(changes)
    return pipeline.Request(**values)


def reviewed_then_moved(
    sites: Sites, tmp_path: Path, urls: list[str], **changes: Any
) -> pipeline.Run:
    """Review the pages (phase 1), rebuild the sites (phase 2) and run again."""
    guide = write_guide(tmp_path / "guide.yaml", urls)
    sites.phase = 1
    try:
        first = pipeline.run(request(sites, tmp_path, guide, update_baseline=True, now=REVIEWED))
        assert first.baseline_saved
    finally:
        sites.phase = 2
    return pipeline.run(request(sites, tmp_path, guide, **changes))


def result_for(run: pipeline.Run, url: str) -> LinkResult:
    return next(result for result in run.outcome.results if result.url == url)


@pytest.mark.parametrize("layout", ["index", "plain", "gzip"])
def test_a_page_moved_without_a_redirect_is_found_through_its_sitemaps(
    sites: Sites, tmp_path: Path, layout: str
) -> None:
    host = f"{layout}.charity.test"
    dead = sites.url(DEAD_PATH, host)
    before = len(sites.requests)
    run = reviewed_then_moved(sites, tmp_path, [dead])
    result = result_for(run, dead)
    assert result.verdict is Verdict.BROKEN and result.dead  # a suggestion is no verdict
    found = result.suggestion
    assert found is not None
    assert found.url == sites.url(NEW_PATH, host)
    assert found.confident and found.score >= 0.75
    assert found.same_title
    assert f"phone {PHONE_FACT}" in found.shared_facts
    assert found.similarity >= 0.5  # a new template: menus and headings run together
    # Thousands of news posts were listed; only the few best-ranked pages were fetched.
    fetched = [
        path
        for seen, path in sites.requests[before:]
        if seen == host
        and not path.startswith(("/robots", "/sitemap", DEAD_PATH, "/get-help/guidelint-probe"))
    ]
    assert NEW_PATH in fetched and DECOY_PATH in fetched
    # The old alias that redirects to the new page was fetched too, and not counted as a
    # rival: the suggestion is still confident.
    assert ALIAS_PATH in fetched
    assert len(fetched) <= SuggestSettings().pages + 1  # the alias's redirect: one more
    # Every report shows it, with its evidence; Markdown as code, never as a link.
    new = sites.url(NEW_PATH, host)
    text = render_text(run.outcome)
    assert f"suggestion: probably moved to {new} (same title, same phone number" in text
    markdown = render_markdown(run.outcome)
    assert f"**Suggestion:** probably moved to `{new}`" in markdown
    assert f"<{new}>" not in markdown and f"]({new}" not in markdown
    assert f"<strong>Suggestion:</strong> probably moved to {new} (" in render_html(run.outcome)
    (link,) = json.loads(render_json(run.outcome))["links"]
    assert link["verdict"] == "broken" and link["suggestion"]["url"] == new
    assert link["suggestion"]["evidence"][:2] == ["same title", f"same phone number {PHONE_FACT}"]


def test_the_search_never_leaves_the_site_nor_calls_a_private_address(
    sites: Sites, tmp_path: Path
) -> None:
    dead = sites.url(DEAD_PATH, "index.charity.test")
    before = len(sites.requests)
    run = reviewed_then_moved(sites, tmp_path, [dead])
    assert result_for(run, dead).suggestion is not None
    hosts = {host for host, _ in sites.requests[before:]}
    # robots.txt and the index named evil.test, 127.0.0.1 (reachable: the guard allows it
    # here), 10.0.0.1 and 169.254.169.254: none of them was asked anything.
    assert hosts == {"index.charity.test"}


def test_the_decoy_with_another_helpline_is_never_suggested(sites: Sites, tmp_path: Path) -> None:
    # The page is gone for good: the best the site offers is the same advice for Scotland,
    # with Scotland's helpline number in place of the reviewed one.
    host = "decoy.charity.test"
    dead = sites.url(DEAD_PATH, host)
    run = reviewed_then_moved(sites, tmp_path, [dead])
    assert DECOY_PATH in sites.to(host)  # it was weighed...
    assert result_for(run, dead).suggestion is None  # ...and refused


def test_a_site_without_sitemaps_gets_no_suggestion_after_two_requests(
    sites: Sites, tmp_path: Path
) -> None:
    host = "bare.charity.test"
    dead = sites.url(DEAD_PATH, host)
    run = reviewed_then_moved(sites, tmp_path, [dead])
    result = result_for(run, dead)
    assert result.suggestion is None
    assert "replace the link" in render_text(run.outcome)
    searched = [path for path in sites.to(host) if path in ("/robots.txt", "/sitemap.xml")]
    assert searched == ["/robots.txt", "/sitemap.xml"]


def test_no_search_without_a_reviewed_entry_or_when_switched_off(
    sites: Sites, tmp_path: Path
) -> None:
    host = "plain.charity.test"
    dead = sites.url(DEAD_PATH, host)
    guide = write_guide(tmp_path / "guide.yaml", [dead])
    sites.phase = 2
    before = len(sites.requests)
    run = pipeline.run(request(sites, tmp_path, guide))  # no baseline entry
    assert result_for(run, dead).suggestion is None
    assert [path for _, path in sites.requests[before:]] == [DEAD_PATH]  # the check only
    off = SuggestSettings(enabled=False)
    run = reviewed_then_moved(sites, tmp_path, [dead], suggest=off)
    assert result_for(run, dead).suggestion is None
    assert "/robots.txt" not in [path for _, path in sites.requests[before:]]


def test_the_budget_bounds_every_request_of_the_search(sites: Sites, tmp_path: Path) -> None:
    host = "index.charity.test"
    dead = sites.url(DEAD_PATH, host)
    run = reviewed_then_moved(sites, tmp_path, [dead], suggest=SuggestSettings(budget=2))
    assert result_for(run, dead).suggestion is None
    assert any("budget of 2 requests" in note for note in run.outcome.notes)


@pytest.mark.parametrize(
    ("kind", "note"),
    [
        ("huge", f"only the first {MAX_SITE_URLS} addresses read"),
        ("bomb", "cut at the size cap"),
        ("laughs", "DOCTYPE"),
        ("deep", None),
        ("wide", None),
        ("offsite", None),
    ],
)
def test_a_hostile_sitemap_is_bounded_and_never_followed_off_site(
    sites: Sites, tmp_path: Path, kind: str, note: str | None
) -> None:
    host = f"{kind}.hostile.test"
    dead = sites.url(DEAD_PATH, host)
    before = len(sites.requests)
    started = time.monotonic()
    run = reviewed_then_moved(sites, tmp_path, [dead])
    assert time.monotonic() - started < 30
    result = result_for(run, dead)
    assert result.suggestion is None
    assert result.verdict is Verdict.BROKEN
    asked = sites.requests[before:]
    assert {seen for seen, _ in asked} == {host}  # evil.test and 127.0.0.1 never asked
    sitemaps = [path for _, path in asked if path.endswith(".xml")]
    assert len(set(sitemaps)) <= MAX_SITEMAP_DOCS
    assert [path for _, path in asked].count("/robots.txt") == 1
    if kind == "deep":
        # An index of indexes is followed two levels down, no deeper.
        assert sitemaps == ["/sitemap.xml", "/index/1.xml", "/index/2.xml"]
    if note is not None:
        assert any(note in line for line in run.outcome.notes), run.outcome.notes


def test_archive_lookup_shows_what_the_page_said_on_the_day_it_was_reviewed(
    sites: Sites, tmp_path: Path
) -> None:
    dead = sites.url(DEAD_PATH, "index.charity.test")
    endpoint = f"http://archive.test:{sites.port}/wayback/available"
    settings = SuggestSettings(archive=True, archive_endpoint=endpoint)
    before = len(sites.requests)
    run = reviewed_then_moved(sites, tmp_path, [dead], suggest=settings)
    copy = result_for(run, dead).archived
    assert copy is not None
    assert copy.url == f"http://archive.test:{sites.port}/web/{ARCHIVED_AT}/{dead}"
    assert copy.captured_at == "2026-11-01T09:30:00Z"
    asked = [path for host, path in sites.requests[before:] if host == "archive.test"]
    assert len(asked) == 1
    assert "timestamp=20261102050000" in asked[0]  # closest to the review
    for text in (render_text(run.outcome), render_markdown(run.outcome)):
        assert "not a replacement" in text
    data = json.loads(render_json(run.outcome))
    link = next(link for link in data["links"] if link["url"] == dead)
    assert link["archived"] == {"url": copy.url, "captured_at": "2026-11-01T09:30:00Z"}


def test_archive_lookup_is_off_by_default_and_refuses_unusable_answers(
    sites: Sites, tmp_path: Path
) -> None:
    before = len(sites.requests)
    dead = sites.url(DEAD_PATH, "index.charity.test")
    run = reviewed_then_moved(sites, tmp_path, [dead])
    assert result_for(run, dead).archived is None
    assert all(host != "archive.test" for host, _ in sites.requests[before:])
    endpoint = f"http://archive.test:{sites.port}/wayback/available"
    settings = SuggestSettings(archive=True, archive_endpoint=endpoint, enabled=False)
    urls = [sites.url(f"{DEAD_PATH}/{name}") for name in ("garbage", "none", "error-capture")]
    guide = write_guide(tmp_path / "guide.yaml", urls)
    before = len(sites.requests)
    run = pipeline.run(request(sites, tmp_path, guide, suggest=settings))
    # Asked about each dead page (with no review and no history, for the latest copy)...
    asked = [path for host, path in sites.requests[before:] if host == "archive.test"]
    assert len(asked) == 3 and not any("timestamp" in path for path in asked)
    # ...but a JSON bomb, no copy, and a copy of an error page are nothing to show.
    assert all(result.archived is None for result in run.outcome.results)


def test_accept_suggestions_rewrites_the_guide_and_moves_the_review(
    sites: Sites, tmp_path: Path
) -> None:
    host = "index.charity.test"
    dead, new = sites.url(DEAD_PATH, host), sites.url(NEW_PATH, host)
    run = reviewed_then_moved(sites, tmp_path, [dead], fix_moved=True, accept_suggestions=True)
    guide = tmp_path / "guide.yaml"
    text = guide.read_text(encoding="utf-8")
    assert f"url: {new}  # the reporting page\n" in text  # only the URL changed
    assert dead not in text
    assert result_for(run, dead).fixed_to == new
    assert run.failing("new") == []
    entries = bl.load(tmp_path / "links-baseline.json").entries
    assert dead not in entries
    assert entries[new].final_url == new
    # The next run checks the new address against what was reviewed: alive, not moved.
    again = pipeline.run(request(sites, tmp_path, guide))
    assert result_for(again, new).verdict.info.alive


def test_without_accept_suggestions_fix_moved_leaves_dead_links_alone(
    sites: Sites, tmp_path: Path
) -> None:
    dead = sites.url(DEAD_PATH, "gzip.charity.test")
    run = reviewed_then_moved(sites, tmp_path, [dead], fix_moved=True)
    assert dead in (tmp_path / "guide.yaml").read_text(encoding="utf-8")
    assert result_for(run, dead).fixed_to is None
    assert run.fixes is not None and not run.fixes.edits


def test_a_candidate_is_read_as_the_baseline_was(sites: Sites, tmp_path: Path) -> None:
    """The reviewed entry as a real run accepted it, weighed against pages as fetched: the
    moved page is alike, an unrelated page of the same site is not. (Should the baseline
    come to read pages differently, e.g. their main content only, candidates must be read
    the same way, or every page would look alike.)"""
    dead = sites.url(DEAD_PATH, "plain.charity.test")
    reviewed_then_moved(sites, tmp_path, [dead], suggest=SuggestSettings(enabled=False))
    entry = bl.load(tmp_path / "links-baseline.json").entries[dead]
    job = Job(dead, entry.snapshot)

    def weighed(path: str, page: str) -> float:
        answer = Response(sites.url(path), 200, {"content-type": "text/html"}, page.encode())
        scored = weigh(job, answer, 1 << 20, HealthSettings().change)
        assert scored is not None
        return scored.similarity

    assert weighed(NEW_PATH, moved_page()) > 0.5
    assert weighed("/news/2024/post-1", other_page("News 1")) < 0.1
