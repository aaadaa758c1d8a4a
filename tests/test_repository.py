"""The repository's own tooling files stay valid."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


def test_ci_constraints_pin_every_dependency_within_its_range() -> None:
    """CI, the GitHub Action and `make` install with .ci/constraints.txt: a dependency added
    to pyproject.toml without `make lock` would float there."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    for text in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in .ci/constraints.txt: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} in .ci/constraints.txt is outside {requirement}: run make lock"
        )
