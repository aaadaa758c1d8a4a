"""Per-rule options from a config file, end to end through `guidelint lint`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from guidelint.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "rules" / "GL403" / "pass"


def _lint(tmp_path: Path, config: str) -> tuple[int, dict[str, object], str]:
    guides = tmp_path / "guides"
    guides.mkdir()
    for path in FIXTURE.glob("*.yaml"):
        (guides / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "guidelint.toml").write_text(config, "utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["lint", "--config", str(tmp_path / "guidelint.toml"), "--format", "json", str(guides)],
        stdout=out,
        stderr=err,
    )
    return code, json.loads(out.getvalue()) if out.getvalue() else {}, err.getvalue()


def test_max_words_from_config_file(tmp_path: Path) -> None:
    code, report, _ = _lint(tmp_path, 'select = ["GL403"]\n')
    assert code == 0
    assert report["diagnostics"] == []
    (tmp_path / "guides").rename(tmp_path / "first")
    code, report, _ = _lint(tmp_path, 'select = ["GL403"]\n[rules.GL403]\nmax_words = 12\n')
    assert code == 0  # a warning does not fail the run
    diagnostics = report["diagnostics"]
    assert isinstance(diagnostics, list)
    # "It is not your fault (e.g., a reused password, … — all common)." has 19 words.
    assert [(d["line"], d["column"], d["code"]) for d in diagnostics] == [(23, 43, "GL403")]
    assert "has 19 words (target: 12 or fewer)" in diagnostics[0]["message"]


def test_unknown_option_is_a_config_error(tmp_path: Path) -> None:
    code, _, err = _lint(tmp_path, "[rules.GL403]\nmax_sentence_words = 20\n")
    assert code == 2
    assert "[rules.GL403] unknown key 'max_sentence_words'" in err
