"""The SQLite run history: streaks, confirmation, transitions, flakiness, and kill -9."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from guidelint.links.history import History, HistoryError, HistorySettings
from guidelint.links.model import LinkResult, Transition, Verdict

URL = "https://help.example.org/"
START = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def _runs(db: Path, verdicts: Sequence[Verdict | None], days: float = 1.0) -> History:
    """One finished run per verdict, `days` apart (None: the URL was not checked)."""
    history = History.open(db)
    for index, verdict in enumerate(verdicts):
        now = START + timedelta(days=index * days)
        run = history.start_run(now)
        if verdict is not None:
            history.record(run, LinkResult(URL, verdict, status=404), now)
        history.finish_run(run, now)
    return history


def _latest(
    history: History, settings: HistorySettings | None = None
) -> tuple[int, bool, str | None, Transition | None, bool]:
    run_id = history.runs()[-1][0]
    health = history.assess(URL, run_id, settings)
    return health.streak, health.confirmed, health.failing_since, health.transition, health.flaky


OK, DEAD, BLOCKED = Verdict.OK, Verdict.BROKEN, Verdict.BLOCKED


def test_first_failure_is_new_and_not_confirmed(tmp_path: Path) -> None:
    with _runs(tmp_path / "h.sqlite", [OK, DEAD]) as history:
        assert _latest(history) == (1, False, "2026-11-02T03:00:00Z", Transition.NEW_FAILURE, False)


def test_confirmed_after_three_failures_spanning_three_days(tmp_path: Path) -> None:
    with _runs(tmp_path / "a.sqlite", [OK, DEAD, DEAD, DEAD], days=1.5) as history:
        streak, confirmed, since, transition, _ = _latest(history)
        assert (streak, confirmed, transition) == (3, True, Transition.STILL_FAILING)
        assert since == "2026-11-02T15:00:00Z"
    # Three failures within a day and a half are not enough time.
    with _runs(tmp_path / "b.sqlite", [DEAD, DEAD, DEAD], days=0.75) as history:
        assert _latest(history)[:2] == (3, False)
    # Two failures are not enough runs, however far apart.
    with _runs(tmp_path / "c.sqlite", [DEAD, DEAD], days=10) as history:
        assert _latest(history)[:2] == (2, False)


def test_thresholds_are_configurable(tmp_path: Path) -> None:
    with _runs(tmp_path / "h.sqlite", [DEAD, DEAD], days=0.5) as history:
        assert _latest(history, HistorySettings(confirm_runs=2, confirm_days=0.5))[1] is True
        assert _latest(history, HistorySettings(confirm_runs=2, confirm_days=0.6))[1] is False


def test_recovery_ends_the_streak(tmp_path: Path) -> None:
    with _runs(tmp_path / "h.sqlite", [DEAD, DEAD, DEAD, DEAD, OK], days=2) as history:
        assert _latest(history) == (0, False, None, Transition.RECOVERED, False)


def test_blocked_and_unchecked_runs_neither_count_nor_break_a_streak(tmp_path: Path) -> None:
    verdicts = [OK, DEAD, BLOCKED, None, DEAD, Verdict.SKIPPED, DEAD]
    with _runs(tmp_path / "h.sqlite", verdicts, days=1) as history:
        streak, confirmed, since, transition, _ = _latest(history)
        assert (streak, confirmed, since) == (3, True, "2026-11-02T03:00:00Z")
        assert transition is Transition.STILL_FAILING
    with _runs(tmp_path / "b.sqlite", [DEAD, BLOCKED], days=1) as history:
        # The latest run says nothing about the URL: no transition to report.
        assert _latest(history)[3] is None


def test_interrupted_and_offline_runs_do_not_count(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    with History.open(db) as history:
        for day, finish, offline in ((0, True, False), (2, False, False), (3, True, True)):
            now = START + timedelta(days=day)
            run = history.start_run(now)
            history.record(run, LinkResult(URL, DEAD), now)
            if finish:
                history.finish_run(run, now, offline=offline)
        now = START + timedelta(days=4)
        run = history.start_run(now)
        history.record(run, LinkResult(URL, DEAD), now)
        history.finish_run(run, now)
        health = history.assess(URL, run)
        assert (health.streak, health.confirmed) == (2, False)
        assert health.failing_since == "2026-11-01T03:00:00Z"
        assert [finished is not None for _, _, finished, _ in history.runs()] == [
            True,
            False,
            True,
            True,
        ]


def test_flaky_links_alternate(tmp_path: Path) -> None:
    with _runs(tmp_path / "a.sqlite", [OK, DEAD, OK, DEAD, OK, DEAD]) as history:
        assert _latest(history)[4] is True
    with _runs(tmp_path / "b.sqlite", [OK, OK, OK, DEAD, DEAD, DEAD]) as history:
        assert _latest(history)[4] is False
    # Alternation that has scrolled out of the window no longer counts.
    with _runs(tmp_path / "c.sqlite", [OK, DEAD, OK, DEAD, OK, OK, OK, OK, OK, OK]) as history:
        assert _latest(history)[4] is False


def test_timeline_and_run_totals_for_plots(tmp_path: Path) -> None:
    with _runs(tmp_path / "h.sqlite", [OK, DEAD, BLOCKED, None, OK]) as history:
        run = history.start_run(START + timedelta(days=9))
        history.record(run, LinkResult(URL, DEAD), START)  # unfinished: not shown
        assert history.timeline(URL, limit=3) == [
            ("2026-11-02T03:00:00Z", "broken"),
            ("2026-11-03T03:00:00Z", "blocked"),
            ("2026-11-05T03:00:00Z", "ok"),
        ]
        totals = history.run_totals()
        assert len(totals) == 5
        assert totals[1] == ("2026-11-02T03:00:00Z", False, {"broken": 1})
        assert totals[3] == ("2026-11-04T03:00:00Z", False, {})


def test_checks_are_recorded_completely(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    with History.open(db) as history:
        run = history.start_run(START)
        result = LinkResult(
            URL,
            Verdict.SERVER_ERROR,
            status=503,
            final_url=URL + "x",
            attempts=3,
            elapsed_ms=1234,
            error="HTTP 503 after 3 attempts",
        )
        history.record_many(
            run, [result] + [LinkResult(f"{URL}{i}", OK) for i in range(60)], START, batch=7
        )
        history.finish_run(run, START + timedelta(minutes=5))
    with sqlite3.connect(db) as raw:
        row = raw.execute(
            "SELECT run_id, url, checked_at, verdict, dead, status, final_url, attempts, elapsed_ms,"
            " error FROM checks WHERE url = ?",
            (URL,),
        ).fetchone()
        assert row == (
            1,
            URL,
            "2026-11-01T03:00:00Z",
            "server-error",
            1,
            503,
            URL + "x",
            3,
            1234,
            "HTTP 503 after 3 attempts",
        )
        assert raw.execute("SELECT count(*) FROM checks").fetchone() == (61,)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA user_version").fetchone() == (1,)


def test_newer_schema_and_garbage_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite"
    with sqlite3.connect(newer) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="newer than this guidelint"):
        History.open(newer)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="not a usable history database"):
        History.open(garbage)


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from guidelint.links.history import History
    from guidelint.links.model import LinkResult, Verdict

    VERDICTS = list(Verdict)
    history = History.open(Path(sys.argv[1]))
    now = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=int(sys.argv[2]))
    run = history.start_run(now)
    print(run, flush=True)
    for i in range(1_000_000):
        verdict = VERDICTS[i % len(VERDICTS)]
        result = LinkResult(
            f"https://example.org/{i}", verdict, status=100 + i % 500, attempts=1 + i % 4,
            elapsed_ms=i, error="e" * (i % 300), final_url=f"https://example.org/{i}/final",
        )
        if i % 3:
            history.record(run, result, now)
        else:
            history.record_many(run, [result], now, batch=5)
    """
)


