"""The repository's own tooling files stay valid."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT


def test_pre_commit_files_are_valid() -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(ROOT / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    quick = readme[: readme.index("## Linting guides")]
    assert "make lint" in quick and "make test" in quick
