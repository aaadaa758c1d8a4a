"""The run's rows are written while the checks go on, and hold what the run ended with."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guidelint.links import pipeline, recorder
from guidelint.links.history import History
from guidelint.links.model import LinkResult, Verdict
from guidelint.links.pipeline import Request
from guidelint.links.settings import HealthSettings
from linkzoo import Zoo

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as raw:
        return raw.execute("SELECT url, verdict FROM checks ORDER BY url").fetchall()


def _finished(db: Path) -> list[str | None]:
    with sqlite3.connect(db) as raw:
        return [row[0] for row in raw.execute("SELECT finished_at FROM runs ORDER BY id")]


def _wait_for_rows(db: Path, count: int) -> list[tuple[str, str]]:
    deadline = time.monotonic() + 10
    while len(rows := _rows(db)) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return rows


def test_rows_are_committed_as_results_come_and_rewritten_when_the_run_changes_them(
    tmp_path: Path,
) -> None:
    db = tmp_path / "history.sqlite"
    results = [LinkResult(f"https://a.example/{n}", Verdict.OK) for n in range(5)]
    with History.open(db) as history:
        writing = recorder.Recorder(history, NOW, "test", batch=2)
        for result in results:
            writing.add(result)
        # Two whole batches are committed while the run is still going; the fifth row waits
        # for its batch, and the run is not finished.
        assert len(_wait_for_rows(db, 4)) == 4
        assert _finished(db) == [None]
        # The rest of the run turned one page into `changed` and found one more URL.
        changed = results[1].evolve(verdict=Verdict.CHANGED)
        extra = LinkResult("https://b.example/", Verdict.BROKEN, status=404)
        final = [results[0], changed, *results[2:], extra]
        left = writing.finish(final)
        assert sorted(url for _, url, *_ in left) == sorted(
            [results[4].url, changed.url, extra.url]
        )
        history.finish_run(writing.run_id, NOW, rows=left)
        writing.close()  # after finish: nothing left to do
    assert _rows(db) == sorted((r.url, r.verdict.value) for r in final)
    assert _finished(db) == ["2026-11-22T02:00:00Z"]


def test_a_write_that_fails_is_raised_when_the_run_finishes(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    with History.open(db) as history:
        with sqlite3.connect(db) as raw:
            raw.execute(
                "CREATE TRIGGER no_checks BEFORE INSERT ON checks"
                " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
            )
        writing = recorder.Recorder(history, NOW, "test", batch=1)
        result = LinkResult("https://a.example/", Verdict.OK)
        writing.add(result)
        writing.add(LinkResult("https://b.example/", Verdict.OK))  # after the failure
        with pytest.raises(sqlite3.Error, match="disk on fire"):
            writing.finish([result])
        writing.close()
    assert _finished(db) == [None]  # never finished: the run counts for nothing


def test_pipeline_records_checks_while_it_still_checks(zoo: Zoo, tmp_path: Path) -> None:
    urls = [zoo.url(f"/ok?n={n}", f"r{n}.test") for n in range(8)]
    guide = tmp_path / "g.yaml"
    guide.write_text(
        "id: g\nresources:\n"
        + "".join(f"- id: r{n}\n  url: {url}\n" for n, url in enumerate(urls)),
        encoding="utf-8",
    )
    db = tmp_path / "history.sqlite"
    seen_during: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == 6:  # on the event loop, two URLs still to go: three batches of two are due
            seen_during.append(len(_wait_for_rows(db, 6)))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recorder, "BATCH", 2)
        run = pipeline.run(
            Request(
                paths=[str(guide)],
                options=zoo.options().replace(probe_soft_404=False),
                settings=HealthSettings(),
                now=NOW,
                baseline_path=tmp_path / "baseline.json",
                state_path=db,
                resolver=zoo.resolver(),
                progress=progress,
            )
        )
    assert seen_during == [6]
    assert {result.verdict for result in run.outcome.results} == {Verdict.OK}
    assert _rows(db) == sorted((url, "ok") for url in urls)
    assert _finished(db) == ["2026-11-22T02:00:00Z"]


KILLED = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from guidelint.links.history import History
    from guidelint.links.model import LinkResult, Verdict
    from guidelint.links.recorder import Recorder

    history = History.open(Path(sys.argv[1]))
    writing = Recorder(history, datetime(2026, 11, 1, tzinfo=UTC), "test", batch=7)
    print(writing.run_id, flush=True)
    for i in range(10_000_000):
        writing.add(LinkResult(f"https://example.org/{i}", Verdict.OK, elapsed_ms=i))
    """
)


def test_kill_9_while_recording_keeps_whole_batches_and_an_unfinished_run(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(db)], stdout=subprocess.PIPE, env=env
    )
    try:
        assert process.stdout is not None
        run = int(process.stdout.readline())
        _wait_for_rows(db, 7)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=5)
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        elapsed = [
            row[0]
            for row in raw.execute(
                "SELECT elapsed_ms FROM checks WHERE run_id = ? ORDER BY elapsed_ms", (run,)
            )
        ]
    # Batches are committed whole and in order: a prefix of what was added.
    assert elapsed and elapsed == list(range(len(elapsed)))
    assert len(elapsed) % 7 == 0
    assert _finished(db) == [None]
