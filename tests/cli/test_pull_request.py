"""`guidelint links --changed-since REF`: a pull request's check of the guides it touches.

Each test builds a real git repository in a temp folder: a base branch whose guides link
to the loopback zoo, and a change on top of it.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from guidelint.cli import main
from linkzoo import Zoo

GUIDE = "id: {id}\ntitle: What to do if…\nresources:\n- id: r\n  name: Help\n  url: {url}\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=30,
    )


def write(repo: Path, name: str, url: str) -> None:
    path = repo / "guides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GUIDE.format(id=path.stem, url=url), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, zoo: Zoo, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A base branch with one working and one dead link, and a branch `change` off it."""
    git(tmp_path, "init", "-q", "-b", "base")
    write(tmp_path, "good.yaml", f"http://127.0.0.1:{zoo.port}/ok")
    write(tmp_path, "already-dead.yaml", f"http://127.0.0.1:{zoo.port}/gone")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "change")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def links(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["links", "--no-progress", "--allow", "127.0.0.1", "--changed-since", "base", *args],
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_a_change_that_adds_a_dead_link_fails_at_once(repo: Path, zoo: Zoo) -> None:
    write(repo, "new.yaml", f"http://127.0.0.1:{zoo.port}/gone")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add a guide")
    code, out, _ = links()
    assert code == 1  # no history, no three days: dead now is dead
    assert "1 URL checked" in out and "new.yaml" in out
    assert "already-dead.yaml" not in out  # the change did not touch it
    assert not (repo / ".guidelint").exists()  # nothing recorded for the scheduled run


def test_uncommitted_edits_count_and_untouched_dead_links_do_not(repo: Path, zoo: Zoo) -> None:
    write(repo, "good.yaml", f"http://127.0.0.1:{zoo.port}/ok?edited=1")
    code, out, _ = links("--format", "json")
    assert code == 0
    assert '"verdict": "ok"' in out and "already-dead" not in out


def test_a_change_that_touches_no_guide_checks_nothing(repo: Path) -> None:
    (repo / "README.md").write_text("docs\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "docs")
    code, out, err = links()
    assert code == 0
    assert "no guide changed since base" in err
    assert "0 URLs checked" in out


def test_the_base_branch_moving_on_does_not_count(repo: Path, zoo: Zoo) -> None:
    git(repo, "checkout", "-q", "base")
    write(repo, "later.yaml", f"http://127.0.0.1:{zoo.port}/gone")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base moves on")
    git(repo, "checkout", "-q", "change")
    code, out, _ = links()
    assert code == 0 and "later.yaml" not in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--changed-since", "no-such-branch"), "is not a commit git knows here"),
        (("--state", "h.sqlite"), "drop --state"),
        (("--fix-moved",), "drop --fix-moved"),
        (("--fail-on", "confirmed"), "drop --fail-on"),
    ],
)
def test_usage_errors_are_one_line(repo: Path, extra: tuple[str, ...], message: str) -> None:
    code, _, err = links(*extra)
    assert code == 2
    assert err.count("\n") == 1 and message in err


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = links()
    assert code == 2 and "--changed-since base:" in err
