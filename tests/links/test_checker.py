"""One test per verdict and per hazard, against the real servers in linkzoo (127.0.0.1 only)."""

from __future__ import annotations

import time

import pytest

from guidelint.links.checker import parse_retry_after, retry_reason
from guidelint.links.guard import AddressPolicy
from guidelint.links.model import Hop, Verdict
from guidelint.links.settings import DEFAULT_USER_AGENT, Exclusion, HostRule
from linkzoo import BOMB_INFLATED, GIB, Zoo


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


def test_document_is_checked_with_head_only(zoo: Zoo) -> None:
    zoo.state.clear()
    result = zoo.check_one(zoo.url("/files/leaflet.pdf"))
    assert result.verdict is Verdict.OK
    assert result.page is None
    assert (zoo.state["leaflet:HEAD"], zoo.state["leaflet:GET"]) == (1, 0)


def test_web_page_is_fetched_with_one_get(zoo: Zoo) -> None:
    zoo.user_agents.clear()
    result = zoo.check_one(zoo.url("/ok"), probe_soft_404=False)
    assert result.verdict is Verdict.OK
    assert len(zoo.user_agents) == 1  # one request in all


def test_user_agent_is_truthful(zoo: Zoo) -> None:
    zoo.user_agents.clear()
    zoo.check_one(zoo.url("/ok"))
    assert zoo.user_agents
    assert set(zoo.user_agents) == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("guidelint/")


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


def test_redirect_loop_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/loop/a"))
    assert result.verdict is Verdict.BROKEN
    assert result.dead
    assert "loop" in (result.error or "")


def test_cookie_check_redirect_to_itself_is_not_a_loop(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/cookie-check"))
    assert result.verdict is Verdict.REDIRECTED
    assert result.status == 200
    assert result.final_url == zoo.url("/cookie-check")


def test_redirect_hop_limit_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/endless"), max_redirects=5)
    assert result.verdict is Verdict.BROKEN
    assert len(result.redirects) == 5
    assert "more than 5 redirects" in (result.error or "")


def test_redirect_without_location_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/no-location"))
    assert result.verdict is Verdict.BROKEN
    assert "without a Location" in (result.error or "")


@pytest.mark.parametrize(
    ("path", "status"), [("/missing", 404), ("/gone", 410), ("/bad-request", 400)]
)
def test_definitive_client_errors_are_broken(zoo: Zoo, path: str, status: int) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.BROKEN
    assert result.status == status
    assert result.attempts == 1  # a deliberate answer is not retried


@pytest.mark.parametrize("path", ["/files/head-405.pdf", "/files/head-404.pdf"])
def test_head_refused_falls_back_to_get(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path))
    assert result.verdict is Verdict.OK
    assert result.status == 200


def test_get_fallback_is_remembered_for_retries(zoo: Zoo) -> None:
    zoo.state.clear()
    zoo.check_one(zoo.url("/files/head-405.pdf"))
    assert (zoo.state["head-405:HEAD"], zoo.state["head-405:GET"]) == (1, 1)


def test_429_with_retry_after_is_honoured_then_ok(zoo: Zoo) -> None:
    zoo.state["rate-limited-once"] = 0
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/rate-limited-once"))
    assert result.verdict is Verdict.OK
    assert result.attempts == 2
    assert time.monotonic() - started >= 0.9  # waited for Retry-After: 1


