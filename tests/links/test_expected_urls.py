"""A large guide's resource URLs are checked before it has loaded, and a wrong guess is
dropped once it has: the report, the history and the collection hold what the guides use."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guidelint.links import collect, pipeline
from guidelint.links.collect import expected_urls, loading
from guidelint.links.model import Verdict
from guidelint.links.pipeline import Request
from guidelint.links.settings import HealthSettings
from lineartime import superlinear
from linkzoo import Zoo

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def test_expected_urls_are_the_plain_one_line_url_values(tmp_path: Path) -> None:
    guide = tmp_path / "g.yaml"
    guide.write_text(
        "id: g\n"
        "resources:\n"
        "- id: a\n  url: https://a.example/x#top  # comment\n"
        "- url: 'https://b.example/'\n"
        '- url: "https://c.example/?q=1"\n'
        "- url: https://d.example/two words\n"  # not one URL: left to the loader
        '- url: "https://e.example/\\u0041"\n'  # an escape: left to the loader
        "- url: ftp://f.example/\n"
        "# url: https://commented.example/\n"
        "- urls: https://g.example/\n",
        encoding="utf-8",
    )
    assert expected_urls([guide, tmp_path / "missing.yaml"]) == [
        "https://a.example/x#top",
        "https://b.example/",
        "https://c.example/?q=1",
    ]


def test_expected_urls_read_no_file_the_loader_would_refuse(tmp_path: Path) -> None:
    """A FIFO named like a guide would block the guess forever; a link out of the folder
    would show a file the loader refuses to read. Neither is read."""
    from guidelint.files import Trees

    guides, elsewhere = tmp_path / "guides", tmp_path / "elsewhere"
    guides.mkdir()
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text("url: https://secret.example/\n", encoding="utf-8")
    linked = guides / "linked.yaml"
    linked.symlink_to(elsewhere / "secret.yaml")
    fifo = guides / "pipe.yaml"
    os.mkfifo(fifo)
    done: list[list[str]] = []
    thread = threading.Thread(
        target=lambda: done.append(expected_urls([fifo, linked], Trees([guides]))), daemon=True
    )
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():  # blocked opening the FIFO: let it go before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout=10)
    assert done == [[]]
    assert expected_urls([linked]) == ["https://secret.example/"]  # no trees: read as asked


def test_expected_urls_read_in_linear_time(tmp_path: Path) -> None:
    def guide_of(size: int) -> list[Path]:
        # A long value with a quote at the end, and lines of `url:` with nothing after.
        path = tmp_path / f"{size}.yaml"
        lines = b"url: https://" + b"a" * size + b" '\n" + b"  url: \n" * (size // 8)
        path.write_bytes(lines)
        return [path]

    assert superlinear(expected_urls, guide_of, cap=1 << 17) is None


def _guide(path: Path, urls: list[str], tail: str = "") -> Path:
    padding = "".join(f"# {'x' * 70}\n" for _ in range(50))  # over the (lowered) threshold
    path.write_text(
        "id: g\nresources:\n"
        + "".join(f"- id: r{n}\n  url: {url}\n" for n, url in enumerate(urls))
        + padding
        + tail,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def expecting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collect, "OVERLAP_MIN_BYTES", 1024)


@pytest.mark.usefixtures("expecting")
def test_a_loading_guide_s_urls_are_known_at_once(tmp_path: Path) -> None:
    guide = _guide(tmp_path / "g.yaml", [f"https://h{n}.example/" for n in range(3)])
    with loading([guide], meanwhile=lambda: None, spare_cpu=True) as found:
        assert list(found.urls) == [f"https://h{n}.example/" for n in range(3)]
        assert not found.done and all(uses == [] for uses in found.urls.values())
        assert found.take() == []  # nothing new: each only gets its use
        assert [uses[0].line for uses in found.urls.values()] == [4, 6, 8]
        assert found.collection() == collect.collect([guide])


@pytest.mark.usefixtures("expecting")
def test_a_guess_no_loaded_guide_uses_leaves_no_trace(zoo: Zoo, tmp_path: Path) -> None:
    good = _guide(tmp_path / "a.yaml", [zoo.url("/ok", "good.test")])
    # This guide's text shows a URL, but the guide cannot be loaded: nothing of it counts.
    broken = _guide(tmp_path / "b.yaml", [zoo.url("/gone", "broken.test")], "oops: [unclosed\n")
    db = tmp_path / "history.sqlite"
    request = Request(
        paths=[str(good), str(broken)],
        options=zoo.options().replace(probe_soft_404=False),
        settings=HealthSettings(),
        now=NOW,
        baseline_path=tmp_path / "baseline.json",
        state_path=db,
        resolver=zoo.resolver(),
    )
    run = pipeline.run(request)
    results = run.outcome.results
    assert [(r.url, r.verdict) for r in results] == [(zoo.url("/ok", "good.test"), Verdict.OK)]
    assert [ref.path for ref in results[0].references] == [str(good)]
    assert [bad.path for bad in run.unreadable] == [str(broken)]
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT url FROM checks").fetchall() == [(results[0].url,)]
    assert zoo.max_in_flight["broken.test"] == 1  # it was requested: a guess costs a request
