"""`guidelint render`, `guidelint import` and `guidelint new`: guides in and out of YAML."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from guidelint.cli import EXIT_OK, Failed, UsageError, load_config
from guidelint.cli.output import to_stdout, write_file
from guidelint.escape import visible

if TYPE_CHECKING:
    from guidelint.config import Config
    from guidelint.render.options import RenderOptions


def add_render(parser: argparse.ArgumentParser) -> None:
    from guidelint.render import RENDERERS

    parser.description = (
        "Render a guide, or every guide in a folder, in a published form. "
        "Text is the seeds' exact format (no final newline). A folder needs -o DIR and gets "
        "one file per guide (mirroring the folder) plus an index page for markdown and html. "
        "Exit 0 when rendered, 1 when a guide does not load or fails the schema (nothing is "
        "written), 2 on usage errors."
    )
    parser.add_argument("path", metavar="PATH", help="a guide file or a folder of guides")
    parser.add_argument(
        "--format",
        choices=list(RENDERERS),
        default="text",
        help="output format (default: %(default)s)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file, or folder (required for a folder of guides); default stdout",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="read settings (the rule selection, [tool.guidelint.render]) from FILE instead "
        "of searching for one",
    )
    parser.add_argument(
        "--allow-errors",
        action="store_true",
        help="render guides that have lint errors (a draft to look at, never to publish)",
    )
    parser.set_defaults(handler=run_render)


def run_render(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.options import parse
    from guidelint.render.options import RenderOptions

    config = load_config(args)
    options = parse(RenderOptions, config.render, config.where.sub("render"))
    source = Path(args.path)
    if not source.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    if not args.allow_errors:
        _refuse_lint_errors(source, config)
    if source.is_dir():
        _render_folder(source, args.path, args.output, args.format, options)
    else:
        _render_file(source, args.path, args.output, args.format, stdout, options)
    return EXIT_OK


def _refuse_lint_errors(source: Path, config: Config) -> None:
    """A guide with lint errors (a TODO, another country's emergency number) is not fit to
    publish: its findings, exit 1, nothing written."""
    from guidelint.files import Trees, discover
    from guidelint.lint import build_selection
    from guidelint.render import publish_blockers

    blockers = publish_blockers(discover([source]), build_selection(config), Trees([source]))
    if blockers:
        lines = [
            f"{visible(d.path)}:{d.line}:{d.column}: {d.code} {visible(d.message)}"
            for d in blockers
        ]
        count = len(blockers)
        lines.append(
            f"guidelint: not rendered: {count} lint error{'' if count == 1 else 's'}; fix "
            f"{'it' if count == 1 else 'them'}, or pass --allow-errors for a draft"
        )
        raise Failed(lines)


def _render_file(
    source: Path,
    shown: str,
    output: str | None,
    form: str,
    stdout: TextIO,
    options: RenderOptions,
) -> None:
    from guidelint.guide import Guide
    from guidelint.render import EXTENSIONS, RENDERERS, load_guide

    guide = load_guide(source, shown)
    if not isinstance(guide, Guide):
        raise Failed([str(problem) for problem in guide])
    text = RENDERERS[form](guide, options)
    if to_stdout(output):
        stdout.write(text)
        return
    target = Path(str(output))
    if target.is_dir():
        target = target / (source.stem + EXTENSIONS[form])
    write_file(target, text, parents=True)


def _render_folder(
    source: Path, shown: str, output: str | None, form: str, options: RenderOptions
) -> None:
    from pathlib import PurePosixPath

    from guidelint.files import Trees, discover
    from guidelint.guide import Guide
    from guidelint.render import load_guide, render_library

    if to_stdout(output):
        raise UsageError(f"{shown} is a folder: give an output folder with -o DIR")
    target = Path(str(output))
    if target.exists() and not target.is_dir():
        raise UsageError(f"{output} is a file; a folder render needs an output folder")
    files = discover([source])
    if not files:
        raise UsageError(f"{shown}: no guide files (*.yaml, *.yml) in this folder")
    guides: list[tuple[PurePosixPath, Guide]] = []
    problems: list[str] = []
    trees = Trees([source])
    for file in files:
        loaded = load_guide(file, trees=trees)
        if isinstance(loaded, Guide):
            guides.append((PurePosixPath(file.relative_to(source).as_posix()), loaded))
        else:
            problems.extend(str(problem) for problem in loaded)
    if problems:
        raise Failed(problems)
    for name, text in render_library(guides, form, options).items():
        write_file(target / name, text, parents=True)


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


def add_import(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Parse a guide in the published text form (the seeds' format) into YAML "
        "that passes the schema: sub-steps arrive as steps, resources with an id and URL only, "
        "and the owner as a TODO. Exit 0 when written, 1 when the text does not follow the "
        "format (a located error; nothing is written), 2 on usage errors."
    )
    parser.add_argument("text", metavar="TEXT", help="the text file to import")
    _add_guide_metadata(parser)
    parser.add_argument(
        "--situation",
        metavar="SLUG",
        help="situation id shared by the variants of this guide (default: from the situation)",
    )
    parser.set_defaults(handler=run_import)


def _output_path(args: argparse.Namespace) -> Path | None:
    if to_stdout(args.output):
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


def _read_text(name: str) -> str:
    """The text file to import, bounded in size; bad UTF-8 is a located error."""
    from guidelint.importer import MAX_BYTES

    try:
        with Path(name).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{name}: cannot read: {error.strerror or error}") from error
    if len(raw) > MAX_BYTES:
        raise Failed(
            [f"{name}:1:1: file is larger than {MAX_BYTES // 1024} KiB; a guide is a few KiB"]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise Failed(
            [
                f"{name}:{line}:{column}: byte 0x{raw[error.start]:02x} is not valid UTF-8; "
                "save the text as UTF-8"
            ]
        ) from None


def run_import(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from guidelint.importer import MetadataError, TextFormatError, import_text, to_yaml_checked
    from guidelint.yamlwrite import schema_ref

    output = _output_path(args)
    text = _read_text(args.text)
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
        write_file(output, yaml_text, parents=True)
    where = str(output) if output is not None else "<stdout>"
    for problem in url_problems:
        line, column = problem.position
        stderr.write(f"{where}:{line}:{column}: warning: {problem.message} (imported as written)\n")
    return EXIT_OK


def add_new(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a skeleton guide with the schema modeline and every section. It "
        "passes the schema; lint flags only the TODO placeholders left for the author."
    )
    parser.add_argument(
        "--situation",
        required=True,
        metavar="SLUG",
        help="situation id (kebab-case), shared by the variants of one situation",
    )
    _add_guide_metadata(parser)
    parser.set_defaults(handler=run_new)


def run_new(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
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
        write_file(output, yaml_text, parents=True)
    return EXIT_OK


SETUP: Final[dict[str, Callable[[argparse.ArgumentParser], None]]] = {
    "render": add_render,
    "import": add_import,
    "new": add_new,
}
