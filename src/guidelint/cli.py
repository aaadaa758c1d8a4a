"""The command line: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 nothing to act on; 1 findings (lint errors, or any finding with --strict);
2 usage or configuration error. Heavy modules are imported inside the command that needs
them, so `guidelint lint` in a pre-commit hook never pays for the link checker.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final, NoReturn, TextIO

from guidelint import __version__
from guidelint.config import Config, ConfigError
from guidelint.workers import WorkerError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad arguments or configuration: one line on stderr, exit 2."""


class Failed(Exception):
    """Located problems in the input (`path:line:col: message` lines): stderr, exit 1."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


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


def _emit_chunks(chunks: Iterable[str], output: str | None, stdout: TextIO) -> None:
    """Write a report piece by piece: a library's report need not fit in memory twice."""
    if output is None or output == "-":
        for chunk in chunks:
            stdout.write(chunk)
        return
    try:
        with Path(output).open("w", encoding="utf-8", errors="backslashreplace") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error


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


def _run_lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.lint import build_selection, lint_paths
    from guidelint.report import ReportOptions, chunks

    config = _load_config(args)
    select = _split(args.select) if args.select else None
    selection = build_selection(config, select, _split(args.ignore), _split(args.extend_select))
    result = lint_paths(args.paths or _configured_paths(config), selection)
    color = args.output in (None, "-") and _use_color(args.color, stdout)
    _emit_chunks(chunks(args.format, result, ReportOptions(color=color)), args.output, stdout)
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


