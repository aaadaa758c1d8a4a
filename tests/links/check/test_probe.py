"""The soft-404 probe: `judge` on plain values, then catch-all sites on real servers."""

from __future__ import annotations

from guidelint.links.check.page import PageView, read_page
from guidelint.links.check.probe import SCRIPTED_NOTE, Probe, judge
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.content import Extracted
from guidelint.links.model import Page, Verdict
from linkzoo import Zoo

WELCOME = "We help people every day with advice and support. " * 5
ALIVE = Outcome(Verdict.OK, FailureKind.STATUS, 200, page=Page("Welcome", WELCOME.strip()))


def _view(title: str, body: str) -> PageView:
    html = f"<title>{title}</title><body>{body}</body>"
    view = read_page(
        Response("https://a.example/help/x", 200, {"content-type": "text/html"}, html.encode())
    )
    assert view is not None
    return view


def _probe(title: str, text: str, segment: str = "guidelint-probe-0123") -> Probe:
    return Probe(Extracted(title, " ".join(text.split()), frozenset()), None, segment)


def test_a_page_like_any_random_path_is_a_soft_404() -> None:
    ours = _view("Welcome", f"<p>{WELCOME}</p>")
    judged = judge(ALIVE, ours, _probe("Welcome", WELCOME), "/help/page-1", None)
    assert (judged.verdict, judged.kind) == (Verdict.SOFT_404, FailureKind.CONTENT)
    assert "random path" in (judged.error or "")
    assert judged.page is None
    assert ALIVE.verdict is Verdict.OK  # judged a copy; the outcome it was given is unchanged


def test_a_page_that_quotes_its_path_is_compared_without_it() -> None:
    ours = _view("Advice - reporting-abuse", f"<h1>reporting-abuse</h1><p>{WELCOME}</p>")
    probe = _probe("Advice - guidelint-probe-0123", f"guidelint-probe-0123 {WELCOME}")
    judged = judge(ALIVE, ours, probe, "/help/reporting-abuse", None)
    assert judged.verdict is Verdict.SOFT_404


def test_a_different_page_is_left_as_it_was() -> None:
    ours = _view("Call us", "<p>" + "Our helpline is open every night for anyone. " * 4 + "</p>")
    assert judge(ALIVE, ours, _probe("Welcome", WELCOME), "/help/call", None) is ALIVE


def test_a_short_page_must_match_exactly() -> None:
    ours = _view("Hi", "<h1>Welcome</h1>")
    assert (
        judge(ALIVE, ours, _probe("Hi", "Welcome"), "/help/page", None).verdict is Verdict.SOFT_404
    )
    assert judge(ALIVE, ours, _probe("Hi", "Welcome!"), "/help/page", None) is ALIVE


def test_an_app_shell_cannot_be_verified_either_way() -> None:
    ours = _view("App", "<div id=root>Loading…</div><script src=/app.js></script>")
    judged = judge(ALIVE, ours, _probe("App", "Loading…"), "/help/page", None)
    assert judged.verdict is Verdict.OK
    assert judged.notes == (SCRIPTED_NOTE,)


def test_a_redirect_to_where_a_random_path_lands_is_a_soft_404() -> None:
    ours = _view("Welcome", f"<p>{WELCOME}</p>")
    landing = "https://a.example/welcome"
    probe = Probe(None, landing, "guidelint-probe-0123")
    judged = judge(ALIVE, ours, probe, "/welcome", landing)
    assert judged.verdict is Verdict.SOFT_404
    assert (
        judged.error == f"redirected to {landing}, where a random path on the same site also lands"
    )
    assert judged.page == ALIVE.page
    assert judge(ALIVE, ours, probe, "/welcome", None) is ALIVE  # we were not redirected


def test_a_probe_that_found_nothing_alive_changes_nothing() -> None:
    ours = _view("Welcome", f"<p>{WELCOME}</p>")
    assert judge(ALIVE, ours, Probe(None, None), "/help/page-1", None) is ALIVE


def test_catch_all_site_is_detected_by_probing_a_random_sibling(zoo: Zoo) -> None:
    urls = [zoo.url(f"/help/page-{n}", "catchall.test") for n in range(3)]
    zoo.state.clear()
    outcome = zoo.check(*urls)
    assert {result.verdict for result in outcome.results} == {Verdict.SOFT_404}
    assert all("random path" in (result.error or "") for result in outcome.results)


def test_catch_all_site_quoting_the_path_is_detected(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/help/reporting-abuse", "echo-catchall.test"))
    assert result.verdict is Verdict.SOFT_404


def test_catch_all_site_with_a_short_page_is_detected(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/help/page", "tiny-catchall.test"))
    assert result.verdict is Verdict.SOFT_404


def test_app_shell_served_on_every_path_is_not_judged(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/help/page", "app.test"))
    assert result.verdict is Verdict.OK
    assert any("scripts" in note for note in result.notes)


def test_catch_all_probe_does_not_flag_a_normal_site(zoo: Zoo) -> None:
    # site.test answers unknown paths with a real 404, so /ok is alive.
    result = zoo.check_one(zoo.url("/ok"))
    assert result.verdict is Verdict.OK
