"""Lint reporters: each turns a LintResult into text. The dict feeds the CLI's --format choices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final, NamedTuple

from guidelint.lint import LintResult
from guidelint.report import github, json_report, markdown, sarif, text


class ReportOptions(NamedTuple):
    color: bool = False
    #: Byte cap for the Markdown report (GitHub job summaries hold at most 1 MiB).
    max_bytes: int = markdown.GITHUB_SUMMARY_LIMIT


Formatter = Callable[[LintResult, ReportOptions], str]

FORMATTERS: Final[dict[str, Formatter]] = {
    "text": lambda result, options: text.render(result, color=options.color),
    "json": lambda result, options: json_report.render(result),
    "sarif": lambda result, options: sarif.render(result),
    "github": lambda result, options: github.render(result),
    "markdown": lambda result, options: markdown.render(result, max_bytes=options.max_bytes),
}

Streamer = Callable[[LintResult, ReportOptions], Iterable[str]]

#: Formats whose text can grow with the library, written in pieces (same text as FORMATTERS).
STREAMERS: Final[dict[str, Streamer]] = {
    "text": lambda result, options: text.chunks(result, color=options.color),
    "json": lambda result, options: json_report.chunks(result),
}


def chunks(name: str, result: LintResult, options: ReportOptions) -> Iterable[str]:
    """The report in format `name`, in pieces to write one after another."""
    streamer = STREAMERS.get(name)
    if streamer is not None:
        return streamer(result, options)
    return [FORMATTERS[name](result, options)]
