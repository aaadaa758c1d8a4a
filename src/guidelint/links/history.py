"""The run history: every run and every check, in SQLite, surviving a kill at any moment.

One bad night must not page anybody, and a real death must be confirmed and tracked; both
need memory across runs. The database (default `.guidelint/links-history.sqlite`) holds

- `runs`: one row per run, `finished_at` set only when the run completed; an interrupted
  run keeps the checks it recorded but never counts as evidence;
- `checks`: one row per URL per run: verdict, dead flag, status, final URL, attempts,
  timing and error.

It runs in WAL mode with `synchronous=FULL`, and every check is committed in its own short
transaction (or in small batches), so `kill -9` at any point leaves a consistent database
holding everything recorded before it. The schema version lives in `PRAGMA user_version`;
a database from a newer guidelint is refused rather than misread.

From the finished, online runs it derives, per URL (`History.assess`):

- `failing_since`: when the current streak of failures began;
- `confirmed`: the streak has at least N failures spanning at least D days (defaults 3 and
  3, like the Internet Archive's link checker);
- the transition of the latest run: new failure, still failing, recovered;
- `flaky`: alive and dead alternated at least S times over the last K outcomes.

Only dead verdicts are failures. `blocked`, `skipped` and `error` say nothing about the
page and are ignored, so a bot wall neither confirms nor breaks a streak. A run flagged
offline (the checker itself had no network) is ignored the same way.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from guidelint.links.clock import parse_stamp, utc_stamp
from guidelint.links.model import LinkResult, Transition, Verdict

SCHEMA_VERSION: Final = 1
DEFAULT_PATH: Final = Path(".guidelint/links-history.sqlite")
BATCH: Final = 25

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),
    tool_version TEXT
);
CREATE TABLE IF NOT EXISTS checks (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    verdict TEXT NOT NULL,
    dead INTEGER NOT NULL CHECK (dead IN (0, 1)),
    status INTEGER,
    final_url TEXT,
    attempts INTEGER NOT NULL,
    elapsed_ms INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (run_id, url)
);
CREATE INDEX IF NOT EXISTS checks_by_url ON checks (url, run_id);
"""

#: Verdicts that tell nothing about whether the page is alive.
_NO_EVIDENCE: Final = frozenset({Verdict.BLOCKED, Verdict.SKIPPED, Verdict.ERROR})


class HistoryError(Exception):
    """The history database cannot be used; the message names the file."""


@dataclass(frozen=True)
class HistorySettings:
    confirm_runs: int = 3
    confirm_days: float = 3.0
    flaky_window: int = 6
    flaky_switches: int = 3


@dataclass(frozen=True)
class Health:
    """What the history says about one URL after the latest finished run."""

    confirmed: bool = False
    failing_since: str | None = None
    transition: Transition | None = None
    flaky: bool = False
    streak: int = 0  # consecutive failed runs, latest included


@dataclass(frozen=True)
class Outcome:
    run_id: int
    checked_at: str
    failed: bool


