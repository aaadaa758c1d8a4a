from __future__ import annotations

import datetime
import json
import re

import pytest

from guidelint.links.model import (
    Change,
    Hop,
    LinkResult,
    Reference,
    RunOutcome,
    Transition,
    Verdict,
    action,
    failing,
)
from guidelint.links.report import (
    Trend,
    as_json_data,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from guidelint.links.report.common import ordered

START = datetime.datetime(2026, 11, 22, 2, 0, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(seconds=12)
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(2)) | **b** `c` <img src=x onerror=y>"


def ref(line: int) -> tuple[Reference, ...]:
    return (Reference("guides/gb/a.yaml", line, 8, f"/resources/{line}/url"),)


RESULTS = (
    LinkResult("https://ok.example/", Verdict.OK, status=200, attempts=1, references=ref(1)),
    LinkResult(
        "https://old.example/page",
        Verdict.MOVED,
        status=200,
        final_url="https://new.example/page",
        redirects=(Hop("https://old.example/page", 301),),
        attempts=1,
        references=ref(2),
    ),
    LinkResult(
        "https://gone.example/x", Verdict.BROKEN, status=404, error="HTTP 404", references=ref(3)
    ),
    LinkResult(
        "https://dead.example/",
        Verdict.UNREACHABLE,
        error="DNS lookup failed",
        confirmed=True,
        failing_since="2026-11-01T00:00:00Z",
        references=ref(4),
    ),
    LinkResult(
        "https://wall.example/", Verdict.BLOCKED, status=403, error="HTTP 403", references=ref(5)
    ),
    LinkResult(
        "https://evil.example/", Verdict.SOFT_404, status=200, error=HOSTILE, references=ref(6)
    ),
    LinkResult(
        "https://changed.example/",
        Verdict.CHANGED,
        status=200,
        change=Change(0.41, "Helpline", "Domain for sale", ("0800 1",), ("0800 2",)),
        references=ref(7),
    ),
    LinkResult(
        "https://back.example/",
        Verdict.OK,
        status=200,
        transition=Transition.RECOVERED,
        references=ref(8),
    ),
    LinkResult("mailto:a@example.org", Verdict.SKIPPED, notes=("mailto: link",), references=ref(9)),
)
OUTCOME = RunOutcome(START, END, RESULTS)


def test_action_first_order() -> None:
    assert [result.url for result in ordered(RESULTS)] == [
        "https://dead.example/",  # confirmed dead
        "https://changed.example/",
        "https://old.example/page",  # moved
        "https://evil.example/",  # new failures
        "https://gone.example/x",
        "https://back.example/",  # recovered
        "https://wall.example/",
        "https://ok.example/",
        "mailto:a@example.org",
    ]


def test_actions_name_what_to_do() -> None:
    by_url = {result.url: result for result in RESULTS}
    assert (
        action(by_url["https://old.example/page"]) == "update the guide to https://new.example/page"
    )
    assert "replace" in action(by_url["https://gone.example/x"])
    assert "browser" in action(by_url["https://wall.example/"])
    assert "review" in action(by_url["https://changed.example/"])
    cross = LinkResult(
        "https://a.example/", Verdict.MOVED, final_url="https://b.example/", cross_domain=True
    )
    assert action(cross).startswith("review before updating")


def test_json_is_exactly_the_contract() -> None:
    data = json.loads(render_json(OUTCOME))
    assert list(data) == ["version", "started_at", "finished_at", "summary", "bound", "links"]
    assert data["bound"] is None  # nothing was requested in this run
    assert data["version"] == 1
    assert data["started_at"] == "2026-11-22T02:00:00Z"
    assert data["finished_at"] == "2026-11-22T02:00:12Z"
    assert set(data["summary"]) == {verdict.value for verdict in Verdict}
    assert data["summary"]["ok"] == 2
    assert sum(data["summary"].values()) == len(RESULTS)
    for link in data["links"]:
        assert list(link) == [
            "url",
            "verdict",
            "dead",
            "confirmed",
            "status",
            "final_url",
            "redirects",
            "attempts",
            "elapsed_ms",
            "error",
            "failing_since",
            "change",
            "references",
            "suggestion",
            "archived",
        ]
        for reference in link["references"]:
            assert list(reference) == ["path", "line", "column", "pointer"]
    moved = next(link for link in data["links"] if link["verdict"] == "moved")
    assert moved["redirects"] == [{"url": "https://old.example/page", "status": 301}]
    assert moved["final_url"] == "https://new.example/page"
    changed = next(link for link in data["links"] if link["verdict"] == "changed")
    assert changed["change"] == {
        "similarity": 0.41,
        "title_before": "Helpline",
        "title_after": "Domain for sale",
        "facts_added": ["0800 1"],
        "facts_removed": ["0800 2"],
    }
    dead = data["links"][0]
    assert dead["dead"] is True and dead["confirmed"] is True
    assert dead["failing_since"] == "2026-11-01T00:00:00Z"


def test_text_report_exactly() -> None:
    small = RunOutcome(START, END, (RESULTS[0], RESULTS[1], RESULTS[2]))
    assert render_text(small) == (
        "guidelint links: 3 URLs checked in 12.0 s, 1 dead, 1 moved, 1 ok\n"
        "needs attention: 1 moved, 1 failing, not confirmed\n"
        "\n"
        "== Moved (1) ==\n"
        "\n"
        "MOVED  https://old.example/page\n"
        "  why: 301 → https://new.example/page\n"
        "  action: update the guide to https://new.example/page\n"
        "  used in: guides/gb/a.yaml:2:8 (resource 3)\n"
        "\n"
        "== Failing, not confirmed yet: watch (1) ==\n"
        "\n"
        "BROKEN  https://gone.example/x\n"
        "  why: HTTP 404\n"
        "  action: replace the link (find the organisation's current page) or remove it\n"
        "  used in: guides/gb/a.yaml:3:8 (resource 4)\n"
    )


def test_markdown_code_spans_survive_backticks_in_urls() -> None:
    nasty = LinkResult("https://x.example/a`b``c", Verdict.BROKEN, status=404, references=ref(1))
    text = render_markdown(RunOutcome(START, END, (nasty,)))
    assert "```https://x.example/a`b``c```" in text


def test_markdown_is_capped_with_a_note() -> None:
    many = tuple(
        LinkResult(f"https://gone.example/{n}", Verdict.BROKEN, status=404, references=ref(n))
        for n in range(400)
    )
    text = render_markdown(RunOutcome(START, END, many), cap=20_000)
    assert len(text.encode()) <= 20_000
    match = re.search(r"Report truncated: (\d+) more finding", text)
    assert match is not None
    shown = text.count("### broken")
    assert shown + int(match.group(1)) == 400


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html(OUTCOME)
    assert page.startswith("<!doctype html>")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=y>" not in page
    assert 'href="https://old.example/page"' in page
    assert 'href="mailto' not in page  # only web links become links
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", page))
    assert tags <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "strong",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "br",
        "small",
        "main",
        "wbr",
    }


