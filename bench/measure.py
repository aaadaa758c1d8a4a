"""Run a command and measure its wall time and peak memory, bounded in time.

Peak memory is measured two ways, because a tool may use more than one process:
- `max_rss_kb`: the largest peak of any single process: GNU time's `%M` (the kernel's
  `ru_maxrss` for the tool, covering the descendants it waited for), raised to the largest
  `VmHWM` polled from any of its processes;
- `tree_rss_kb`: the sum of each process's own peak (`VmHWM`, polled every few ms) over the
  whole process tree, an upper bound on the memory the tool held at once.
The tool is started by `/usr/bin/time`, a small program, because `ru_maxrss` of a process
forked straight from this bench would count the bench's own pages copied before `exec`.
`resource.getrusage(RUSAGE_CHILDREN)` is not used: it is a maximum over every child this
bench ever ran, so it cannot tell one run from the next. Without `/usr/bin/time`, only the
polled figures are taken.

`cpu` is the user plus system time of the tool and every descendant it waited for (the
`rusage` that `wait4` returns for the wrapper covers them): on a machine of two cores shared
with the farm, it says how close a tool is to being CPU-bound.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# VmHWM is a high-water mark, so a slower poll loses nothing for processes that live longer
# than one interval; a fast poll would take CPU from the tools being measured.
POLL_SECONDS = 0.02
GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Sample:
    wall: float
    max_rss_kb: int
    tree_rss_kb: int
    returncode: int
    timed_out: bool
    cpu: float = 0.0  # user + system seconds, the tool and its waited-for descendants
    # time.monotonic() at start and exit: CLOCK_MONOTONIC is one clock for every process on
    # the machine, so these line up with the times the link farm records.
    started: float = 0.0
    ended: float = 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def _hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:  # noqa: PTH123
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def run(
    command: Sequence[str | Path],
    *,
    timeout: float,
    stdout: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Sample:
    """Run `command` to completion (killed after `timeout` seconds) and measure it."""
    out = stdout.open("wb") if stdout is not None else subprocess.DEVNULL
    peaks: dict[int, int] = {}
    argv = [str(part) for part in command]
    report = None
    if Path(GNU_TIME).is_file():
        handle, name = tempfile.mkstemp(prefix="bench-time-")
        os.close(handle)
        report = Path(name)
        argv = [GNU_TIME, "-f", "%M", "-o", str(report), *argv]
    try:
        start = time.perf_counter()
        started = time.monotonic()
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,  # one process group to kill on timeout
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                wall = time.perf_counter() - start
                ended = time.monotonic()
                break
            # The wrapper (time) is not the tool: only its descendants are counted.
            pending = _children(process.pid) if report is not None else [process.pid]
            while pending:
                current = pending.pop()
                hwm = _hwm_kb(current)
                if hwm is not None:
                    peaks[current] = max(peaks.get(current, 0), hwm)
                pending.extend(_children(current))
            if time.perf_counter() - start > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(POLL_SECONDS)
        # wait4 reaped it: tell Popen, so it does not try again.
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout is not None and not isinstance(out, int):
            out.close()
    max_rss = max(peaks.values(), default=0)
    if report is not None:
        try:
            lines = report.read_text().split()
            # GNU time writes "Command exited with non-zero status N" before the figure.
            max_rss = max(max_rss, int(lines[-1]) if lines else 0)
        except (OSError, ValueError):
            pass
        finally:
            report.unlink(missing_ok=True)
    else:
        max_rss = max(max_rss, int(usage.ru_maxrss))
    return Sample(
        wall,
        max_rss,
        max(sum(peaks.values()), max_rss),
        process.returncode,
        timed_out,
        usage.ru_utime + usage.ru_stime,
        started,
        ended,
    )


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
