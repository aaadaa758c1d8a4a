"""A user name or password written into a guide's URL is never printed back.

The checker never sends it (tests/links/check/test_open_web.py); lint flags it (GL305); and
no message or report quotes it, since those end up in CI logs, issues and uploaded
artifacts: the JSON report too (its links are found in the guides by their references).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from guidelint.links.check.pace import Bound, Limit
from guidelint.links.model import Hop, LinkResult, Reference, RunOutcome, Suggestion, Verdict
from guidelint.links.report import render_html, render_json, render_markdown, render_text
from guidelint.urls import shown
from support import ROOT, run_cli

SECRET = "hunter2"
URL = f"https://admin:{SECRET}@help.example.org/report"


def test_shown_hides_user_and_password_only() -> None:
    assert shown(URL) == "https://***@help.example.org/report"
    assert shown("https://help.example.org/a@b") == "https://help.example.org/a@b"
    assert shown("mailto:help@example.org") == "mailto:help@example.org"


def test_lint_reports_the_credential_without_quoting_it(in_tmp: Path) -> None:
    guide = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"
    text = guide.read_text("utf-8").replace("url: https://", f"url: https://admin:{SECRET}@", 1)
    Path(guide.name).write_text(text, encoding="utf-8")
    for fmt in ("text", "json", "github", "sarif", "markdown"):
        done = run_cli("lint", "--format", fmt, guide.name)
        assert done.code == 1
        assert SECRET not in done.stdout + done.stderr, fmt
    findings = json.loads(run_cli("lint", "--format", "json", guide.name).stdout)["diagnostics"]
    assert any(d["code"] == "GL305" and "***@" in d["message"] for d in findings)


def test_people_s_link_reports_do_not_quote_it() -> None:
    start = datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC)
    result = LinkResult(
        URL,
        Verdict.BROKEN,
        status=404,
        error="HTTP 404",
        references=(Reference("g.yaml", 1, 1, "/resources/0/url"),),
    )
    outcome = RunOutcome(start, start, (result,))
    for render in (render_text, render_markdown, render_html, render_json):
        assert SECRET not in render(outcome), render


def test_the_json_report_hides_it_in_every_url_field() -> None:
    start = datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC)
    moved = LinkResult(
        URL,
        Verdict.MOVED,
        status=200,
        final_url=URL + "/new",
        redirects=(Hop(URL, 301),),
        references=(Reference("g.yaml", 1, 1, "/resources/0/url"),),
    )
    dead = LinkResult(
        URL + "/gone",
        Verdict.BROKEN,
        status=404,
        suggestion=Suggestion(URL + "/here", 0.9, True, True, 1.0, 0.9, (), 0.5),
        references=(Reference("g.yaml", 2, 1, "/resources/1/url"),),
    )
    bound = Bound(Limit.SERVERS, 9.0, 10.0, url=URL)
    outcome = RunOutcome(start, start, (moved, dead), bound=bound)
    text = render_json(outcome)
    assert SECRET not in text
    data = json.loads(text)
    assert {link["url"] for link in data["links"]} == {shown(URL), shown(URL + "/gone")}
    assert data["bound"]["url"] == shown(URL) and SECRET not in data["bound"]["text"]
    assert "***@help.example.org/report/new" in text
