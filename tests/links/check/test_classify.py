"""Classification: pure tests of `classify` on plain values, then each verdict from a real server."""

from __future__ import annotations

import pytest

from guidelint.escape import PAGE_TEXT_CAP as MAX_PAGE_TEXT
from guidelint.links.check.classify import classify, fragment_of
from guidelint.links.check.page import read_page
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.model import Hop, Page, Verdict
from guidelint.links.settings import CheckOptions, HostRule
from linkzoo import Zoo

OPTIONS = CheckOptions()
LINK = "https://help.example.org/support/line"
TEXT = "Our helpline is free and confidential, open every day of the year. Call 0800 000 000."


def _page(
    body: str = f"<title>Helpline</title><h1 id=top-heading>Talk</h1><p>{TEXT}</p>",
    status: int = 200,
    url: str = LINK,
    truncated: bool = False,
) -> Response:
    return Response(url, status, {"content-type": "text/html"}, body.encode(), truncated)


def _classify(
    response: Response, hops: tuple[Hop, ...] = (), url: str = LINK, options: CheckOptions = OPTIONS
) -> Outcome:
    page = read_page(response) if response.body is not None else None
    return classify(url, hops, response, page, options)


def test_an_alive_page_is_ok_with_its_snapshot() -> None:
    outcome = _classify(_page())
    assert (outcome.verdict, outcome.kind, outcome.status) == (Verdict.OK, FailureKind.STATUS, 200)
    assert outcome.page == Page("Helpline", f"Talk {TEXT}")
    assert (outcome.final_url, outcome.error, outcome.notes) == (None, None, ())


def test_a_long_page_is_kept_up_to_the_snapshot_limit() -> None:
    outcome = _classify(_page("<p>" + "word " * MAX_PAGE_TEXT + "</p>"))
    assert outcome.page is not None
    assert len(outcome.page.text) == MAX_PAGE_TEXT


@pytest.mark.parametrize(
    ("status", "verdict", "retry_after"),
    [
        (404, Verdict.BROKEN, None),
        (410, Verdict.BROKEN, None),
        (400, Verdict.BROKEN, None),
        (408, Verdict.TIMEOUT, None),
        (401, Verdict.BLOCKED, None),
        (999, Verdict.BLOCKED, None),
        (403, Verdict.BLOCKED, None),
        (429, Verdict.UNAVAILABLE, 7.0),  # "come back in 7 s": down for now, not dead
        (500, Verdict.SERVER_ERROR, 7.0),
        (503, Verdict.UNAVAILABLE, 7.0),
        (101, Verdict.ERROR, None),
    ],
)
def test_each_status_has_its_verdict(
    status: int, verdict: Verdict, retry_after: float | None
) -> None:
    response = Response(LINK, status, {"retry-after": "7"}, b"")
    outcome = classify(LINK, (), response, None, OPTIONS)
    assert (outcome.verdict, outcome.kind, outcome.status) == (verdict, FailureKind.STATUS, status)
    assert outcome.retry_after == retry_after
    assert outcome.error


def test_a_403_from_cloud_storage_is_broken_not_blocked() -> None:
    body = b"<?xml version='1.0'?><Error><Code>NoSuchKey</Code></Error>"
    response = Response(LINK, 403, {"content-type": "application/xml"}, body)
    outcome = classify(LINK, (), response, None, OPTIONS)
    assert outcome.verdict is Verdict.BROKEN
    assert "AccessDenied" in (outcome.error or "")


def test_a_challenge_title_on_an_error_page_is_a_bot_wall() -> None:
    response = _page("<title>Just a moment...</title><p>Checking your browser</p>", status=503)
    outcome = classify(LINK, (), response, None, OPTIONS)  # error pages get no page view
    assert outcome.verdict is Verdict.BLOCKED
    assert "bot wall" in (outcome.error or "")
    assert outcome.retry_after is None  # a wall is not asked again


def test_a_status_accepted_for_the_host_is_alive_whatever_the_body() -> None:
    rules = {"help.example.org": HostRule(accept=frozenset({401}))}
    outcome = _classify(
        _page("<title>Sign in</title><p>404 not found</p>", status=401),
        options=CheckOptions(hosts=rules),
    )
    assert outcome.verdict is Verdict.OK
    assert outcome.notes == ("status 401 accepted by config",)


