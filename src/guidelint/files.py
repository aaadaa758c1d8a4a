"""Which files are guides: the walk `lint`, `links` and `render` share.

Kept out of `lint` so that commands which only read guides do not import the rules.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from guidelint.config import ConfigError

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
