"""GL101-GL103, each with a failing and a passing case."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import FIXTURES, run_cli

VALID = FIXTURES / "guides" / "valid" / "minimal-us.yaml"


def test_gl101_blank_text_fails_and_real_text_passes(in_tmp: Path) -> None:
    text = VALID.read_text("utf-8")
    (in_tmp / "minimal-us.yaml").write_text(text.replace("- Don’t wait.", "- '  '"), "utf-8")
    run = run_cli("lint", "minimal-us.yaml")
    assert run.stdout.splitlines()[0] == (
        "minimal-us.yaml:12:5: GL101 [error] blank text in 'Do not do these things'; "
        "write it or remove the item"
    )
    assert run_cli("lint", str(VALID)).code == 0


def test_gl102_id_must_match_file_name(in_tmp: Path) -> None:
    shutil.copy(VALID, in_tmp / "renamed.yaml")
    run = run_cli("lint", "renamed.yaml")
    assert run.stdout.splitlines()[0].startswith("renamed.yaml:2:5: GL102 [error] id 'minimal-us'")
    shutil.copy(VALID, in_tmp / "minimal-us.yaml")
    assert run_cli("lint", "minimal-us.yaml").code == 0


def test_gl103_duplicate_ids_across_the_library(in_tmp: Path) -> None:
    for folder in ("a", "b"):
        (in_tmp / folder).mkdir()
        shutil.copy(VALID, in_tmp / folder / "minimal-us.yaml")
    run = run_cli("lint", ".")
    assert run.code == 1
    assert run.stdout.splitlines()[0] == (
        "b/minimal-us.yaml:2:5: GL103 [error] id 'minimal-us' is already used by "
        "a/minimal-us.yaml; ids must be unique"
    )
    shutil.rmtree(in_tmp / "b")
    assert run_cli("lint", ".").code == 0
