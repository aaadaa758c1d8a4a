"""Which guide files a change touches, from git: the files a pull request's check reads.

`changed_guides(ref, paths)` lists guide files under `paths` that differ between the
point where the current branch left `ref` (their merge base) and the working tree: what
a pull request adds or edits, committed or not, and none of what `ref` gained meanwhile.
Deleted files are left out: there is nothing left in them to check.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from guidelint.files import GUIDE_SUFFIXES

#: git answers these in milliseconds; a hung git (a lock, a prompt) must not hang CI.
GIT_TIMEOUT = 30.0


class ChangesError(Exception):
    """git could not say what changed; the message says why, in one line."""


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=None,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise ChangesError("git is not installed, so the changed guides cannot be found") from None
    except subprocess.TimeoutExpired:
        raise ChangesError(f"git did not answer within {GIT_TIMEOUT:g} s") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["(no message)"])[0]
        raise ChangesError(f"git {args[0]} failed: {first}")
    return done.stdout


def changed_guides(ref: str, paths: Sequence[str | Path]) -> list[Path]:
    """Guide files under `paths` (relative to here) that the current change adds or edits."""
    try:
        commit = _git("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}").strip()
    except ChangesError:
        raise ChangesError(
            f"{ref!r} is not a commit git knows here (in CI, fetch it first: "
            "actions/checkout with fetch-depth: 0)"
        ) from None
    base = _git("merge-base", commit, "HEAD").strip()
    listed = _git(
        "diff",
        "--name-only",
        "--no-renames",
        "--diff-filter=d",  # every kind of change but deletion
        "--relative",  # paths relative to here, and only below here
        "-z",
        base,
        "--",
        *(str(path) for path in paths),
    )
    names = [name for name in listed.split("\0") if name]
    return sorted(Path(name) for name in names if name.endswith(GUIDE_SUFFIXES))
