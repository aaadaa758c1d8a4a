"""A guide that is a symbolic link out of the checked tree is refused unread, everywhere.

The outside file holds a secret; no command may print any of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidelint.files import Trees
from support import ROOT, run_cli

SECRET = "SECRET-VALUE-7f3a"
GUIDE = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"


@pytest.fixture
def tree(in_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """guides/ with one real guide, one link inside the tree and one link out of it."""
    outside = tmp_path_factory.mktemp("elsewhere") / "private.yaml"
    outside.write_text(f"id: private\ntitle: {SECRET} TODO\nurl: https://{SECRET}.example/\n")
    guides = in_tmp / "guides"
    (guides / "gb").mkdir(parents=True)
    (guides / "gb" / GUIDE.name).write_text(GUIDE.read_text("utf-8"), encoding="utf-8")
    (guides / "shared.yaml").symlink_to(Path("gb") / GUIDE.name)
    (guides / "linked-out.yaml").symlink_to(outside)
    return guides


def test_lint_refuses_the_link_out_and_shows_none_of_it(tree: Path) -> None:
    done = run_cli("lint", "--format", "json", "guides")
    assert done.code == 1
    assert SECRET not in done.stdout + done.stderr
    by_file: dict[str, list[dict[str, object]]] = {}
    for diagnostic in json.loads(done.stdout)["diagnostics"]:
        by_file.setdefault(Path(diagnostic["path"]).name, []).append(diagnostic)
    (refusal,) = by_file["linked-out.yaml"]
    assert (refusal["code"], refusal["line"], refusal["column"]) == ("GL009", 1, 1)
    # The link inside the tree is read like any guide (as a second copy of the same id).
    assert all(d["code"] != "GL009" for d in by_file.get("shared.yaml", []))


def test_a_named_file_may_link_anywhere_inside_the_current_folder(tree: Path) -> None:
    assert "GL009" not in run_cli("lint", "guides/shared.yaml").stdout
    refused = run_cli("lint", "guides/linked-out.yaml")  # what pre-commit passes
    assert refused.code == 1 and "GL009" in refused.stdout and SECRET not in refused.stdout


def test_links_and_render_refuse_it_too(tree: Path) -> None:
    links = run_cli("links", "--no-state", "--no-progress", "--format", "json", "guides")
    assert SECRET not in links.stdout + links.stderr
    assert "linked-out.yaml:1:1: a symbolic link to a file outside" in links.stderr
    render = run_cli("render", "guides/linked-out.yaml", "--allow-errors")
    assert render.code == 1 and SECRET not in render.stdout + render.stderr


def test_trees_judge_by_the_innermost_folder(tmp_path: Path) -> None:
    library = tmp_path / "library"
    (library / "gb").mkdir(parents=True)
    target = library / "common.yaml"
    target.write_text("id: common\n")
    link = library / "gb" / "common.yaml"
    link.symlink_to(target)
    assert not Trees([library]).outside(link)  # inside library/
    assert Trees([library / "gb"]).outside(link)  # out of library/gb/
    assert not Trees([library]).outside(target)  # no link at all
