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


def test_a_recovery_after_runs_without_the_url_is_still_a_recovery(tmp_path: Path) -> None:
    # The latest runs hold one outcome of the URL: the failures before them still count.
    verdicts = [DEAD, DEAD, *[None] * 7, OK]
    with _runs(tmp_path / "h.sqlite", verdicts) as history:
        assert _latest(history) == (0, False, None, Transition.RECOVERED, False)
    with _runs(tmp_path / "b.sqlite", [OK, DEAD, *[BLOCKED] * 7, DEAD], days=1) as history:
        assert _latest(history)[:3] == (2, False, "2026-11-02T03:00:00Z")


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


def _random_history(db: Path, seed: int) -> tuple[History, list[str], list[int]]:
    """Runs finished, interrupted and offline, with every kind of verdict and gaps.

    Some URLs fail for long streaks, some alternate, some are mostly blocked, one is
    recorded by a newer guidelint with a verdict this one doesn't know.
    """
    rng = random.Random(seed)
    urls = [f"https://site{i}.example/" for i in range(30)]
    styles = ["steady", "dead", "alternating", "blocked", "sparse"]
    history = History.open(db)
    now = START
    run_ids = []
    for _ in range(20):
        now += timedelta(days=rng.choice([0.3, 1, 1, 2, 7]))
        run = history.start_run(now)
        run_ids.append(run)
        results = []
        for index, url in enumerate(urls):
            style = styles[index % len(styles)]
            if style == "sparse" and rng.random() < 0.6:
                continue  # not checked in this run (e.g. an --accept run)
            if style == "dead":
                verdict = Verdict.BROKEN if rng.random() < 0.9 else Verdict.TIMEOUT
            elif style == "alternating":
                verdict = rng.choice([OK, DEAD])
            elif style == "blocked":
                verdict = rng.choice([BLOCKED, BLOCKED, Verdict.SKIPPED, Verdict.ERROR, OK, DEAD])
            else:
                verdict = OK if rng.random() < 0.85 else rng.choice([DEAD, BLOCKED])
            results.append(LinkResult(url, verdict))
        history.record_many(run, results, now, batch=rng.randint(1, 30))
        if rng.random() < 0.15:
            continue  # interrupted: never finished
        history.finish_run(run, now, offline=rng.random() < 0.15)
    with sqlite3.connect(db) as raw:
        raw.execute(
            "INSERT OR REPLACE INTO checks (run_id, url, checked_at, verdict, dead, attempts,"
            " elapsed_ms) VALUES (?, ?, ?, 'from-the-future', 1, 1, 0)",
            (run_ids[-1], urls[0], "2030-01-01T00:00:00Z"),
        )
    return history, urls, run_ids


@pytest.mark.parametrize("seed", range(6))
def test_batched_assessment_equals_one_url_at_a_time(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import history as module

    monkeypatch.setattr(module, "_CHUNK", 7)  # several chunks, one of them short
    history, urls, run_ids = _random_history(tmp_path / "h.sqlite", seed)
    wanted = [*urls, "https://never.example/"]
    variants = [
        HistorySettings(),
        HistorySettings(confirm_runs=2, confirm_days=0.5, flaky_window=2, flaky_switches=1),
        HistorySettings(confirm_runs=5, confirm_days=10, flaky_window=9, flaky_switches=2),
    ]
    with history:
        for run in run_ids:
            for settings in variants:
                expected = {
                    url: module.assess(
                        [outcome for outcome in history.outcomes(url) if outcome.run_id <= run],
                        run,
                        settings,
                    )
                    for url in wanted
                }
                assert history.assess_many(wanted, run, settings) == expected
        # Not vacuous: the histories hold every kind of health.
        everything = [
            health
            for run in run_ids
            for health in history.assess_many(wanted, run, variants[0]).values()
        ]
        assert any(health.confirmed for health in everything)
        assert any(health.flaky for health in everything)
        assert {health.transition for health in everything} == {None, *Transition}


@pytest.mark.parametrize("seed", range(4))
def test_batched_timelines_equal_one_url_at_a_time(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import history as module

    monkeypatch.setattr(module, "_CHUNK", 7)
    history, urls, _ = _random_history(tmp_path / "h.sqlite", seed)
    wanted = [*urls, "https://never.example/"]
    with history, sqlite3.connect(tmp_path / "h.sqlite") as raw:
        for limit in (1, 3, 12, 40):
            expected = {
                url: list(
                    reversed(
                        raw.execute(
                            "SELECT checks.checked_at, checks.verdict FROM checks"
                            " JOIN runs ON runs.id = checks.run_id"
                            " WHERE checks.url = ? AND runs.finished_at IS NOT NULL"
                            " ORDER BY checks.run_id DESC LIMIT ?",
                            (url, limit),
                        ).fetchall()
                    )
                )
                for url in wanted
            }
            assert history.timelines(wanted, limit) == expected
            assert history.timeline(urls[4], limit) == expected[urls[4]]
        assert any(len(timeline) == 12 for timeline in history.timelines(urls).values())


def test_a_database_from_before_the_covering_index_opens_and_gains_it(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with _runs(db, [OK, DEAD, DEAD]):
        pass
    with sqlite3.connect(db) as raw:  # as guidelint wrote it before: schema 1, the old index
        raw.execute("DROP INDEX checks_by_url_run")
        raw.execute("CREATE INDEX checks_by_url ON checks (url, run_id)")

    def indexes() -> list[str]:
        with sqlite3.connect(db) as raw:
            rows = raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
            return sorted(name for (name,) in rows)

    assert indexes() == ["checks_by_url"]
    with History.open(db) as history:
        assert indexes() == ["checks_by_url_run"]
        assert _latest(history)[:1] == (2,)
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (1,)  # older versions still open it
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT url, checked_at, verdict FROM checks"
            " WHERE url IN (?, ?) AND run_id >= ?",
            (URL, URL, 0),
        ).fetchall()
        assert "COVERING INDEX checks_by_url_run" in str(plan)
