"""Reading files guidelint did not write itself: regular files only, and only so much.

State files (the links baseline, the run history, config) arrive from a checkout and from
CI caches: a symlink to /dev/zero, a FIFO or a directory where a file should be must give
one clear line and exit 2, never a hang, a traceback or gigabytes of memory. The file is
opened without blocking and vetted on the open descriptor, so what is checked is what is
read (no swap between a `stat` and an `open`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

MIB: Final = 1024 * 1024
_CHUNK: Final = MIB


class FileRefused(Exception):
    """A file that must not be read as asked; the message names it and says what to do."""


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: Path, limit: int, what: str) -> bytes | None:
    """The bytes of `path` (None when it does not exist), at most `limit` of them.

    `what` names the file for messages ("baseline", "config file"). Raises FileRefused
    when it is not a regular file (after symlinks), is larger than `limit`, or cannot be read.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileRefused(f"{path}: cannot read the {what}: {error.strerror or error}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(
                f"{path}: the {what} is {_kind(mode)}, not a regular file; "
                "replace it with the file itself"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise FileRefused(f"{path}: cannot read the {what}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if size > limit:
        raise FileRefused(
            f"{path}: the {what} is larger than {_size(limit)}, more than a {what} "
            "ever needs; check it is the right file"
        )
    return b"".join(chunks)


def check_regular(path: Path, what: str) -> bool:
    """Whether `path` exists as a regular file (False: it does not exist); FileRefused
    for anything else at that path, such as a FIFO another program would block on."""
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as error:
        raise FileRefused(f"{path}: cannot use the {what}: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise FileRefused(
            f"{path}: the {what} is {_kind(mode)}, not a regular file; "
            "replace it with the file itself"
        )
    return True


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit // 1024} KiB"