def test_permanent_redirects_move_the_link_where_they_lead() -> None:
    hops = (Hop(LINK, 301), Hop("https://help.example.org/new", 302))
    outcome = _classify(_page(url="https://help.example.org/login?next=new"), hops)
    assert outcome.verdict is Verdict.MOVED
    assert outcome.final_url == "https://help.example.org/new"  # not the temporary bounce
    assert outcome.hops == hops
    assert not outcome.cross_domain


def test_a_redirect_to_another_site_is_cross_domain() -> None:
    outcome = _classify(_page(url="https://www.new-owner.example/help"), (Hop(LINK, 302),))
    assert outcome.verdict is Verdict.REDIRECTED
    assert outcome.final_url == "https://www.new-owner.example/help"
    assert outcome.cross_domain


def test_a_deep_link_redirected_home_is_a_soft_404() -> None:
    outcome = _classify(_page(url="https://help.example.org/"), (Hop(LINK, 301),))
    assert (outcome.verdict, outcome.kind) == (Verdict.SOFT_404, FailureKind.CONTENT)
    assert outcome.page is None
    assert outcome.final_url == "https://help.example.org/"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "empty body"),
        ("<html><body></body></html>", "no visible text"),
        ("<title>Page not found</title><p>Sorry.</p>", "error page"),
        ("<title>example.org</title><p>This domain is for sale!</p>", "parked"),
        ("<meta http-equiv=refresh content='0; url=/'><p>Moving</p>", "meta refresh"),
    ],
)
def test_a_success_status_with_an_error_page_is_a_soft_404(body: str, reason: str) -> None:
    outcome = _classify(_page(body))
    assert (outcome.verdict, outcome.kind) == (Verdict.SOFT_404, FailureKind.CONTENT)
    assert reason in (outcome.error or "")


def test_a_missing_fragment_is_judged_only_on_a_whole_page() -> None:
    missing = _classify(_page(), url=LINK + "#gone")
    assert (missing.verdict, missing.kind) == (Verdict.FRAGMENT_MISSING, FailureKind.CONTENT)
    assert missing.page is not None  # the page itself is alive
    assert _classify(_page(), url=LINK + "#top-heading").verdict is Verdict.OK
    capped = _classify(_page(truncated=True), url=LINK + "#gone")
    assert capped.verdict is Verdict.OK
    assert capped.notes == (
        f"#gone not seen in the first {OPTIONS.max_body_bytes} bytes",
        f"body read up to the {OPTIONS.max_body_bytes}-byte cap",
    )


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        (LINK, None),
        (LINK + "#", None),
        (LINK + "#Top", None),
        (LINK + "#!/app/route", None),
        (LINK + "#/route", None),
        (LINK + "#:~:text=help", None),
        (LINK + "#caf%C3%A9", "café"),
        (LINK + "#a#b", "a#b"),
    ],
)
def test_only_fragments_that_name_an_element_are_looked_for(url: str, fragment: str | None) -> None:
    assert fragment_of(url) == fragment