def test_429_with_retry_after_beyond_the_cap_is_blocked_not_waited(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/rate-limited-date"))
    assert result.verdict is Verdict.BLOCKED
    assert not result.dead
    assert result.attempts == 1
    assert any("cap" in note for note in result.notes)
    assert time.monotonic() - started < 3


def test_deadline_while_waiting_to_retry_keeps_the_last_answer(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/rate-limited-slow"), url_deadline=1.0)
    assert result.verdict is Verdict.BLOCKED  # not a timeout: the server did answer
    assert result.attempts == 1
    assert time.monotonic() - started < 2


def test_persistent_429_is_blocked_after_retries(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/rate-limited"))
    assert result.verdict is Verdict.BLOCKED
    assert result.attempts == 3


def test_503_once_then_200_is_ok(zoo: Zoo) -> None:
    zoo.state["unavailable-once"] = 0
    result = zoo.check_one(zoo.url("/unavailable-once"))
    assert result.verdict is Verdict.OK
    assert result.attempts == 2


def test_persistent_5xx_is_server_error_after_retries(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/always-500"), retries=1)
    assert result.verdict is Verdict.SERVER_ERROR
    assert result.dead
    assert result.attempts == 2


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
    assert "meta refresh" in (result.error or "")


def test_meta_refresh_to_another_page_is_not_judged(zoo: Zoo) -> None:
    assert zoo.check_one(zoo.url("/meta-refresh-page")).verdict is Verdict.OK


def test_long_response_headers_are_accepted(zoo: Zoo) -> None:
    assert zoo.check_one(zoo.url("/big-headers")).verdict is Verdict.OK


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


def test_one_gibibyte_body_is_never_downloaded_whole(zoo: Zoo) -> None:
    cap = 256 * 1024
    started = time.monotonic()
    outcome = zoo.check(zoo.url("/huge"), max_body_bytes=cap, probe_soft_404=False)
    result = outcome.results[0]
    assert result.verdict is Verdict.OK
    assert outcome.bytes_read <= cap
    assert any("cap" in note for note in result.notes)
    assert time.monotonic() - started < 5
    time.sleep(0.2)  # let the server notice the closed connection
    assert zoo.sent["huge"] < GIB // 8


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_deeply_nested_page_gets_a_verdict_and_stalls_nothing(zoo: Zoo, depth: int) -> None:
    # Parsed whole on the loop thread, <div> x 100,000 took 26.5 s, longer than the deadline
    # of every other URL in the run (issue 14).
    started = time.monotonic()
    outcome = zoo.check(
        zoo.url(f"/deep-divs?depth={depth}"),
        zoo.url("/ok"),
        max_body_bytes=8 * 1024 * 1024,
        probe_soft_404=False,
    )
    assert time.monotonic() - started < 5
    deep, ok = outcome.results
    assert deep.verdict is Verdict.OK and ok.verdict is Verdict.OK
    assert deep.page is not None and deep.page.text.startswith("Before the divs.")
    assert any(note.startswith("page too complex to parse whole: ") for note in deep.notes)


def test_main_content_is_read_only_for_the_pages_asked_for(zoo: Zoo) -> None:
    url = zoo.url("/ok")
    plain = zoo.check_one(url, probe_soft_404=False)
    assert plain.page is not None and plain.page.main is None  # no baseline: not read
    for wanted in (None, frozenset({url})):
        result = zoo.check_one(url, probe_soft_404=False, main_content_for=wanted)
        assert result.page is not None and result.page.main is not None
        assert "Our helpline is free and confidential" in result.page.main


def test_gzip_bomb_is_capped_after_decompression(zoo: Zoo) -> None:
    cap = 256 * 1024
    outcome = zoo.check(zoo.url("/gzip-bomb"), max_body_bytes=cap, probe_soft_404=False)
    assert outcome.bytes_read <= cap < BOMB_INFLATED
    assert outcome.results[0].verdict is Verdict.OK


def test_trickling_body_hits_the_deadline(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/trickle"), timeout=0.5, url_deadline=1.5)
    assert result.verdict is Verdict.TIMEOUT, result.error
    assert result.dead
    assert time.monotonic() - started < 3


def test_server_that_never_answers_times_out(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/never"), timeout=0.4, url_deadline=1.2)
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - started < 3


def test_run_deadline_bounds_the_whole_run(zoo: Zoo) -> None:
    started = time.monotonic()
    outcome = zoo.check(
        zoo.url("/never"), zoo.url("/never?b"), timeout=5, url_deadline=5, run_deadline=0.8
    )
    assert time.monotonic() - started < 3
    assert {result.verdict for result in outcome.results} == {Verdict.ERROR}
    assert all("run deadline" in (result.error or "") for result in outcome.results)


def test_run_deadline_bounds_urls_queued_for_a_busy_host(zoo: Zoo) -> None:
    started = time.monotonic()
    urls = [zoo.url(f"/never?q={n}", "busy.test") for n in range(3)]
    outcome = zoo.check(*urls, per_host=1, timeout=5, url_deadline=5, run_deadline=0.8)
    assert time.monotonic() - started < 3
    assert {result.verdict for result in outcome.results} == {Verdict.ERROR}


def test_body_cut_off_mid_transfer_is_broken(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/reset-mid-body"))
    assert result.verdict is Verdict.BROKEN
    assert "cut off" in (result.error or "")
    assert result.attempts == 3  # a dropped connection is retried before judging


def test_connection_refused_is_unreachable(zoo: Zoo) -> None:
    result = zoo.check_one(f"http://site.test:{zoo.closed_port}/ok", retries=1)
    assert result.verdict is Verdict.UNREACHABLE
    assert result.dead


def test_tls_with_the_test_ca_is_ok(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.tls_url("/ok"), ca_file=str(zoo.ca_file))
    assert result.verdict is Verdict.OK


def test_tls_with_an_unknown_ca_is_tls_error(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.tls_url("/ok"))
    assert result.verdict is Verdict.TLS_ERROR
    assert result.dead
    assert result.attempts == 1


def test_tls_certificate_for_another_name_is_tls_error(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.tls_url("/ok", "other-name.test"), ca_file=str(zoo.ca_file))
    assert result.verdict is Verdict.TLS_ERROR


def test_dns_name_that_does_not_exist_is_unreachable(zoo: Zoo) -> None:
    resolver = zoo.resolver()
    result = zoo.check(zoo.url("/ok", "no-such-host.example"), resolver=resolver).results[0]
    assert result.verdict is Verdict.UNREACHABLE
    assert "DNS" in (result.error or "")
    assert result.attempts == 1  # NXDOMAIN is an answer, not a hiccup


def test_name_resolving_to_loopback_is_unsafe_by_default(zoo: Zoo) -> None:
    resolver = zoo.resolver({"rebind.example": "127.0.0.1"})
    outcome = zoo.check(zoo.url("/ok", "rebind.example"), resolver=resolver, allow=AddressPolicy())
    result = outcome.results[0]
    assert result.verdict is Verdict.UNSAFE
    assert result.dead
    assert "loopback" in (result.error or "")
    assert zoo.max_in_flight["rebind.example"] == 0  # never connected


def test_redirect_to_a_forbidden_name_is_unsafe(zoo: Zoo) -> None:
    # Only site.test is allowed: the first hop passes, the redirect to internal.test does not.
    policy = AddressPolicy.from_entries(["site.test"])
    result = zoo.check_one(zoo.url("/to-internal-name"), allow=policy)
    assert result.verdict is Verdict.UNSAFE
    assert [hop.status for hop in result.redirects] == [302]
    assert result.final_url == zoo.url("/ok", "internal.test")
    assert zoo.max_in_flight["internal.test"] == 0


@pytest.mark.parametrize("path", ["/to-loopback-literal", "/to-metadata"])
def test_redirect_to_a_forbidden_literal_address_is_unsafe(zoo: Zoo, path: str) -> None:
    result = zoo.check_one(zoo.url(path), allow=AddressPolicy.from_entries(["site.test"]))
    assert result.verdict is Verdict.UNSAFE


def test_literal_loopback_url_is_unsafe_unless_allowed(zoo: Zoo) -> None:
    url = f"http://127.0.0.1:{zoo.port}/ok"
    assert zoo.check_one(url, allow=AddressPolicy()).verdict is Verdict.UNSAFE
    assert zoo.check_one(url).verdict is Verdict.OK  # the zoo's options allow 127.0.0.1/32


def test_mailto_tel_and_excluded_urls_are_skipped(zoo: Zoo) -> None:
    exclusion = Exclusion("always answers 999", url=zoo.url("/linkedin"))
    outcome = zoo.check(
        "mailto:help@example.org", "tel:+448001111", zoo.url("/linkedin"), exclude=(exclusion,)
    )
    assert {result.verdict for result in outcome.results} == {Verdict.SKIPPED}
    assert any("always answers 999" in note for note in outcome.results[2].notes)


def test_expired_exclusion_stops_applying_and_says_so(zoo: Zoo) -> None:
    import datetime

    exclusion = Exclusion(
        "temporary outage",
        url=zoo.url("/ok"),
        expires=datetime.date(2020, 1, 1),
    )
    outcome = zoo.check(zoo.url("/ok"), exclude=(exclusion,))
    assert outcome.results[0].verdict is Verdict.OK
    assert any("expired on 2020-01-01" in note for note in outcome.notes)


def test_unsupported_scheme_is_error(zoo: Zoo) -> None:
    result = zoo.check_one("ftp://files.example.org/leaflet.pdf")
    assert result.verdict is Verdict.ERROR
    assert "scheme" in (result.error or "")


def test_per_host_concurrency_is_bounded(zoo: Zoo) -> None:
    zoo.max_in_flight.clear()
    urls = [zoo.url(f"/slow-ok?n={n}", "polite.test") for n in range(6)]
    outcome = zoo.check(*urls, per_host=2, probe_soft_404=False)
    assert {result.verdict for result in outcome.results} == {Verdict.OK}
    assert zoo.max_in_flight["polite.test"] == 2


def test_waiting_for_a_busy_host_does_not_count_against_the_deadline(zoo: Zoo) -> None:
    # Five 0.2 s pages, one at a time: the last waits 0.8 s for its turn, longer than the
    # 0.5 s deadline, which is about the server's slowness, not our politeness.
    urls = [zoo.url(f"/slow-ok?n={n}", "queue.test") for n in range(5)]
    outcome = zoo.check(*urls, per_host=1, url_deadline=0.5, probe_soft_404=False)
    assert [result.verdict for result in outcome.results] == [Verdict.OK] * 5


def test_minimum_interval_per_host_spaces_requests(zoo: Zoo) -> None:
    urls = [zoo.url(f"/files/leaflet.pdf?n={n}", "spaced.test") for n in range(4)]
    started = time.monotonic()
    zoo.check(*urls, per_host=4, min_interval=0.15)
    assert time.monotonic() - started >= 0.45  # 4 HEAD requests, 3 gaps


def test_offline_run_is_reported_as_offline(zoo: Zoo) -> None:
    urls = [f"http://host-{n}.example/page" for n in range(5)]
    outcome = zoo.check(*urls, resolver=zoo.resolver(), retries=0)
    assert outcome.offline
    assert outcome.hosts_checked == 5
    assert outcome.hosts_unreachable == 5


def test_one_dead_host_among_live_ones_is_not_offline(zoo: Zoo) -> None:
    urls = [zoo.url("/ok", f"live-{n}.test") for n in range(4)] + ["http://gone.example/"]
    outcome = zoo.check(*urls, resolver=zoo.resolver(), probe_soft_404=False)
    assert not outcome.offline


def test_retry_policy_names_a_reason_for_transient_failures_only() -> None:
    from guidelint.links.checker import _Outcome

    assert retry_reason(_Outcome(Verdict.SERVER_ERROR, "status", status=503))
    assert retry_reason(_Outcome(Verdict.BLOCKED, "status", status=429))
    assert retry_reason(_Outcome(Verdict.TIMEOUT, "timeout"))
    assert retry_reason(_Outcome(Verdict.UNREACHABLE, "reset"))
    assert retry_reason(_Outcome(Verdict.BROKEN, "status", status=404)) is None
    assert retry_reason(_Outcome(Verdict.BLOCKED, "status", status=403)) is None
    assert retry_reason(_Outcome(Verdict.UNREACHABLE, "dns")) is None
    assert retry_reason(_Outcome(Verdict.TLS_ERROR, "tls")) is None
    assert retry_reason(_Outcome(Verdict.UNSAFE, "unsafe")) is None


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 + 60) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
