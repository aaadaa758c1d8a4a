"""What the commands write: reports and files (always atomically), colour, the progress bar.

A file that cannot be written raises `guidelint.atomic.WriteError`, which names it; `main`
turns that into exit 2. `guidelint.atomic` is imported only when a file is written, so a
report on standard output does not pay for it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

#: Standard output, for -o/--output and --report.
STDOUT = "-"

# Guide text can hold lone surrogates (a "\\ud800" escape in YAML), which UTF-8 cannot encode:
# files get them escaped, as standard output does (see `main`).
_ERRORS = "backslashreplace"


def to_stdout(output: str | None) -> bool:
    return output is None or output == STDOUT


def write_report(chunks: Iterable[str], output: str | None, stdout: TextIO) -> None:
    """Write a report to standard output or replace the file `output`, piece by piece.

    A library's report is written as it is produced: it need not fit in memory twice.
    """
    if to_stdout(output):
        for chunk in chunks:
            stdout.write(chunk)
        return
    from guidelint import atomic

    atomic.write_chunks(Path(str(output)), chunks, errors=_ERRORS)


def write_file(path: Path, text: str, *, parents: bool = False) -> None:
    """Replace `path` with `text`; `parents` creates missing folders (a rendered site)."""
    from guidelint import atomic

    atomic.write_text(path, text, parents=parents, errors=_ERRORS)


def use_color(choice: str, stream: TextIO) -> bool:
    """--color auto|always|never: auto means a terminal, unless NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def progress_bar(
    stream: TextIO, label: str, width: int = 30, clock: Callable[[], float] = time.monotonic
) -> Callable[[int, int], None] | None:
    """A progress callback drawing `label [####....] done/total  rate  time left` on a
    terminal; None elsewhere (a log gains nothing from a redrawn line)."""
    if not stream.isatty():
        return None
    started = clock()

    def progress(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        stream.write(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            f"{_pace(done, total, clock() - started)}\x1b[K"
        )
        if done == total:
            stream.write("\n")
        stream.flush()

    return progress


def _pace(done: int, total: int, elapsed: float) -> str:
    """'  12.5/s, 0:42 left' once there is a rate to speak of."""
    if done < 1 or elapsed < 0.5:
        return ""
    rate = done / elapsed
    left = round((total - done) / rate)
    return f"  {rate:.1f}/s, {left // 60}:{left % 60:02d} left"