class History:
    """An open history database. Use as a context manager, or call `close()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> History:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are opened explicitly and kept short.
            db = sqlite3.connect(path, timeout=10.0, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(f"{path}: cannot open the history database: {error}") from error
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"{path}: history schema version {version} is newer than this guidelint "
                    f"understands ({SCHEMA_VERSION}); upgrade guidelint"
                )
            if version < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                # executescript() would commit the open transaction first; run each DDL
                # statement inside it instead, so a half-created schema is never visible.
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            db.close()
            raise HistoryError(
                f"{path}: not a usable history database ({error}); move it aside to start afresh"
            ) from error
        except HistoryError:
            db.close()
            raise
        return cls(db, path)

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def start_run(self, now: datetime, tool_version: str | None = None) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, tool_version) VALUES (?, ?)",
                (utc_stamp(now), tool_version),
            )
        run_id = cursor.lastrowid
        assert run_id is not None
        return run_id

    def record(self, run_id: int, result: LinkResult, now: datetime) -> None:
        """Commit one check in its own transaction."""
        self.record_many(run_id, [result], now, batch=1)

    def record_many(
        self, run_id: int, results: Iterable[LinkResult], now: datetime, batch: int = BATCH
    ) -> None:
        """Commit checks in small transactions: a kill loses at most the open batch."""
        pending: list[tuple[object, ...]] = []
        stamp = utc_stamp(now)
        for result in results:
            pending.append(
                (
                    run_id,
                    result.url,
                    stamp,
                    result.verdict.value,
                    int(result.dead),
                    result.status,
                    result.final_url,
                    result.attempts,
                    result.elapsed_ms,
                    result.error,
                )
            )
            if len(pending) >= batch:
                self._insert(pending)
                pending = []
        if pending:
            self._insert(pending)

    def _insert(self, rows: list[tuple[object, ...]]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO checks (run_id, url, checked_at, verdict, dead, status,"
                " final_url, attempts, elapsed_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def finish_run(self, run_id: int, now: datetime, *, offline: bool = False) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, offline = ? WHERE id = ?",
                (utc_stamp(now), int(offline), run_id),
            )

    def outcomes(self, url: str) -> list[Outcome]:
        """The URL's evidence, oldest first: finished online runs, verdicts that say something."""
        rows = self._db.execute(
            "SELECT checks.run_id, checks.checked_at, checks.verdict, checks.dead"
            " FROM checks JOIN runs ON runs.id = checks.run_id"
            " WHERE checks.url = ? AND runs.finished_at IS NOT NULL AND runs.offline = 0"
            " ORDER BY checks.run_id",
            (url,),
        ).fetchall()
        out = []
        for run_id, checked_at, verdict, dead in rows:
            try:
                if Verdict(verdict) in _NO_EVIDENCE:
                    continue
            except ValueError:  # a verdict this version doesn't know: no evidence either way
                continue
            out.append(Outcome(run_id, checked_at, bool(dead)))
        return out

    def assess(self, url: str, run_id: int, settings: HistorySettings | None = None) -> Health:
        """The URL's health as of run `run_id` (which must be finished to count)."""
        settings = settings or HistorySettings()
        evidence = [outcome for outcome in self.outcomes(url) if outcome.run_id <= run_id]
        return assess(evidence, run_id, settings)

    def timeline(self, url: str, limit: int = 12) -> list[tuple[str, str]]:
        """(checked_at, verdict) of the URL in its latest finished runs, oldest first.

        For sparklines in reports; unlike `outcomes`, it keeps every verdict.
        """
        rows = self._db.execute(
            "SELECT checks.checked_at, checks.verdict FROM checks"
            " JOIN runs ON runs.id = checks.run_id"
            " WHERE checks.url = ? AND runs.finished_at IS NOT NULL"
            " ORDER BY checks.run_id DESC LIMIT ?",
            (url, limit),
        ).fetchall()
        return [(checked_at, verdict) for checked_at, verdict in reversed(rows)]

    def run_totals(self, limit: int = 26) -> list[tuple[str, bool, dict[str, int]]]:
        """(started_at, offline, {verdict: count}) of the latest finished runs, oldest first.

        For a plot of link health over time (26 weekly runs: half a year).
        """
        runs = self._db.execute(
            "SELECT id, started_at, offline FROM runs WHERE finished_at IS NOT NULL"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        out = []
        for run_id, started_at, offline in reversed(runs):
            counts = dict(
                self._db.execute(
                    "SELECT verdict, count(*) FROM checks WHERE run_id = ?"
                    " GROUP BY verdict ORDER BY verdict",
                    (run_id,),
                ).fetchall()
            )
            out.append((started_at, bool(offline), counts))
        return out

    def runs(self) -> list[tuple[int, str, str | None, bool]]:
        """(id, started_at, finished_at, offline) of every run, oldest first."""
        return [
            (run_id, started, finished, bool(offline))
            for run_id, started, finished, offline in self._db.execute(
                "SELECT id, started_at, finished_at, offline FROM runs ORDER BY id"
            )
        ]


def assess(evidence: list[Outcome], run_id: int, settings: HistorySettings) -> Health:
    """Health from a URL's evidence (oldest first); `run_id` is the run being reported."""
    if not evidence:
        return Health()
    streak: list[Outcome] = []
    for outcome in reversed(evidence):
        if not outcome.failed:
            break
        streak.append(outcome)
    streak.reverse()
    latest = evidence[-1]
    transition = None
    if latest.run_id == run_id:
        previous = evidence[-2] if len(evidence) > 1 else None
        if latest.failed:
            still = previous is not None and previous.failed
            transition = Transition.STILL_FAILING if still else Transition.NEW_FAILURE
        elif previous is not None and previous.failed:
            transition = Transition.RECOVERED
    confirmed = False
    if streak and len(streak) >= settings.confirm_runs:
        span = parse_stamp(streak[-1].checked_at) - parse_stamp(streak[0].checked_at)
        confirmed = span >= timedelta(days=settings.confirm_days)
    window = evidence[-settings.flaky_window :] if settings.flaky_window > 0 else []
    switches = sum(1 for a, b in itertools.pairwise(window) if a.failed != b.failed)
    return Health(
        confirmed=confirmed,
        failing_since=streak[0].checked_at if streak else None,
        transition=transition,
        flaky=settings.flaky_switches > 0 and switches >= settings.flaky_switches,
        streak=len(streak),
    )
