"""Link-check reports: text, Markdown (GitHub issue or job summary), JSON (versioned), HTML.

Every finding names the guides and lines that use the URL and the action to take. Findings
that need action come first, in the sections and order `links.model` defines for each
verdict. Everything that came from a remote server (titles, error text, URLs) is escaped
for the output format: Markdown and HTML injection from a hostile page is not possible.

Adding a format means one module here and one entry in `FORMATS`: the CLI derives its
`--format` and `--report` choices, and what the run reads from the history, from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final, NamedTuple

from guidelint.links.report.common import Renderer, Trend
from guidelint.links.report.html import render_html
from guidelint.links.report.json_report import (
    JSON_VERSION,
    as_json_data,
    render_json,
    stream_json,
)
from guidelint.links.report.markdown import MARKDOWN_CAP, render_markdown
from guidelint.links.report.text import render_text

if TYPE_CHECKING:
    from guidelint.links.model import RunOutcome


class ReportFormat(NamedTuple):
    """A link report format: how it renders, and what it reads from the run history.

    The history queries are the costliest part of a report, so a run reads only what the
    formats it writes declare here.
    """

    render: Renderer
    run_totals: bool = False  # verdicts per run (`History.run_totals`)
    timelines: bool = False  # each URL's latest verdicts (`History.timelines`)
    #: The same report in pieces, for formats that grow with the library (`chunks`).
    stream: Callable[[RunOutcome, Trend | None], Iterable[str]] | None = None

    def chunks(self, outcome: RunOutcome, trend: Trend | None = None) -> Iterable[str]:
        """The report as pieces to write one after another (the whole of it as one, when
        the format has no `stream`)."""
        if self.stream is not None:
            return self.stream(outcome, trend)
        return (self.render(outcome, trend),)


FORMATS: Final[dict[str, ReportFormat]] = {
    "text": ReportFormat(render_text),
    "markdown": ReportFormat(render_markdown, run_totals=True),
    "json": ReportFormat(render_json, stream=stream_json),
    "html": ReportFormat(render_html, run_totals=True, timelines=True),
}

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "MARKDOWN_CAP",
    "ReportFormat",
    "Trend",
    "as_json_data",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "stream_json",
]
