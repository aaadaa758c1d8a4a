"""Link-check reports: text, Markdown (GitHub issue or job summary), JSON (versioned), HTML.

Every finding names the guides and lines that use the URL and the action to take. Findings
that need action come first: confirmed dead, changed, moved, new failures, recovered, then
the rest. Everything that came from a remote server (titles, error text, URLs) is escaped
for the output format: Markdown and HTML injection from a hostile page is not possible.

The JSON contract is documented in docs/links-json.md; bump `JSON_VERSION` on any
incompatible change.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple, Protocol

from guidelint.escape import md_code, md_escape
from guidelint.escape import plain as _plain
from guidelint.links.model import LinkResult, RunOutcome, Transition, Verdict

JSON_VERSION: Final = 1
MARKDOWN_CAP: Final = 1024 * 1024  # GitHub's limit for a job summary (and far above an issue's)

_SILENT: Final = frozenset({Verdict.OK, Verdict.REDIRECTED, Verdict.SKIPPED})

#: Report sections, most urgent first, with the ranks (see `rank`) each one holds.
SECTIONS: Final = (
    ("Confirmed dead", (0,)),
    ("Changed", (1,)),
    ("Moved", (2, 3)),
    ("Failing, not confirmed yet: watch", (4,)),
    ("Recovered", (5,)),
    ("Also review", (6, 7)),
)

NEW_MARK: Final = "new: no reviewed baseline"  # start of links.baseline.NEW_NOTE
FIXED_MARK: Final = "fixed: the guides now point to"  # start of links.pipeline.FIXED_NOTE


@dataclass(frozen=True)
class Trend:
    """What the run history adds to a report: health over time.

    `runs` is `History.run_totals()` (started_at, offline, {verdict: count}), oldest first;
    `timelines` is `History.timeline(url)` (checked_at, verdict) per URL, oldest first.
    """

    runs: Sequence[tuple[str, bool, Mapping[str, int]]] = ()
    timelines: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)


class Renderer(Protocol):
    def __call__(self, outcome: RunOutcome, trend: Trend | None = None) -> str: ...


def rank(result: LinkResult) -> int:
    """Sort key: what needs action first."""
    if result.dead and result.confirmed:
        return 0
    if result.verdict is Verdict.CHANGED:
        return 1
    if result.verdict is Verdict.MOVED:
        return 2 if result.cross_domain else 3
    if result.dead:
        return 4
    if result.transition is Transition.RECOVERED:
        return 5
    if result.verdict is Verdict.FRAGMENT_MISSING:
        return 6
    if result.verdict in (Verdict.BLOCKED, Verdict.ERROR):
        return 7
    return 8


def ordered(results: Iterable[LinkResult]) -> list[LinkResult]:
    return sorted(results, key=lambda result: (rank(result), result.url))


def is_finding(result: LinkResult) -> bool:
    return result.verdict not in _SILENT or result.transition is Transition.RECOVERED


def action(result: LinkResult) -> str:
    """What an editor should do about this result, in one line."""
    verdict = result.verdict
    if any(note.startswith(FIXED_MARK) for note in result.notes):
        return "review and commit the rewritten guides (--fix-moved changed only the URL)"
    if verdict is Verdict.MOVED:
        if result.cross_domain:
            return (
                f"review before updating: moved to another site ({result.final_url}); "
                "check the new owner is the same organisation"
            )
        return f"update the guide to {result.final_url}"
    if verdict is Verdict.CHANGED:
        return "review the page; if the guide still holds, accept the new baseline"
    if verdict is Verdict.FRAGMENT_MISSING:
        return "review: the section this link points to is gone; link the page or the new section"
    if verdict is Verdict.UNSAFE:
        return "replace: the link leads to an internal or reserved address"
    if verdict in (Verdict.TIMEOUT, Verdict.SERVER_ERROR) and not result.confirmed:
        return "recheck later; replace the link if it keeps failing"
    if result.dead:
        return "replace the link (find the organisation's current page) or remove it"
    if verdict is Verdict.BLOCKED:
        return "check by hand in a browser: the site refuses automated checks"
    if verdict is Verdict.ERROR:
        return "recheck later; report a guidelint bug if it persists"
    if result.transition is Transition.RECOVERED:
        return "none: the link works again"
    return "none"


def _label(result: LinkResult) -> str:
    if result.dead and result.confirmed:
        return f"{result.verdict.value} (confirmed)"
    if result.verdict is Verdict.MOVED and result.cross_domain:
        return "moved (to another site)"
    return result.verdict.value


def _why(result: LinkResult) -> str:
    parts = []
    if result.status is not None and not (result.error or "").startswith(f"HTTP {result.status}"):
        parts.append(f"HTTP {result.status}")
    if result.error:
        parts.append(result.error)
    if result.failing_since:
        parts.append(f"failing since {result.failing_since}")
    if result.transition is Transition.NEW_FAILURE:
        parts.append("new failure this run")
    elif result.transition is Transition.STILL_FAILING:
        parts.append("still failing")
    elif result.transition is Transition.RECOVERED:
        parts.append("recovered this run")
    if result.flaky:
        parts.append("flaky: alternates between working and failing")
    if result.change is not None:
        # Facts first: a changed phone number matters more than any similarity figure.
        change = result.change
        if change.facts_removed:
            parts.append("gone: " + ", ".join(change.facts_removed))
        if change.facts_added:
            parts.append("new: " + ", ".join(change.facts_added))
        if change.title_before != change.title_after:
            parts.append(f"title {change.title_before!r} -> {change.title_after!r}")
        parts.append(f"text similarity {change.similarity:.0%}")
    parts.extend(result.notes)
    return "; ".join(parts)


def sections(results: Iterable[LinkResult]) -> list[tuple[str, list[LinkResult]]]:
    """The findings grouped into `SECTIONS` (empty sections left out), each in rank order."""
    findings = [result for result in ordered(results) if is_finding(result)]
    out = []
    for title, ranks in SECTIONS:
        group = [result for result in findings if rank(result) in ranks]
        if group:
            out.append((title, group))
    return out


def _attention(results: Sequence[LinkResult]) -> str:
    """One line: how many of each kind of finding, in the order they need action."""
    counts = [
        (sum(result.dead and result.confirmed for result in results), "confirmed dead"),
        (sum(result.verdict is Verdict.CHANGED for result in results), "changed"),
        (sum(result.verdict is Verdict.MOVED for result in results), "moved"),
        (
            sum(result.transition is Transition.NEW_FAILURE for result in results),
            "new failures",
        ),
        (
            sum(result.dead and not result.confirmed for result in results),
            "failing, not confirmed",
        ),
        (sum(result.transition is Transition.RECOVERED for result in results), "recovered"),
        (sum(result.flaky for result in results), "flaky"),
        (
            sum(any(note.startswith(NEW_MARK) for note in result.notes) for result in results),
            "never reviewed (no baseline)",
        ),
    ]
    return ", ".join(f"{count} {label}" for count, label in counts if count)


def _counts(outcome: RunOutcome) -> Counter[Verdict]:
    return Counter(result.verdict for result in outcome.results)


def _headline(outcome: RunOutcome) -> str:
    counts = _counts(outcome)
    dead = sum(1 for result in outcome.results if result.dead)
    seconds = (outcome.finished_at - outcome.started_at).total_seconds()
    parts = [f"{len(outcome.results)} URLs checked in {seconds:.1f} s", f"{dead} dead"]
    parts.extend(
        f"{count} {verdict.value}"
        for verdict, count in sorted(counts.items(), key=lambda item: item[0].value)
        if not verdict.dead
    )
    return ", ".join(parts)


def render_text(outcome: RunOutcome, trend: Trend | None = None) -> str:
    lines = [f"guidelint links: {_headline(outcome)}"]
    attention = _attention(outcome.results)
    if attention:
        lines.append(f"needs attention: {attention}")
    lines.extend(f"note: {_plain(note)}" for note in outcome.notes)
    for title, group in sections(outcome.results):
        lines.append("")
        lines.append(f"== {title} ({len(group)}) ==")
        for result in group:
            lines.append("")
            lines.append(f"{_label(result).upper()}  {_plain(result.url)}")
            why = _why(result)
            if why:
                lines.append(f"  why: {_plain(why)}")
            lines.append(f"  action: {_plain(action(result))}")
            lines.extend(
                f"  used in: {_plain(ref.path)}:{ref.line}:{ref.column} ({_plain(ref.pointer)})"
                for ref in result.references
            )
    if all(not is_finding(result) for result in outcome.results):
        lines.append("All links work.")
    return "\n".join(lines) + "\n"


def render_markdown(
    outcome: RunOutcome, trend: Trend | None = None, cap: int = MARKDOWN_CAP
) -> str:
    head = ["## Link health", "", md_escape(_headline(outcome)), ""]
    attention = _attention(outcome.results)
    if attention:
        head.extend([f"**Needs attention:** {md_escape(attention)}", ""])
    dead_per_run = _dead_over_time(trend)
    if dead_per_run:
        head.extend([f"Dead links over the last {md_escape(dead_per_run)}", ""])
    if outcome.notes:
        # The blank line ends the quote: without it the next paragraph would join it.
        head.extend([*(f"> {md_escape(note)}" for note in outcome.notes), ""])
    grouped = sections(outcome.results)
    if not grouped:
        head.append("All links work.")
    blocks: list[tuple[bool, str]] = []  # (is a finding, Markdown)
    for title, group in grouped:
        blocks.append((False, f"### {md_escape(title)} ({len(group)})\n"))
        for result in group:
            block: list[str] = [
                f"#### {md_escape(_label(result))}: {md_code(result.url)}",
                "",
            ]
            why = _why(result)
            if why:
                block.append(f"- **Why:** {md_escape(why)}")
            block.append(f"- **Action:** {md_escape(action(result))}")
            block.extend(
                f"- **Used in:** {md_code(f'{ref.path}:{ref.line}:{ref.column}')} "
                f"({md_code(ref.pointer)})"
                for ref in result.references
            )
            blocks.append((True, "\n".join(block) + "\n"))
    text = "\n".join(head) + "\n"
    size = len(text.encode())
    for index, (_, chunk) in enumerate(blocks):
        remaining = sum(finding for finding, _ in blocks[index:])
        note = (
            f"\n> Report truncated: {remaining} more finding(s) not shown; "
            "see the JSON or HTML report.\n"
        )
        added = len(chunk.encode()) + 1
        if size + added + len(note.encode()) > cap:
            return text + note
        text += "\n" + chunk
        size += added
    return text


def _dead_over_time(trend: Trend | None) -> str:
    """'4 runs: 0 → 2 → 3 (offline) → 3': dead links per finished run, oldest first."""
    if trend is None or len(trend.runs) < 2:
        return ""
    steps = []
    for _, offline, counts in trend.runs:
        dead = sum(count for verdict, count in counts.items() if _is_dead(verdict))
        steps.append(f"{dead} (offline)" if offline else str(dead))
    return f"{len(steps)} runs: " + " → ".join(steps)


def _is_dead(verdict: str) -> bool:
    try:
        return Verdict(verdict).dead
    except ValueError:  # recorded by another guidelint version
        return False


def _summary(outcome: RunOutcome) -> dict[str, int]:
    counts = _counts(outcome)
    return {verdict.value: counts.get(verdict, 0) for verdict in Verdict}


def as_json_data(outcome: RunOutcome) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "started_at": _timestamp(outcome.started_at),
        "finished_at": _timestamp(outcome.finished_at),
        "summary": _summary(outcome),
        "links": [_json_link(result) for result in ordered(outcome.results)],
    }


def _json_link(result: LinkResult) -> dict[str, Any]:
    change = result.change
    return {
        "url": result.url,
        "verdict": result.verdict.value,
        "dead": result.dead,
        "confirmed": result.confirmed,
        "status": result.status,
        "final_url": result.final_url,
        "redirects": [{"url": hop.url, "status": hop.status} for hop in result.redirects],
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "error": result.error,
        "failing_since": result.failing_since,
        "change": None
        if change is None
        else {
            "similarity": change.similarity,
            "title_before": change.title_before,
            "title_after": change.title_after,
            "facts_added": list(change.facts_added),
            "facts_removed": list(change.facts_removed),
        },
        "references": [
            {"path": ref.path, "line": ref.line, "column": ref.column, "pointer": ref.pointer}
            for ref in result.references
        ],
    }


def _timestamp(moment: Any) -> str:
    return str(moment.isoformat(timespec="seconds").replace("+00:00", "Z"))


def render_json(outcome: RunOutcome, trend: Trend | None = None) -> str:
    """The versioned contract only (docs/links-json.md); the trend is for people, not here.

    Laid out as json.dumps(indent=2) would, except that each link is one line: with an
    indent, json runs its pure-Python encoder, which takes about 40 µs a link and holds
    the whole document as small strings at once; one C-encoded line takes a third of that,
    and reads and greps as well.
    """
    shell = as_json_data(dataclasses.replace(outcome, results=()))
    shell["summary"] = _summary(outcome)
    head = json.dumps(shell, indent=2, ensure_ascii=False)
    if not outcome.results:
        return head + "\n"
    links = ",\n    ".join(_encode_line(_json_link(result)) for result in ordered(outcome.results))
    empty = '"links": []\n}'
    assert head.endswith(empty)  # "links" is the last key
    return f'{head[: -len(empty)]}"links": [\n    {links}\n  ]\n}}\n'


#: Encoded strings hold no raw newline, so a link is always one line.
_encode_line: Final = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


_STYLE: Final = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
td.url{word-break:break-all}.dead{color:#a00000;font-weight:600}.attention{color:#8a5300;font-weight:600}
.fine{color:#276227}small{color:#555}svg{vertical-align:middle}figure{margin:1rem 0}
"""

