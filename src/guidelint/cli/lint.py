"""`guidelint lint` and `guidelint rules`.

This module is on the pre-commit path: it imports the linter and the report it writes only
when they run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Final, TextIO

from guidelint.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_paths,
    add_report_options,
    configured_paths,
    load_config,
)
from guidelint.cli.output import to_stdout, use_color, write_report


def add_lint(parser: argparse.ArgumentParser) -> None:
    from guidelint.report import FORMATTERS

    parser.description = (
        "Check guides against the schema and the content rules. "
        "Exit 0 when there are no errors, 1 when there are, 2 on usage errors."
    )
    add_paths(parser)
    add_report_options(parser, list(FORMATTERS))
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
    parser.set_defaults(handler=run_lint)


def _split(values: Sequence[str] | None) -> list[str]:
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def run_lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.lint import build_selection, lint_paths
    from guidelint.report import ReportOptions, chunks

    config = load_config(args)
    select = _split(args.select) if args.select else None
    selection = build_selection(config, select, _split(args.ignore), _split(args.extend_select))
    result = lint_paths(args.paths or configured_paths(config), selection)
    color = to_stdout(args.output) and use_color(args.color, stdout)
    write_report(chunks(args.format, result, ReportOptions(color=color)), args.output, stdout)
    return EXIT_FINDINGS if result.failed(strict=args.strict) else EXIT_OK


def add_rules(parser: argparse.ArgumentParser) -> None:
    parser.description = "List every rule, or explain one rule given by code or name."
    parser.add_argument(
        "rule", nargs="?", metavar="CODE", help="a rule code (GL101) or name (empty-section)"
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="output format (default: %(default)s)",
    )
    parser.set_defaults(handler=run_rules)


def run_rules(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
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


SETUP: Final[dict[str, Callable[[argparse.ArgumentParser], None]]] = {
    "lint": add_lint,
    "rules": add_rules,
}
