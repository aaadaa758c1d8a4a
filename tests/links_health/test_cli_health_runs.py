"""`guidelint links` over several runs against a real local server whose pages change.

The server (aiohttp on 127.0.0.1, in a background thread) serves the pages of
`tests/fixtures/links_health/pages/NAME.{phase}.html` with their volatile placeholders
(times, tokens, ids, counters, quotes) filled afresh on every request; the test moves it
from phase to phase between runs, and sets each run's time with GUIDELINT_NOW, so runs
days apart take a second. Everything goes through `guidelint.cli.main`.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from support import FIXTURES, CliRun, run_cli

PAGES = FIXTURES / "links_health" / "pages"
START = datetime(2026, 11, 2, 5, 17, tzinfo=UTC)
CONFIG = """\
[tool.guidelint.links]
min-interval-ms = 0
per-host = 16
retries = 0
allow = ["127.0.0.1"]
"""


@dataclass
class Site:
    port: int
    phase: int = 1
    dead: frozenset[str] = frozenset()  # page names answering 404 in this phase

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


TESTIMONIALS = (
    "When my pictures were posted, the helpline got them taken down within a week and "
    "stayed with me the whole time. — Sam, Leeds",
    "I was terrified to call, but the practitioner listened without judging me and "
    "explained every option I had. — Priya, Bristol",
    "They helped me write to the website and the account was removed the same day, which "
    "I never thought would happen. — Jordan, Cardiff",
)


def _fill(template: str, request_number: int) -> str:
    now = START + timedelta(minutes=random.randint(0, 100_000))
    values = {
        "now_iso": now.isoformat().replace("+00:00", "Z"),
        "now_human": now.strftime("%d %B %Y at %H:%M"),
        "year": str(random.randint(2026, 2030)),
        "token": secrets.token_urlsafe(24),
        "uuid": str(uuid.uuid4()),
        "hex": secrets.token_hex(8),
        "n": str(random.randint(10_000, 9_999_999)),
        "minutes": str(random.randint(2, 59)),
        "quote": random.choice(("“Courage does not always roar.”", "“Ask for help.”")),
        # A different story on every request, with no label saying it rotates.
        "testimonial": TESTIMONIALS[request_number % len(TESTIMONIALS)],
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def _app(site: Site) -> web.Application:
    served: Counter[str] = Counter()

    async def page(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        served[name] += 1
        if name in site.dead:
            return web.Response(text="<title>Not found</title>Not found", status=404)
        source = PAGES / f"{name}.{site.phase}.html"
        if not source.is_file():
            source = PAGES / f"{name}.1.html"
        if not source.is_file():
            return web.Response(text="<title>Not found</title>Not found", status=404)
        return web.Response(
            text=_fill(source.read_text(encoding="utf-8"), served[name]),
            content_type="text/html",
        )

    async def old(request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently(location="/p/helpline")

    app = web.Application()
    app.router.add_get("/p/{name}", page)
    app.router.add_get("/old-help", old)
    return app


@pytest.fixture
def site() -> Iterator[Site]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="health-site", daemon=True)
    thread.start()
    state = Site(0)

    async def start() -> web.AppRunner:
        runner = web.AppRunner(_app(state), shutdown_timeout=0.5, handler_cancellation=True)
        await runner.setup()
        tcp = web.TCPSite(runner, "127.0.0.1", 0)
        await tcp.start()
        server = tcp._server
        assert isinstance(server, asyncio.Server)
        state.port = server.sockets[0].getsockname()[1]
        return runner

    runner = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield state
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def write_guide(path: Path, urls: dict[str, str]) -> Path:
    """A GB guide with one resource per URL, with a comment on every URL line."""
    resources = "".join(
        f"  - id: {key}\n    name: Resource {key}\n    url: {url}  # checked weekly\n"
        for key, url in urls.items()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"# A guide for link tests\nid: g\njurisdiction: GB\nlanguage: en-GB\nresources:\n"
        f"{resources}",
        encoding="utf-8",
    )
    return path


def links(at: datetime, *args: str) -> CliRun:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GUIDELINT_NOW", at.isoformat())
        return run_cli("links", "--no-progress", *args)


def by_url(report: str) -> dict[str, Any]:
    return {link["url"]: link for link in json.loads(report)["links"]}


PAGE_NAMES = ("noise", "retemplated", "rotating", "changed-advice", "phone-digit", "gone")


def test_three_runs_baseline_change_confirmation_and_recovery(site: Site, in_tmp: Path) -> None:
    Path("pyproject.toml").write_text(CONFIG, encoding="utf-8")
    urls = {name.replace("-", "_"): site.url(f"/p/{name}") for name in PAGE_NAMES}
    urls["flip"] = site.url("/p/helpline")  # fails twice, then recovers
    guide = write_guide(in_tmp / "guides" / "gb" / "g.yaml", urls)
    gone, flip = urls["gone"], urls["flip"]

    # Run 1 sets the baseline. Dead links are new failures, not confirmed: exit 0.
    site.phase = 1
    site.dead = frozenset({"gone", "helpline"})
    first = links(START, str(guide), "--update-baseline", "--format", "json")
    assert first.code == 0, first.stderr
    baseline = json.loads((in_tmp / "guides" / "links-baseline.json").read_text("utf-8"))
    assert set(baseline["links"]) == {
        urls[key] for key in ("noise", "retemplated", "rotating", "changed_advice", "phone_digit")
    }
    assert f"accepted into guides/links-baseline.json: {urls['phone_digit']}" in first.stderr
    entry = baseline["links"][urls["phone_digit"]]
    assert "phone +44 808 800 5000 (0808 800 5000)" in entry["facts"]
    assert entry["region"] == "GB"  # read with the guide's jurisdiction
    report = by_url(first.stdout)
    assert report[gone]["verdict"] == "broken" and report[gone]["confirmed"] is False
    assert report[gone]["failing_since"] == "2026-11-02T05:17:00Z"

    # Run 2, two days later: the pages changed. Only the substantive changes are flagged.
    site.phase = 2
    site.dead = frozenset({"gone", "helpline"})
    second = links(START + timedelta(days=2), str(guide), "--format", "json")
    assert second.code == 1  # changed pages need review
    report = by_url(second.stdout)
    phone = report[urls["phone_digit"]]
    assert phone["verdict"] == "changed"
    assert phone["change"]["facts_added"] == ["phone +44 808 800 5001 (0808 800 5001)"]
    assert phone["change"]["facts_removed"] == ["phone +44 808 800 5000 (0808 800 5000)"]
    advice = report[urls["changed_advice"]]
    assert advice["verdict"] == "changed" and advice["change"]["similarity"] < 0.9
    assert report[urls["noise"]]["verdict"] == "ok"
    assert report[urls["retemplated"]]["verdict"] == "ok"
    # The testimonial differs from the baseline, and again on the second fetch: excused.
    assert report[urls["rotating"]]["verdict"] == "ok"
    assert report[gone]["confirmed"] is False  # two failures in two days: not yet

    # Run 3, three days after the first failure: confirmed; the flip URL recovered.
    site.dead = frozenset({"gone"})
    html_file, md_file = in_tmp / "links.html", in_tmp / "links.md"
    third = links(
        START + timedelta(days=3, minutes=5),
        str(guide),
        "--report",
        f"html={html_file}",
        "--report",
        f"markdown={md_file}",
        "--report",
        f"json={in_tmp / 'links.json'}",
    )
    assert third.code == 1
    report = by_url((in_tmp / "links.json").read_text("utf-8"))
    assert report[gone]["confirmed"] is True
    assert report[gone]["failing_since"] == "2026-11-02T05:17:00Z"
    assert report[flip]["verdict"] == "ok" and report[flip]["failing_since"] is None
    text = third.stdout
    assert text.index("== Confirmed dead (1) ==") < text.index("== Changed (2) ==")
    assert text.index("== Changed (2) ==") < text.index("== Recovered (1) ==")
    assert "gone: phone +44 808 800 5000" in text and "new: phone +44 808 800 5001" in text
    assert "failing since 2026-11-02T05:17:00Z; still failing" in text
    assert "recovered this run" in text
    html = html_file.read_text("utf-8")
    assert html.count("<svg") >= 2  # the runs chart and per-link sparklines
    assert "<script" not in html
    markdown = md_file.read_text("utf-8")
    assert markdown.index("### Confirmed dead") < markdown.index("### Changed")
    assert "Dead links over the last 3 runs: 2 → 2 → 1" in markdown

    # --fail-on new also counts a dead link the history has not confirmed.
    site.phase = 1
    site.dead = frozenset({"helpline"})
    fresh = write_guide(in_tmp / "other" / "g.yaml", {"flip": flip})
    quiet = links(START + timedelta(days=4), str(fresh), "--no-state")
    assert quiet.code == 1
    assert (
        links(START + timedelta(days=4), str(fresh), "--fail-on", "confirmed", "--no-state").code
        == 0
    )

    with sqlite3.connect(in_tmp / ".guidelint" / "links-history.sqlite") as db:
        runs = db.execute("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL").fetchone()
    assert runs == (3,)  # --no-state runs left the history alone


def test_main_content_is_compared_and_a_closure_is_reported(site: Site, in_tmp: Path) -> None:
    Path("pyproject.toml").write_text(CONFIG, encoding="utf-8")
    names = ("boilerplate-moved", "consent-wall", "nav-footer", "closure-no-calls", "main-advice")
    urls = {name: site.url(f"/p/{name}") for name in names}
    guide = write_guide(in_tmp / "guides" / "gb" / "g.yaml", urls)
    site.phase = 1
    assert links(START, str(guide), "--update-baseline", "--no-state").code == 0
    baseline = json.loads((in_tmp / "guides" / "links-baseline.json").read_text("utf-8"))
    assert baseline["version"] == 2
    assert {entry["fingerprint_version"] for entry in baseline["links"].values()} == {2}

    site.phase = 2
    second = links(START + timedelta(days=7), str(guide), "--format", "json", "--no-state")
    assert second.code == 1
    report = by_url(second.stdout)
    verdicts = {name: report[url]["verdict"] for name, url in urls.items()}
    assert verdicts == {
        "boilerplate-moved": "ok",
        "consent-wall": "ok",
        "nav-footer": "ok",
        "closure-no-calls": "changed",
        "main-advice": "changed",
    }
    closure = report[urls["closure-no-calls"]]["change"]
    assert closure["facts_added"] == ["closure: no longer taking calls"]
    assert (
        "closure: no longer taking calls"
        in links(START + timedelta(days=7), str(guide), "--no-state").stdout
    )


def test_accept_takes_a_reviewed_change_into_the_baseline(site: Site, in_tmp: Path) -> None:
    Path("pyproject.toml").write_text(CONFIG, encoding="utf-8")
    url = site.url("/p/phone-digit")
    guide = write_guide(in_tmp / "g.yaml", {"help": url, "other": site.url("/p/noise")})
    assert links(START, str(guide), "--update-baseline").code == 0
    site.phase = 2
    assert links(START + timedelta(days=1), str(guide)).code == 1
    accepted = links(START + timedelta(days=1), str(guide), "--accept", url, site.url("/nope"))
    assert f"accepted into guides/links-baseline.json: {url}" in accepted.stderr
    assert f"refused {site.url('/nope')}: not checked in this run" in accepted.stderr
    assert accepted.code == 0
    assert links(START + timedelta(days=2), str(guide)).code == 0


def test_fix_moved_rewrites_only_the_url_and_prints_the_edit(site: Site, in_tmp: Path) -> None:
    Path("pyproject.toml").write_text(CONFIG, encoding="utf-8")
    old, new = site.url("/old-help"), site.url("/p/helpline")
    guide = in_tmp / "g.yaml"
    original = (
        "# yaml-language-server: $schema=../schema/guide.schema.json\n"
        "id:   g          # odd spacing stays\n"
        "jurisdiction: GB\n"
        "resources:\n"
        "  -   id: helpline\n"
        "      name: Helpline\n"
        f"      url: {old}    # plain, with a trailing comment\n"
        f"  - {{id: quoted, name: 'Quoted', url: \"{old}\"}}\n"
    )
    guide.write_text(original, encoding="utf-8")
    before = links(START, str(guide), "--no-state", "--update-baseline")
    assert before.code == 1 and "MOVED" in before.stdout
    Path("before.json").write_bytes((in_tmp / "guides" / "links-baseline.json").read_bytes())
    fixed = links(START, str(guide), "--fix-moved", "--no-state")
    assert f"{guide}:7:12: {old} -> {new}" in fixed.stderr
    assert f"{guide}:8:40: {old} -> {new}" in fixed.stderr
    assert guide.read_text(encoding="utf-8") == original.replace(old, new)
    assert fixed.code == 0  # every use was rewritten: nothing left to act on
    assert f"fixed: the guides now point to {new}" in fixed.stdout
    assert "review and commit the rewritten guides" in fixed.stdout
    before_fix = json.loads(Path("before.json").read_text("utf-8"))
    baseline = json.loads((in_tmp / "guides" / "links-baseline.json").read_text("utf-8"))
    assert baseline["links"][new] == before_fix["links"][old]  # the review moved along
    assert old not in baseline["links"]  # no guide uses it any more
    after = links(START, str(guide), "--no-state")
    assert after.code == 0
    assert "All links work." in after.stdout and "never reviewed" not in after.stdout


def test_offline_run_is_recorded_as_offline_and_exits_2(in_tmp: Path) -> None:
    Path("pyproject.toml").write_text(CONFIG.replace('"127.0.0.1"', '"127.0.0.0/8"'), "utf-8")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    guide = write_guide(
        in_tmp / "g.yaml", {f"r{n}": f"http://127.0.0.{n}:{closed}/" for n in (2, 3, 4, 5)}
    )
    result = links(START, str(guide), "--state", "h.sqlite", "--timeout", "1")
    assert result.code == 2
    assert "offline" in result.stderr and "recorded as an offline run in h.sqlite" in result.stderr
    with sqlite3.connect(in_tmp / "h.sqlite") as db:
        assert db.execute("SELECT offline FROM runs").fetchall() == [(1,)]


def test_broken_state_files_are_usage_errors_naming_the_file(in_tmp: Path) -> None:
    guide = write_guide(in_tmp / "g.yaml", {"r": "mailto:help@example.org"})
    Path("bad.json").write_text('{"version": 1,\n "links": [}\n', encoding="utf-8")
    result = links(START, str(guide), "--baseline", "bad.json")
    assert result.code == 2
    assert result.stderr.startswith("guidelint: error: bad.json:2:")
    Path("bad.sqlite").write_bytes(b"this is not a database" * 100)
    result = links(START, str(guide), "--state", "bad.sqlite")
    assert result.code == 2 and "bad.sqlite: not a usable history database" in result.stderr
    assert links(START, str(guide), "--report", "pdf=x.pdf").code == 2
    both = links(START, str(guide), "--update-baseline", "--accept", "https://example.org/")
    assert both.code == 2 and "drop --accept" in both.stderr
    assert links(START, str(guide), "--no-state", "--state", "h.sqlite").code == 2
    assert links(START, str(guide), "--report", "json").code == 2
    Path("pyproject.toml").write_text("[tool.guidelint.links]\nconfirm-runz = 2\n", "utf-8")
    result = links(START, str(guide))
    assert result.code == 2 and "unknown key 'confirm-runz'" in result.stderr


def test_health_settings_come_from_the_config_relative_to_it(in_tmp: Path) -> None:
    (in_tmp / "sub").mkdir()
    Path("pyproject.toml").write_text(
        '[tool.guidelint.links]\nstate = "var/h.sqlite"\nbaseline = "b.json"\nconfirm-runs = 1\n'
        "confirm-days = 0\n",
        "utf-8",
    )
    guide = write_guide(in_tmp / "g.yaml", {"r": "mailto:help@example.org"})
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(in_tmp / "sub")
        patch.setenv("GUIDELINT_NOW", START.isoformat())
        result = run_cli("links", "--no-progress", str(guide), "--update-baseline")
    assert result.code == 0, result.stderr
    assert (in_tmp / "var" / "h.sqlite").is_file()
    assert (in_tmp / "b.json").is_file() is False  # nothing alive to accept: no file
    assert links(START, str(guide)).code == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GUIDELINT_NOW", "yesterday")
        assert run_cli("links", "--no-progress", str(guide)).code == 2
