"""The HTML report: one self-contained page, every remote string escaped."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from guidelint.escape import EXCERPT_CAP, URL_CAP, html_text, is_web_url
from guidelint.links.model import LinkResult, Tone, Verdict, is_finding
from guidelint.links.report.common import (
    Trend,
    action_part,
    attention,
    headline,
    label,
    ordered,
    sections,
    why,
)

if TYPE_CHECKING:
    from guidelint.links.checker import RunOutcome


_STYLE: Final = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
td.url{word-break:break-all}.dead{color:#a00000;font-weight:600}.attention{color:#8a5300;font-weight:600}
.fine{color:#276227}small{color:#555}svg{vertical-align:middle}figure{margin:1rem 0}
"""

# Colours per tone (`links.model.VERDICTS`): dead, needs review, fine, not judged.
_COLOURS: Final = {
    Tone.DEAD: "#a00000",
    Tone.REVIEW: "#d08a00",
    Tone.FINE: "#2e7d32",
    Tone.UNKNOWN: "#9e9e9e",
}
_TONE_NAMES: Final = {
    Tone.DEAD: "dead",
    Tone.REVIEW: "to review",
    Tone.FINE: "working",
    Tone.UNKNOWN: "not judged",
}


def _tone(verdict: str) -> Tone:
    """The tone of a verdict as stored in the history; one from another version is unknown."""
    try:
        return Verdict(verdict).info.tone
    except ValueError:
        return Tone.UNKNOWN


def _sparkline(timeline: Sequence[tuple[str, str]]) -> str:
    """One square per run, oldest left, coloured by verdict; each says its date and verdict."""
    if not timeline:
        return ""
    esc = html.escape
    cells = "".join(
        f'<rect x="{index * 9}" y="0" width="7" height="12" fill="{_COLOURS[_tone(verdict)]}">'
        f"<title>{esc(checked_at)}: {esc(verdict)}</title></rect>"
        for index, (checked_at, verdict) in enumerate(timeline)
    )
    summary = ", ".join(verdict for _, verdict in timeline)
    return (
        f'<br><svg role="img" width="{len(timeline) * 9}" height="12" '
        f'aria-label="last {len(timeline)} runs: {esc(summary, quote=True)}">{cells}</svg>'
    )


def _runs_chart(runs: Sequence[tuple[str, bool, Mapping[str, int]]]) -> str:
    """Stacked bars per run: dead, needs review and fine links, so a trend shows at a glance."""
    if len(runs) < 2:
        return ""
    esc = html.escape
    height, bar, gap = 80, 14, 6
    tallest = max(sum(counts.values()) for _, _, counts in runs) or 1
    bars = []
    for index, (started_at, offline, counts) in enumerate(runs):
        by_tone: Counter[Tone] = Counter()
        for verdict, count in counts.items():
            by_tone[_tone(verdict)] += count
        x = index * (bar + gap)
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
        bars.append(f"<g><title>{esc(started_at)}: {esc(described)}</title>{''.join(parts)}</g>")
    width = len(runs) * (bar + gap)
    first, last = runs[0][0], runs[-1][0]
    return (
        "<figure>"
        f'<svg role="img" width="{width}" height="{height}" '
        f'aria-label="links per run from {esc(first, quote=True)} to {esc(last, quote=True)}: '
        'dead in red, to review in amber, working in green">'
        + "".join(bars)
        + f"</svg><figcaption><small>Links per run, {esc(first)} to {esc(last)}: dead (red), "
        "to review (amber), working (green), not judged (grey).</small></figcaption></figure>"
    )


def render_html(outcome: RunOutcome, trend: Trend | None = None) -> str:
    esc = html.escape
    timelines = trend.timelines if trend is not None else {}
    body = []
    for title, group in sections(outcome.results):
        rows = [_html_row(result, timelines.get(result.url, ())) for result in group]
        body.append(f"<h2>{esc(title)} ({len(group)})</h2>" + _html_table(rows))
    rest = [result for result in ordered(outcome.results) if not is_finding(result)]
    if rest:
        rows = [_html_row(result, timelines.get(result.url, ())) for result in rest]
        body.append(f"<h2>Working or not checked ({len(rest)})</h2>" + _html_table(rows))
    if not any(is_finding(result) for result in outcome.results):
        body.insert(0, "<p>All links work.</p>")
    notes = "".join(
        f"<p><strong>Note:</strong> {html_text(note, EXCERPT_CAP)}</p>" for note in outcome.notes
    )
    needs = attention(outcome.results)
    summary = f"<p><strong>Needs attention:</strong> {esc(needs)}</p>" if needs else ""
    chart = _runs_chart(trend.runs) if trend is not None else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Link health</title><style>{_STYLE}</style></head><body>"
        f"<h1>Link health</h1><p>{esc(headline(outcome))}</p>{summary}{notes}{chart}"
        + "".join(body)
        + "</body></html>\n"
    )


def _html_table(rows: list[str]) -> str:
    return (
        "<table><thead><tr><th scope=col>Verdict</th><th scope=col>URL</th><th scope=col>Why</th>"
        "<th scope=col>Action</th><th scope=col>Used in</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _html_row(result: LinkResult, timeline: Sequence[tuple[str, str]]) -> str:
    css = "dead" if result.dead else "fine" if not is_finding(result) else "attention"
    refs = "<br>".join(
        f"{html_text(ref.path, URL_CAP)}:{ref.line}:{ref.column} "
        f"<small>{html_text(ref.pointer, URL_CAP)}</small>"
        for ref in result.references
    )
    # Where a redirect led is the server's say: shown, never made a link.
    final = (
        f"<br><small>→ {html_text(result.final_url, URL_CAP)}</small>" if result.final_url else ""
    )
    return (
        "<tr>"
        f'<td class="{css}">{html.escape(label(result))}{_sparkline(timeline)}</td>'
        f'<td class="url">{_guide_link(result.url)}{final}</td>'
        f"<td>{html_text(why(result))}</td>"
        f"<td>{action_part(result).render(html_text, html_text)}</td><td>{refs}</td></tr>"
    )


def _guide_link(url: str) -> str:
    """A guide's URL, a link when it is a plain http(s) one."""
    text = html_text(url, URL_CAP)
    if is_web_url(url):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer nofollow">{text}</a>'
    return text