# Sparkline colours per kind of verdict: dead, needs review, fine, no evidence.
_COLOURS: Final = {"dead": "#a00000", "review": "#d08a00", "fine": "#2e7d32", "none": "#9e9e9e"}


_KIND_NAMES: Final = {
    "dead": "dead",
    "review": "to review",
    "fine": "working",
    "none": "not judged",
}


def _kind(verdict: str) -> str:
    try:
        value = Verdict(verdict)
    except ValueError:
        return "none"
    if value.dead:
        return "dead"
    if value in (Verdict.MOVED, Verdict.CHANGED, Verdict.FRAGMENT_MISSING):
        return "review"
    if value in (Verdict.OK, Verdict.REDIRECTED):
        return "fine"
    return "none"


def _sparkline(timeline: Sequence[tuple[str, str]]) -> str:
    """One square per run, oldest left, coloured by verdict; each says its date and verdict."""
    if not timeline:
        return ""
    esc = html.escape
    cells = "".join(
        f'<rect x="{index * 9}" y="0" width="7" height="12" fill="{_COLOURS[_kind(verdict)]}">'
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
        by_kind: Counter[str] = Counter()
        for verdict, count in counts.items():
            by_kind[_kind(verdict)] += count
        x = index * (bar + gap)
        y = height
        label = ", ".join(
            f"{by_kind[kind]} {name}" for kind, name in _KIND_NAMES.items() if by_kind[kind]
        )
        parts = []
        for kind in ("fine", "none", "review", "dead"):
            size = round(by_kind[kind] * height / tallest)
            if size:
                y -= size
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{bar}" height="{size}" fill="{_COLOURS[kind]}"/>'
                )
        if offline:
            label += " (offline run, not counted)"
            parts.append(
                f'<rect x="{x}" y="0" width="{bar}" height="{height}" fill="none" '
                'stroke="#555" stroke-dasharray="2"/>'
            )
        bars.append(f"<g><title>{esc(started_at)}: {esc(label)}</title>{''.join(parts)}</g>")
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
    notes = "".join(f"<p><strong>Note:</strong> {esc(note)}</p>" for note in outcome.notes)
    attention = _attention(outcome.results)
    summary = f"<p><strong>Needs attention:</strong> {esc(attention)}</p>" if attention else ""
    chart = _runs_chart(trend.runs) if trend is not None else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Link health</title><style>{_STYLE}</style></head><body>"
        f"<h1>Link health</h1><p>{esc(_headline(outcome))}</p>{summary}{notes}{chart}"
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
    esc = html.escape
    css = "dead" if result.dead else "fine" if not is_finding(result) else "attention"
    refs = "<br>".join(
        f"{esc(ref.path)}:{ref.line}:{ref.column} <small>{esc(ref.pointer)}</small>"
        for ref in result.references
    )
    return (
        "<tr>"
        f'<td class="{css}">{esc(_label(result))}{_sparkline(timeline)}</td>'
        f'<td class="url">{_html_link(result.url)}'
        + (f"<br><small>→ {_html_link(result.final_url)}</small>" if result.final_url else "")
        + f"</td><td>{esc(_why(result))}</td><td>{esc(action(result))}</td><td>{refs}</td></tr>"
    )


