"""The pre-commit set-up of docs/ci.md, run for real in a temporary content repository with
this checkout as the hook's source: pre-commit installs guidelint from it (from the package
index, about a minute), lints a passing and a failing guide, and `autoupdate --freeze` pins
`rev` to a commit. Marked `precommit`: `make precommit-test` runs it, `make test` does not."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT
from test_docs_ci import documented_yaml

pytestmark = pytest.mark.precommit

GOOD = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"
DOCUMENTED_REPO = "https://github.com/OWNER/guidelint"


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _git(cwd: Path, *args: str) -> str:
    done = _run(cwd, "git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _hook_source(tmp_path: Path) -> tuple[Path, str]:
    """A bare repository whose `main` is this checkout as it is now: the last commit plus any
    uncommitted change to tracked files (`git stash create` records them without touching
    the work tree)."""
    snapshot = _git(ROOT, "stash", "create") or _git(ROOT, "rev-parse", "HEAD")
    bare = tmp_path / "guidelint.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    _git(ROOT, "push", "-q", str(bare), f"{snapshot}:refs/heads/main")
    return bare, snapshot


def test_documented_hook_passes_a_good_guide_and_fails_a_bad_one(tmp_path: Path) -> None:
    bare, snapshot = _hook_source(tmp_path)
    content = tmp_path / "content"
    guides = content / "guides" / "gb"
    guides.mkdir(parents=True)
    shutil.copy(GOOD, guides)
    bad = guides / "wrong-number-gb.yaml"
    text = GOOD.read_text("utf-8").replace("id: intimate-images-saved-gb", f"id: {bad.stem}")
    bad.write_text(text.replace("danger, call 999.", "danger, call 911."), encoding="utf-8")
    config = documented_yaml("# .pre-commit-config.yaml")
    assert DOCUMENTED_REPO in config
    (content / ".pre-commit-config.yaml").write_text(
        config.replace(DOCUMENTED_REPO, str(bare)), encoding="utf-8"
    )
    _git(content, "init", "-q", "-b", "main")
    _git(content, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = (sys.executable, "-m", "pre_commit")

    good = _run(
        content, *pre_commit, "run", "--files", "guides/gb/intimate-images-saved-gb.yaml", env=env
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^guidelint\.+Passed$", good.stdout, re.M), good.stdout

    failing = _run(content, *pre_commit, "run", "--all-files", env=env)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert re.search(r"^guidelint\.+Failed$", failing.stdout, re.M), failing.stdout
    assert re.search(
        r"^guides/gb/wrong-number-gb\.yaml:\d+:\d+: GL201 \[error\] 911 is not an emergency "
        r"number in the United Kingdom",
        failing.stdout,
        re.M,
    ), failing.stdout
    assert not re.search(r"intimate-images-saved-gb\.yaml:\d+:\d+: \w+ \[error\]", failing.stdout)

    # The documented second step: `rev: main` becomes the commit it points at.
    update = _run(content, *pre_commit, "autoupdate", "--freeze", env=env)
    assert update.returncode == 0, update.stdout + update.stderr
    pinned = (content / ".pre-commit-config.yaml").read_text("utf-8")
    assert f"rev: {snapshot}" in pinned, pinned
    again = _run(content, *pre_commit, "run", "--files", str(bad.relative_to(content)), env=env)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "GL201" in again.stdout
