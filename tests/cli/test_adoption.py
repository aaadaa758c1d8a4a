"""Adopting guidelint on a library that already has findings, and publishing only what lints.

`lint --baseline` / `--update-baseline` accept today's findings and fail only on new ones;
`render` refuses guides with lint errors unless `--allow-errors`; `rules` takes any
selector `--select` takes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support import ROOT, run_cli

GB_GUIDE = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"


def _library(root: Path) -> Path:
    guides = root / "guides" / "gb"
    guides.mkdir(parents=True)
    shutil.copy(GB_GUIDE, guides)
    (root / "guidelint.toml").write_text(
        'paths = ["guides"]\nbaseline = "lint-baseline.json"\n', encoding="utf-8"
    )
    return guides / GB_GUIDE.name


def test_a_baseline_accepts_todays_findings_and_fails_on_new_ones(in_tmp: Path) -> None:
    guide = _library(in_tmp)
    missing = run_cli("lint")  # the configured baseline does not exist yet
    assert missing.code == 2 and "create it with --update-baseline" in missing.stderr
    accepted = run_cli("lint", "--update-baseline")
    assert accepted.code == 0
    assert "accepted" in accepted.stderr and "into lint-baseline.json" in accepted.stderr
    quiet = run_cli("lint", "--strict")
    assert quiet.code == 0
    assert "2 files" not in quiet.stdout and "not shown" in quiet.stderr
    # A new mistake on a new line is reported, the accepted ones still are not.
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("can_wait:\n", "can_wait:\n- Call 911 later and/or TODO.\n"))
    found = run_cli("lint", "--format", "json")
    assert found.code == 1
    codes = sorted({d["code"] for d in json.loads(found.stdout)["diagnostics"]})
    assert "GL201" in codes and "GL401" in codes
    assert all(
        d["line"] == text.split("\n").index("can_wait:") + 2
        for d in json.loads(found.stdout)["diagnostics"]
    )


def test_accepted_findings_survive_their_lines_moving(in_tmp: Path) -> None:
    guide = _library(in_tmp)
    run_cli("lint", "--update-baseline")
    guide.write_text("# a comment that moves every line down\n" + guide.read_text("utf-8"))
    assert run_cli("lint", "--strict").code == 0


def test_updating_from_one_file_keeps_the_rest_of_the_library(in_tmp: Path) -> None:
    guide = _library(in_tmp)
    other = guide.with_name("other-gb.yaml")
    other.write_text(
        guide.read_text("utf-8").replace("id: intimate-images-saved-gb", "id: other-gb")
    )
    run_cli("lint", "--update-baseline")
    entries = len(json.loads(Path("lint-baseline.json").read_text("utf-8"))["findings"])
    assert run_cli("lint", "--update-baseline", str(other)).code == 0
    assert len(json.loads(Path("lint-baseline.json").read_text("utf-8"))["findings"]) == entries
    # Linting one file does not call the other's accepted findings fixed.
    assert "no longer found" not in run_cli("lint", str(other)).stderr


def test_a_missing_or_broken_baseline_is_a_located_usage_error(in_tmp: Path) -> None:
    _library(in_tmp)
    missing = run_cli("lint")
    assert missing.code == 2 and "lint-baseline.json" in missing.stderr
    Path("lint-baseline.json").write_text('{"version": 1,\n "findings": [}\n', "utf-8")
    broken = run_cli("lint")
    assert broken.code == 2 and "lint-baseline.json:2:" in broken.stderr


def test_update_baseline_needs_a_file(in_tmp: Path) -> None:
    shutil.copy(GB_GUIDE, in_tmp)
    done = run_cli("lint", "--update-baseline", GB_GUIDE.name)
    assert done.code == 2 and "--update-baseline needs a file" in done.stderr


def test_render_refuses_a_guide_with_lint_errors(in_tmp: Path) -> None:
    skeleton = run_cli(
        "new", "--situation", "phone-tracked", "--jurisdiction", "IE", "-o", "phone-tracked-ie.yaml"
    )
    assert skeleton.code == 0
    refused = run_cli("render", "phone-tracked-ie.yaml", "--format", "html", "-o", "out.html")
    assert refused.code == 1
    assert "GL401" in refused.stderr and "not rendered" in refused.stderr
    assert not Path("out.html").exists()
    draft = run_cli("render", "phone-tracked-ie.yaml", "--format", "html", "--allow-errors")
    assert draft.code == 0 and draft.stdout.startswith("<!DOCTYPE html>")


def test_render_refuses_another_countrys_emergency_number(in_tmp: Path) -> None:
    au = Path("guide-au.yaml")  # the GB guide's 999 is not Australia's 000
    text = GB_GUIDE.read_text("utf-8").replace("jurisdiction: GB", "jurisdiction: AU")
    text = text.replace("language: en-GB", "language: en-AU")
    au.write_text(text.replace("id: intimate-images-saved-gb", "id: guide-au"), "utf-8")
    refused = run_cli("render", str(au))
    assert refused.code == 1 and "GL201" in refused.stderr


def test_rules_takes_any_selector(in_tmp: Path) -> None:
    family = run_cli("rules", "GL2")
    assert family.code == 0
    codes = [line.split()[0] for line in family.stdout.splitlines() if line.startswith("GL2")]
    assert codes == sorted(codes) and codes[0] == "GL201" and len(codes) > 5
    one = run_cli("rules", "placeholder")
    assert one.code == 0 and "GL401" in one.stdout
    assert run_cli("rules", "GL9").code == 2