def test_failing_counts_dead_moved_and_changed() -> None:
    new = {result.url for result in failing(RESULTS, "new")}
    assert new == {
        "https://old.example/page",
        "https://gone.example/x",
        "https://dead.example/",
        "https://evil.example/",
        "https://changed.example/",
    }
    confirmed = {result.url for result in failing(RESULTS, "confirmed")}
    assert confirmed == {
        "https://old.example/page",
        "https://dead.example/",
        "https://changed.example/",
    }


def test_json_contract_document_covers_every_verdict_and_field() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "links-json.md").read_text(
        encoding="utf-8"
    )
    for verdict in Verdict:
        assert f"| `{verdict.value}` |" in doc
    link = json.loads(render_json(OUTCOME))["links"][0]
    for key in link:
        assert f"| `{key}` |" in doc or f"`{key}`, " in doc


def test_text_report_neutralises_terminal_escapes_and_bidi_overrides() -> None:
    sneaky = LinkResult(
        "https://x.example/",
        Verdict.SOFT_404,
        error="404 \x1b[2J\x1b[31mred\u202eevil",
        references=ref(1),
    )
    text = render_text(RunOutcome(START, END, (sneaky,)))
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "red" in text


def test_html_trend_draws_escaped_inline_svg_only() -> None:
    runs = [
        ("2026-11-02T05:17:00Z", False, {"ok": 5, "broken": 1}),
        ("2026-11-09T05:17:00Z", True, {"unreachable": 6}),
        ("2026-11-16T05:17:00Z", False, {"ok": 4, "broken": 1, "changed": 1}),
    ]
    timeline = [("2026-11-02T05:17:00Z", "broken"), ("2026-11-16T05:17:00Z", "ok")]
    trend = Trend(runs=runs, timelines={"https://gone.example/x": timeline})
    page = render_html(OUTCOME, trend)
    assert page.count("<svg") == 2  # the runs chart and one sparkline
    assert "offline run, not counted" in page
    assert "<title>2 Nov 2026 05:17 UTC: broken</title>" in page
    # The chart's figures as text too: a table per run, dates a person reads.
    assert "<summary>The runs as a table</summary>" in page
    assert "<th scope=row>9 Nov 2026 05:17 UTC (offline, not counted)</th>" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert render_html(OUTCOME).count("<svg") == 0  # no history, no charts
    markdown = render_markdown(OUTCOME, trend)
    assert "Dead links over the last 3 runs: 1 → 6 \\(offline\\) → 1" in markdown