def test_alive_page_is_ok_with_a_page_snapshot(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/ok"))
    assert result.verdict is Verdict.OK
    assert not result.dead
    assert result.status == 200
    assert result.page is not None
    assert result.page.title == "Helpline"
    assert "free and confidential" in result.page.text
    assert result.page.facts == ()
    assert result.references[0].path == "guides/zz/test.yaml"


@pytest.mark.parametrize("name", ["temp", "see-other", "temp307"])
def test_temporary_redirect_is_redirected(zoo: Zoo, name: str) -> None:
    result = zoo.check_one(zoo.url(f"/redirect/{name}"))
    assert result.verdict is Verdict.REDIRECTED
    assert not result.dead
    assert result.final_url == zoo.url("/ok")
    assert len(result.redirects) == 1


@pytest.mark.parametrize(("name", "status"), [("perm", 301), ("perm308", 308)])
def test_permanent_redirect_is_moved_with_final_url(zoo: Zoo, name: str, status: int) -> None:
    result = zoo.check_one(zoo.url(f"/redirect/{name}"))
    assert result.verdict is Verdict.MOVED
    assert result.final_url == zoo.url("/ok")
    assert result.redirects == (Hop(zoo.url(f"/redirect/{name}"), status),)
    assert not result.cross_domain


def test_redirect_chain_is_recorded_and_moved_points_at_the_permanent_target(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/chain/1"))
    assert [hop.status for hop in result.redirects] == [301, 301, 302]
    assert result.verdict is Verdict.MOVED
    # The last hop is temporary: the guide should point where the permanent moves lead.
    assert result.final_url == zoo.url("/chain/3")


def test_move_to_another_registrable_domain_is_flagged(zoo: Zoo) -> None:
    resolver = zoo.resolver({"new-owner.example": "127.0.0.1"})
    outcome = zoo.check(zoo.url("/to-other-domain"), resolver=resolver)
    result = outcome.results[0]
    assert result.verdict is Verdict.MOVED
    assert result.cross_domain
    assert result.final_url == zoo.url("/ok", "new-owner.example")


@pytest.mark.parametrize(
    ("path", "status"), [("/missing", 404), ("/gone", 410), ("/bad-request", 400)]
)
def test_definitive_client_errors_are_broken(zoo: Zoo, path: str, status: int) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.BROKEN
    assert result.status == status
    assert result.attempts == 1  # a deliberate answer is not retried


@pytest.mark.parametrize(
    "path",
    [
        "/cf-challenge",
        "/cf-challenge-503",
        "/captcha-200",
        "/forbidden",
        "/linkedin",
        "/unauthorized",
    ],
)
def test_bot_walls_are_blocked_never_dead(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.BLOCKED
    assert not result.dead


def test_storage_access_denied_403_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/bucket/deleted.pdf"))
    assert result.verdict is Verdict.BROKEN
    assert "AccessDenied" in (result.error or "")


def test_accepted_status_from_host_config_is_ok(zoo: Zoo) -> None:
    result = zoo.check_one(
        zoo.url("/unauthorized", "members.test"),
        hosts={"members.test": HostRule({"X-Test": "1"}, frozenset({401}))},
    )
    assert result.verdict is Verdict.OK
    assert any("accepted by config" in note for note in result.notes)


@pytest.mark.parametrize("path", ["/blank", "/blank-markup"])
def test_blank_200_is_soft_404(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.SOFT_404
    assert result.dead
    assert "blank" in (result.error or "")


@pytest.mark.parametrize("path", ["/error-200", "/not-found-text"])
def test_error_page_served_with_200_is_soft_404(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.SOFT_404


def test_a_phone_number_with_404_in_it_is_not_an_error_page(zoo: Zoo) -> None:
    assert zoo.check_one(zoo.url("/phone-404")).verdict is Verdict.OK


def test_page_built_by_scripts_is_not_judged_blank(zoo: Zoo) -> None:
    assert zoo.check_one(zoo.url("/scripted")).verdict is Verdict.OK


@pytest.mark.parametrize("host", ["parked.test", "sedo.test"])
def test_parked_domain_is_soft_404(zoo: Zoo, host: str) -> None:
    result = zoo.check_one(zoo.url("/support/helpline", host))
    assert result.verdict is Verdict.SOFT_404
    assert "parked" in (result.error or "")


def test_deep_link_redirected_to_home_page_is_soft_404(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/old-help-page"))
    assert result.verdict is Verdict.SOFT_404
    assert "home page" in (result.error or "")


def test_deep_link_sent_home_by_meta_refresh_is_soft_404(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/meta-refresh-home"))
    assert result.verdict is Verdict.SOFT_404
    assert "home page" in (result.error or "")
    assert any("meta refresh" in note for note in result.notes)


def test_meta_refresh_to_another_page_is_followed_like_a_redirect(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/meta-refresh-page"))
    assert result.verdict is Verdict.REDIRECTED
    assert result.final_url == zoo.url("/ok")
    assert result.redirects == (Hop(zoo.url("/meta-refresh-page"), 200),)


def test_fragment_present_is_ok_and_missing_is_fragment_missing(zoo: Zoo) -> None:
    outcome = zoo.check(
        zoo.url("/ok#section"),
        zoo.url("/ok#legacy"),
        zoo.url("/ok#gone-section"),
        zoo.url("/ok#top"),
    )
    verdicts = {result.url.rsplit("#", 1)[1]: result.verdict for result in outcome.results}
    assert verdicts == {
        "section": Verdict.OK,
        "legacy": Verdict.OK,
        "gone-section": Verdict.FRAGMENT_MISSING,
        "top": Verdict.OK,
    }
    assert not Verdict.FRAGMENT_MISSING.dead
