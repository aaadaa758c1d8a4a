"""What a run says when one of its worker processes stops without finishing its work."""

from __future__ import annotations


class WorkerError(RuntimeError):
    """A worker process stopped (killed, out of memory): the run cannot be completed."""

    def __init__(self, task: str, error: BaseException) -> None:
        super().__init__(
            f"a process {task} stopped unexpectedly ({error}); it may have run out of memory: "
            "run again, or check fewer guides at a time"
        )
