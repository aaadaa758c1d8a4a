"""The benchmark's own tools: the generated corpus is valid, the measurement sees memory,
the link farm serves its ground truth and the aiohttp floor fetches it (on loopback only).

No timing is asserted here: timing lives in `make bench` only.
"""

from __future__ import annotations

import json
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import farmrecord
import floor
import linkfarm
import lintcorpus
import measure
import pytest

from guidelint.config import Config
from guidelint.lint import build_selection, lint_paths
from guidelint.schema import SCHEMA_CODE


def test_generated_guides_are_valid_and_named_by_their_ids(tmp_path: Path) -> None:
    paths = lintcorpus.generate(tmp_path, 24)
    assert len(paths) == 24
    result = lint_paths([tmp_path], build_selection(Config(root=tmp_path)))
    assert result.files == 24
    errors = [d for d in result.diagnostics if d.code in (SCHEMA_CODE, "GL102", "GL103")]
    assert errors == []
    jurisdictions = {path.parent.name for path in paths}
    assert len(jurisdictions) >= 5


def test_measure_reports_the_child_peak_memory(tmp_path: Path) -> None:
    grow = "block = bytearray(80 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096])"
    sample = measure.run([sys.executable, "-c", grow], timeout=60)
    assert sample.returncode == 0
    assert not sample.timed_out
    assert sample.max_rss_kb >= 80 * 1024
    assert sample.tree_rss_kb >= sample.max_rss_kb


def test_measure_stops_a_run_at_its_timeout() -> None:
    sample = measure.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert sample.timed_out
    assert sample.returncode != 0


def test_link_farm_answers_its_ground_truth_and_records_when(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind((linkfarm.host(0), 0))
        port = probe.getsockname()[1]
    farm = linkfarm.plan(40, 2, port, dead_share=0.25)
    ca_file, server_file = linkfarm.make_tls(2, tmp_path)
    context = ssl.create_default_context(cafile=str(ca_file))
    dead = sorted(farm.dead)[0]
    alive = next(url for url in farm.urls if url not in farm.dead)
    with linkfarm.Server(2, port, 0.01, server_file, lifetime=60) as server:
        before = time.monotonic()
        statuses = []
        for url in (alive, dead):
            try:
                with urllib.request.urlopen(url, context=context, timeout=10) as answer:
                    statuses.append(answer.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        after = time.monotonic()
        assert statuses == [200, 404]
        assert server.requests()["GET"] == 2
        window = server.window()
        assert window is not None
        assert before <= window[0] <= window[1] <= after
        server.reset()
        assert server.window() is None
        assert server.requests()["GET"] == 0


def test_aiohttp_floor_fetches_every_url_once_and_names_the_dead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind((linkfarm.host(0), 0))
        port = probe.getsockname()[1]
    farm = linkfarm.plan(40, 2, port, dead_share=0.25)
    ca_file, server_file = linkfarm.make_tls(2, tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(farm.urls) + "\n")
    output = tmp_path / "floor.json"
    with linkfarm.Server(2, port, 0.01, server_file, lifetime=60) as server:
        assert floor.main([str(urls), str(output), "--concurrency", "8"]) == 0
        assert server.requests()["GET"] == len(farm.urls)
        failed = json.loads(output.read_text())["failed"]
        assert farm.dead and set(failed) == farm.dead
        assert failed == [url for url in farm.urls if url in farm.dead]  # in the order given
        # Judging each page as guidelint does finds the same dead links, and no more.
        server.reset()
        assert floor.main([str(urls), str(output), "--concurrency", "8", "--pages"]) == 0
        assert server.requests()["GET"] == len(farm.urls)
        assert json.loads(output.read_text())["failed"] == failed


def test_link_farm_serves_plain_http_and_records_each_request(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind((linkfarm.host(0), 0))
        port = probe.getsockname()[1]
    farm = linkfarm.plan(6, 3, port, dead_share=0.0, scheme="http")
    assert all(
        url.startswith(f"http://{linkfarm.host(n % 3)}:{port}/page/")
        for n, url in enumerate(farm.urls)
    )
    with linkfarm.Server(3, port, 0.01, None, lifetime=60, titles="numbers") as server:
        for url in farm.urls:
            with urllib.request.urlopen(url, timeout=10) as answer:
                assert b"<title>Page " in answer.read()
        record = server.record()
    assert sorted(record.hosts) == [0, 0, 1, 1, 2, 2]
    assert len(set(record.connections)) == 6  # urllib opens a connection per request
    assert all(
        0.01 <= end - start < 5 for start, end in zip(record.starts, record.ends, strict=True)
    )
    assert record.methods["GET"] == 6 and record.lost == 0


def test_hosts_beyond_one_block_of_addresses_skip_network_and_broadcast_forms() -> None:
    addresses = [linkfarm.host(index) for index in range(1000)]
    assert len(set(addresses)) == 1000
    assert addresses[0] == "127.0.0.2" and addresses[253] == "127.0.1.2"
    assert not any(address.endswith((".0", ".1", ".255")) for address in addresses)


def test_one_guide_holds_ten_thousand_urls_under_the_loader_limit(tmp_path: Path) -> None:
    farm = linkfarm.plan(10_000, 100, 65000, dead_share=0.02, scheme="http")
    (path,) = linkfarm.write_guides(farm, tmp_path, per_guide=10_000)
    from guidelint.links.collect import collect

    collection = collect([path])
    assert list(collection.urls) == farm.urls
    assert not collection.unreadable


def test_farm_record_splits_the_window_into_the_farm_s_and_the_client_s_share() -> None:
    # Four requests in flight at a time, 0.1 s each, twice over, on two hosts; then a late one.
    starts = [0.0, 0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 0.1, 0.5]
    ends = [start + 0.1 for start in starts]
    record = linkfarm.Record(
        starts, ends, [0, 1, 0, 1, 0, 1, 0, 1, 0], [1, 2, 3, 4, 1, 2, 3, 4, 1], {"GET": 9}
    )
    phase = farmrecord.phase(record, concurrency=4, latency=0.1)
    assert phase is not None
    assert phase.requests == 9 and phase.window == pytest.approx(0.6)
    assert phase.answer == pytest.approx(0.1)
    assert phase.in_flight == pytest.approx(9 * 0.1 / 0.6)
    # window = N x answer / in flight: the farm's factor times the client's
    ideal = phase.requests * phase.latency / phase.concurrency
    assert phase.window == pytest.approx(ideal * phase.farm_factor * phase.client_factor)
    assert phase.ramp == 0.0 and phase.tail == pytest.approx(0.1)
    assert (phase.connections, phase.most_connections, phase.most_in_flight_per_host) == (4, 2, 2)
    assert phase.connections_at_once == 4
    assert farmrecord.phase(linkfarm.Record([], [], [], [], {}), 4, 0.1) is None