def _html_link(url: str) -> str:
    text = html.escape(url)
    if re.match(r"(?i)https?://", url):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer nofollow">{text}</a>'
    return text


class ReportFormat(NamedTuple):
    """A link report format: how it renders, and what it reads from the run history.

    The history queries are the costliest part of a report, so a run reads only what the
    formats it writes declare here; adding a format touches nothing else.
    """

    render: Renderer
    run_totals: bool = False  # verdicts per run (`History.run_totals`)
    timelines: bool = False  # each URL's latest verdicts (`History.timelines`)


FORMATS: Final[dict[str, ReportFormat]] = {
    "text": ReportFormat(render_text),
    "markdown": ReportFormat(render_markdown, run_totals=True),
    "json": ReportFormat(render_json),
    "html": ReportFormat(render_html, run_totals=True, timelines=True),
}


def failing(results: Sequence[LinkResult], fail_on: str) -> list[LinkResult]:
    """Results that make the run fail (exit 1).

    `fail_on="new"`: any dead link. `"confirmed"`: only dead links the run history confirmed.
    Moved and changed links always count: the guide needs an edit either way.
    """
    return [
        result
        for result in results
        if (result.dead and (fail_on == "new" or result.confirmed))
        or result.verdict in (Verdict.MOVED, Verdict.CHANGED)
    ]
