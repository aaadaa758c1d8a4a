"""guidelint.cli itself: the entry points, the parser, and errors mapped to exit codes."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path
from typing import TextIO

import pytest

from guidelint import cli
from guidelint.cli import COMMANDS, USAGE_ERRORS, build_parser, usage_error_message
from support import FIXTURES, ROOT, run_cli

VALID = FIXTURES / "guides" / "valid" / "minimal-us.yaml"


def test_no_command_prints_help_and_exits_2() -> None:
    run = run_cli()
    assert run.code == 2
    assert "lint" in run.stdout and "rules" in run.stdout


def test_version_and_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "guidelint", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("guidelint ")


def test_the_console_script_entry_point_runs_a_command(tmp_path: Path) -> None:
    # pyproject.toml: guidelint = "guidelint.cli:run"
    code = "import sys; sys.argv[1:] = ['lint', sys.argv[1]]; from guidelint.cli import run; run()"
    done = subprocess.run(
        [sys.executable, "-c", code, str(VALID)], capture_output=True, text=True, cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "1 file checked: 0 errors, 0 warnings, 0 infos.\n"


def test_the_command_collects_garbage_less_often_than_the_default() -> None:
    from guidelint.cli import GC_YOUNG_THRESHOLD

    code = (
        "import gc\n"
        "from guidelint import cli\n"
        "cli.main = lambda: print(gc.get_threshold()[0]) or 0\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert int(done.stdout) == GC_YOUNG_THRESHOLD > 700


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys\n"
        "from guidelint.cli import build_parser\n"
        "print(build_parser().format_help())\n"
        "print('loaded=' + ','.join(sorted(m for m in sys.modules if m.startswith('guidelint.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    for name, (_, summary) in COMMANDS.items():
        assert f"    {name:<10}{summary}\n" in done.stdout
    assert done.stdout.splitlines()[-1] == "loaded=guidelint.cli"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_builds_its_options_when_used(name: str) -> None:
    module, _ = COMMANDS[name]
    parser = build_parser()
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    command = subparsers.choices[name]
    assert [action.dest for action in command._actions] == ["help"]  # nothing built yet
    usage = command.format_usage()
    assert usage.startswith(f"usage: guidelint {name} [-h]")
    assert len(command._actions) > 1
    assert command.get_default("handler").__module__ == f"guidelint.cli.{module}"
    assert command.description


def test_every_usage_error_names_an_exception_class() -> None:
    for module, name, _ in USAGE_ERRORS:
        kind = getattr(importlib.import_module(module), name)
        assert isinstance(kind, type) and issubclass(kind, Exception), (module, name)


def test_usage_errors_map_to_one_line_and_others_do_not() -> None:
    from guidelint.atomic import WriteError
    from guidelint.config import ConfigError
    from guidelint.links.history import HistoryError

    assert usage_error_message(cli.UsageError("bad flag")) == "bad flag"
    assert usage_error_message(ConfigError("x.toml: unknown key")) == "x.toml: unknown key"
    assert usage_error_message(HistoryError("h.sqlite: locked")) == "h.sqlite: locked"
    assert usage_error_message(WriteError("out.md", "No space left on device", 28)) == (
        "cannot write out.md: No space left on device"
    )
    assert usage_error_message(ValueError("a bug")) is None
    assert usage_error_message(OSError(2, "No such file or directory")) is None


def test_mapping_errors_imports_nothing() -> None:
    code = (
        "import sys\n"
        "from guidelint.cli import usage_error_message\n"
        "assert usage_error_message(ValueError('x')) is None\n"
        "print(','.join(m for m in ('guidelint.links.history', 'guidelint.atomic', 'ssl',"
        " 'guidelint.workers') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == ""


def _raising(error: BaseException) -> object:
    def handler(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        raise error

    return handler


@pytest.mark.parametrize(
    ("error", "code", "stderr"),
    [
        (cli.UsageError("no such rule"), 2, "guidelint: error: no such rule\n"),
        (cli.Failed(["a.yaml:1:1: bad", "b.yaml:2:3: worse"]), 1, "a.yaml:1:1: bad\nb.yaml:2:3: worse\n"),
        (KeyboardInterrupt(), 130, "guidelint: interrupted\n"),
        (BrokenPipeError(), 0, ""),
    ],
)  # fmt: skip
def test_errors_become_exit_codes_in_main(
    monkeypatch: pytest.MonkeyPatch, in_tmp: Path, error: BaseException, code: int, stderr: str
) -> None:
    from guidelint.cli import lint

    monkeypatch.setattr(lint, "run_lint", _raising(error))
    run = run_cli("lint")
    assert (run.code, run.stdout, run.stderr) == (code, "", stderr)


def test_an_unexpected_error_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    from guidelint.cli import lint

    monkeypatch.setattr(lint, "run_lint", _raising(ZeroDivisionError("a bug")))
    with pytest.raises(ZeroDivisionError):
        run_cli("lint")
