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
