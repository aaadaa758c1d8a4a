"""docs/ci.md shows a content repository's pre-commit config and workflow that work as
written: the workflow passes zizmor and uses only inputs the action has; the pre-commit
config is valid and is the one the README shows. tests/test_precommit_hook.py runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from support import ROOT

DOCS = ROOT / "docs" / "ci.md"


def documented_yaml(first_line: str, document: Path = DOCS) -> str:
    """The ```yaml block of `document` whose first line is `first_line`."""
    blocks = re.findall(r"```yaml\n(.*?)```", document.read_text("utf-8"), re.S)
    found = [block for block in blocks if block.startswith(first_line + "\n")]
    assert len(found) == 1, f"{document.name} has {len(found)} blocks starting {first_line!r}"
    block: str = found[0]
    return block


def test_documented_workflow_passes_zizmor(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "guides.yml").write_text(
        documented_yaml("# .github/workflows/guides.yml"), encoding="utf-8"
    )
    zizmor = Path(sys.executable).parent / "zizmor"
    done = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", "--color", "never", str(workflows)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def test_documented_workflow_uses_only_the_actions_inputs() -> None:
    workflow: dict[str, Any] = yaml.safe_load(documented_yaml("# .github/workflows/guides.yml"))
    inputs = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))["inputs"]
    (job,) = workflow["jobs"].values()
    (step,) = [step for step in job["steps"] if step.get("uses", "").startswith("OWNER/guidelint@")]
    assert set(step["with"]) <= set(inputs)
    checkout = job["steps"][0]
    assert checkout["with"] == {"persist-credentials": False, "fetch-depth": 0}


def test_documented_pre_commit_config_is_valid_and_the_readme_shows_it(tmp_path: Path) -> None:
    config = documented_yaml("# .pre-commit-config.yaml")
    assert config in (ROOT / "README.md").read_text("utf-8")
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(config, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [hook["id"] for hook in yaml.safe_load(config)["repos"][0]["hooks"]] == [
        hook["id"] for hook in hooks
    ]
