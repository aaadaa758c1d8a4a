"""The JSON report: the versioned contract of docs/links-json.md.

Bump `JSON_VERSION` on any incompatible change.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

from guidelint.links.check.pace import Bound
from guidelint.links.model import LinkResult, Verdict
from guidelint.links.report.common import Trend, counts, evidence, ordered
from guidelint.urls import shown

if TYPE_CHECKING:
    from guidelint.links.model import RunOutcome

JSON_VERSION: Final = 1


def _summary(outcome: RunOutcome) -> dict[str, int]:
    tally = counts(outcome)
    return {verdict.value: tally.get(verdict, 0) for verdict in Verdict}


def as_json_data(outcome: RunOutcome) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "started_at": _timestamp(outcome.started_at),
        "finished_at": _timestamp(outcome.finished_at),
        "summary": _summary(outcome),
        "bound": _bound(outcome.bound),
        "links": [_json_link(result) for result in ordered(outcome.results)],
    }


def _bound(bound: Bound | None) -> dict[str, Any] | None:
    if bound is None:
        return None
    return {
        "limit": bound.limit.value,
        "seconds": round(bound.seconds, 3),
        "run_seconds": round(bound.run_seconds, 3),
        "binding": bound.binding,
        "host": bound.host,
        "requests": bound.requests,
        "url": None if bound.url is None else shown(bound.url),
        "text": bound.describe(),
    }


def _json_link(result: LinkResult) -> dict[str, Any]:
    change, found, copy = result.change, result.suggestion, result.archived
    return {
        "url": shown(result.url),
        "verdict": result.verdict.value,
        "dead": result.dead,
        "confirmed": result.confirmed,
        "status": result.status,
        "final_url": None if result.final_url is None else shown(result.final_url),
        "redirects": [{"url": shown(hop.url), "status": hop.status} for hop in result.redirects],
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
        "suggestion": None
        if found is None
        else {
            "url": shown(found.url),
            "score": found.score,
            "confident": found.confident,
            "evidence": [wording + (said or "") for wording, said in evidence(found)],
            "same_title": found.same_title,
            "title_similarity": found.title_similarity,
            "similarity": found.similarity,
            "shared_facts": list(found.shared_facts),
            "path_similarity": found.path_similarity,
        },
        "archived": None
        if copy is None
        else {"url": shown(copy.url), "captured_at": copy.captured_at},
    }


def _timestamp(moment: Any) -> str:
    return str(moment.isoformat(timespec="seconds").replace("+00:00", "Z"))


def render_json(outcome: RunOutcome, trend: Trend | None = None) -> str:
    """The versioned contract only (docs/links-json.md); the trend is for people, not here."""
    return "".join(stream_json(outcome, trend))


def stream_json(outcome: RunOutcome, trend: Trend | None = None) -> Iterator[str]:
    """`render_json` in pieces, for a writer that writes them as they come.

    Laid out as json.dumps(indent=2) would, except that each link is one line: with an
    indent, json runs its pure-Python encoder, which takes about 40 µs a link and holds
    the whole document as small strings at once; one C-encoded line takes a third of that,
    and reads and greps as well. Written in pieces of `_PIECE` links, a report of 100,000
    links never exists as one string (about 50 MB) next to its links.
    """
    shell = as_json_data(dataclasses.replace(outcome, results=()))
    shell["summary"] = _summary(outcome)
    head = json.dumps(shell, indent=2, ensure_ascii=False)
    if not outcome.results:
        yield head + "\n"
        return
    empty = '"links": []\n}'
    assert head.endswith(empty)  # "links" is the last key
    yield f'{head[: -len(empty)]}"links": [\n    '
    links = ordered(outcome.results)
    for start in range(0, len(links), _PIECE):
        piece = ",\n    ".join(map(_line, links[start : start + _PIECE]))
        yield piece if start + _PIECE >= len(links) else piece + ",\n    "
    yield "\n  ]\n}\n"


_PIECE: Final = 1000

#: Encoded strings hold no raw newline, so a link is always one line.
_encode_line: Final = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
#: json's own C string encoder (ensure_ascii=False), as `_encode_line` uses it.
_text: Final = json.encoder.encode_basestring
_BOOL: Final = ("false", "true")


def _line(result: LinkResult) -> str:
    """`_encode_line(_json_link(result))`, byte for byte, in a third of the time.

    Building a dict per link and encoding it took about 6 µs; most links have no change,
    no redirect and one reference, so their line is put together here from the encoded
    parts. A result with a change, a suggestion or an archived copy (floats, lists of
    facts) takes the general way.
    """
    if result.change is not None or result.suggestion is not None or result.archived is not None:
        return _encode_line(_json_link(result))
    text = _text
    status = "null" if result.status is None else str(result.status)
    final = "null" if result.final_url is None else text(shown(result.final_url))
    error = "null" if result.error is None else text(result.error)
    since = "null" if result.failing_since is None else text(result.failing_since)
    hops = ", ".join(
        f'{{"url": {text(shown(hop.url))}, "status": {hop.status}}}' for hop in result.redirects
    )
    references = ", ".join(
        f'{{"path": {text(ref.path)}, "line": {ref.line}, "column": {ref.column}, '
        f'"pointer": {text(ref.pointer)}}}'
        for ref in result.references
    )
    return (
        f'{{"url": {text(shown(result.url))}, "verdict": "{result.verdict.value}", '
        f'"dead": {_BOOL[result.dead]}, "confirmed": {_BOOL[result.confirmed]}, '
        f'"status": {status}, "final_url": {final}, "redirects": [{hops}], '
        f'"attempts": {result.attempts}, "elapsed_ms": {result.elapsed_ms}, '
        f'"error": {error}, "failing_since": {since}, "change": null, '
        f'"references": [{references}], "suggestion": null, "archived": null}}'
    )
