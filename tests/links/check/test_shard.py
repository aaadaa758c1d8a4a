"""Checking in several processes: sites stay whole, results match one loop's, a dead process stops the run."""

from __future__ import annotations

import os
import socket
import ssl
import time
from pathlib import Path

import pytest
from aiohttp.abc import ResolveResult

from guidelint.links.check import shard
from guidelint.links.check.hosts import site_key
from guidelint.links.model import Verdict
from guidelint.links.settings import CheckOptions
from guidelint.workers import WorkerError, can_fork
from linkzoo import Zoo, ZooResolver

pytestmark = pytest.mark.skipif(not can_fork(), reason="sharding forks (Linux only)")


def test_plan_keeps_each_site_in_one_group_and_balances_them() -> None:
    urls = [
        "https://www.alpha.org/a",
        "https://beta.org/1",
        "https://help.alpha.org/b",
        "https://gamma.co.uk/x",
        "https://user@www.gamma.co.uk:8443/y?q#f",
        "https://127.0.0.2:9/p",
        "https://[::1]:9/q",
        "https://alpha.org/c",
        "https://beta.org/2",
    ]
    groups = shard.plan(urls, CheckOptions(jobs=2, concurrency=8))
    assert len(groups) == 2
    assert sorted(url for group in groups for url in group) == sorted(urls)
    for group in groups:
        assert group == [url for url in urls if url in group]  # input order kept
    site_group: dict[str, int] = {}
    for index, group in enumerate(groups):
        for url in group:
            site = site_key(url.split("/")[2])
            assert site_group.setdefault(site, index) == index
    assert site_key("user@www.gamma.co.uk:8443") == "gamma.co.uk"
    assert site_key("[::1]:9") == "::1"
    # alpha.org (3) + an address literal | beta.org (2) + gamma.co.uk (2) + the other literal
    assert sorted(len(group) for group in groups) == [4, 5]


@pytest.mark.parametrize(
    ("options", "count"),
    [
        (CheckOptions(jobs=1), 2000),
        (CheckOptions(jobs=4, concurrency=1), 2000),  # one slot cannot be shared
        (CheckOptions(), 20000),  # one loop unless processes are asked for
    ],
)
def test_plan_keeps_one_group_when_sharding_cannot_pay(options: CheckOptions, count: int) -> None:
    urls = [f"https://site{index % 50}.org/{index}" for index in range(count)]
    assert shard.plan(urls, options) == [urls]


def test_plan_keeps_one_group_for_a_single_site() -> None:
    urls = [f"https://www.one.org/{index}" for index in range(10)] + ["https://one.org/"]
    assert shard.plan(urls, CheckOptions(jobs=4)) == [urls]


def test_concurrency_is_shared_in_proportion_and_adds_up() -> None:
    assert shard.concurrency_shares(64, [5000, 5000]) == [32, 32]
    assert shard.concurrency_shares(64, [9000, 1000]) == [57, 7]
    assert shard.concurrency_shares(3, [1000, 1, 1]) == [1, 1, 1]
    for total, sizes in ((16, [7, 5, 3]), (64, [1, 2, 3, 4]), (5, [100, 100])):
        shares = shard.concurrency_shares(total, sizes)
        assert sum(shares) == max(total, len(sizes))
        assert min(shares) >= 1


def _mixed(zoo: Zoo) -> list[str]:
    urls = []
    for host in ("a.test", "b.test", "c.test", "www.c.test"):
        urls += [zoo.url(path, host) for path in ("/ok", "/gone", "/old-help-page", "/missing")]
    return urls


def test_processes_find_what_one_loop_finds_in_input_order(zoo: Zoo) -> None:
    urls = _mixed(zoo)
    alone = zoo.check(*urls, jobs=1)
    seen: list[tuple[int, int]] = []
    shared = zoo.check(*urls, jobs=3, progress=lambda done, total: seen.append((done, total)))
    assert [r.url for r in shared.results] == urls
    assert [(r.verdict, r.status, r.final_url) for r in shared.results] == [
        (r.verdict, r.status, r.final_url) for r in alone.results
    ]
    assert {r.verdict for r in shared.results} >= {Verdict.OK, Verdict.BROKEN}
    assert (shared.hosts_checked, shared.hosts_unreachable) == (4, 0)
    assert shared.bytes_read == alone.bytes_read
    assert seen[-1] == (len(urls), len(urls))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


class _DoomedResolver(ZooResolver):
    """In a checking process, looks up `doomed.test` as a process that the OOM killer ends
    would (no exception, no clean-up), and `hung.test` as one stuck for `hang` seconds."""

    def __init__(self, parent: int, hang: float = 0.0) -> None:
        super().__init__({"*.test": "127.0.0.1"})
        self.parent = parent
        self.hang = hang

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if os.getpid() != self.parent:
            if host == "doomed.test":
                os._exit(9)
            if host == "hung.test":
                time.sleep(self.hang)  # blocks the process's event loop, as a bug would
        return await super().resolve(host, port, family)


def test_a_dead_process_stops_the_run_with_a_worker_error(zoo: Zoo) -> None:
    fine = [zoo.url("/ok", host) for host in ("a.test", "b.test")]
    doomed = [zoo.url("/ok", "doomed.test"), zoo.url("/gone", "doomed.test")]
    started = time.monotonic()
    with pytest.raises(WorkerError) as raised:
        zoo.check(*fine, *doomed, jobs=3, resolver=_DoomedResolver(os.getpid()))
    assert str(raised.value).startswith("a process checking links stopped unexpectedly;")
    assert time.monotonic() - started < 10  # the other processes were stopped, not waited for


def test_a_process_still_busy_after_the_run_deadline_is_stopped(
    zoo: Zoo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shard, "GRACE_SECONDS", 0.3)
    fine = [zoo.url("/ok", host) for host in ("a.test", "b.test")]
    hung = [zoo.url("/ok", "hung.test"), zoo.url("/gone", "hung.test")]
    started = time.monotonic()
    outcome = zoo.check(
        *fine, *hung, jobs=3, run_deadline=1.0, resolver=_DoomedResolver(os.getpid(), hang=30)
    )
    assert time.monotonic() - started < 10
    verdicts = {r.url: r for r in outcome.results}
    assert [verdicts[url].verdict for url in fine] == [Verdict.OK, Verdict.OK]
    for url in hung:
        assert verdicts[url].verdict is Verdict.ERROR
        assert verdicts[url].error == (
            "not checked: the process checking its site did not finish by the run deadline"
        )
        assert verdicts[url].references  # still says where the guides use it


def test_offline_evidence_adds_up_across_processes(zoo: Zoo) -> None:
    urls = [zoo.url("/ok", f"host{index}.invalid") for index in range(6)]
    outcome = zoo.check(*urls, jobs=2)  # nothing resolves .invalid
    assert (outcome.hosts_checked, outcome.hosts_unreachable) == (6, 6)
    assert outcome.offline
    assert outcome.notes[-1].startswith("6 of 6 hosts could not be reached at all")


def test_an_error_in_a_process_is_raised_again_in_the_caller(zoo: Zoo, tmp_path: Path) -> None:
    broken_ca = tmp_path / "broken.pem"
    broken_ca.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    urls = [zoo.url("/ok", host) for host in ("a.test", "b.test")]
    with pytest.raises(ssl.SSLError):
        zoo.check(*urls, jobs=2, ca_file=str(broken_ca))