def _run_rules(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
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


#: The keys of guidelint.render.RENDERERS, named here so that building the parser (on every
#: `guidelint lint` in a pre-commit hook) does not import the renderers.
RENDER_FORMATS = ("text", "markdown", "html")


def _add_render(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="write the published text, Markdown or HTML of guides",
        description="Render a guide, or every guide in a folder, in a published form. "
        "Text is the seeds' exact format (no final newline). A folder needs -o DIR and gets "
        "one file per guide (mirroring the folder) plus an index page for markdown and html. "
        "Exit 0 when rendered, 1 when a guide does not load or fails the schema (nothing is "
        "written), 2 on usage errors.",
    )
    parser.add_argument("path", metavar="PATH", help="a guide file or a folder of guides")
    parser.add_argument(
        "--format",
        choices=RENDER_FORMATS,
        default="text",
        help="output format (default: %(default)s)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file, or folder (required for a folder of guides); default stdout",
    )
    parser.set_defaults(handler=_run_render)


def _write_file(path: Path, text: str) -> None:
    # Write beside the target and rename, so an interrupted run never leaves half a file.
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Lone surrogates (a "\\ud800" escape in YAML) cannot be UTF-8; print them escaped.
        temporary.write_text(text, encoding="utf-8", errors="backslashreplace", newline="")
        temporary.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from error


def _run_render(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from pathlib import PurePosixPath

    from guidelint.config import ConfigError
    from guidelint.files import discover
    from guidelint.guide import Guide
    from guidelint.render import EXTENSIONS, RENDERERS, load_guide, render_library

    source = Path(args.path)
    if not source.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    if not source.is_dir():
        guide = load_guide(source, args.path)
        if not isinstance(guide, Guide):
            raise Failed([str(problem) for problem in guide])
        text = RENDERERS[args.format](guide)
        output = args.output
        if output not in (None, "-") and Path(output).is_dir():
            output = str(Path(output) / (source.stem + EXTENSIONS[args.format]))
        if output in (None, "-"):
            stdout.write(text)
        else:
            _write_file(Path(output), text)
        return EXIT_OK
    if args.output in (None, "-"):
        raise UsageError(f"{args.path} is a folder: give an output folder with -o DIR")
    target = Path(args.output)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{args.output} is a file; a folder render needs an output folder")
    try:
        files = discover([source])
    except ConfigError as error:
        raise UsageError(str(error)) from error
    if not files:
        raise UsageError(f"{args.path}: no guide files (*.yaml, *.yml) in this folder")
    guides: list[tuple[PurePosixPath, Guide]] = []
    problems: list[str] = []
    for file in files:
        loaded = load_guide(file)
        if isinstance(loaded, Guide):
            guides.append((PurePosixPath(file.relative_to(source).as_posix()), loaded))
        else:
            problems.extend(str(problem) for problem in loaded)
    if problems:
        raise Failed(problems)
    for name, text in render_library(guides, args.format).items():
        _write_file(target / name, text)
    return EXIT_OK


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date as YYYY-MM-DD") from None


def _add_guide_metadata(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jurisdiction",
        required=True,
        metavar="CC",
        help="ISO 3166-1 alpha-2 or ISO 3166-2 code, such as US, GB or US-CA",
    )
    parser.add_argument(
        "--language", metavar="TAG", help="BCP 47 tag with a region (default: en-<country>)"
    )
    parser.add_argument(
        "--id",
        metavar="ID",
        help="guide id (default: the output file name, else situation id and jurisdiction)",
    )
    parser.add_argument(
        "--last-reviewed",
        type=_date,
        metavar="DATE",
        help="review date as YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the YAML to FILE instead of stdout"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing FILE")


def _add_import(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="turn a guide in the published text form into YAML",
        description="Parse a guide in the published text form (the seeds' format) into YAML "
        "that passes the schema: sub-steps arrive as steps, resources with an id and URL only, "
        "and the owner as a TODO. Exit 0 when written, 1 when the text does not follow the "
        "format (a located error; nothing is written), 2 on usage errors.",
    )
    parser.add_argument("text", metavar="TEXT", help="the text file to import")
    _add_guide_metadata(parser)
    parser.add_argument(
        "--situation",
        metavar="SLUG",
        help="situation id shared by the variants of this guide (default: from the situation)",
    )
    parser.set_defaults(handler=_run_import)


def _output_path(args: argparse.Namespace) -> Path | None:
    if args.output in (None, "-"):
        return None
    output = Path(args.output)
    if output.is_dir():
        raise UsageError(f"{args.output} is a folder; give the file to write, such as ID.yaml")
    if output.exists() and not args.force:
        raise UsageError(f"{args.output} already exists; use --force to overwrite it")
    return output


def _guide_id(args: argparse.Namespace, output: Path | None) -> str | None:
    if output is None:
        return str(args.id) if args.id else None
    if args.id and args.id != output.stem:
        raise UsageError(
            f"--id {args.id} differs from the output file name {output.name}; "
            "a guide's id must equal its file name"
        )
    return output.stem


def _today(args: argparse.Namespace) -> datetime.date:
    reviewed: datetime.date | None = args.last_reviewed
    return reviewed or datetime.date.today()


def _run_import(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.importer import (
        MAX_BYTES,
        MetadataError,
        TextFormatError,
        import_text,
        to_yaml_checked,
    )
    from guidelint.yamlwrite import schema_ref

    output = _output_path(args)
    try:
        with Path(args.text).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{args.text}: cannot read: {error.strerror or error}") from error
    if len(raw) > MAX_BYTES:
        raise Failed(
            [f"{args.text}:1:1: file is larger than {MAX_BYTES // 1024} KiB; a guide is a few KiB"]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise Failed(
            [
                f"{args.text}:{line}:{column}: byte 0x{raw[error.start]:02x} is not valid UTF-8; "
                "save the text as UTF-8"
            ]
        ) from None
    try:
        data = import_text(
            text,
            jurisdiction=args.jurisdiction,
            language=args.language,
            guide_id=_guide_id(args, output),
            situation_id=args.situation,
            today=_today(args),
        )
        yaml_text, url_problems = to_yaml_checked(data, schema_ref(output))
    except TextFormatError as error:
        raise Failed([f"{args.text}:{error.line}:{error.column}: {error.message}"]) from None
    except MetadataError as error:
        raise UsageError(str(error)) from None
    if output is None:
        stdout.write(yaml_text)
    else:
        _write_file(output, yaml_text)
    where = str(output) if output is not None else "<stdout>"
    for problem in url_problems:
        line, column = problem.position
        stderr.write(f"{where}:{line}:{column}: warning: {problem.message} (imported as written)\n")
    return EXIT_OK


def _add_new(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    parser = subparsers.add_parser(
        "new",
        help="write a skeleton guide to fill in",
        description="Write a skeleton guide with the schema modeline and every section. It "
        "passes the schema; lint flags only the TODO placeholders left for the author.",
    )
    parser.add_argument(
        "--situation",
        required=True,
        metavar="SLUG",
        help="situation id (kebab-case), shared by the variants of one situation",
    )
    _add_guide_metadata(parser)
    parser.set_defaults(handler=_run_new)


def _run_new(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.importer import MetadataError, to_yaml
    from guidelint.skeleton import new_guide
    from guidelint.yamlwrite import schema_ref

    output = _output_path(args)
    try:
        data = new_guide(
            args.situation,
            args.jurisdiction,
            language=args.language,
            guide_id=_guide_id(args, output),
            today=_today(args),
        )
        yaml_text = to_yaml(data, schema_ref(output))
    except MetadataError as error:
        raise UsageError(str(error)) from None
    if output is None:
        stdout.write(yaml_text)
    else:
        _write_file(output, yaml_text)
    return EXIT_OK


def _add_links(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    parser = subparsers.add_parser(
        "links",
        help="check that the guides' links still work",
        description="Check every URL in the guides (resources and prose): dead, moved, "
        "soft-404, changed since the reviewed baseline, and more. Exit 0 when nothing needs "
        "action, 1 when a link is dead (confirmed by the run history unless --fail-on new), "
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
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="processes that share the checking, each owning whole sites (default 1;"
        " more pays only against fast servers with spare cores)",
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
        "--report",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write a report in FORMAT (text, markdown, json, html) to FILE; repeatable, "
        "so one run writes every report",
    )
    parser.add_argument(
        "--fail-on",
        choices=("new", "confirmed"),
        help="exit 1 on any dead link (new), or only on dead links the run history has "
        "confirmed (confirmed: the default while a run history is kept). Moved and changed "
        "links always count",
    )
    state = parser.add_argument_group("baseline and run history (docs/links-health.md)")
    state.add_argument(
        "--baseline",
        metavar="FILE",
        help="reviewed baseline of each page's content (default: config 'baseline', "
        "else guides/links-baseline.json)",
    )
    state.add_argument(
        "--state",
        metavar="FILE",
        help="SQLite run history (default: config 'state', else .guidelint/links-history.sqlite)",
    )
    state.add_argument(
        "--no-state",
        action="store_true",
        help="keep no run history: nothing is confirmed, every dead link counts",
    )
    state.add_argument(
        "--update-baseline",
        "--accept-all",
        action="store_true",
        help="check, then accept what every alive page says now into the baseline",
    )
    state.add_argument(
        "--accept",
        nargs="+",
        action="extend",
        default=[],
        metavar="URL",
        help="check these URLs and accept what their pages say now into the baseline",
    )
    state.add_argument(
        "--fix-moved",
        action="store_true",
        help="rewrite permanently moved URLs in the guides in place (only the URL changes)",
    )
    state.add_argument(
        "--fix-cross-domain",
        action="store_true",
        help="with --fix-moved, also rewrite moves to another site (review them first)",
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


#: For tests only: the run's time as ISO 8601 with a zone (e.g. 2026-11-22T05:17:00Z), so
#: runs days apart can be simulated against real servers.
NOW_VARIABLE = "GUIDELINT_NOW"


def _now() -> datetime.datetime:
    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return datetime.datetime.now(datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{NOW_VARIABLE}={value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise UsageError(f"{NOW_VARIABLE}={value!r} needs a time zone, e.g. a final Z")
    return moment


def _reports(args: argparse.Namespace, formats: Sequence[str]) -> list[tuple[str, str | None]]:
    reports: list[tuple[str, str | None]] = [(args.format, args.output)]
    for spec in args.report:
        name, sep, target = spec.partition("=")
        if not sep or not target:
            raise UsageError(f"--report {spec!r}: expected FORMAT=FILE, e.g. json=links.json")
        if name not in formats:
            raise UsageError(f"--report {spec!r}: unknown format {name!r} ({', '.join(formats)})")
        reports.append((name, target))
    return reports


def _run_links(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import dataclasses
    import ssl

    from guidelint.links import pipeline
    from guidelint.links.baseline import BaselineError
    from guidelint.links.history import HistoryError
    from guidelint.links.report import FORMATS
    from guidelint.links.settings import LinkSettings, parse_allow

    config = _load_config(args)
    links = config.links or LinkSettings()  # read and checked when the config loaded
    options, settings = links.check, links.health
    options = dataclasses.replace(
        options,
        timeout=args.timeout or options.timeout,
        concurrency=args.concurrency or options.concurrency,
        per_host=args.per_host or options.per_host,
        jobs=args.jobs or options.jobs,
        user_agent=args.user_agent or options.user_agent,
        ca_file=args.ca_file or options.ca_file,
        allow=options.allow.extended(parse_allow(args.allow, "--allow")),
    )
    if options.ca_file is not None and not Path(options.ca_file).is_file():
        raise UsageError(f"--ca-file {options.ca_file}: no such file")
    if args.no_state and args.state:
        raise UsageError("--state and --no-state contradict each other")
    if args.update_baseline and args.accept:
        raise UsageError("--update-baseline already accepts every alive URL; drop --accept")
    if args.fix_cross_domain and not args.fix_moved:
        raise UsageError("--fix-cross-domain only makes sense with --fix-moved")
    reports = _reports(args, list(FORMATS))

    def configured(value: str | None, path: Path) -> Path:
        # Flags are relative to here; config paths to the config file's folder.
        if value is not None:
            return Path(value)
        return Path(os.path.relpath(config.root / path)) if config.source else path

    baseline_path = configured(args.baseline, settings.baseline_path)
    state_path = None if args.no_state else configured(args.state, settings.state_path)
    err = stderr
    show_progress = not args.no_progress and err.isatty()

    def progress(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        err.write(f"\rchecking links [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            err.write("\n")
        err.flush()

    request = pipeline.Request(
        paths=args.paths or _configured_paths(config),
        options=options,
        settings=settings,
        now=_now(),
        baseline_path=baseline_path,
        state_path=state_path,
        update_baseline=args.update_baseline,
        accept=tuple(args.accept),
        prune=args.update_baseline and not args.paths,
        fix_moved=args.fix_moved,
        fix_cross_domain=args.fix_cross_domain,
        progress=progress if show_progress else None,
        run_totals=any(FORMATS[name].run_totals for name, _ in reports),
        timelines=any(FORMATS[name].timelines for name, _ in reports),
    )
    try:
        result = pipeline.run(request)
    except ssl.SSLError as error:
        raise UsageError(f"cannot use the CA file {options.ca_file}: {error}") from error
    except (BaselineError, HistoryError, pipeline.WriteError) as error:
        raise UsageError(str(error)) from error
    for bad in result.unreadable:
        err.write(
            f"guidelint: skipped {bad.path}:{bad.line}:{bad.column}: {bad.message} "
            "(run 'guidelint lint' for details)\n"
        )
    outcome = result.outcome
    if result.offline:
        recorded = f"; recorded as an offline run in {state_path}" if state_path else ""
        raise UsageError(
            f"the link checker looks offline: {outcome.hosts_unreachable} of "
            f"{outcome.hosts_checked} hosts could not be reached at all, so no link was "
            f"judged{recorded}"
        )
    for url in result.accepted:
        err.write(f"accepted into {baseline_path}: {url}\n")
    for url, why in result.refused.items():
        err.write(f"refused {url}: {why}\n")
    if result.fixes is not None:
        for edit in result.fixes.edits:
            err.write(f"{edit.path}:{edit.line}:{edit.column}: {edit.old} -> {edit.new}\n")
        for skip in result.fixes.skipped:
            err.write(
                f"{skip.path}:{skip.line}:{skip.column}: not fixed {skip.url}: {skip.reason}\n"
            )
    for name, target in reports:
        _emit(FORMATS[name].render(outcome, result.trend), target, stdout)
    fail_on = args.fail_on or ("new" if state_path is None else "confirmed")
    return EXIT_FINDINGS if result.failing(fail_on) else EXIT_OK


COMMANDS: dict[str, Callable[[argparse._SubParsersAction[_Parser]], None]] = {
    "lint": _add_lint,
    "rules": _add_rules,
    "render": _add_render,
    "import": _add_import,
    "new": _add_new,
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


#: Allocations between two young-generation collections (CPython's default is 700).
GC_YOUNG_THRESHOLD: Final = 10_000


def run() -> NoReturn:
    """The `guidelint` command: `main` on the process's arguments, then exit."""
    # A run builds objects that live until it ends (guides, URLs, results) and few reference
    # cycles, so at the default threshold the collector mostly re-examined survivors: in a
    # 10,000-link run, 340 collections took 150 ms, and those during the checks stalled the
    # event loop for up to 30 ms. At this threshold 18 collections took 50 ms, and peak
    # memory did not move.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    code = main()
    # Nothing left needs the garbage collector (files and databases are closed), and the
    # interpreter's last collection traverses every object still alive: 30 ms after a
    # 10,000-link run.
    gc.freeze()
    sys.exit(code)


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
        code: int = args.handler(args, out, err)
        return code
    except (UsageError, ConfigError, WorkerError) as error:
        err.write(f"guidelint: error: {error}\n")
        return EXIT_USAGE
    except Failed as failure:
        err.writelines(f"{line}\n" for line in failure.lines)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        err.write("guidelint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
