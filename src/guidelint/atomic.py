"""Replace a file so that a reader, or a run killed at any moment, sees the old or the new one.

Every file guidelint writes goes through here: reports, rendered pages, imported and new
guides, the reviewed baseline, guides rewritten by `links --fix-moved`.

The new content goes to a temporary file in the same directory (so the rename stays on one
file system), `.NAME.PID.RANDOM.guidelint-tmp`; it is flushed and fsynced, then `os.replace`
swaps it in, and the directory is fsynced too where the platform allows, so the rename itself
survives a crash. A disk that fills up mid-write leaves the old file as it was.

- An existing file keeps its mode; one that is read-only (no write permission bit, or not
  writable by this user) is refused, not replaced: someone protected it on purpose.
- A symbolic link is written through: the file it points to is replaced, the link stays.
- A target that exists but is not a regular file (a pipe, `/dev/null`), or that is a
  descriptor's link (`/dev/stdout`), cannot be replaced; it is written in place.
- A run killed mid-write (kill -9) leaves its temporary file behind. A later write of the
  same name removes such files once the process that made them is gone; nothing else in
  the directory is touched.

Every failure to write is a `WriteError` naming the file; an exception raised by the
content itself (an iterable of chunks that fails) propagates unchanged. Either way the
temporary file is removed and the target left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final, NamedTuple, TextIO

SUFFIX: Final = ".guidelint-tmp"

#: A temporary file untouched for this long has no writer left, whatever its PID says (the
#: PID may have been reused, or belong to another machine sharing the directory).
STALE_AFTER_S: Final = 24 * 3600

#: File names longer than this (in bytes) are shortened in temporary names, which must stay
#: under the usual 255-byte limit with the PID, random part and suffix added.
_NAME_BYTES: Final = 160

_MKSTEMP_CHARACTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class WriteError(OSError):
    """A file could not be written and nothing was replaced: `cannot write PATH: reason`."""

    def __init__(self, path: str | os.PathLike[str], reason: str, code: int | None = None) -> None:
        super().__init__(code, reason, os.fspath(path))

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def write_text(
    path: str | os.PathLike[str], text: str, *, parents: bool = False, errors: str = "strict"
) -> None:
    """Atomically replace `path` with `text` (UTF-8, newlines as given)."""
    write_chunks(path, (text,), parents=parents, errors=errors)


def write_chunks(
    path: str | os.PathLike[str],
    chunks: Iterable[str],
    *,
    parents: bool = False,
    errors: str = "strict",
) -> None:
    """Atomically replace `path` with the chunks joined (UTF-8, newlines as given).

    Chunks are written as they come, so a large report is never held whole in memory.
    `parents` creates missing parent directories; `errors` is the encoding error handler
    ("backslashreplace" prints the lone surrogates a YAML escape can hold).
    """
    shown = os.fspath(path)
    if _descriptor_link(Path(path)):
        _write_in_place(shown, Path(path), chunks, errors)
        return
    target, info = _target(shown, Path(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(shown, target, chunks, errors)
        return
    _commit(_prepare(shown, target, info, chunks, parents=parents, errors=errors))


def write_all(texts: Mapping[str, str], *, errors: str = "strict") -> None:
    """Replace several files as one change: all of them, or none.

    Every new content is written and synced beside its target first; only when all are
    ready are they renamed in (a rename within a folder does not fail for want of space).
    A failure before that leaves every file as it was. For a change that spans files, such
    as guides rewritten by `--fix-moved` and the baseline that must follow them.
    """
    prepared: list[_Prepared] = []
    try:
        for path, text in texts.items():
            shown = os.fspath(path)
            target, info = _target(shown, Path(path))
            if info is not None and not stat.S_ISREG(info.st_mode):
                raise WriteError(shown, "not a regular file", errno.EINVAL)
            prepared.append(_prepare(shown, target, info, (text,), parents=False, errors=errors))
    except BaseException:
        for ready in prepared:
            with contextlib.suppress(OSError):
                ready.temporary.unlink()
        raise
    for ready in prepared:
        _commit(ready)


class _Prepared(NamedTuple):
    shown: str
    temporary: Path
    target: Path


def _prepare(
    shown: str,
    target: Path,
    info: os.stat_result | None,
    chunks: Iterable[str],
    *,
    parents: bool,
    errors: str,
) -> _Prepared:
    """The new content, written and synced in a temporary file beside `target`."""
    directory = target.parent
    if parents:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _failure(shown, error) from error
    _remove_stale(directory, target.name)
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{_short(target.name)}.{os.getpid()}.", suffix=SUFFIX, dir=directory
        )
    except OSError as error:
        raise _failure(shown, error) from error
    temporary = Path(name)
    try:
        _fill(shown, handle, chunks, errors)
        try:
            temporary.chmod(mode)  # mkstemp creates 0600
        except OSError as error:
            raise _failure(shown, error) from error
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return _Prepared(shown, temporary, target)


def _commit(ready: _Prepared) -> None:
    try:
        ready.temporary.replace(ready.target)
    except OSError as error:
        with contextlib.suppress(OSError):
            ready.temporary.unlink()
        raise _failure(ready.shown, error) from error
    _fsync_directory(ready.target.parent)


def _descriptor_link(path: Path) -> bool:
    """/dev/stdout, /dev/fd/N, /proc/self/fd/N: a link to whatever a descriptor is open on.

    A pipe, a terminal, or a file the shell opened for appending (`>>`): only writing in
    place respects it; a rename would put a new file where the link leads.
    """
    return path.absolute().parts[1:2] in (("dev",), ("proc",)) and path.is_symlink()


def _target(shown: str, path: Path) -> tuple[Path, os.stat_result | None]:
    """The file to replace (a symbolic link's target) and its status, None if it is new.

    A folder, or a file that is read-only, is refused.
    """
    if path.is_symlink():
        try:
            path = path.resolve()
        except RuntimeError:  # Python before 3.13; later ones raise OSError (ELOOP) below
            raise WriteError(shown, "symbolic link loop", errno.ELOOP) from None
    try:
        info = path.stat()
    except FileNotFoundError:
        return path, None
    except OSError as error:
        raise _failure(shown, error) from error
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(shown, "it is a folder", errno.EISDIR)
    # The permission bits say what the owner meant even to root, whom os.access lets write.
    if stat.S_ISREG(info.st_mode) and (not info.st_mode & 0o222 or not os.access(path, os.W_OK)):
        raise WriteError(
            shown, "the file is read-only; make it writable to have it replaced", errno.EACCES
        )
    return path, info


def _fill(shown: str, handle: int, chunks: Iterable[str], errors: str) -> None:
    stream = os.fdopen(handle, "w", encoding="utf-8", errors=errors, newline="")
    try:
        _copy(shown, chunks, stream)
        try:
            stream.flush()
            os.fsync(stream.fileno())
        except OSError as error:
            raise _failure(shown, error) from error
    finally:
        with contextlib.suppress(OSError):  # flushed already, or failing already
            stream.close()


def _copy(shown: str, chunks: Iterable[str], stream: TextIO) -> None:
    for chunk in chunks:  # what the chunks raise is theirs, not a write failure
        try:
            stream.write(chunk)
        except (OSError, UnicodeEncodeError) as error:
            raise _failure(shown, error) from error


def _failure(shown: str, error: OSError | UnicodeEncodeError) -> WriteError:
    if isinstance(error, UnicodeEncodeError):
        character = error.object[error.start : error.start + 1]
        return WriteError(shown, f"{character!r} cannot be written as UTF-8 ({error.reason})")
    return WriteError(shown, error.strerror or str(error), error.errno)


def _write_in_place(shown: str, target: Path, chunks: Iterable[str], errors: str) -> None:
    try:
        stream = target.open("w", encoding="utf-8", errors=errors, newline="")
    except OSError as error:
        raise _failure(shown, error) from error
    with stream:
        _copy(shown, chunks, stream)
        try:
            stream.flush()
        except OSError as error:
            raise _failure(shown, error) from error


def _short(name: str) -> str:
    """The file name as it appears in its temporary files' names."""
    if len(os.fsencode(name)) <= _NAME_BYTES:
        return name
    return name[: _NAME_BYTES // 4]  # at most 4 bytes a character


#: Per directory (absolute path) searched in this process: the stale temporary files found,
#: by the shortened target name. One listing per directory, not one per file written:
#: rendering a folder of 5,000 guides would otherwise list it 5,000 times (1.5 ms a listing).
_stale_found: dict[str, dict[str, list[str]]] = {}


def _remove_stale(directory: Path, name: str) -> None:
    key = str(directory.absolute())
    found = _stale_found.get(key)
    if found is None:
        found = _stale_found[key] = _find_stale(directory)
    for entry in found.pop(_short(name), ()):
        with contextlib.suppress(OSError):
            (directory / entry).unlink()


def _find_stale(directory: Path) -> dict[str, list[str]]:
    try:
        with os.scandir(directory) as listing:
            ours = [(entry, parsed) for entry in listing if (parsed := _parse(entry.name))]
    except OSError:
        return {}
    found: dict[str, list[str]] = {}
    now = time.time()
    for entry, (name, pid) in ours:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if age > STALE_AFTER_S or not _alive(pid):
            found.setdefault(name, []).append(entry.name)
    return found


def _parse(entry: str) -> tuple[str, int] | None:
    """(shortened target name, PID) of one of our temporary files, else None."""
    if not entry.startswith(".") or not entry.endswith(SUFFIX):
        return None
    parts = entry[1 : -len(SUFFIX)].rsplit(".", 2)
    if len(parts) != 3:
        return None
    name, pid, random = parts
    if not (name and pid.isascii() and pid.isdigit() and 0 < len(pid) <= 10 and int(pid) > 0):
        return None
    if not (0 < len(random) <= 16 and set(random) <= _MKSTEMP_CHARACTERS):
        return None
    return name, int(pid)


def _alive(pid: int) -> bool:
    """Whether the process that made a temporary file may still be writing it."""
    if pid == os.getpid() or os.name != "posix":
        return True  # elsewhere only the age tells
    try:
        os.kill(pid, 0)  # signal 0: no signal sent, only whether the process exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # exists under another user, or cannot be asked: assume alive
    return True


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open directories; the rename is still atomic there.
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
