from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidelint.config import ConfigError, load_config
from support import FIXTURES, run_cli

MISMATCH = FIXTURES / "guides" / "invalid" / "id-mismatch.yaml"


def test_unknown_top_level_key_is_named(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[tool.guidelint]\nselcet = ['GL1']\n")
    with pytest.raises(ConfigError, match="unknown key 'selcet'"):
        load_config(None, in_tmp)
    run = run_cli("lint", str(MISMATCH))
    assert run.code == 2
    assert "unknown key 'selcet'" in run.stderr


def test_pyproject_without_tool_table_is_skipped(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    config = load_config(None, in_tmp)
    assert config.source is None


def test_invalid_toml_is_a_usage_error(in_tmp: Path) -> None:
    (in_tmp / "guidelint.toml").write_text("select = [\n")
    run = run_cli("lint", str(MISMATCH))
    assert run.code == 2
    assert "invalid TOML" in run.stderr


def test_broken_pyproject_is_reported_not_skipped(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[tool.guidelint\n")
    run = run_cli("lint", str(MISMATCH))
    assert run.code == 2
    assert "pyproject.toml: invalid TOML" in run.stderr


def test_pyproject_table_is_read(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[tool.guidelint]\nignore = ['GL102']\n")
    config = load_config(None, in_tmp)
    assert config.source == in_tmp / "pyproject.toml"
    assert config.ignore == ("GL102",)


def test_per_file_ignores(in_tmp: Path) -> None:
    (in_tmp / "guides").mkdir()
    shutil.copy(MISMATCH, in_tmp / "guides" / MISMATCH.name)
    (in_tmp / "guidelint.toml").write_text('[per-file-ignores]\n"guides/id-*.yaml" = ["GL102"]\n')
    assert run_cli("lint", "guides").code == 0


def test_severity_override(in_tmp: Path) -> None:
    (in_tmp / "guidelint.toml").write_text('[severity]\nid-matches-path = "warning"\n')
    run = run_cli("lint", str(MISMATCH))
    assert run.code == 0
    assert "GL102 [warning]" in run.stdout


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[severity]\nGL102 = "fatal"\n', "'severity.GL102' must be one of error, warning, info"),
        ("[rules.GL102]\nstrictness = 3\n", "[rules.GL102] unknown key 'strictness'"),
        ("[rules.GL999]\n", "[rules] 'GL999' is not a rule code or name"),
        ('select = "GL1"\nignore = [1]\n', "'ignore' must be a list of strings, not [1]"),
        ('[per-file-ignores]\n"*.yaml" = ["GL-nope"]\n', "unknown rule 'GL-nope'"),
    ],
)
def test_config_errors_exit_2(in_tmp: Path, toml: str, message: str) -> None:
    (in_tmp / "guidelint.toml").write_text(toml)
    run = run_cli("lint", str(MISMATCH))
    assert run.code == 2, run.stdout
    assert message in run.stderr
