"""The run history: every run and every check, in SQLite, surviving a kill at any moment.

One bad night must not page anybody, and a real death must be confirmed and tracked; both
need memory across runs. The database (default `.guidelint/links-history.sqlite`) holds

- `runs`: one row per run, `finished_at` set only when the run completed; an interrupted
  run keeps the checks it recorded but never counts as evidence;
- `checks`: one row per URL per run: verdict, dead flag, status, final URL, attempts,
  timing and error.

It runs in WAL mode with `synchronous=FULL`, and checks are committed in transactions of up
to `BATCH` rows, so `kill -9` at any point leaves a consistent database holding everything
committed before it (a run killed while recording never gets `finished_at`, so what it did
record is kept but never counts as evidence). The schema version lives in `PRAGMA user_version`;
a database from a newer guidelint is refused rather than misread.

From the finished, online runs it derives, per URL (`History.assess`, or `assess_many` for
a whole run in a few queries):

- `failing_since`: when the current streak of failures began;
- `confirmed`: the streak has at least N failures spanning at least D days (defaults 3 and
  3, like the Internet Archive's link checker);
- the transition of the latest run: new failure, still failing, recovered;
- `flaky`: alive and dead alternated at least S times over the last K outcomes.

Failures are the verdicts `model.FAILURES` names: the dead ones, and those that are dead
only when they last (`unavailable`: a site down for maintenance this week is not dead, one
down for three weeks is). The stored `dead` column says what that run reported; streaks are
read from the verdict, so a lasting verdict counts from its first run on. `blocked`,
`skipped` and `error` say nothing about the page and are ignored, so a bot wall neither
confirms nor breaks a streak. A run flagged
offline (the checker itself had no network) is ignored the same way.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from guidelint.bounded import FileRefused, check_regular
from guidelint.links.checkrows import INSERT_ROWS, Row, insert_rows, row
from guidelint.links.clock import parse_stamp, utc_stamp
from guidelint.links.model import FAILURES, LinkResult, Transition, Verdict
from guidelint.links.settings import HistorySettings as HistorySettings

SCHEMA_VERSION: Final = 1
DEFAULT_PATH: Final = Path(".guidelint/links-history.sqlite")
# A run's checks arrive together once the run is over, so one transaction per few thousand
# rows loses nothing a smaller one would keep; 400 commits of 25 rows took half a second.
BATCH: Final = 5000

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
"""

#: What the history reads back per URL is all in this index, in URL and run order: a URL's
#: latest runs are a few adjacent index entries rather than a table row per run, scattered
#: run by run. It replaced `checks_by_url (url, run_id)`; older databases get it when they
#: are opened, staying at schema version 1 (an older guidelint can still use them).
_URL_INDEX: Final = "checks_by_url_run"
_URL_INDEX_SQL: Final = (
    f"CREATE INDEX IF NOT EXISTS {_URL_INDEX} ON checks (url, run_id, verdict, dead, checked_at)"
)

#: Verdicts that say whether the page is alive (`VerdictInfo.evidence`), as stored; a
#: verdict this version doesn't know is no evidence either way.
_EVIDENCE: Final = tuple(verdict.value for verdict in Verdict if verdict.info.evidence)
#: Whether a stored check is a failure (`model.FAILURES`), as SQL over our own verdict names.
_FAILED: Final = "(checks.verdict IN ({}))".format(
    ", ".join(f"'{verdict.value}'" for verdict in sorted(FAILURES, key=lambda v: v.value))
)
_FAILED_VALUES: Final = frozenset(verdict.value for verdict in FAILURES)
#: URLs per batched query: SQLite before 3.32 allows 999 parameters in all.
_CHUNK: Final = 500


class HistoryError(Exception):
    """The history database cannot be used; the message names the file."""


_SQLITE_HEADER: Final = b"SQLite format 3\x00"


