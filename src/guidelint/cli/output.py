"""What the commands write: reports and files (always atomically), colour, the progress bar.

A file that cannot be written raises `guidelint.atomic.WriteError`, which names it; `main`
turns that into exit 2. `guidelint.atomic` is imported only when a file is written, so a
report on standard output does not pay for it.
"""

from __future__ import annotations

import os
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


def progress_bar(stream: TextIO, label: str, width: int = 30) -> Callable[[int, int], None] | None:
    """A progress callback drawing `label [####....] done/total` on a terminal; else None."""
    if not stream.isatty():
        return None

    def progress(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return progress
