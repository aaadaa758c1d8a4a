"""The GitHub Action (action.yml) runs as written: each `run:` step of the composite action is
executed here as the runner would (bash -eo pipefail, the step's `env:` with its `${{ }}`
expressions resolved, RUNNER_TEMP, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) in a
temporary content repository with git history. The install step is replaced by a virtualenv
stand-in that runs this checkout's guidelint; `make precommit-test` installs for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from linkzoo import Zoo
from support import ROOT

ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
GB_GUIDE = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"


@dataclass(frozen=True)
class StepRun:
    code: int
    stdout: str
    summary: str
    outputs: dict[str, str]


def _step(name: str) -> dict[str, Any]:
    steps: list[dict[str, Any]] = ACTION["runs"]["steps"]
    (step,) = [step for step in steps if name in (step.get("id"), step.get("name"))]
    return step


@dataclass
class Runner:
    """Runs the action's steps in `workspace` as GitHub's runner would."""

    workspace: Path
    temp: Path
    base: str = ""

    def run(self, step_name: str, **inputs: str) -> StepRun:
        context = {"github.event.pull_request.base.sha": self.base}
        values = {
            name: _resolve(str(spec.get("default", "")), context)
            for name, spec in ACTION["inputs"].items()
        }
        unknown = set(inputs) - set(values)
        assert not unknown, f"action.yml has no inputs {unknown}"
        values.update(inputs)
        context |= {f"inputs.{name}": value for name, value in values.items()}
        context |= {
            "github.action_path": str(ROOT),
            "steps.python.outputs.python-path": sys.executable,
        }
        step = _step(step_name)
        summary = self.temp / f"summary-{step_name}"
        output = self.temp / f"output-{step_name}"
        summary.write_text("", encoding="utf-8")
        output.write_text("", encoding="utf-8")
        env = {name: _resolve(str(value), context) for name, value in step["env"].items()}
        env |= {
            "PATH": os.environ["PATH"],
            "HOME": str(self.temp),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        assert step["shell"] == "bash"
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        outputs = dict(
            line.split("=", 1) for line in output.read_text("utf-8").splitlines() if "=" in line
        )
        return StepRun(
            done.returncode, done.stdout + done.stderr, summary.read_text("utf-8"), outputs
        )


def _resolve(value: str, context: dict[str, str]) -> str:
    def lookup(match: re.Match[str]) -> str:
        assert match.group(1) in context, f"the test runner cannot evaluate {match.group(0)}"
        return context[match.group(1)]

    return _EXPRESSION.sub(lookup, value)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.strip()


def _venv_stand_in(temp: Path) -> None:
    """What the install step leaves behind, running this checkout's guidelint instead."""
    bin_dir = temp / "guidelint-venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, command in (("python", ""), ("guidelint", " -m guidelint")):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}"{command} "$@"\n', encoding="utf-8")
        script.chmod(0o755)


@pytest.fixture
def repo(tmp_path: Path) -> Runner:
    """A content repository: guidelint.toml, one good guide, committed as the base."""
    workspace = tmp_path / "content"
    (workspace / "guides" / "gb").mkdir(parents=True)
    shutil.copy(GB_GUIDE, workspace / "guides" / "gb")
    # The zoo's sites are on loopback, which the checker refuses unless allowed.
    (workspace / "guidelint.toml").write_text(
        'paths = ["guides"]\n[links]\nallow = ["127.0.0.1"]\ntimeout = 2\nretries = 0\n',
        encoding="utf-8",
    )
    _git(workspace, "init", "-q", "-b", "main")
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-q", "-m", "base")
    temp = tmp_path / "runner-temp"
    _venv_stand_in(temp)
    return Runner(workspace, temp, base=_git(workspace, "rev-parse", "HEAD"))


def _write_guide(path: Path, urls: list[str]) -> None:
    resources = "".join(
        f"- id: r{index}\n  name: Resource {index}\n  url: {url}\n"
        for index, url in enumerate(urls)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"id: {path.stem}\ntitle: What to do if…\nresources:\n{resources}", "utf-8")


def test_inputs_are_checked_before_anything_runs(repo: Runner) -> None:
    assert repo.run("Check the inputs").code == 0
    bad = repo.run("Check the inputs", lint="yes", links="always")
    assert bad.code == 1
    assert "::error title=guidelint::input lint must be true or false" in bad.stdout
    assert "::error title=guidelint::input links must be off or pr" in bad.stdout