def _vet(path: Path) -> None:
    """Refuse, before SQLite opens it, a path that is not a (possibly empty) SQLite file.

    SQLite would block on a FIFO and report a device or a text file only as it reads.
    """
    try:
        exists = check_regular(path, "history database")
    except FileRefused as error:
        raise HistoryError(str(error)) from None
    if not exists:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise HistoryError(f"{path}: cannot read the history database: {error}") from None
    if header and header != _SQLITE_HEADER:
        raise HistoryError(
            f"{path}: not a usable history database (not SQLite); point --state at the "
            "history file, or move this file aside to start afresh"
        )


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
        _vet(path)
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
            index = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?"
            if db.execute(index, (_URL_INDEX,)).fetchone() is None:
                db.execute("BEGIN IMMEDIATE")
                db.execute(_URL_INDEX_SQL)
                db.execute("DROP INDEX IF EXISTS checks_by_url")
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
        """Commit checks in transactions of `batch` rows: a kill loses at most the open one."""
        pending: list[Row] = []
        stamp = utc_stamp(now)
        for result in results:
            pending.append(row(run_id, result, stamp))
            if len(pending) >= batch:
                insert_rows(self._db, pending)
                pending = []
        if pending:
            insert_rows(self._db, pending)

    def connect(self) -> sqlite3.Connection:
        """Another connection to this database, set up as `open` sets up its own: for a
        thread that writes while this one reads (`links.recorder`)."""
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def finish_run(
        self, run_id: int, now: datetime, *, offline: bool = False, rows: Sequence[Row] = ()
    ) -> None:
        """Mark the run finished, with its last `rows` (made by `checkrows.row`) in the same
        transaction: one commit, one wait for the disk, at the end of a run."""
        with self._transaction() as db:
            if rows:
                db.executemany(INSERT_ROWS, rows)
            db.execute(
                "UPDATE runs SET finished_at = ?, offline = ? WHERE id = ?",
                (utc_stamp(now), int(offline), run_id),
            )

    def outcomes(self, url: str) -> list[Outcome]:
        """The URL's evidence, oldest first: finished online runs, verdicts that say something."""
        rows = self._db.execute(
            "SELECT checks.run_id, checks.checked_at, checks.verdict"
            " FROM checks JOIN runs ON runs.id = checks.run_id"
            " WHERE checks.url = ? AND runs.finished_at IS NOT NULL AND runs.offline = 0"
            " ORDER BY checks.run_id",
            (url,),
        ).fetchall()
        out = []
        for run_id, checked_at, verdict in rows:
            if verdict not in _EVIDENCE:
                continue
            out.append(Outcome(run_id, checked_at, verdict in _FAILED_VALUES))
        return out

    def assess(self, url: str, run_id: int, settings: HistorySettings | None = None) -> Health:
        """The URL's health as of run `run_id` (which must be finished to count)."""
        return self.assess_many([url], run_id, settings)[url]

    def assess_many(
        self, urls: Iterable[str], run_id: int, settings: HistorySettings | None = None
    ) -> dict[str, Health]:
        """`assess` for many URLs, with a few queries in all rather than one per URL."""
        settings = settings or HistorySettings()
        # `assess` looks at the failure streak and the latest `keep` outcomes, so the latest
        # `keep` runs say all there is about most URLs. Counting there first settles those
        # without a failure (healthy, however long their history) without reading a row.
        # The others read their outcomes there, and older ones only when the window holds
        # no success or too few outcomes: a history of years costs about what a month does.
        keep = max(settings.flaky_window, 2)
        cutoff = self._cutoff(keep, online_until=run_id)
        window = ("checks.run_id BETWEEN ? AND ?", (cutoff, run_id))
        wanted = list(dict.fromkeys(urls))
        counts = {
            url: (outcomes, failures)
            for url, outcomes, failures in self._evidence(
                f"count(*), sum({_FAILED})", wanted, *window, tail="GROUP BY checks.url"
            )
        }
        healthy = Health()
        healths: dict[str, Health] = {}
        evidence: dict[str, list[Outcome]] = {}
        for url in wanted:
            outcomes, failures = counts.get(url, (0, 0))
            if failures or (cutoff and outcomes < keep):
                evidence[url] = []
            else:
                healths[url] = healthy
        self._read_outcomes(evidence, *window)
        if cutoff:
            older: dict[str, list[Outcome]] = {
                url: []
                for url, found in evidence.items()
                if len(found) < keep or all(outcome.failed for outcome in found)
            }
            self._read_outcomes(older, "checks.run_id < ?", (cutoff,))
            for url, found in older.items():
                evidence[url][:0] = found
        healths.update((url, assess(found, run_id, settings)) for url, found in evidence.items())
        return healths

    def _read_outcomes(
        self, into: dict[str, list[Outcome]], where: str, params: tuple[object, ...]
    ) -> None:
        columns = f"checks.run_id, checks.checked_at, {_FAILED}"
        for url, run, checked_at, failed in self._evidence(columns, list(into), where, params):
            into[url].append(Outcome(run, checked_at, bool(failed)))

    def _evidence(
        self,
        columns: str,
        urls: list[str],
        where: str,
        params: tuple[object, ...],
        tail: str = "ORDER BY checks.url, checks.run_id",
    ) -> Iterator[tuple[Any, ...]]:
        """`_select` of the checks that are evidence: online runs, verdicts that say something."""
        where += f" AND runs.offline = 0 AND checks.verdict IN ({_marks(len(_EVIDENCE))})"
        return self._select(columns, urls, where, (*params, *_EVIDENCE), tail)

    def timeline(self, url: str, limit: int = 12) -> list[tuple[str, str]]:
        """(checked_at, verdict) of the URL in its latest finished runs, oldest first.

        For sparklines in reports; unlike `outcomes`, it keeps every verdict.
        """
        return self.timelines([url], limit)[url]

    def timelines(self, urls: Iterable[str], limit: int = 12) -> dict[str, list[tuple[str, str]]]:
        """`timeline` for many URLs, with a few queries in all rather than one per URL."""
        if limit < 1:
            raise ValueError(f"a timeline needs at least one run, not {limit}")
        # As in `assess_many`: the latest runs first, older ones only for URLs they lack.
        cutoff = self._cutoff(limit)
        out: dict[str, list[tuple[str, str]]] = {url: [] for url in urls}
        columns = "checks.checked_at, checks.verdict"
        for url, checked_at, verdict in self._select(
            columns, list(out), "checks.run_id >= ?", (cutoff,)
        ):
            out[url].append((checked_at, verdict))
        if cutoff:
            short = [url for url, found in out.items() if len(found) < limit]
            older: dict[str, list[tuple[str, str]]] = {url: [] for url in short}
            for url, checked_at, verdict in self._select(
                columns, short, "checks.run_id < ?", (cutoff,)
            ):
                older[url].append((checked_at, verdict))
            for url, found in older.items():
                missing = limit - len(out[url])
                out[url][:0] = found[-missing:]
        return out

    def _cutoff(self, runs: int, online_until: int | None = None) -> int:
        """Id of the `runs`-th latest finished run (online, up to `online_until` if given); 0
        when there are fewer."""
        where = "finished_at IS NOT NULL"
        params: tuple[object, ...] = (runs - 1,)
        if online_until is not None:
            where += " AND offline = 0 AND id <= ?"
            params = (online_until, runs - 1)
        row = self._db.execute(
            f"SELECT id FROM runs WHERE {where} ORDER BY id DESC LIMIT 1 OFFSET ?", params
        ).fetchone()
        return int(row[0]) if row else 0

    def _select(
        self,
        columns: str,
        urls: list[str],
        where: str,
        params: tuple[object, ...],
        tail: str = "ORDER BY checks.url, checks.run_id",
    ) -> Iterator[tuple[Any, ...]]:
        """(url, *columns) of the URLs' checks in finished runs, by URL then run."""
        for chunk in _chunks(urls):
            yield from self._db.execute(
                f"SELECT checks.url, {columns} FROM checks JOIN runs ON runs.id = checks.run_id"
                f" WHERE checks.url IN ({_marks(len(chunk))}) AND runs.finished_at IS NOT NULL"
                f" AND {where} {tail}",
                (*chunk, *params),
            )

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


def _chunks(urls: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(urls), _CHUNK):
        yield urls[start : start + _CHUNK]


def _marks(count: int) -> str:
    return ", ".join("?" * count)
