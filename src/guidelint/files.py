"""Which files are guides: the walk `lint`, `links` and `render` share.

Kept out of `lint` so that commands which only read guides do not import the rules.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from guidelint.config import ConfigError

if TYPE_CHECKING:
    from guidelint.loader import LoadResult

GUIDE_SUFFIXES = (".yaml", ".yml")


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Guide files under `paths`; a named file is taken whatever its extension.

    Hidden folders are skipped and symlinked folders are not followed (no loops).
    """
    found: list[Path] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                found.extend(
                    Path(folder, name)
                    for name in sorted(names)
                    if name.endswith(GUIDE_SUFFIXES) and not name.startswith(".")
                )
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise ConfigError(f"{entry}: no such file or directory")
    return list(dict.fromkeys(found))


class Trees:
    """Where each guide may live: the folder a walk found it in, or (for a file named
    directly) the current folder. A symbolic link that leads out of that tree is not
    followed: a guide linked to a file elsewhere on the machine would have its content
    read and echoed into reports and CI annotations."""

    def __init__(self, paths: Sequence[str | Path] = ()) -> None:
        # abspath, not Path.resolve: where the path says the file is, links not followed.
        # Deepest first, so a file is judged by the innermost folder it was found in.
        folders = {
            (os.path.abspath(path), os.path.realpath(path))  # noqa: PTH100
            for path in paths
            if Path(path).is_dir()
        }
        self._folders = sorted(folders, key=lambda pair: -len(pair[0]))
        self._here = os.path.realpath(Path.cwd())

    def outside(self, path: str | Path) -> bool:
        """Whether `path` reaches, through a symbolic link, a file outside its tree."""
        lexical = os.path.abspath(path)  # noqa: PTH100 (see __init__)
        real = os.path.realpath(path)
        if real == lexical:
            return False  # no link on the way
        root = next(
            (resolved for folder, resolved in self._folders if _under(lexical, folder)),
            self._here,
        )
        return not _under(real, root)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def load_guide_file(path: Path, shown: str | None = None, trees: Trees | None = None) -> LoadResult:
    """`loader.load_path`, unless the file lies outside its tree (see `Trees`): then a
    located refusal that reads, and so shows, nothing of it."""
    from guidelint import loader

    name = shown if shown is not None else str(path)
    if (trees or Trees()).outside(path):
        message = (
            "a symbolic link to a file outside the folder being checked; it is not read: "
            "replace the link with the file, or check the folder it points into"
        )
        return loader.LoadResult(name, None, [loader.Problem(loader.OUTSIDE, 1, 1, message)])
    return loader.load_path(path, name)