def test_lint_annotates_summarises_and_writes_sarif(repo: Runner) -> None:
    good = repo.run("lint")
    assert good.code == 0, good.stdout
    # Warnings annotate but do not fail the step.
    assert "::warning file=guides/gb/intimate-images-saved-gb.yaml,line=" in good.stdout
    assert "::error" not in good.stdout
    assert "GL405" in good.summary
    wrong = repo.workspace / "guides" / "gb" / "wrong-number-gb.yaml"
    text = GB_GUIDE.read_text("utf-8").replace("id: intimate-images-saved-gb", f"id: {wrong.stem}")
    wrong.write_text(text.replace("danger, call 999.", "danger, call 911."), encoding="utf-8")
    bad = repo.run("lint")
    assert bad.code == 1
    assert "::error file=guides/gb/wrong-number-gb.yaml,line=" in bad.stdout
    assert "GL201" in bad.summary
    assert bad.outputs == {"sarif-file": "guidelint.sarif"}
    sarif = json.loads((repo.workspace / "guidelint.sarif").read_text("utf-8"))
    assert {result["ruleId"] for result in sarif["runs"][0]["results"]} >= {"GL201"}


def test_lint_inputs_choose_paths_config_and_outputs(repo: Runner) -> None:
    (repo.workspace / "other.toml").write_text('select = ["GL1"]\n', encoding="utf-8")
    run = repo.run(
        "lint",
        paths="guides/gb\n",
        config="other.toml",
        **{"sarif-file": "", "job-summary": "false"},
    )
    assert run.code == 0, run.stdout
    assert run.summary == ""
    assert run.outputs == {}
    assert not (repo.workspace / "guidelint.sarif").exists()
    usage = repo.run("lint", config="missing.toml")
    assert usage.code == 2
    assert "missing.toml" in usage.stdout


def test_pull_request_that_adds_a_dead_link_fails(repo: Runner, zoo: Zoo) -> None:
    base = f"http://127.0.0.1:{zoo.port}"
    _git(repo.workspace, "switch", "-q", "-c", "change")
    _write_guide(repo.workspace / "guides" / "gb" / "new-gb.yaml", [f"{base}/ok", f"{base}/gone"])
    (repo.workspace / "README.md").write_text("not a guide\n", encoding="utf-8")
    _git(repo.workspace, "add", ".")
    _git(repo.workspace, "commit", "-q", "-m", "a guide with a dead link")
    run = repo.run("links", links="pr")
    assert run.code == 1, run.stdout
    assert json.loads(run.outputs["changed-guides"]) == ["guides/gb/new-gb.yaml"]
    assert f"{base}/gone" in run.summary
    assert "::error title=guidelint links::links in the changed guides need attention" in run.stdout
    # What guidelint printed ran with workflow commands switched off, then back on.
    token = re.search(r"::stop-commands::(guidelint-[0-9a-f]{32})\n", run.stdout)
    assert token is not None
    assert f"\n::{token.group(1)}::\n" in run.stdout


def test_pull_request_with_working_links_or_no_guides_passes(repo: Runner, zoo: Zoo) -> None:
    _git(repo.workspace, "switch", "-q", "-c", "change")
    (repo.workspace / "README.md").write_text("not a guide\n", encoding="utf-8")
    _git(repo.workspace, "add", ".")
    _git(repo.workspace, "commit", "-q", "-m", "no guide")
    quiet = repo.run("links", links="pr")
    assert quiet.code == 0, quiet.stdout
    assert quiet.outputs == {"changed-guides": "[]"}
    assert "No guide changed since" in quiet.summary
    good = repo.workspace / "guides" / "gb" / "good-gb.yaml"
    _write_guide(good, [f"http://127.0.0.1:{zoo.port}/ok"])
    _git(repo.workspace, "add", ".")
    _git(repo.workspace, "commit", "-q", "-m", "a guide with a working link")
    passing = repo.run("links", links="pr")
    assert passing.code == 0, passing.stdout
    assert json.loads(passing.outputs["changed-guides"]) == ["guides/gb/good-gb.yaml"]


def test_link_check_says_what_is_missing_without_a_base(repo: Runner) -> None:
    repo.base = ""
    none = repo.run("links", links="pr")
    assert none.code == 2
    assert "links: pr needs the commit to compare with" in none.stdout
    unknown = repo.run("links", links="pr", base="0" * 40)
    assert unknown.code == 2
    assert "is not in the checkout; check out with fetch-depth: 0" in unknown.stdout


def test_every_expression_in_a_run_step_goes_through_env() -> None:
    """zizmor's template-injection audit, kept by construction: no `${{` inside `run:`."""
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_third_party_actions_are_pinned_by_commit_with_their_version() -> None:
    uses = [line.strip() for line in (ROOT / "action.yml").read_text("utf-8").splitlines()]
    pinned = [line for line in uses if re.match(r"-?\s*uses:", line)]
    assert pinned
    for line in pinned:
        assert re.fullmatch(r"-?\s*uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line)
