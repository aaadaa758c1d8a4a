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
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from guidelint.links.checker import RunOutcome
from guidelint.links.model import LinkResult, Transition, Verdict

JSON_VERSION: Final = 1
MARKDOWN_CAP: Final = 1024 * 1024  # GitHub's limit for a job summary (and far above an issue's)

_SILENT: Final = frozenset({Verdict.OK, Verdict.REDIRECTED, Verdict.SKIPPED})


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
    return result.verdict.value


def _why(result: LinkResult) -> str:
    parts = []
    if result.status is not None and not (result.error or "").startswith(f"HTTP {result.status}"):
        parts.append(f"HTTP {result.status}")
    if result.error:
        parts.append(result.error)
    if result.failing_since:
        parts.append(f"failing since {result.failing_since}")
    if result.change is not None:
        change = result.change
        parts.append(f"similarity {change.similarity:.0%}")
        if change.title_before != change.title_after:
            parts.append(f"title {change.title_before!r} -> {change.title_after!r}")
        if change.facts_removed:
            parts.append("gone: " + ", ".join(change.facts_removed))
        if change.facts_added:
            parts.append("new: " + ", ".join(change.facts_added))
    parts.extend(result.notes)
    return "; ".join(parts)


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


def render_text(outcome: RunOutcome) -> str:
    lines = [f"guidelint links: {_headline(outcome)}"]
    lines.extend(f"note: {note}" for note in outcome.notes)
    for result in ordered(outcome.results):
        if not is_finding(result):
            continue
        lines.append("")
        lines.append(f"{_label(result).upper()}  {_plain(result.url)}")
        why = _why(result)
        if why:
            lines.append(f"  why: {_plain(why)}")
        lines.append(f"  action: {_plain(action(result))}")
        lines.extend(
            f"  used in: {ref.path}:{ref.line}:{ref.column} ({ref.pointer})"
            for ref in result.references
        )
    if all(not is_finding(result) for result in outcome.results):
        lines.append("All links work.")
    return "\n".join(lines) + "\n"


_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(text: str) -> str:
    """Terminal-safe: no escape sequences or bidi overrides from remote text."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text.replace("\n", " "))


# What Markdown (GitHub flavour: tables, strikethrough, math) could read as markup mid-line.
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]()#!|<>&~$])")


def md_escape(text: str) -> str:
    """Markdown-inert text: every ASCII punctuation that means something is backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def md_code(text: str) -> str:
    """A code span that no backtick run inside `text` can close early."""
    text = _plain(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(outcome: RunOutcome, cap: int = MARKDOWN_CAP) -> str:
    head = ["## Link health", "", md_escape(_headline(outcome)), ""]
    head.extend(f"> {md_escape(note)}" for note in outcome.notes)
    findings = [result for result in ordered(outcome.results) if is_finding(result)]
    if not findings:
        head.append("All links work.")
    blocks = []
    for result in findings:
        block: list[str] = [
            f"### {md_escape(_label(result))}: {md_code(result.url)}",
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
        blocks.append("\n".join(block) + "\n")
    text = "\n".join(head) + "\n"
    for index, chunk in enumerate(blocks):
        remaining = len(blocks) - index
        note = (
            f"\n> Report truncated: {remaining} more finding(s) not shown; "
            "see the JSON or HTML report.\n"
        )
        if len((text + chunk).encode()) + len(note.encode()) > cap:
            return text + note
        text += "\n" + chunk
    return text


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


def render_json(outcome: RunOutcome) -> str:
    # The same bytes as json.dumps(as_json_data(outcome), indent=2), one link at a time: with
    # an indent, json runs its pure-Python encoder, which holds the whole document as small
    # strings at once (about 50 MB for 10,000 links, the peak of a whole link check).
    shell = as_json_data(dataclasses.replace(outcome, results=()))
    shell["summary"] = _summary(outcome)
    head = json.dumps(shell, indent=2, ensure_ascii=False)
    if not outcome.results:
        return head + "\n"
    links = ",\n".join(
        # Encoded strings hold no raw newline, so every newline starts a line to indent.
        "    "
        + json.dumps(_json_link(result), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        for result in ordered(outcome.results)
    )
    empty = '"links": []\n}'
    assert head.endswith(empty)  # "links" is the last key
    return f'{head[: -len(empty)]}"links": [\n{links}\n  ]\n}}\n'


_STYLE: Final = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
td.url{word-break:break-all}.dead{color:#a00000;font-weight:600}.attention{color:#8a5300;font-weight:600}
.fine{color:#276227}small{color:#555}
"""


def render_html(outcome: RunOutcome) -> str:
    esc = html.escape
    rows = []
    for result in ordered(outcome.results):
        css = "dead" if result.dead else "fine" if not is_finding(result) else "attention"
        refs = "<br>".join(
            f"{esc(ref.path)}:{ref.line}:{ref.column} <small>{esc(ref.pointer)}</small>"
            for ref in result.references
        )
        rows.append(
            "<tr>"
            f'<td class="{css}">{esc(_label(result))}</td>'
            f'<td class="url">{_html_link(result.url)}'
            + (f"<br><small>→ {_html_link(result.final_url)}</small>" if result.final_url else "")
            + f"</td><td>{esc(_why(result))}</td><td>{esc(action(result))}</td><td>{refs}</td></tr>"
        )
    notes = "".join(f"<p><strong>Note:</strong> {esc(note)}</p>" for note in outcome.notes)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Link health</title><style>{_STYLE}</style></head><body>"
        f"<h1>Link health</h1><p>{esc(_headline(outcome))}</p>{notes}"
        "<table><thead><tr><th scope=col>Verdict</th><th scope=col>URL</th><th scope=col>Why</th>"
        "<th scope=col>Action</th><th scope=col>Used in</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>\n"
    )


def _html_link(url: str) -> str:
    text = html.escape(url)
    if re.match(r"(?i)https?://", url):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer nofollow">{text}</a>'
    return text


FORMATS: Final[dict[str, Callable[[RunOutcome], str]]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
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
