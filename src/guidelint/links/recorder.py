"""Recording a run's checks in the history while they run, not all at once when they end.

A run used to write its 10,000 rows after the last answer: 60-80 ms of inserts and the
commits' fsyncs (often more on a busy disk) between the checks and the report. A `Recorder`
starts the run in the history before the first check, takes each result as the event loop
finishes it (`add`: a tuple, no I/O), and a thread of its own, with its own connection,
commits batches of rows while the checks go on (sqlite3 lets other threads run while it
waits for the disk). What the history promises holds: every batch is one transaction, so a
kill loses at most the batch being written, and the run gets `finished_at` only once
`health.record` has written everything.

`finish(results)` stops the thread and hands back the rows left to write, with the few the
rest of the run changed:
only a verdict changes after its check (the baseline review turns `ok` into `changed`); the
rest of a row is the check's own. `close()` stops the thread without finishing, when the
run fails.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Final

from guidelint.links.checkrows import Row, insert_rows, row
from guidelint.links.clock import utc_stamp
from guidelint.links.history import History
from guidelint.links.model import LinkResult, Verdict

#: Rows per transaction: a batch about every second at 64 URLs in flight.
BATCH: Final = 1000


class Recorder:
    """One run's rows, written to the history by a thread while the run goes on."""

    def __init__(
        self, history: History, now: datetime, tool_version: str | None, batch: int | None = None
    ) -> None:
        self.history = history
        self.run_id = history.start_run(now, tool_version)
        self._stamp = utc_stamp(now)
        self._batch = batch or BATCH
        self._pending: list[Row] = []
        # url -> the verdict recorded for it (a verdict, not the result: 100,000 results
        # held twice, once changed, would cost megabytes).
        self._recorded: dict[str, Verdict] = {}
        self._queue: queue.SimpleQueue[list[Row] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._write, name="guidelint-history", daemon=True
        )
        self._thread.start()

    def add(self, result: LinkResult) -> None:
        """Record one finished check (called on the event loop: no I/O here)."""
        self._recorded[result.url] = result.verdict
        self._pending.append(row(self.run_id, result, self._stamp))
        if len(self._pending) >= self._batch:
            self._queue.put(self._pending)
            self._pending = []

    def finish(self, results: Iterable[LinkResult]) -> list[Row]:
        """Stop the thread and return what it has not written: rows still waiting for their
        batch, rows of results whose verdict the run changed since they were added, and of
        results never added (a run in several processes). The caller commits them with the
        run's end (`History.finish_run`): one commit, not three.

        Raises sqlite3.Error when the thread could not write.
        """
        pending, self._pending = self._pending, []
        self._stop()
        if self._error is not None:
            raise self._error
        recorded = self._recorded
        return pending + [
            row(self.run_id, result, self._stamp)
            for result in results
            if recorded.get(result.url) is not result.verdict
        ]

    def close(self) -> None:
        """Stop the thread when the run fails: what was committed stays, unfinished."""
        self._stop()

    def _stop(self) -> None:
        if self._thread is None:
            return
        self._pending = []
        self._queue.put(None)
        self._thread.join()
        self._thread = None

    def _write(self) -> None:
        connection = None
        try:
            connection = self.history.connect()
            while (rows := self._queue.get()) is not None:
                insert_rows(connection, rows)
        except (sqlite3.Error, OSError) as error:
            self._error = error
            while self._queue.get() is not None:  # drain, so _stop's join returns
                pass
        finally:
            if connection is not None:
                connection.close()
