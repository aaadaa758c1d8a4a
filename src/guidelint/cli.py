"""The command line: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 nothing to act on; 1 findings (lint errors, or any finding with --strict);
2 usage or configuration error. Heavy modules are imported inside the command that needs
them, so `guidelint lint` in a pre-commit hook never pays for the link checker.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from guidelint import __version__
from guidelint.config import ConfigError

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


def _load_config(args: argparse.Namespace) -> object:
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
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error


def _run_lint(args: argparse.Namespace, stdout: TextIO) -> int:
    from guidelint.config import Config
    from guidelint.lint import build_selection, lint_paths
    from guidelint.report import FORMATTERS, ReportOptions

    config = _load_config(args)
    assert isinstance(config, Config)
    select = _split(args.select) if args.select else None
    selection = build_selection(config, select, _split(args.ignore), _split(args.extend_select))
    paths = args.paths or [
        str(config.root / path) if not Path(path).is_absolute() and config.source else path
        for path in config.paths
    ]
    result = lint_paths(paths, selection)
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


def _add_links(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    parser = subparsers.add_parser(
        "links",
        help="check that the guides' links still work",
        description="Check every URL in the guides (resources and prose): dead, moved, "
        "soft-404, blocked and more. Exit 0 when nothing needs action, 1 when a link is dead, "
        "moved or changed, 2 on usage errors or when the checker itself is offline.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="guide files or folders (default: paths from config, else guides/)",
    )
    _add_common_output(parser, ["text", "markdown", "json", "html"])
    parser.add_argument("--timeout", type=_positive_float, metavar="S", help="seconds per request")
    parser.add_argument(
        "--concurrency", type=_positive_int, metavar="N", help="requests in flight overall"
    )
    parser.add_argument(
        "--per-host", type=_positive_int, metavar="N", help="requests in flight per host"
    )
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="CIDR_OR_HOST",
        help="allow this network or host although it is private or loopback (repeatable)",
    )
    parser.add_argument(
        "--ca-file", metavar="PEM", help="trust this CA bundle in addition to the system's"
    )
    parser.add_argument("--user-agent", metavar="TEXT", help="User-Agent header to send")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar (shown on a TTY by default)"
    )
    parser.add_argument(
        "--fail-on",
        choices=("new", "confirmed"),
        help="exit 1 on any dead link (new), or only on dead links the run history has "
        "confirmed (confirmed; the default once a run history is kept)",
    )
    parser.set_defaults(handler=_run_links)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _run_links(args: argparse.Namespace, stdout: TextIO) -> int:
    import dataclasses
    import ssl

    from guidelint.config import Config
    from guidelint.links.checker import check_urls
    from guidelint.links.collect import collect
    from guidelint.links.report import FORMATS, failing
    from guidelint.links.settings import parse_allow, parse_links_config

    config = _load_config(args)
    assert isinstance(config, Config)
    options = parse_links_config(config.links, str(config.source or "config"))
    options = dataclasses.replace(
        options,
        timeout=args.timeout or options.timeout,
        concurrency=args.concurrency or options.concurrency,
        per_host=args.per_host or options.per_host,
        user_agent=args.user_agent or options.user_agent,
        ca_file=args.ca_file or options.ca_file,
        allow=options.allow.extended(parse_allow(args.allow, "--allow")),
    )
    if options.ca_file is not None and not Path(options.ca_file).is_file():
        raise UsageError(f"--ca-file {options.ca_file}: no such file")
    paths = args.paths or [
        str(config.root / path) if not Path(path).is_absolute() and config.source else path
        for path in config.paths
    ]
    collection = collect(paths)
    err: TextIO = args.stderr
    for bad in collection.unreadable:
        err.write(
            f"guidelint: skipped {bad.path}:{bad.line}:{bad.column}: {bad.message} "
            "(run 'guidelint lint' for details)\n"
        )
    show_progress = not args.no_progress and err.isatty() and bool(collection.urls)

    def progress(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        err.write(f"\rchecking links [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            err.write("\n")
        err.flush()

    try:
        outcome = check_urls(collection.urls, options, progress=progress if show_progress else None)
    except ssl.SSLError as error:
        raise UsageError(f"cannot use the CA file {options.ca_file}: {error}") from error
    if outcome.offline:
        raise UsageError(
            f"the link checker looks offline: {outcome.hosts_unreachable} of "
            f"{outcome.hosts_checked} hosts could not be reached at all, so no link was judged"
        )
    skipped = tuple(
        f"{bad.path} was not checked: it cannot be loaded ({bad.message})"
        for bad in collection.unreadable
    )
    if skipped:
        outcome = dataclasses.replace(outcome, notes=skipped + outcome.notes)
    _emit(FORMATS[args.format](outcome), args.output, stdout)
    # Until a run history confirms failures, every dead link counts as new.
    fail_on = args.fail_on or "new"
    return EXIT_FINDINGS if failing(outcome.results, fail_on) else EXIT_OK


COMMANDS: dict[str, Callable[[argparse._SubParsersAction[_Parser]], None]] = {
    "lint": _add_lint,
    "rules": _add_rules,
    "links": _add_links,
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
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return EXIT_USAGE
        args.stderr = err  # for progress bars and notes; reports go to stdout or --output
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
