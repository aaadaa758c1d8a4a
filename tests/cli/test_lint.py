"""`guidelint lint` and `guidelint rules` (guidelint.cli.lint)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, run_cli

VALID = FIXTURES / "guides" / "valid" / "minimal-us.yaml"
INVALID = FIXTURES / "guides" / "invalid" / "missing-owner.yaml"
HOSTILE = FIXTURES / "hostile"


def test_clean_file_exits_0(in_tmp: Path) -> None:
    run = run_cli("lint", str(VALID))
    assert run.code == 0
    assert run.stdout == "1 file checked: 0 errors, 0 warnings, 0 infos.\n"


def test_error_exits_1(in_tmp: Path) -> None:
    assert run_cli("lint", str(INVALID)).code == 1


def test_warning_exits_0_unless_strict(in_tmp: Path) -> None:
    warned = FIXTURES / "guides" / "invalid" / "unquoted-date.yaml"
    assert run_cli("lint", str(warned)).code == 0
    assert run_cli("lint", "--strict", str(warned)).code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lint", "no/such/path"), "no/such/path: no such file or directory"),
        (("lint", "--bogus"), "unrecognized arguments: --bogus"),
        (("lint", "--select", "GL999"), "unknown rule 'GL999'"),
        (("lint", "--format", "xml"), "invalid choice: 'xml'"),
        (("rules", "GL999"), "no rule is named by 'GL999'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    in_tmp: Path, args: tuple[str, ...], message: str
) -> None:
    run = run_cli(*args)
    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("guidelint: error: ")
    assert message in run.stderr


def test_every_hostile_file_is_a_located_json_finding(in_tmp: Path) -> None:
    for path in sorted(HOSTILE.glob("*.yaml")):
        run = run_cli("lint", "--format", "json", str(path))
        assert run.code == 1, path.name
        report = json.loads(run.stdout)
        assert report["diagnostics"], path.name
        assert all(d["path"] == str(path) and d["line"] >= 1 for d in report["diagnostics"])


def test_output_file(in_tmp: Path) -> None:
    run = run_cli("lint", "--format", "json", "--output", "report.json", str(VALID))
    assert run.code == 0 and run.stdout == ""
    assert json.loads((in_tmp / "report.json").read_text())["summary"]["files"] == 1


def test_output_file_matches_stdout_and_bad_output_is_a_usage_error(in_tmp: Path) -> None:
    # Reports are written in pieces: the file holds exactly what stdout gets.
    for report_format in ("text", "json", "sarif"):
        shown = run_cli("lint", "--format", report_format, str(INVALID))
        written = run_cli("lint", "--format", report_format, "-o", "out", str(INVALID))
        assert written.code == shown.code == 1 and written.stdout == ""
        assert (in_tmp / "out").read_text("utf-8") == shown.stdout
    failed = run_cli("lint", "--format", "json", "-o", "missing/dir/out.json", str(INVALID))
    assert failed.code == 2
    assert failed.stderr.count("\n") == 1 and "cannot write missing/dir/out.json" in failed.stderr


def test_select_and_ignore(in_tmp: Path) -> None:
    mismatch = FIXTURES / "guides" / "invalid" / "id-mismatch.yaml"
    assert run_cli("lint", str(mismatch)).code == 1
    assert run_cli("lint", "--ignore", "GL102", str(mismatch)).code == 0
    assert run_cli("lint", "--ignore", "id-matches-path", str(mismatch)).code == 0
    assert run_cli("lint", "--select", "GL101", str(mismatch)).code == 0
    assert run_cli("lint", "--select", "GL1", str(mismatch)).code == 1


def test_fatal_loader_findings_cannot_be_ignored(in_tmp: Path) -> None:
    run = run_cli("lint", "--ignore", "GL", str(HOSTILE / "nul-byte.yaml"))
    assert run.code == 1
    assert "GL002" in run.stdout


def test_rules_lists_and_explains() -> None:
    listing = run_cli("rules")
    assert listing.code == 0
    assert "GL101  empty-section" in listing.stdout
    explained = run_cli("rules", "empty-section")
    assert explained.code == 0
    assert explained.stdout.startswith("GL101 empty-section [error]")
    assert "Failing:" in explained.stdout and "Passing:" in explained.stdout


def test_default_paths_come_from_config(in_tmp: Path) -> None:
    (in_tmp / "content").mkdir()
    shutil.copy(INVALID, in_tmp / "content" / INVALID.name)
    (in_tmp / "guidelint.toml").write_text('paths = ["content"]\n')
    run = run_cli("lint")
    assert run.code == 1
    assert "missing-owner.yaml" in run.stdout


def test_lint_does_not_import_the_link_checker_stack() -> None:
    code = (
        "import sys\n"
        "from guidelint.cli import main\n"
        f"main(['lint', {str(VALID)!r}])\n"
        "heavy = [m for m in ('aiohttp', 'selectolax', 'multidict', 'yarl') if m in sys.modules]\n"
        "print('heavy=' + ','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines()[-1] == "heavy="


#: Imported by nothing `guidelint lint` needs for one valid guide: each costs the pre-commit
#: case milliseconds of start-up (dataclasses: ~1 ms per frozen class, plus inspect; the
#: reference validator jsonschema far more).
LAZY_FOR_LINT = (
    "dataclasses",
    "inspect",
    "importlib.resources",
    "jsonschema",
    "difflib",
    "pickle",
    "guidelint.report.sarif",
)


def test_lint_start_up_leaves_costly_modules_unimported() -> None:
    code = (
        "import sys\n"
        "from guidelint.cli import main\n"
        f"main(['lint', {str(VALID)!r}])\n"
        f"print('loaded=' + ','.join(m for m in {LAZY_FOR_LINT!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines()[-1] == "loaded="


def test_lint_never_imports_the_link_checker_stack(tmp_path: Path) -> None:
    guide = tmp_path / "guide.yaml"
    guide.write_text(
        "id: g\ntitle: What to do if…\nresources:\n- id: r0\n  name: Resource 0\n"
        "  url: https://example.org/\n",
        encoding="utf-8",
    )
    script = (
        "import sys, io\n"
        "from guidelint.cli import main\n"
        f"main(['lint', {str(guide)!r}], stdout=io.StringIO(), stderr=io.StringIO())\n"
        "heavy = sorted(m for m in ('aiohttp', 'yarl', 'rapidfuzz', 'publicsuffixlist', "
        "'guidelint.links.check') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == ""


#: What building the parser for `guidelint lint` and parsing its arguments must not import:
#: the other commands' modules, the renderers, the link stack, and the pools that parallel
#: runs start (a one-file run in a pre-commit hook starts none).
NOT_FOR_THE_LINT_PARSER = (
    "guidelint.cli.links",
    "guidelint.cli.guides",
    "guidelint.render",
    "guidelint.links",
    "guidelint.atomic",
    "aiohttp",
    "ssl",
    "concurrent.futures",
    "multiprocessing",
)


def test_parsing_lint_arguments_imports_nothing_of_the_other_commands() -> None:
    code = (
        "import sys\n"
        "from guidelint.cli import build_parser\n"
        "args = build_parser().parse_args(['lint', '--format', 'json', 'guides'])\n"
        "assert args.handler.__module__ == 'guidelint.cli.lint', args.handler\n"
        f"print('loaded=' + ','.join(m for m in {NOT_FOR_THE_LINT_PARSER!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines()[-1] == "loaded="
