from __future__ import annotations

from pathlib import Path

from support import FIXTURES, run_cli

BASE = (FIXTURES / "guides" / "valid" / "minimal-us.yaml").read_text("utf-8")


def _write(folder: Path, text: str) -> Path:
    path = folder / "minimal-us.yaml"
    path.write_text(text, "utf-8")
    return path


def test_trailing_comment_suppresses_its_line(in_tmp: Path) -> None:
    text = BASE.replace("id: minimal-us", "id: other  # guidelint: disable=GL102 -- renamed later")
    assert run_cli("lint", str(_write(in_tmp, text))).code == 0


def test_own_line_comment_suppresses_the_next_line(in_tmp: Path) -> None:
    text = BASE.replace(
        "id: minimal-us", "# guidelint: disable=id-matches-path -- reason\n\nid: other"
    )
    assert run_cli("lint", str(_write(in_tmp, text))).code == 0


def test_file_level_suppression(in_tmp: Path) -> None:
    text = "# guidelint: disable-file=GL102\n" + BASE.replace("id: minimal-us", "id: other")
    assert run_cli("lint", str(_write(in_tmp, text))).code == 0


def test_suppression_elsewhere_does_not_apply(in_tmp: Path) -> None:
    text = BASE.replace("id: minimal-us", "id: other").replace(
        "owner: Test team", "owner: Test team  # guidelint: disable=GL102"
    )
    run = run_cli("lint", str(_write(in_tmp, text)))
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert any(":2:5: GL102" in line for line in lines)
    assert any(
        ":7:19: GL008 [warning] suppression of GL102 matches no finding" in line for line in lines
    )


def test_unknown_code_in_suppression_is_reported(in_tmp: Path) -> None:
    text = BASE.replace("owner: Test team", "owner: Test team  # guidelint: disable=GL999")
    run = run_cli("lint", str(_write(in_tmp, text)))
    assert "GL008 [warning] suppression names unknown rule 'GL999'" in run.stdout


def test_directive_inside_a_string_is_text(in_tmp: Path) -> None:
    text = BASE.replace(
        "reassurance: This is normal.", "reassurance: 'This # guidelint: disable=GL102 is text.'"
    ).replace("id: minimal-us", "id: other")
    run = run_cli("lint", str(_write(in_tmp, text)))
    assert run.code == 1
    assert "GL008" not in run.stdout