def test_sections_and_labels_say_what_needs_action() -> None:
    cross = LinkResult(
        "https://a.example/", Verdict.MOVED, final_url="https://b.example/", cross_domain=True
    )
    recovered = LinkResult("https://back.example/", Verdict.OK, transition=Transition.RECOVERED)
    flaky = LinkResult(
        "https://flaky.example/",
        Verdict.TIMEOUT,
        transition=Transition.NEW_FAILURE,
        flaky=True,
        failing_since="2026-11-16T05:17:00Z",
    )
    text = render_text(RunOutcome(START, END, (*RESULTS, cross, recovered, flaky)))
    order = [
        text.index(f"== {title}")
        for title in ("Confirmed dead", "Changed", "Moved", "Failing", "Recovered", "Also review")
    ]
    assert order == sorted(order)
    assert "MOVED (TO ANOTHER SITE)  https://a.example/" in text
    assert "failing since 2026-11-16T05:17:00Z; new failure this run; flaky" in text
    assert "needs attention: 1 confirmed dead, 1 changed, 2 moved, 1 new failures" in text


def test_json_lines_are_the_encoder_s_own_bytes() -> None:
    # Each link's line is put together by hand for speed: it must be what json writes.
    from guidelint.links.report.json_report import _encode_line, _json_link, _line

    odd = 'a"b\\c\n\u2028caf\u00e9\x00\x1f</script>'
    results = [
        *RESULTS,
        LinkResult(f"https://odd.example/{odd}", Verdict.BROKEN, error=odd, references=ref(9)),
        LinkResult(
            "https://r.example/",
            Verdict.MOVED,
            status=200,
            final_url=f"https://s.example/{odd}",
            redirects=(Hop("https://r.example/", 301), Hop(f"https://t.example/{odd}", 302)),
            attempts=3,
            elapsed_ms=12345,
            confirmed=True,
            failing_since="2026-11-16T05:17:00Z",
            references=(*ref(1), Reference(odd, 2, 3, f"/steps/0/{odd}")),
        ),
        LinkResult("https://none.example/", Verdict.UNREACHABLE, references=()),
    ]
    for result in results:
        assert _line(result) == _encode_line(_json_link(result))
    assert any(result.change is not None for result in results)  # the general way too


def test_json_in_pieces_is_the_whole_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from guidelint.links.report import json_report

    whole = json_report.render_json(OUTCOME)
    for piece in (1, 2, 3, len(RESULTS), len(RESULTS) + 1):
        monkeypatch.setattr(json_report, "_PIECE", piece)
        chunks = list(json_report.stream_json(OUTCOME))
        assert "".join(chunks) == whole
        assert len(chunks) == 2 + -(-len(RESULTS) // piece)  # head, pieces, tail


def test_json_is_one_link_per_line_and_the_same_data_as_one_dump() -> None:
    # Hostile text (newlines, quotes, non-ASCII) must not break a link out of its line.
    odd = LinkResult(
        'https://odd.example/a"b',
        Verdict.BROKEN,
        error='line one\nline "two" \u2028 caf\u00e9',
        references=ref(9),
    )
    for outcome in (OUTCOME, RunOutcome(START, END, (*RESULTS, odd)), RunOutcome(START, END, ())):
        text = render_json(outcome)
        data = as_json_data(outcome)
        assert json.loads(text) == data
        lines = text.split("\n")  # not splitlines(): U+2028 is no line break in JSON
        # Everything but the links is laid out as json.dumps(indent=2) does it.
        head = json.dumps({**data, "links": []}, indent=2, ensure_ascii=False).split("\n")
        assert lines[: len(head) - 2] == head[:-2]
        links = lines[len(head) - 1 : -3]  # then "  ]", "}" and the final newline
        assert len(links) == len(data["links"])
        for line, link in zip(links, data["links"], strict=True):
            assert line.startswith("    {") and json.loads(line.strip().rstrip(",")) == link
        assert text.endswith("\n  ]\n}\n" if data["links"] else '"links": []\n}\n')
        assert ("café" in text) is (odd in outcome.results)  # UTF-8, not escaped
