"""Worker processes: how many CPUs they may use, and what a run says when one stops."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask where the system has one."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity outside Linux
        return os.cpu_count() or 1


class WorkerError(RuntimeError):
    """A worker process stopped (killed, out of memory): the run cannot be completed."""

    def __init__(self, task: str, error: BaseException) -> None:
        super().__init__(
            f"a process {task} stopped unexpectedly ({error}); it may have run out of memory: "
            "run again, or on fewer guides at a time"
        )
