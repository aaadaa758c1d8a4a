"""The HTML report: one self-contained page, every remote string escaped.

Read on a desktop and on a phone: at narrow widths each finding's row becomes a card with
labelled fields (no sideways scrolling), and URLs break at their separators rather than
mid-word. Charts say in text what their colours say.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final

from guidelint.escape import EXCERPT_CAP, URL_CAP, clip, html_text, is_web_url, visible
from guidelint.links.model import LinkResult, Tone, Verdict, is_finding
from guidelint.links.report.common import (
    Trend,
    action_part,
    archive_parts,
    attention,
    closing,
    headline,
    joined,
    label,
    ordered,
    place,
    plural,
    sections,
    suggestion_parts,
    why,
)

if TYPE_CHECKING:
    from guidelint.links.model import RunOutcome


_STYLE: Final = """
body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}td.verdict{overflow-wrap:normal;min-width:7.5rem}.dead{color:#a00000;font-weight:600}.attention{color:#7a4a00;font-weight:600}
.fine{color:#276227}small{color:#4a4a4a}svg{vertical-align:middle}figure{margin:1rem 0}
.legend span{display:inline-block;margin-right:1rem}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:baseline}
@media (max-width:700px){body{margin:1rem auto}
table.findings,table.findings tbody,table.findings tr,table.findings td{display:block;width:auto}
table.findings thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.findings tr{border:1px solid #ccc;border-radius:4px;margin:0 0 1rem;padding:.25rem .5rem}
table.findings td{border:0;padding:.25rem 0}
table.findings td::before{content:attr(data-label) ": ";font-weight:600;color:#1b1b1b}}
"""

# Colours per tone (`links.model.VERDICTS`): dead, needs review, fine, not judged; each
# also has a name, so nothing is said by colour alone.
_COLOURS: Final = {
    Tone.DEAD: "#a00000",
    Tone.REVIEW: "#b36b00",
    Tone.FINE: "#2e7d32",
    Tone.UNKNOWN: "#757575",
}
_TONE_NAMES: Final = {
    Tone.DEAD: "dead",
    Tone.REVIEW: "to review",
    Tone.FINE: "working",
    Tone.UNKNOWN: "not judged",
}
_COLUMNS: Final = ("Verdict", "URL", "Why", "Action", "Used in")
_MARGIN: Final = 16  # room for the first and last dates beside the bars


def _tone(verdict: str) -> Tone:
    """The tone of a verdict as stored in the history; one from another version is unknown."""
    try:
        return Verdict(verdict).info.tone
    except ValueError:
        return Tone.UNKNOWN


def _when(stamp: str) -> str:
    """'2026-11-02T05:17:00Z' as '2 Nov 2026 05:17 UTC'; anything else as it is, escaped."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return html_text(stamp, 40)
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


def _day(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return "?"
    return f"{moment.day} {moment:%b}"


def _sparkline(timeline: Sequence[tuple[str, str]]) -> str:
    """One square per run, oldest left, coloured by verdict; each says its date and verdict."""
    if not timeline:
        return ""
    cells = "".join(
        f'<rect x="{index * 9}" y="0" width="7" height="12" fill="{_COLOURS[_tone(verdict)]}">'
        f"<title>{_when(checked_at)}: {html_text(verdict, 40)}</title></rect>"
        for index, (checked_at, verdict) in enumerate(timeline)
    )
    summary = ", ".join(clip(visible(verdict), 40) for _, verdict in timeline)
    return (
        f'<br><svg role="img" width="{len(timeline) * 9}" height="12" '
        f'aria-label="last {len(timeline)} runs: {html.escape(summary, quote=True)}">{cells}</svg>'
    )


def _run_tones(counts: Mapping[str, int]) -> Counter[Tone]:
    by_tone: Counter[Tone] = Counter()
    for verdict, count in counts.items():
        by_tone[_tone(verdict)] += count
    return by_tone


def _runs_chart(runs: Sequence[tuple[str, bool, Mapping[str, int]]]) -> str:
    """Stacked bars per run, dated, with a legend and the same figures as a table."""
    if len(runs) < 2:
        return ""
    # Room for a date under every bar when there are few runs; first and last otherwise.
    height, bar, axis = 120, 18, 24
    gap = 26 if len(runs) <= 12 else 8
    dated = len(runs) <= 12
    tallest = max(sum(counts.values()) for _, _, counts in runs) or 1
    bars = []
    for index, (started_at, offline, counts) in enumerate(runs):
        by_tone = _run_tones(counts)
        x = _MARGIN + index * (bar + gap)
        y = height
        described = ", ".join(
            f"{by_tone[tone]} {name}" for tone, name in _TONE_NAMES.items() if by_tone[tone]
        )
        parts = []
        for tone in (Tone.FINE, Tone.UNKNOWN, Tone.REVIEW, Tone.DEAD):
            size = round(by_tone[tone] * height / tallest)
            if size:
                y -= size
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{bar}" height="{size}" fill="{_COLOURS[tone]}"/>'
                )
        if offline:
            described += " (offline run, not counted)"
            parts.append(
                f'<rect x="{x}" y="0" width="{bar}" height="{height}" fill="none" '
                'stroke="#555" stroke-dasharray="2"/>'
            )
        if dated or index in (0, len(runs) - 1):
            parts.append(
                f'<text x="{x + bar / 2}" y="{height + 16}" font-size="11" '
                f'text-anchor="middle">{_day(started_at)}</text>'
            )
        bars.append(
            f"<g><title>{_when(started_at)}: {html.escape(described)}</title>{''.join(parts)}</g>"
        )
    width = 2 * _MARGIN + len(runs) * (bar + gap)
    first, last = _when(runs[0][0]), _when(runs[-1][0])
    legend = "".join(
        f'<span><span class="swatch" style="background:{_COLOURS[tone]}"></span>{name}</span>'
        for tone, name in _TONE_NAMES.items()
    )
    return (
        "<figure>"
        f'<svg role="img" width="{width}" height="{height + axis}" '
        f'viewBox="0 0 {width} {height + axis}" style="max-width:100%;height:auto" '
        f'aria-label="links per run from {first} to {last}; the table below gives the figures">'
        + "".join(bars)
        + f"</svg><figcaption>Links per run, {first} to {last} (tallest bar: "
        f"{plural(tallest, 'link')}). <span class=legend>{legend}</span></figcaption></figure>"
        + _runs_table(runs)
    )


def _runs_table(runs: Sequence[tuple[str, bool, Mapping[str, int]]]) -> str:
    rows = []
    for started_at, offline, counts in runs:
        by_tone = _run_tones(counts)
        cells = "".join(f"<td>{by_tone[tone]}</td>" for tone in _TONE_NAMES)
        note = " (offline, not counted)" if offline else ""
        rows.append(f"<tr><th scope=row>{_when(started_at)}{note}</th>{cells}</tr>")
    header = "".join(f"<th scope=col>{name.capitalize()}</th>" for name in _TONE_NAMES.values())
    return (
        "<details><summary>The runs as a table</summary><table><thead><tr>"
        f"<th scope=col>Run</th>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</details>"
    )


def render_html(outcome: RunOutcome, trend: Trend | None = None) -> str:
    timelines = trend.timelines if trend is not None else {}
    body = []
    for title, group in sections(outcome.results):
        rows = [_html_row(result, timelines.get(result.url, ())) for result in group]
        body.append(f"<h2>{html.escape(title)} ({len(group)})</h2>" + _html_table(rows))
    rest = [result for result in ordered(outcome.results) if not is_finding(result)]
    if rest:
        rows = [_html_row(result, timelines.get(result.url, ())) for result in rest]
        body.append(f"<h2>Working or not checked ({len(rest)})</h2>" + _html_table(rows))
    last = closing(outcome.results)
    if last:
        body.insert(0, f"<p>{html.escape(last)}</p>")
    notes = "".join(
        f"<p><strong>Note:</strong> {html_text(note, EXCERPT_CAP)}</p>" for note in outcome.notes
    )
    needs = attention(outcome.results)
    summary = f"<p><strong>Needs attention:</strong> {html.escape(needs)}</p>" if needs else ""
    chart = _runs_chart(trend.runs) if trend is not None else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Link health</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>Link health</h1><p>{html.escape(headline(outcome))}</p>{summary}{notes}{chart}"
        + "".join(body)
        + "</main></body></html>\n"
    )


def _html_table(rows: list[str]) -> str:
    header = "".join(f"<th scope=col>{name}</th>" for name in _COLUMNS)
    return (
        f'<table class="findings"><thead><tr>{header}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _html_row(result: LinkResult, timeline: Sequence[tuple[str, str]]) -> str:
    css = "dead" if result.dead else "fine" if not is_finding(result) else "attention"
    refs = "<br>".join(
        f"{html_text(place(ref), EXCERPT_CAP)}<br>"
        f"<small>{_breakable(f'{ref.path}:{ref.line}:{ref.column}')}</small>"
        for ref in result.references
    )
    # Where a redirect led is the server's say: shown, never made a link.
    final = f"<br><small>→ {_breakable(result.final_url)}</small>" if result.final_url else ""
    todo_text = action_part(result).render(html_text, html_text)
    # Evidence for a person, shown as text: neither address becomes a link.
    for name, parts in (
        ("Suggestion", suggestion_parts(result)),
        ("Archived copy", archive_parts(result)),
    ):
        if parts:
            todo_text += f"<br><strong>{name}:</strong> {joined(parts, html_text, html_text)}"
    verdict, link, reason, todo, used = _COLUMNS
    return (
        "<tr>"
        f'<td data-label="{verdict}" class="verdict {css}">{html.escape(label(result))}'
        f"{_sparkline(timeline)}</td>"
        f'<td data-label="{link}">{_guide_link(result.url)}{final}</td>'
        f'<td data-label="{reason}">{html_text(why(result))}</td>'
        f'<td data-label="{todo}">{todo_text}</td>'
        f'<td data-label="{used}">{refs}</td></tr>'
    )


_SEPARATOR: Final = re.compile(r"(?<=[/.?&=#_-])")


def _breakable(text: str, limit: int = URL_CAP) -> str:
    """Escaped, with a line-break opportunity after each URL or path separator."""
    return "<wbr>".join(html_text(piece) for piece in _SEPARATOR.split(clip(text, limit)))


def _guide_link(url: str) -> str:
    """A guide's URL, a link when it is a plain http(s) one."""
    text = _breakable(url)
    if is_web_url(url):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer nofollow">{text}</a>'
    return text
