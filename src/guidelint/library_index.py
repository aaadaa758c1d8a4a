"""The library around the files being linted: which guides exist, by id and situation id.

A pre-commit hook lints only the files a commit touches, but duplicate ids (GL103) and the
parity of a situation's variants (GL601) are about the whole library. Parsing thousands of
guides for that would cost seconds; this index reads just each guide's `id` and
`situation_id` (the top-level lines that hold them) and keeps them in a small cache keyed by
each file's size and modification time, so a one-file run pays a directory walk, a `stat`
per guide and a JSON read. Only the guides that share an id or a situation id with a linted
one are then loaded in full (`related`), as every lint loads a guide.

The cache (`.guidelint/lint-index.json` beside the configuration) is untrusted input: a
file that does not read as this module writes it is ignored and rebuilt; a cache that
cannot be written is not an error (the next run reads the guides again).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from guidelint.files import GUIDE_SUFFIXES

VERSION: Final = 1
CACHE_NAME: Final = Path(".guidelint") / "lint-index.json"
#: A guide is a few KiB; a larger file is read for its ids only up to here.
_READ_LIMIT: Final = 256 * 1024
_MAX_CACHE_BYTES: Final = 64 * 1024 * 1024
# A top-level key at the start of a line, its value plain or quoted on the same line.
# Compiled on first use: a warm cache reads no guide.
_id_line = functools.cache(
    lambda key: re.compile(
        rb"^" + key + rb":[ \t]*(['\"]?)([a-z0-9-]{1,120})\1[ \t]*(?:#[^\n]*)?\r?$", re.M
    )
)


class Entry(NamedTuple):
    path: str
    id: str | None
    situation: str | None
    device: int
    inode: int


# (path, modified, size, device, inode): plain tuples, thousands are made per run.
_Seen = tuple[str, int, int, int, int]


def _walk(root: str, found: list[_Seen]) -> None:
    """Guide files under `root` as `files.discover` finds them (hidden folders skipped,
    folder symlinks not followed), with what `stat` says about each."""
    try:
        scanner = os.scandir(root)
    except OSError:
        return
    folders = []
    with scanner:
        for entry in scanner:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                if not name.endswith(GUIDE_SUFFIXES):
                    continue
                info = entry.stat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((entry.path, info.st_mtime_ns, info.st_size, info.st_dev, info.st_ino))
    for folder in folders:
        _walk(folder, found)


def _read_ids(path: str) -> tuple[str | None, str | None]:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - thousands of files: no Path objects
            raw = handle.read(_READ_LIMIT)
    except OSError:
        return None, None
    guide_id = _id_line(b"id").search(raw)
    situation = _id_line(b"situation_id").search(raw)
    return (
        guide_id.group(2).decode() if guide_id else None,
        situation.group(2).decode() if situation else None,
    )


def _load_cache(path: Path) -> dict[str, list[Any]]:
    """Rows by path: [modified, size, id, situation id]; {} for anything unexpected."""
    from guidelint.bounded import FileRefused, read_bytes

    try:
        # Regular files only: a FIFO left in its place must not hang a pre-commit hook.
        raw = read_bytes(path, _MAX_CACHE_BYTES, "lint index cache")
        data = json.loads(raw) if raw is not None else None
    except (FileRefused, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _valid(value: Any) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= 120)


def scan(roots: Sequence[Path], cache: Path | None) -> list[Entry]:
    """Every guide under `roots` with its id and situation id, from `cache` where current."""
    rows = _load_cache(cache) if cache is not None else {}
    seen: list[_Seen] = []
    for root in dict.fromkeys(str(_absolute(root)) for root in roots):
        _walk(root, seen)
    entries: list[Entry] = []
    fresh: dict[str, list[Any]] = {}
    changed = len(seen) != len(rows)
    for path, modified, size, device, inode in seen:
        row = rows.get(path)
        if (
            isinstance(row, list)
            and len(row) == 4
            and row[0] == modified
            and row[1] == size
            and _valid(row[2])
            and _valid(row[3])
        ):
            guide_id, situation = row[2], row[3]
        else:
            guide_id, situation = _read_ids(path)
            row = [modified, size, guide_id, situation]
            changed = True
        fresh[path] = row
        entries.append(Entry(path, guide_id, situation, device, inode))
    if cache is not None and changed:
        _save(cache, fresh)
    return entries


def _save(cache: Path, files: dict[str, list[Any]]) -> None:
    from guidelint import atomic  # only when something changed
    from guidelint.bounded import FileRefused, check_regular

    try:
        check_regular(cache, "lint index cache")
    except FileRefused:  # atomic writes into a FIFO in place, which would block
        return
    text = json.dumps({"version": VERSION, "files": files}, separators=(",", ":"))
    with contextlib.suppress(OSError):  # read-only: the next run reads the guides again
        atomic.write_text(cache, text, parents=True)


def related(
    entries: Sequence[Entry],
    linted: Sequence[str],
    ids: set[str],
    situations: set[str],
) -> list[str]:
    """Paths of the library's guides, other than the linted files, that share an id or a
    situation id with a linted guide: the only ones library rules compare them with."""
    own = set()
    for path in linted:
        try:
            info = Path(path).stat()
        except OSError:
            continue
        own.add((info.st_dev, info.st_ino))
    return [
        entry.path
        for entry in entries
        if (entry.device, entry.inode) not in own
        and (entry.id in ids or entry.situation in situations)
    ]


def inside(paths: Sequence[str], roots: Sequence[Path]) -> bool:
    """Whether any of `paths` lies under one of `roots` (a file outside the library is not
    compared with it)."""
    absolute = [_absolute(root) for root in roots]
    return any(_absolute(path).is_relative_to(root) for path in paths for root in absolute)


def _absolute(path: str | Path) -> Path:
    """Absolute and normalised, symlinks kept (as the walk sees them)."""
    return Path(os.path.normpath(Path(path).absolute()))
