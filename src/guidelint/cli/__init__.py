"""The command line: parse arguments, run a command, and turn its errors into exit codes.

Exit codes: 0 nothing to act on; 1 findings (lint errors, or any finding with --strict;
located problems in the input); 2 usage or configuration error, or a file that cannot be
written; 130 interrupted. Which error gives which code is decided here, in `main`, and
nowhere else: commands raise, they never print errors or exit.

Each command family has its module: `lint` (lint, rules), `guides` (render, import, new),
`links` (links); `output` writes what they produce. A command's module is imported, and
its options built, only when that command runs, so `guidelint lint` in a pre-commit hook
never pays for the renderers or the link checker.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, TextIO

from guidelint import __version__

if TYPE_CHECKING:
    from guidelint.config import Config

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130

#: A command runs with its parsed arguments, standard output and standard error, and returns
#: its exit code.
Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class UsageError(Exception):
    """Bad arguments or configuration: one line on stderr, exit 2."""


class Failed(Exception):
    """Located problems in the input (`path:line:col: message` lines): stderr, exit 1."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


#: Errors that end a run with one line on stderr and exit 2, besides UsageError: bad
#: configuration or state files, a file that cannot be written, a worker process that died,
#: TLS that cannot be set up. Named by module so that this table imports nothing: an error
#: of a module the command never imported cannot have been raised.
USAGE_ERRORS: Final = (
    ("guidelint.config", "ConfigError", "{error}"),
    ("guidelint.workers", "WorkerError", "{error}"),
    ("guidelint.atomic", "WriteError", "{error}"),
    ("guidelint.links.baseline", "BaselineError", "{error}"),
    ("guidelint.links.history", "HistoryError", "{error}"),
    ("guidelint.links.pipeline", "WriteError", "{error}"),
    ("ssl", "SSLError", "cannot set up TLS: {error}"),
)


def usage_error_message(error: BaseException) -> str | None:
    """The one-line message of an error that means exit 2, else None."""
    if isinstance(error, UsageError):
        return str(error)
    for module, name, template in USAGE_ERRORS:
        kind = getattr(sys.modules.get(module), name, None)
        if isinstance(kind, type) and isinstance(error, kind):
            return template.format(error=error)
    return None


#: The commands in `guidelint --help` order: the module of guidelint.cli that builds their
#: options (its SETUP[command]) and runs them, and their one-line help.
COMMANDS: Final = {
    "lint": ("lint", "check guides against the schema and the content rules"),
    "rules": ("lint", "list the rules, or explain one"),
    "render": ("guides", "write the published text, Markdown or HTML of guides"),
    "import": ("guides", "turn a guide in the published text form into YAML"),
    "new": ("guides", "write a skeleton guide to fill in"),
    "links": ("links", "check that the guides' links still work"),
}


class Parser(argparse.ArgumentParser):
    """Raises UsageError instead of exiting; a command's options are added when first needed.

    `command` (module, name) names the SETUP entry that adds a command parser's options and
    handler: it runs the first time that parser parses or formats its help, so only the
    command being run imports its module.
    """

    def __init__(self, *args: Any, command: tuple[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._command = command

    def _set_up(self) -> None:
        if self._command is None:
            return
        (module, name), self._command = self._command, None
        qualified = f"{__name__}.{module}"
        __import__(qualified)  # importlib.import_module would first import importlib
        setup: Callable[[argparse.ArgumentParser], None] = sys.modules[qualified].SETUP[name]
        setup(self)

    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        self._set_up()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._set_up()
        return super().format_usage()

    def format_help(self) -> str:
        self._set_up()
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def add_report_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """--format, --output and --config, which lint and links share."""
    parser.add_argument(
        "--format", choices=formats, default=formats[0], help="output format (default: %(default)s)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read settings from FILE instead of searching for one"
    )


def add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="guide files or folders (default: paths from config, else guides/)",
    )


def load_config(args: argparse.Namespace) -> Config:
    """The --config file, else the one found from here upwards, else the defaults."""
    from guidelint.config import load_config

    return load_config(Path(args.config) if args.config else None, Path.cwd())


def configured_paths(config: Config) -> list[str]:
    """Config paths are relative to the config file; findings show them relative to here."""
    if config.source is None:
        return list(config.paths)
    return [os.path.relpath(config.root / path) for path in config.paths]


def build_parser() -> Parser:
    parser = Parser(
        prog="guidelint",
        description="Keep crisis-support guides correct, consistent and reachable.",
        epilog="Run 'guidelint COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"guidelint {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (module, summary) in COMMANDS.items():
        subparsers.add_parser(name, help=summary, command=(module, name))
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
    """Run one command; every error it raises becomes a message on stderr and an exit code."""
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
        handler: Handler = args.handler
        return handler(args, out, err)
    except Failed as failure:
        # Lines and messages name files and quote what they hold: nothing in a name may reach
        # the terminal as a control sequence or start a line of its own.
        from guidelint.escape import visible

        err.writelines(f"{visible(line)}\n" for line in failure.lines)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        err.write("guidelint: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:
        message = usage_error_message(error)
        if message is None:
            raise
        from guidelint.escape import visible

        err.write(f"guidelint: error: {visible(message)}\n")
        return EXIT_USAGE
