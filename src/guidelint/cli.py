"""The command line: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 nothing to act on; 1 findings (lint errors, or any finding with --strict);
2 usage or configuration error. Heavy modules are imported inside the command that needs
them, so `guidelint lint` in a pre-commit hook never pays for the link checker.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from guidelint import __version__
from guidelint.config import Config, ConfigError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad arguments or configuration: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _add_common_output(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument(
        "--format", choices=formats, default=formats[0], help="output format (default: %(default)s)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read settings from FILE instead of searching for one"
    )


def _add_lint(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    from guidelint.report import FORMATTERS

    parser = subparsers.add_parser(
        "lint",
        help="check guides against the schema and the content rules",
        description="Check guides against the schema and the content rules. "
        "Exit 0 when there are no errors, 1 when there are, 2 on usage errors.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="guide files or folders (default: paths from config, else guides/)",
    )
    _add_common_output(parser, list(FORMATTERS))
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="only these rules (codes, prefixes or names, comma-separated)",
    )
    parser.add_argument(
        "--extend-select", action="append", metavar="CODES", help="add rules to the selection"
    )
    parser.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on any finding, warnings and infos included"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (default: auto; honours NO_COLOR)",
    )
    parser.set_defaults(handler=_run_lint)


def _split(values: Sequence[str] | None) -> list[str]:
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def _load_config(args: argparse.Namespace) -> Config:
    from guidelint.config import load_config

    return load_config(Path(args.config) if args.config else None, Path.cwd())


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _emit(text: str, output: str | None, stdout: TextIO) -> None:
    if output is None or output == "-":
        stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error


def _configured_paths(config: Config) -> list[str]:
    """Config paths are relative to the config file; findings show them relative to here."""
    if config.source is None:
        return list(config.paths)
    return [os.path.relpath(config.root / path) for path in config.paths]


def _run_lint(args: argparse.Namespace, stdout: TextIO) -> int:
    from guidelint.lint import build_selection, lint_paths
    from guidelint.report import FORMATTERS, ReportOptions

    config = _load_config(args)
    select = _split(args.select) if args.select else None
    selection = build_selection(config, select, _split(args.ignore), _split(args.extend_select))
    result = lint_paths(args.paths or _configured_paths(config), selection)
    color = args.output in (None, "-") and _use_color(args.color, stdout)
    report = FORMATTERS[args.format](result, ReportOptions(color=color))
    _emit(report, args.output, stdout)
    return EXIT_FINDINGS if result.failed(strict=args.strict) else EXIT_OK


def _add_rules(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    parser = subparsers.add_parser(
        "rules",
        help="list the rules, or explain one",
        description="List every rule, or explain one rule given by code or name.",
    )
    parser.add_argument(
        "rule", nargs="?", metavar="CODE", help="a rule code (GL101) or name (empty-section)"
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="output format (default: %(default)s)",
    )
    parser.set_defaults(handler=_run_rules)


def _run_rules(args: argparse.Namespace, stdout: TextIO) -> int:
    from guidelint import ruledocs
    from guidelint.rules import BY_NAME, RULES

    if args.rule is None:
        stdout.write(ruledocs.render_all(args.format))
        return EXIT_OK
    rule = RULES.get(args.rule.upper()) or BY_NAME.get(args.rule)
    if rule is None:
        raise UsageError(f"unknown rule '{args.rule}'; run 'guidelint rules' to list them")
    stdout.write(ruledocs.render_one(rule, args.format))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse._SubParsersAction[_Parser]], None]] = {
    "lint": _add_lint,
    "rules": _add_rules,
}


def build_parser() -> _Parser:
    parser = _Parser(
        prog="guidelint",
        description="Keep crisis-support guides correct, consistent and reachable.",
        epilog="Run 'guidelint COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"guidelint {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in COMMANDS.values():
        add(subparsers)
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    if stdout is None and isinstance(sys.stdout, io.TextIOWrapper):
        # Guide text can hold lone surrogates ("\\ud800" in YAML); print them escaped.
        sys.stdout.reconfigure(errors="backslashreplace")
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return EXIT_USAGE
        code: int = args.handler(args, out)
        return code
    except (UsageError, ConfigError) as error:
        err.write(f"guidelint: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("guidelint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
