"""The open-web bed (tests/openweb.py): each real-world behaviour gets the verdict a careful
maintainer wants, explained in one line, and nothing it says leaks what must not be kept."""

from __future__ import annotations

import time

import pytest

from guidelint.escape import PAGE_TITLE_CAP
from guidelint.links.check.redirects import CREDENTIALS_NOTE
from guidelint.links.model import Verdict
from linkzoo import Zoo
from openweb import BEHAVIOURS, Behaviour


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda behaviour: behaviour.name)
def test_each_behaviour_gets_the_verdict_a_maintainer_wants(zoo: Zoo, behaviour: Behaviour) -> None:
    behaviour.check_as_wanted(zoo)


def test_there_are_at_least_forty_behaviours_with_distinct_names() -> None:
    names = [behaviour.name for behaviour in BEHAVIOURS]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    assert all(behaviour.reason for behaviour in BEHAVIOURS)


def test_unavailable_is_never_dead_on_one_run(zoo: Zoo) -> None:
    for name in ("maintenance-503-retry-after", "maintenance-200", "rate-limited-a-day"):
        behaviour = next(item for item in BEHAVIOURS if item.name == name)
        result = zoo.check_one(behaviour.url(zoo))
        assert result.verdict is Verdict.UNAVAILABLE
        assert not result.dead


def test_retry_after_beyond_the_cap_is_not_waited_for(zoo: Zoo) -> None:
    started = time.monotonic()
    result = zoo.check_one(zoo.url("/w/rate-limited-a-day"))
    assert result.attempts == 1
    assert any("cap" in note for note in result.notes)
    assert time.monotonic() - started < 2


def test_a_meta_refresh_is_a_recorded_hop(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/w/meta-refresh-to-404"))
    assert result.verdict is Verdict.BROKEN
    assert result.status == 404
    assert [hop.status for hop in result.redirects] == [200]
    assert result.final_url == zoo.url("/missing")
    assert any(note.startswith("followed a meta refresh from ") for note in result.notes)


def test_a_refresh_to_a_file_is_ignored_and_said(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/w/refresh-header-to-file"))
    assert result.redirects == ()
    assert any("non-web address ignored" in note for note in result.notes)


def test_a_refreshed_gzip_bomb_is_capped(zoo: Zoo) -> None:
    cap = 256 * 1024
    outcome = zoo.check(zoo.url("/w/meta-refresh-to-gzip-bomb"), max_body_bytes=cap)
    assert outcome.results[0].verdict is Verdict.REDIRECTED
    assert outcome.bytes_read <= 3 * cap  # the page, the bomb's cap and the probe's 404


def test_credentials_are_never_sent_and_never_kept(zoo: Zoo) -> None:
    zoo.authorizations.clear()
    outcome = zoo.check(
        f"http://admin:hunter2@site.test:{zoo.port}/w/auth-echo",
        zoo.url("/w/credentials-in-redirect"),
    )
    assert zoo.authorizations == ["", ""]  # both requests reached the page, neither with Basic
    for result in outcome.results:
        assert result.verdict in (Verdict.OK, Verdict.REDIRECTED)
        assert CREDENTIALS_NOTE in result.notes
        kept = (result.final_url, result.redirects, result.error)
        assert "hunter2" not in repr(kept)


def test_an_ip_literal_in_any_form_is_requested_as_the_address(zoo: Zoo) -> None:
    # 127.1 means 127.0.0.1 to a browser; a resolver would fail to find such a "name".
    result = zoo.check_one(f"http://127.1:{zoo.port}/ok")
    assert result.verdict is Verdict.OK


def test_unsafe_literals_never_reach_the_server(zoo: Zoo) -> None:
    from openweb import NAMES_ONLY

    zoo.max_in_flight.clear()
    outcome = zoo.check(
        f"http://2130706433:{zoo.port}/ok",
        f"http://0177.0.0.1:{zoo.port}/ok",
        zoo.url("/w/redirect-to-octal-literal"),
        **NAMES_ONLY,
    )
    assert [result.verdict for result in outcome.results] == [Verdict.UNSAFE] * 3
    assert all("loopback" in (result.error or "") for result in outcome.results)
    assert "127.0.0.1" not in zoo.max_in_flight  # only site.test was ever connected to


def test_a_megabyte_title_is_capped_where_it_is_read(zoo: Zoo) -> None:
    result = zoo.check_one(zoo.url("/w/megabyte-title"), max_body_bytes=2 * 1024 * 1024)
    assert result.page is not None and result.page.title is not None
    assert len(result.page.title) <= PAGE_TITLE_CAP
    assert result.page.title.startswith("Helpline x")


def test_unreadable_answers_say_what_could_not_be_read(zoo: Zoo) -> None:
    many = zoo.check_one(f"http://site.test:{zoo.raw_port}/w/too-many-headers-2000")
    assert any("judged by the status line alone" in note for note in many.notes)
    huge = zoo.check_one(f"http://site.test:{zoo.raw_port}/w/huge-header-line-301")
    assert "headers could not be read" in (huge.error or "")
    gzip = zoo.check_one(f"http://site.test:{zoo.raw_port}/w/corrupt-gzip-200")
    assert any("could not be decoded" in note for note in gzip.notes)
    brotli = zoo.check_one(f"http://site.test:{zoo.raw_port}/w/corrupt-brotli-200")
    assert any("could not be decoded" in note for note in brotli.notes)
    assert not (many.dead or huge.dead or gzip.dead or brotli.dead)


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_a_deeply_nested_page_gets_a_verdict_and_stalls_nothing(zoo: Zoo, depth: int) -> None:
    # Parsed whole on the loop thread, <div> x 100,000 took 26.5 s, longer than the deadline
    # of every other URL in the run (issue 14). Now: bounded, and parsed in a worker thread.
    started = time.monotonic()
    others = [zoo.url(f"/ok?n={n}") for n in range(8)]
    outcome = zoo.check(
        zoo.url(f"/deep-divs?depth={depth}"),
        *others,
        max_body_bytes=8 * 1024 * 1024,
        probe_soft_404=False,
    )
    assert time.monotonic() - started < 5
    deep, *rest = outcome.results
    assert deep.verdict is Verdict.OK and {result.verdict for result in rest} == {Verdict.OK}
    assert deep.page is not None and deep.page.text.startswith("Before the divs.")
    assert any(note.startswith("page too complex to parse whole: ") for note in deep.notes)


def test_the_status_line_is_read_only_from_an_address_the_guard_allows(zoo: Zoo) -> None:
    import asyncio

    from yarl import URL

    from guidelint.links.check.statusline import read_status
    from guidelint.links.check.transport import ssl_context
    from guidelint.links.guard import AddressPolicy
    from guidelint.links.resolver import GuardedResolver

    def status(policy: AddressPolicy, path: str) -> int | None:
        resolver = GuardedResolver(policy, zoo.resolver())
        url = URL(f"http://site.test:{zoo.raw_port}{path}")
        return asyncio.run(read_status(url, None, resolver, ssl_context(None), {}, 2.0))

    allowed = AddressPolicy.from_entries(["127.0.0.1/32"])
    assert status(allowed, "/w/too-many-headers-404") == 404
    assert status(allowed, "/w/too-many-headers-2000") == 200
    assert status(AddressPolicy(), "/w/too-many-headers-404") is None  # loopback: refused
