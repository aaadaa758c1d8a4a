"""The run history's `checks` rows: made from results, committed in transactions.

Shared by `links.history` (a run's rows at once) and `links.recorder` (rows as checks end,
from a thread with a connection of its own).
"""

from __future__ import annotations

import sqlite3
from typing import Final

from guidelint.links.model import LinkResult

#: One `checks` row, in the table's column order.
Row = tuple[int, str, str, str, int, int | None, str | None, int, int, str | None]


def row(run_id: int, result: LinkResult, stamp: str) -> Row:
    """The `checks` row of `result` in run `run_id`; `stamp` is the run's `utc_stamp`."""
    return (
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


#: Writes rows made by `row` (a row written again replaces the first).
INSERT_ROWS: Final = (
    "INSERT OR REPLACE INTO checks (run_id, url, checked_at, verdict, dead, status,"
    " final_url, attempts, elapsed_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_rows(db: sqlite3.Connection, rows: list[Row]) -> None:
    """Commit `rows` in one transaction (INSERT OR REPLACE: a row written again replaces)."""
    if not rows:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(INSERT_ROWS, rows)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
