"""`guidelint links`: flags and config become one `pipeline.Request`; the run's outcome
becomes messages, reports and an exit code.

The report formats, what each reads from the run history, and the renderers all come from
`guidelint.links.report.FORMATS`: adding a format there adds it to --format and --report.
Nothing of the link stack is imported until this command runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
from collections.abc import Callable
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
from guidelint.cli.output import progress_bar, write_report
from guidelint.escape import visible

if TYPE_CHECKING:
    from guidelint.config import Config
    from guidelint.links import pipeline

#: For tests only: the run's time as ISO 8601 with a zone (e.g. 2026-11-22T05:17:00Z), so
#: runs days apart can be simulated against real servers.
NOW_VARIABLE: Final = "GUIDELINT_NOW"


def add_links(parser: argparse.ArgumentParser) -> None:
    from guidelint.links.report import FORMATS

    parser.description = (
        "Check every URL in the guides (resources and prose): dead, moved, "
        "soft-404, changed since the reviewed baseline, and more. Exit 0 when nothing needs "
        "action, 1 when a link is dead (confirmed by the run history unless --fail-on new), "
        "moved or changed, 2 on usage errors or when the checker itself is offline."
    )
    add_paths(parser)
    add_report_options(parser, list(FORMATS))
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
        help=f"also write a report in FORMAT ({', '.join(FORMATS)}) to FILE; repeatable, "
        "so one run writes every report",
    )
    parser.add_argument(
        "--fail-on",
        choices=("new", "confirmed"),
        help="exit 1 on any dead link (new), or only on dead links the run history has "
        "confirmed (confirmed: the default while a run history is kept). Moved and changed "
        "links always count",
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="pull-request mode: check only the guides changed since the branch left REF "
        "(e.g. origin/main), keep no run history, and exit 1 on any dead link there at once "
        "(moved and changed pages are left to the scheduled run)",
    )
    parser.add_argument(
        "--min-interval",
        type=_duration,
        metavar="TIME",
        help="least time between two requests to one host, e.g. 100ms or 1s (default: "
        "config 'min-interval-ms', else 100ms); the run summary says when it bounded the run",
    )
    _add_state_options(parser)
    _add_suggest_options(parser)
    parser.set_defaults(handler=run_links)


def _add_state_options(parser: argparse.ArgumentParser) -> None:
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


def _add_suggest_options(parser: argparse.ArgumentParser) -> None:
    found = parser.add_argument_group("where dead pages went (docs/links-suggest.md)")
    found.add_argument(
        "--no-suggest",
        action="store_true",
        help="do not look for the new address of dead reviewed pages on their own sites",
    )
    found.add_argument(
        "--suggest-pages",
        type=_positive_int,
        metavar="N",
        help="candidate pages fetched per dead link (default: config 'suggest-pages', else 3)",
    )
    found.add_argument(
        "--suggest-budget",
        type=_positive_int,
        metavar="N",
        help="requests the whole search may make: robots.txt, sitemaps, pages, archive "
        "(default: config 'suggest-budget', else 60)",
    )
    found.add_argument(
        "--accept-suggestions",
        action="store_true",
        help="with --fix-moved, also replace dead links by their suggested new address when "
        "the suggestion is confident (score of at least config 'suggest-confidence', else "
        "0.75, and no other page close)",
    )
    found.add_argument(
        "--archive-lookup",
        action="store_true",
        help="show each dead page's archived copy (Internet Archive) as what it said, for "
        "the reviewer: never a replacement",
    )
    found.add_argument(
        "--archive-endpoint",
        metavar="URL",
        help="the availability API to ask (default: config 'archive-endpoint', else "
        "https://archive.org/wayback/available)",
    )


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def _duration(text: str) -> float:
    """'250ms', '1.5s' or a bare number of milliseconds, in seconds."""
    value = text.strip().lower()
    scale = 0.001
    if value.endswith("ms"):
        value = value[:-2]
    elif value.endswith("s"):
        value, scale = value[:-1], 1.0
    try:
        seconds = float(value) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration such as 100ms or 1s: {text!r}") from None
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 hour: {text!r}")
    return seconds


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def links_request(
    args: argparse.Namespace,
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> pipeline.Request:
    """The run that the flags and the config ask for; flags win over the config.

    Every contradiction and bad value is a UsageError here, before anything is checked.
    """

    from guidelint.links import pipeline
    from guidelint.links.settings import LinkSettings, parse_allow, parse_endpoint

    _check_flags(args)
    reports = _reports(args)
    links = config.links or LinkSettings()  # read and checked when the config loaded
    options, settings = links.check, links.health
    options = options.replace(
        timeout=args.timeout or options.timeout,
        concurrency=args.concurrency or options.concurrency,
        per_host=args.per_host or options.per_host,
        jobs=args.jobs or options.jobs,
        user_agent=args.user_agent or options.user_agent,
        ca_file=args.ca_file or options.ca_file,
        allow=options.allow.extended(parse_allow(args.allow, "--allow")),
        min_interval=options.min_interval if args.min_interval is None else args.min_interval,
    )
    if options.ca_file is not None:
        _check_ca_file(options.ca_file)
    found = links.suggest
    found = found.replace(
        enabled=found.enabled and not args.no_suggest,
        pages=args.suggest_pages or found.pages,
        budget=args.suggest_budget or found.budget,
        archive=args.archive_lookup or found.archive,
        archive_endpoint=parse_endpoint(args.archive_endpoint, "--archive-endpoint")
        if args.archive_endpoint
        else found.archive_endpoint,
    )

    def configured(value: str | None, path: Path) -> Path:
        # Flags are relative to here; config paths to the config file's folder.
        if value is not None:
            return Path(value)
        return Path(os.path.relpath(config.root / path)) if config.source else path

    paths = args.paths or configured_paths(config)
    keep_history = not (args.no_state or args.changed_since)
    return pipeline.Request(
        paths=_changed(args.changed_since, paths) if args.changed_since else paths,
        options=options,
        settings=settings,
        now=_now(),
        baseline_path=configured(args.baseline, settings.baseline_path),
        state_path=configured(args.state, settings.state_path) if keep_history else None,
        update_baseline=args.update_baseline,
        accept=tuple(args.accept),
        prune=args.update_baseline and not args.paths,
        fix_moved=args.fix_moved,
        fix_cross_domain=args.fix_cross_domain,
        accept_suggestions=args.accept_suggestions,
        suggest=found,
        reports=reports,
        progress=progress,
    )


def _changed(ref: str, paths: list[str]) -> list[str]:
    from guidelint.changes import ChangesError, changed_guides

    try:
        return [str(path) for path in changed_guides(ref, paths)]
    except ChangesError as error:
        raise UsageError(f"--changed-since {ref}: {error}") from None


def _check_flags(args: argparse.Namespace) -> None:
    if args.no_state and args.state:
        raise UsageError("--state and --no-state contradict each other")
    if args.changed_since:
        # A pull request's check judges the change now: it neither reads nor writes the
        # history the scheduled run confirms deaths with, nor edits the baseline or guides.
        for flag, given in (
            ("--state", args.state),
            ("--update-baseline", args.update_baseline),
            ("--accept", args.accept),
            ("--fix-moved", args.fix_moved),
            ("--fail-on", args.fail_on),
        ):
            if given:
                raise UsageError(f"--changed-since checks a change as it is; drop {flag}")
    if args.update_baseline and args.accept:
        raise UsageError("--update-baseline already accepts every alive URL; drop --accept")
    if args.fix_cross_domain and not args.fix_moved:
        raise UsageError("--fix-cross-domain only makes sense with --fix-moved")
    if args.accept_suggestions and not args.fix_moved:
        raise UsageError("--accept-suggestions only makes sense with --fix-moved")
    if args.accept_suggestions and args.no_suggest:
        raise UsageError("--accept-suggestions and --no-suggest contradict each other")


def _reports(args: argparse.Namespace) -> tuple[tuple[str, str | None], ...]:
    """(format, file) of each report to write: --format to -o (None: stdout), then --report."""
    from guidelint.links.report import FORMATS

    reports: list[tuple[str, str | None]] = [(args.format, args.output)]
    for spec in args.report:
        name, sep, target = spec.partition("=")
        if not sep or not target:
            raise UsageError(f"--report {spec!r}: expected FORMAT=FILE, e.g. json=links.json")
        if name not in FORMATS:
            raise UsageError(f"--report {spec!r}: unknown format {name!r} ({', '.join(FORMATS)})")
        reports.append((name, target))
    return tuple(reports)


def _check_ca_file(ca_file: str) -> None:
    """A CA bundle that is missing or holds no certificate stops the run before it starts."""
    import ssl

    if not Path(ca_file).is_file():
        raise UsageError(f"--ca-file {ca_file}: no such file")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=ca_file)
    except (ssl.SSLError, OSError, ValueError) as error:
        raise UsageError(f"cannot use the CA file {ca_file}: {error}") from error


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


def run_links(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.links import pipeline
    from guidelint.links.report import FORMATS

    bar = None if args.no_progress else progress_bar(stderr, "checking links")
    request = links_request(args, load_config(args), progress=bar)
    if args.changed_since and not request.paths:
        stderr.write(f"guidelint: no guide changed since {visible(args.changed_since)}\n")
    result = pipeline.run(request)
    _tell(result, request, stderr)
    for name, target in request.reports:
        write_report(FORMATS[name].chunks(result.outcome, result.trend), target, stdout)
    return EXIT_FINDINGS if result.failing(_fail_on(args, request)) else EXIT_OK


def _fail_on(args: argparse.Namespace, request: pipeline.Request) -> str:
    if args.changed_since:
        return "dead"
    return str(args.fail_on or ("new" if request.state_path is None else "confirmed"))


def _tell(result: pipeline.Run, request: pipeline.Request, stderr: TextIO) -> None:
    """What the run did besides its reports, on stderr; an offline run stops here."""
    # File names and URLs are not ours: shown, never sent to the terminal as controls.
    for bad in result.unreadable:
        stderr.write(
            f"guidelint: skipped {visible(bad.path)}:{bad.line}:{bad.column}: "
            f"{visible(bad.message)} (run 'guidelint lint' for details)\n"
        )
    if result.offline:
        outcome, state_path = result.outcome, request.state_path
        recorded = f"; recorded as an offline run in {state_path}" if state_path else ""
        raise UsageError(
            f"the link checker looks offline: {outcome.hosts_unreachable} of "
            f"{outcome.hosts_checked} hosts could not be reached at all, so no link was "
            f"judged{recorded}"
        )
    for url in result.accepted:
        stderr.write(f"accepted into {visible(str(request.baseline_path))}: {visible(url)}\n")
    for url, why in result.refused.items():
        stderr.write(f"refused {visible(url)}: {visible(why)}\n")
    if result.fixes is not None:
        for edit in result.fixes.edits:
            stderr.write(
                f"{visible(edit.path)}:{edit.line}:{edit.column}: "
                f"{visible(edit.old)} -> {visible(edit.new)}\n"
            )
        for skip in result.fixes.skipped:
            stderr.write(
                f"{visible(skip.path)}:{skip.line}:{skip.column}: not fixed "
                f"{visible(skip.url)}: {visible(skip.reason)}\n"
            )


SETUP: Final[dict[str, Callable[[argparse.ArgumentParser], None]]] = {"links": add_links}
