"""A maintainer reads the report and applies the suggestion with one command (`guidelint`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidelint.links import fixmoved
from guidelint.links.model import LinkResult, Reference, Suggestion, Verdict
from guidelint.links.settings import LinkSettings, SuggestSettings
from guidelint.options import ConfigError, Where, parse
from movedsite import CHARITY, DEAD_PATH, HELPLINE, NEW_PATH, Sites, running_sites
from support import run_cli

GUIDE = """\
id: g
title: What to do if…
jurisdiction: GB
resources:
  # The charity's reporting page.
  - id: report
    name: {charity}
    url: '{url}'   # checked weekly
"""


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    with running_sites() as running:
        yield running


def links(*args: str) -> tuple[int, str, str]:
    done = run_cli("links", "--no-progress", "--no-state", "--allow", "127.0.0.1", *args)
    return done.code, done.stdout, done.stderr


def test_read_the_report_then_apply_the_suggestion(sites: Sites, in_tmp: Path) -> None:
    dead = f"http://127.0.0.1:{sites.port}{DEAD_PATH}"
    new = f"http://127.0.0.1:{sites.port}{NEW_PATH}"
    guide = in_tmp / "guides" / "report.yaml"
    guide.parent.mkdir()
    guide.write_text(GUIDE.format(charity=CHARITY, url=dead), encoding="utf-8")
    sites.phase = 1
    try:
        assert links("--update-baseline", str(guide))[0] == 0
    finally:
        sites.phase = 2

    code, report, _ = links("--format", "markdown", str(guide))
    assert code == 1
    assert f"probably moved to `{new}`" in report
    assert "same title" in report and f"({HELPLINE})`" in report  # the number, as code
    assert "--fix-moved --accept-suggestions" in report

    code, _, told = links("--fix-moved", "--accept-suggestions", str(guide))
    assert code == 0  # the dead link is replaced everywhere: nothing left to act on
    assert f"{dead} -> {new}" in told
    assert guide.read_text(encoding="utf-8") == GUIDE.format(charity=CHARITY, url=new)
    baseline = json.loads((in_tmp / "guides" / "links-baseline.json").read_text(encoding="utf-8"))
    assert list(baseline["links"]) == [new]

    code, out, _ = links("--format", "json", str(guide))
    (link,) = json.loads(out)["links"]
    assert link["url"] == new and not link["dead"]


def test_flags_that_contradict_are_usage_errors(in_tmp: Path) -> None:
    for flags in (
        ("--accept-suggestions",),
        ("--fix-moved", "--accept-suggestions", "--no-suggest"),
        ("--archive-endpoint", "ftp://archive.example/"),
        ("--archive-endpoint", "https://user@archive.example/"),
        ("--suggest-pages", "0"),
    ):
        assert links(*flags, "guides")[0] == 2, flags


def test_config_keys() -> None:
    where = Where(source="guidelint.toml", table="tool.guidelint.links")
    table = {
        "suggest": False,
        "suggest-pages": 5,
        "suggest-budget": 9,
        "suggest-confidence": 0.9,
        "archive-lookup": True,
        "archive-endpoint": "http://127.0.0.1:9/wayback/available",
    }
    assert parse(LinkSettings, table, where).suggest == SuggestSettings(
        enabled=False,
        pages=5,
        budget=9,
        confidence=0.9,
        archive=True,
        archive_endpoint="http://127.0.0.1:9/wayback/available",
    )
    for bad in ({"suggest-confidence": 0.2}, {"archive-endpoint": "archive.org?x"}):
        with pytest.raises(ConfigError):
            parse(LinkSettings, bad, where)


def _dead(suggestion: Suggestion) -> LinkResult:
    return LinkResult(
        "https://www.charity.example/old",
        Verdict.BROKEN,
        status=404,
        references=(Reference("missing.yaml", 3, 8, "/resources/0/url"),),
        suggestion=suggestion,
    )


def _suggestion(url: str, *, confident: bool = True) -> Suggestion:
    return Suggestion(url, 0.9 if confident else 0.6, confident, True, 1.0, 0.9, (), 0.5)


@pytest.mark.parametrize(
    ("suggestion", "why"),
    [
        (_suggestion("https://www.charity.example/new", confident=False), "scored 60%"),
        (_suggestion("https://evil.example/new"), "on another site"),
        (_suggestion("http://www.charity.example/new"), "drops https"),
        (_suggestion("https://www.charity.example/a b"), "spaces"),
    ],
)
def test_a_suggestion_is_applied_only_when_confident_and_safe(
    suggestion: Suggestion, why: str
) -> None:
    fixes = fixmoved.fix_moved([_dead(suggestion)], accept_suggestions=True, write=False)
    assert not fixes.edits
    (skip,) = fixes.skipped
    assert why in skip.reason
    # Without --accept-suggestions, a dead link is not fix-moved's business at all.
    assert fixmoved.fix_moved([_dead(suggestion)], write=False).skipped == ()
