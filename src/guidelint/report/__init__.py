"""Lint reporters: each turns a LintResult into text. The dict feeds the CLI's --format choices.

A format's module is imported when that format is written: the pre-commit case prints text,
and start-up is most of its time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:  # the lint engine and its rules: not needed to list the formats
    from guidelint.lint import LintResult

#: GitHub job summaries hold at most 1 MiB.
GITHUB_SUMMARY_LIMIT: Final = 1024 * 1024


class ReportOptions(NamedTuple):
    color: bool = False
    #: Byte cap for the Markdown report.
    max_bytes: int = GITHUB_SUMMARY_LIMIT


Formatter = Callable[["LintResult", ReportOptions], str]


def _text(result: LintResult, options: ReportOptions) -> str:
    from guidelint.report import text

    return text.render(result, color=options.color)


def _json(result: LintResult, options: ReportOptions) -> str:
    from guidelint.report import json_report

    return json_report.render(result)


def _sarif(result: LintResult, options: ReportOptions) -> str:
    from guidelint.report import sarif

    return sarif.render(result)


def _github(result: LintResult, options: ReportOptions) -> str:
    from guidelint.report import github

    return github.render(result)


def _markdown(result: LintResult, options: ReportOptions) -> str:
    from guidelint.report import markdown

    return markdown.render(result, max_bytes=options.max_bytes)


FORMATTERS: Final[dict[str, Formatter]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "markdown": _markdown,
}

Streamer = Callable[["LintResult", ReportOptions], Iterable[str]]


def _text_chunks(result: LintResult, options: ReportOptions) -> Iterable[str]:
    from guidelint.report import text

    return text.chunks(result, color=options.color)


def _json_chunks(result: LintResult, options: ReportOptions) -> Iterable[str]:
    from guidelint.report import json_report

    return json_report.chunks(result)


#: Formats whose text can grow with the library, written in pieces (same text as FORMATTERS).
STREAMERS: Final[dict[str, Streamer]] = {"text": _text_chunks, "json": _json_chunks}


def chunks(name: str, result: LintResult, options: ReportOptions) -> Iterable[str]:
    """The report in format `name`, in pieces to write one after another."""
    streamer = STREAMERS.get(name)
    if streamer is not None:
        return streamer(result, options)
    return [FORMATTERS[name](result, options)]
