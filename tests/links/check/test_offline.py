"""The one definition of an offline run: (nearly) every host failed at the connection level."""

from __future__ import annotations

import pytest

from guidelint.links.check import CONNECTION_FAILURES, host_tally, is_offline
from guidelint.links.check.records import FailureKind
from guidelint.links.model import Hop, LinkResult, Verdict
from linkzoo import Zoo


def test_offline_needs_three_hosts_and_nine_in_ten_of_them_unreachable() -> None:
    assert is_offline(3, 3)
    assert is_offline(10, 9)
    assert not is_offline(10, 8)
    assert not is_offline(2, 2)  # two dead hosts are just two dead links
    assert not is_offline(0, 0)


@pytest.mark.parametrize("kind", [kind for kind in FailureKind if kind in CONNECTION_FAILURES])
def test_a_host_is_unreachable_when_every_url_failed_to_connect(kind: FailureKind) -> None:
    results = [
        LinkResult("https://a.org/1", Verdict.UNREACHABLE),
        LinkResult("https://a.org/2", Verdict.UNREACHABLE),
    ]
    assert host_tally(results, {"https://a.org/1": kind, "https://a.org/2": kind}) == (1, 1)
    mixed = {"https://a.org/1": kind, "https://a.org/2": FailureKind.STATUS}
    assert host_tally(results, mixed) == (1, 0)  # one URL answered: the host is there


@pytest.mark.parametrize(
    "kind",
    [
        FailureKind.TIMEOUT,
        FailureKind.RESET,
        FailureKind.TLS,
        FailureKind.UNSAFE,
        FailureKind.STATUS,
    ],
)
def test_failures_after_a_connection_was_made_are_no_evidence(kind: FailureKind) -> None:
    results = [LinkResult("https://a.org/1", Verdict.TIMEOUT)]
    assert host_tally(results, {"https://a.org/1": kind}) == (1, 0)


def test_skipped_links_and_failures_after_a_redirect_do_not_count() -> None:
    results = [
        LinkResult("mailto:help@a.org", Verdict.SKIPPED),
        LinkResult(
            "https://a.org/old", Verdict.UNREACHABLE, redirects=(Hop("https://a.org/old", 301),)
        ),
    ]
    kinds = {"https://a.org/old": FailureKind.DNS}
    assert host_tally(results, kinds) == (1, 0)  # a.org answered; the redirect led nowhere


def test_hosts_that_refuse_every_connection_make_an_offline_run(zoo: Zoo) -> None:
    urls = [f"http://host-{n}.test:{zoo.closed_port}/page" for n in range(4)]
    outcome = zoo.check(*urls, retries=0)
    assert {result.verdict for result in outcome.results} == {Verdict.UNREACHABLE}
    assert (outcome.hosts_checked, outcome.hosts_unreachable) == (4, 4)
    assert outcome.offline


def test_hosts_that_connect_but_never_answer_do_not_make_an_offline_run(zoo: Zoo) -> None:
    # A read timeout means the TCP connection was made: the network is there.
    urls = [zoo.url("/never", f"slow-{n}.test") for n in range(4)]
    outcome = zoo.check(*urls, retries=0, timeout=0.3, url_deadline=1.0, probe_soft_404=False)
    assert {result.verdict for result in outcome.results} == {Verdict.TIMEOUT}
    assert (outcome.hosts_checked, outcome.hosts_unreachable) == (4, 0)
    assert not outcome.offline


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
