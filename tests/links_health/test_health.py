"""The step the CLI runs after checking: baseline, history and annotations together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from guidelint import options
from guidelint.config import ConfigError
from guidelint.guide import Guide
from guidelint.links import baseline as bl
from guidelint.links import change as change_module
from guidelint.links import health
from guidelint.links.baseline import Baseline, LinkContext
from guidelint.links.change import ChangeSettings, compare
from guidelint.links.collect import collect
from guidelint.links.content import extract
from guidelint.links.history import History
from guidelint.links.model import LinkResult, Page, Transition, Verdict
from guidelint.links.settings import LinkSettings
from guidelint.loader import load_path
from guidelint.options import Where

ROOT = Path(__file__).parent.parent.parent
PAGES = ROOT / "tests" / "fixtures" / "links_health" / "pages"
START = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
HELP = "https://help.example.org/"
FORM = "https://report.example.org/form"
DEAD = "https://gone.example.net/page"


def _process(
    results: list[LinkResult], *, history_db: Path, **kwargs: Any
) -> tuple[list[LinkResult], health.RunSummary]:
    """`health.process` on a history database opened for the one run, as the pipeline does."""
    with History.open(history_db) as history:
        return health.process(results, history=history, **kwargs)


def _page(name: str) -> Page:
    extracted = extract((PAGES / name).read_text(encoding="utf-8"))
    return Page(extracted.title, extracted.text)


def _run(help_page: str, dead: Verdict = Verdict.BROKEN) -> list[LinkResult]:
    return [
        LinkResult(HELP, Verdict.OK, status=200, page=_page(help_page)),
        LinkResult(FORM, Verdict.OK, status=200, page=_page("changed-advice.1.html")),
        LinkResult(DEAD, dead, status=404 if dead is Verdict.BROKEN else 200),
    ]


def test_weekly_runs_flag_changes_and_confirm_deaths(tmp_path: Path) -> None:
    db = tmp_path / ".guidelint" / "links-history.sqlite"
    contexts = {HELP: LinkContext("GB", ("Image Abuse Helpline",))}
    first = _run("phone-digit.1.html")
    baseline = health.update_baseline(first, Baseline(), now=START, contexts=contexts).baseline
    assert list(baseline.entries) == [HELP, FORM]

    results, summary = _process(first, baseline=baseline, history_db=db, now=START, offline=False)
    by_url = {result.url: result for result in results}
    assert by_url[HELP].verdict is Verdict.OK
    assert by_url[DEAD].transition is Transition.NEW_FAILURE
    assert by_url[DEAD].failing_since == "2026-11-01T03:00:00Z"
    assert not by_url[DEAD].confirmed
    assert (summary.run_id, summary.new_failures, summary.changed) == (1, 1, 0)

    for week in (1, 2):
        now = START + timedelta(days=7 * week)
        results, summary = _process(
            _run("phone-digit.2.html"), baseline=baseline, history_db=db, now=now, offline=False
        )
    by_url = {result.url: result for result in results}
    assert by_url[HELP].verdict is Verdict.CHANGED
    change = by_url[HELP].change
    assert change is not None
    assert change.facts_added == ("phone +44 808 800 5001 (0808 800 5001)",)
    assert by_url[FORM].verdict is Verdict.OK
    assert by_url[DEAD].confirmed
    assert by_url[DEAD].transition is Transition.STILL_FAILING
    assert by_url[DEAD].failing_since == "2026-11-01T03:00:00Z"
    assert summary.verdicts == {"broken": 1, "changed": 1, "ok": 1}
    assert (summary.confirmed, summary.still_failing, summary.changed) == (1, 1, 1)

    # The maintainer reviews the new number and accepts it; the next run is quiet.
    accepted = health.accept_urls(
        results, baseline, [HELP], now=START + timedelta(days=15), contexts=contexts
    )
    assert accepted.accepted == (HELP,)
    results, summary = _process(
        _run("phone-digit.2.html", dead=Verdict.OK),
        baseline=accepted.baseline,
        history_db=db,
        now=START + timedelta(days=21),
        offline=False,
    )
    assert [r.verdict for r in results] == [Verdict.OK] * 3
    assert results[2].transition is Transition.RECOVERED
    assert (summary.recovered, summary.changed, summary.confirmed) == (1, 0, 0)


def test_offline_run_is_recorded_but_changes_no_streak(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    hosts = [f"https://host{i}.example.org/" for i in range(4)]
    down = [LinkResult(url, Verdict.UNREACHABLE, error="DNS failure") for url in hosts]
    for day in range(4):
        results, summary = _process(
            down,
            baseline=Baseline(),
            history_db=db,
            now=START + timedelta(days=2 * day),
            offline=True,  # as the check decided (links.check.is_offline)
        )
        assert summary.offline
        assert all(r.transition is None and not r.confirmed for r in results)
    up = [LinkResult(hosts[0], Verdict.BROKEN, status=404)]
    results, summary = _process(
        up, baseline=Baseline(), history_db=db, now=START + timedelta(days=9), offline=False
    )
    assert not summary.offline
    assert results[0].transition is Transition.NEW_FAILURE
    assert results[0].failing_since == "2026-11-10T03:00:00Z"


def test_rechecks_excuse_rotating_content(tmp_path: Path) -> None:
    text = _page("phone-digit.1.html").text
    first = [
        LinkResult(HELP, Verdict.OK, page=Page("Help", text + " Story: Sam said thanks a lot."))
    ]
    baseline = health.update_baseline(first, Baseline(), now=START).baseline
    now_page = Page("Help", text + " Story: Priya said this helped me so much.")
    again = Page("Help", text + " Story: Jordan said they were kind and quick.")
    second = [LinkResult(HELP, Verdict.OK, page=now_page)]
    strict = health.HealthSettings(change=ChangeSettings(threshold=0.99))
    assert health.needs_recheck(second, baseline, health.HealthSettings()) == []
    assert health.needs_recheck(second, baseline, strict) == [HELP]
    without, _ = _process(
        second,
        baseline=baseline,
        history_db=tmp_path / "a.sqlite",
        now=START,
        settings=strict,
        offline=False,
    )
    assert without[0].verdict is Verdict.CHANGED
    with_recheck, _ = _process(
        second,
        baseline=baseline,
        history_db=tmp_path / "b.sqlite",
        now=START,
        settings=strict,
        rechecks={HELP: again},
        offline=False,
    )
    assert with_recheck[0].verdict is Verdict.OK
    asked: list[list[str]] = []

    def refetch(urls: list[str]) -> dict[str, Page]:
        asked.append(urls)
        return {HELP: again}

    refetched, _ = _process(
        second,
        baseline=baseline,
        history_db=tmp_path / "c.sqlite",
        now=START,
        settings=strict,
        refetch=refetch,
        offline=False,
    )
    assert asked == [[HELP]]
    assert refetched[0].verdict is Verdict.OK


def test_new_urls_are_noted_not_changed(tmp_path: Path) -> None:
    results, summary = _process(
        _run("helpline.1.html"),
        baseline=Baseline(),
        history_db=tmp_path / "h.sqlite",
        now=START,
        offline=False,
    )
    assert [r.verdict for r in results[:2]] == [Verdict.OK, Verdict.OK]
    assert all(r.new for r in results[:2])
    assert summary.new_urls == 2


def health_settings(table: dict[str, object]) -> health.HealthSettings:
    where = Where(source="pyproject.toml", table="tool.guidelint.links")
    return options.parse(LinkSettings, table, where).health


def test_settings_from_config_table() -> None:
    settings = health_settings(
        {
            "change-threshold": 0.8,
            "confirm-runs": 2,
            "confirm-days": 7,
            "volatile-markers": ["Story of the week"],
            "state": "state/history.db",
            "timeout": 10,  # the checker's key, in the same table
        }
    )
    assert settings.change.threshold == 0.8
    assert settings.history.confirm_runs == 2
    assert settings.history.confirm_days == 7.0
    assert settings.change.volatile_markers[-1] == "Story of the week"
    assert settings.state_path == Path("state/history.db")
    assert health_settings({}) == health.HealthSettings()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"change-threshold": 1.5}, "'change-threshold' must be a number between 0.0 and 1.0"),
        ({"change-threshold": "high"}, "'change-threshold' must be a number"),
        ({"confirm-runs": 0}, "'confirm-runs' must be an integer of at least 1"),
        ({"confirm-days": True}, "'confirm-days' must be a number"),
        ({"volatile-markers": "quote"}, "'volatile-markers' must be a list of phrases"),
        ({"baseline": ""}, "'baseline' must be a file path"),
    ],
)
def test_settings_errors_name_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        health_settings(table)


def test_contexts_from_the_bundled_guides() -> None:
    # The references carry what the guides say, so no guide is read again after the check.
    collection = collect([ROOT / "guides"])
    gb_path = next(path for path in sorted((ROOT / "guides" / "gb").glob("*.yaml")))
    gb = Guide(load_path(gb_path).document)  # type: ignore[arg-type]
    resource = gb.resources[0]
    results = [
        LinkResult(url, Verdict.OK, references=refs) for url, refs in collection.urls.items()
    ]
    contexts = health.link_contexts(results)
    assert contexts[resource["url"]] == LinkContext("GB", (resource["name"],))
    prose = {
        url
        for url, refs in collection.urls.items()
        if all(not ref.pointer.startswith("/resources/") for ref in refs)
    }
    for url in prose:
        assert contexts[url].names == ()


def test_a_resource_jurisdiction_wins_over_its_guide(tmp_path: Path) -> None:
    guide = tmp_path / "g.yaml"
    guide.write_text(
        "id: g\ntitle: What to do if…\njurisdiction: GB\nresources:\n"
        "  - {id: a, name: Helpline, url: 'https://a.example/', jurisdictions: [IE]}\n"
        "steps:\n  - text: See https://b.example/ too.\n",
        encoding="utf-8",
    )
    urls = collect([guide]).urls
    results = [LinkResult(url, Verdict.OK, references=refs) for url, refs in urls.items()]
    contexts = health.link_contexts(results)
    assert contexts["https://a.example/"] == LinkContext("IE", ("Helpline",))
    assert contexts["https://b.example/"] == LinkContext("GB", ())
    (reference,) = urls["https://a.example/"]
    assert (reference.resource, reference.jurisdiction, reference.guide_title) == (
        "Helpline",
        "IE",
        "What to do if…",
    )


def test_each_page_is_compared_once_with_the_same_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Comparing is the costly part of a run with a baseline (about a millisecond a page):
    # the comparisons that pick the pages to fetch again serve `apply` too.
    first = _run("phone-digit.1.html")
    baseline = health.update_baseline(first, Baseline(), now=START).baseline
    second = _run("phone-digit.2.html")  # HELP changed, FORM did not, DEAD has no page
    again = _page("phone-digit.2.html")
    expected = bl.apply(second, baseline, rechecks={HELP: again})
    calls: list[tuple[str | None, bool]] = []
    original = compare

    def counting(snapshot: object, page: Page, *args: object, **kwargs: object) -> object:
        calls.append((page.title, kwargs.get("recheck") is not None))
        return original(snapshot, page, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(change_module, "compare", counting)
    results, _ = _process(
        second,
        baseline=baseline,
        history_db=tmp_path / "h.sqlite",
        now=START,
        refetch=lambda urls: dict.fromkeys(urls, again),
        offline=False,
    )
    # Two first looks (HELP, FORM), then HELP once more with its second fetch.
    assert [recheck for _, recheck in calls] == [False, False, True]
    assert [(r.url, r.verdict, r.change, r.notes) for r in results] == [
        (r.url, r.verdict, r.change, r.notes) for r in expected
    ]
    assert results[0].verdict is Verdict.CHANGED
    assert results[1] is second[1]  # unchanged and reviewed: passed through, not copied


@pytest.mark.parametrize("threshold", [0.9, 1.0])
def test_a_page_just_accepted_is_not_compared_with_its_own_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: float
) -> None:
    # An --update-baseline run accepts every alive page and then compares the pages with
    # the baseline just made from them: that finds nothing, so it is not done. The
    # comparison it skips really finds nothing, for every fixture page and context.
    pages = sorted(PAGES.glob("*.html"))
    results = [
        LinkResult(f"https://p{i}.example/", Verdict.OK, status=200, page=_page(path.name))
        for i, path in enumerate(pages)
    ]
    contexts = {
        result.url: LinkContext(region, names)
        for result, (region, names) in zip(
            results,
            [("GB", ("Image Abuse Helpline",)), ("US", ()), (None, ("Nobody",))] * len(pages),
            strict=False,
        )
    }
    settings = health.HealthSettings(change=ChangeSettings(threshold=threshold))
    accepted = health.update_baseline(
        results, Baseline(), now=START, contexts=contexts, settings=settings
    )
    assert list(accepted.accepted) == [result.url for result in results]
    compared = bl.compare_pages(results, accepted.baseline, settings.change)
    assert compared == dict.fromkeys(compared)  # all None: nothing to report
    assert len(compared) == len(pages)

    calls: list[str] = []
    original = compare

    def counting(snapshot: object, page: Page, *args: object, **kwargs: object) -> object:
        calls.append(page.title or "")
        return original(snapshot, page, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(change_module, "compare", counting)
    skipped, _ = _process(
        results,
        baseline=accepted.baseline,
        history_db=tmp_path / "h.sqlite",
        now=START,
        settings=settings,
        just_accepted=frozenset(accepted.accepted[1:]),
        offline=False,
    )
    assert len(calls) == 1  # only the page not accepted in this run
    assert skipped == results  # reviewed just now: nothing new, nothing changed
