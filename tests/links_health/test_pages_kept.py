"""A result keeps its page's text only when the run reads it after the check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from guidelint.links import pipeline
from guidelint.links.pipeline import Request
from guidelint.links.settings import HealthSettings
from linkzoo import Zoo

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _run(
    zoo: Zoo,
    tmp_path: Path,
    urls: list[str],
    accept: tuple[str, ...] = (),
    update_baseline: bool = False,
) -> pipeline.Run:
    guide = tmp_path / "g.yaml"
    guide.write_text(
        "id: g\nresources:\n" + "".join(f"- id: r{n}\n  url: {u}\n" for n, u in enumerate(urls)),
        encoding="utf-8",
    )
    request = Request(
        paths=[str(guide)],
        options=zoo.options().replace(probe_soft_404=False),
        settings=HealthSettings(),
        now=NOW,
        baseline_path=tmp_path / "baseline.json",
        state_path=None,
        resolver=zoo.resolver(),
        accept=accept,
        update_baseline=update_baseline,
    )
    return pipeline.run(request)


def test_a_result_keeps_its_page_only_when_the_run_reads_it_later(zoo: Zoo, tmp_path: Path) -> None:
    reviewed, fresh = zoo.url("/ok", "reviewed.test"), zoo.url("/ok", "fresh.test")
    # The first run accepts one page into the baseline (and checks only that one).
    first = _run(zoo, tmp_path, [reviewed, fresh], accept=(reviewed,))
    assert first.accepted == (reviewed,)
    pages = {result.url: result.page for result in first.outcome.results}
    assert pages[reviewed] is not None
    assert [(r.url, r.new) for r in first.outcome.results] == [(reviewed, False)]  # only it
    # The next run compares the reviewed page with its entry; the other is only new.
    later = {r.url: r for r in _run(zoo, tmp_path, [reviewed, fresh]).outcome.results}
    assert later[reviewed].page is not None and later[reviewed].change is None
    assert later[fresh].page is None and later[fresh].new
    # Accepting every page keeps them all.
    every = _run(zoo, tmp_path, [reviewed, fresh], update_baseline=True)
    assert all(result.page is not None for result in every.outcome.results)
    assert not any(result.new for result in every.outcome.results)