def _expected_row(run: int, i: int, day: int) -> tuple[object, ...]:
    verdict = list(Verdict)[i % len(Verdict)]
    stamp = (datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        run,
        f"https://example.org/{i}",
        stamp,
        verdict.value,
        int(verdict.dead),
        100 + i % 500,
        f"https://example.org/{i}/final",
        1 + i % 4,
        i,
        "e" * (i % 300),
    )


def test_kill_9_leaves_a_consistent_database(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    deadline = time.monotonic() + 10
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    kills = committed = 0
    for day in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(day)], stdout=subprocess.PIPE, env=env
        )
        try:
            assert process.stdout is not None
            run = int(process.stdout.readline())
            time.sleep(random.uniform(0.02, 0.25))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=5)
        kills += process.returncode == -signal.SIGKILL
        with sqlite3.connect(db) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            rows = raw.execute(
                "SELECT run_id, url, checked_at, verdict, dead, status, final_url, attempts,"
                " elapsed_ms, error FROM checks WHERE run_id = ? ORDER BY elapsed_ms",
                (run,),
            ).fetchall()
            # Every committed check is whole, and nothing before the last one is missing.
            assert rows == [_expected_row(run, i, day) for i in range(len(rows))]
            committed += len(rows)
            assert raw.execute("SELECT finished_at FROM runs WHERE id = ?", (run,)).fetchone() == (
                None,
            )
        assert time.monotonic() < deadline
    assert kills == 5
    assert committed > 0  # the kills landed while checks were being written
    # The killed runs stay unfinished and count for nothing; the next run works normally.
    with History.open(db) as history:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        run = history.start_run(now)
        history.record(run, LinkResult("https://example.org/1", Verdict.BROKEN), now)
        history.finish_run(run, now)
        health = history.assess("https://example.org/1", run)
        assert (health.streak, health.transition) == (1, Transition.NEW_FAILURE)
        assert [finished is None for _, _, finished, _ in history.runs()] == [True] * 5 + [False]
