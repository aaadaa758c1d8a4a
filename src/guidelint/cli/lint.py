"""`guidelint lint` and `guidelint rules`.

This module is on the pre-commit path: it imports the linter and the report it writes only
when they run.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

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
from guidelint.escape import visible

if TYPE_CHECKING:
    from guidelint.config import Config
    from guidelint.lint import LintResult
    from guidelint.lint_baseline import Baseline


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
    adoption = parser.add_argument_group("adopting guidelint on an existing library")
    adoption.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not accepted in FILE (default: config 'baseline', if set)",
    )
    adoption.add_argument(
        "--update-baseline",
        action="store_true",
        help="accept every finding of this run into the baseline file, and exit 0",
    )
    parser.set_defaults(handler=run_lint)


def _split(values: Sequence[str] | None) -> list[str]:
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def run_lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.files import discover
    from guidelint.lint import build_selection, lint_files
    from guidelint.report import ReportOptions, chunks

    config = load_config(args)
    baseline = _baseline_path(args, config)
    select = _split(args.select) if args.select else None
    selection = build_selection(config, select, _split(args.ignore), _split(args.extend_select))
    files = discover(args.paths or configured_paths(config))
    result = lint_files(files, selection)
    if baseline is not None:
        result = _against_baseline(result, files, baseline, args.update_baseline, config, stderr)
    color = to_stdout(args.output) and use_color(args.color, stdout)
    write_report(chunks(args.format, result, ReportOptions(color=color)), args.output, stdout)
    return EXIT_FINDINGS if result.failed(strict=args.strict) else EXIT_OK


def _baseline_path(args: argparse.Namespace, config: Config) -> Path | None:
    if args.baseline is not None:
        return Path(args.baseline)  # relative to here, as every path on the command line
    if config.baseline is not None:
        # Relative to the config file, shown relative to here (as the configured paths are).
        if config.source is None:
            return Path(config.baseline)
        return Path(os.path.relpath(config.root / config.baseline))
    if args.update_baseline:
        raise UsageError("--update-baseline needs a file: --baseline FILE, or 'baseline' in config")
    return None


def _against_baseline(
    result: LintResult,
    files: Sequence[Path],
    path: Path,
    update: bool,
    config: Config,
    stderr: TextIO,
) -> LintResult:
    """The findings the baseline at `path` does not accept; with `update`, accept them all
    (for the files linted now: the others keep what the baseline accepted for them)."""
    from guidelint import lint_baseline
    from guidelint.lint import LintResult

    lines = lint_baseline.file_lines()
    checked = {lint_baseline.key_path(str(file), config.root) for file in files}
    accepted = _load_baseline(path, missing_ok=update)
    if update:
        updated = lint_baseline.update(accepted, result.diagnostics, lines, config.root, checked)
        lint_baseline.save(path, updated)
        count = len(result.diagnostics)
        stderr.write(f"guidelint: accepted {_findings(count)} into {visible(str(path))}\n")
        return LintResult(result.files, [])
    filtered = lint_baseline.filter_new(result.diagnostics, accepted, lines, config.root, checked)
    if filtered.accepted or filtered.fixed:
        note = f"{_findings(len(filtered.accepted))} accepted in {visible(str(path))} not shown"
        if filtered.fixed:
            them = "it" if filtered.fixed == 1 else "them"
            note += f"; {_findings(filtered.fixed)} no longer found: --update-baseline drops {them}"
        stderr.write(f"guidelint: {note}\n")
    return LintResult(result.files, list(filtered.new))


def _load_baseline(path: Path, *, missing_ok: bool) -> Baseline:
    from guidelint import lint_baseline

    if missing_ok and not path.exists():
        return lint_baseline.Baseline({})
    try:
        return lint_baseline.load(path)
    except lint_baseline.BaselineError as error:
        raise UsageError(visible(str(error))) from None


def _findings(count: int) -> str:
    return f"{count} finding{'' if count == 1 else 's'}"


def add_rules(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List every rule, or explain the rules a selector names: a code (GL101), a code "
        "prefix (GL1, as --select takes) or a name (empty-section)."
    )
    parser.add_argument(
        "rule",
        nargs="?",
        metavar="SELECTOR",
        help="a rule code (GL101), a prefix (GL1) or a name (empty-section)",
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

    if args.rule is None:
        stdout.write(ruledocs.render_all(args.format))
        return EXIT_OK
    text = ruledocs.render_selected(args.rule, args.format)
    if text is None:
        raise UsageError(
            f"no rule is named by '{visible(args.rule)}'; run 'guidelint rules' to list them"
        )
    stdout.write(text)
    return EXIT_OK


SETUP: Final[dict[str, Callable[[argparse.ArgumentParser], None]]] = {
    "lint": add_lint,
    "rules": add_rules,
}
