"""`--fix-moved`: point guides at the new address of permanently moved pages, in place.

Only the URL's characters change. The loader's spans give the exact character range of the
YAML scalar that holds the URL, so the new URL is written into the source text in the same
scalar style (plain, 'single' or "double" quoted), and comments, key order, quoting and
line breaks elsewhere stay byte for byte. Every edit is verified by loading the edited text
again and checking that exactly that value changed; an edit that cannot be made safely is
skipped with the reason, never guessed. Files are replaced atomically.

What is not fixed automatically, because a person should look first:

- a move to another registrable domain (`cross_domain`): the site may have been taken
  over; pass `allow_cross_domain=True` to fix those too;
- a move from https to http: a downgrade is never an improvement;
- a new address that is not a plain http(s) URL (spaces, control characters, odd schemes);
- a new address whose visible host is not its real host: a user name or password before an
  `@` (`https://www.gov.uk@evil.example/`), a backslash, or a non-ASCII (look-alike) host.

A `#fragment` on the old URL is carried over when the new one has none: redirects never
see fragments.

With `accept_suggestions`, a dead link whose new address `links.suggest` found is rewritten
too, under the same rules, but only when the suggestion is confident (its score reached
`suggest-confidence` and no other candidate came close) and on the dead page's own site; a
suggestion below that is skipped with its score, for a person to check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from guidelint import atomic
from guidelint.links.model import LinkResult, Verdict
from guidelint.links.suggest.candidates import same_site
from guidelint.loader import Document, Pointer, load_text


@dataclass(frozen=True)
class Edit:
    path: str
    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True)
class Skip:
    path: str
    line: int
    column: int
    url: str
    reason: str


@dataclass(frozen=True)
class FixOutcome:
    edits: tuple[Edit, ...]
    skipped: tuple[Skip, ...]
    #: The rewritten text of each guide that changed, by path: what `write` replaces.
    texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Wanted:
    pointer: str
    line: int
    column: int
    old: str
    new: str


class _Refused(Exception):
    pass


def target(result: LinkResult, *, allow_cross_domain: bool = False) -> str:
    """The URL a guide should use instead of `result.url`; raises _Refused with the reason."""
    new = result.final_url
    if new is None or new == result.url:
        raise _Refused("the check recorded no new address")
    if result.cross_domain and not allow_cross_domain:
        raise _Refused(
            f"moved to another site ({new}); review it by hand, the domain may have changed owner"
        )
    return _vetted(result.url, new)


def suggested_target(result: LinkResult) -> str:
    """The suggested new address of a dead link, if it may be applied; else _Refused."""
    suggestion = result.suggestion
    if suggestion is None:
        raise _Refused("no new address was suggested")
    if not suggestion.confident:
        raise _Refused(
            f"the suggested address {suggestion.url} scored {suggestion.score:.0%}, below the "
            "confidence --accept-suggestions needs (or close to another page); check it by hand"
        )
    if not same_site(result.url, suggestion.url):
        raise _Refused(f"the suggested address {suggestion.url} is on another site")
    return _vetted(result.url, suggestion.url)


def _vetted(old: str, new: str) -> str:
    """`new` as the replacement of `old`, if a guide may use it; raises _Refused."""
    parts = urlsplit(new)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _Refused(f"the new address {new!r} is not an http(s) URL")
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in new):
        raise _Refused("the new address contains spaces or control characters")
    # What a reader sees as the site must be the site: `https://www.gov.uk@evil.example/`
    # goes to evil.example, and a password in a guide is a leak.
    if "@" in parts.netloc or "\\" in new:
        raise _Refused(
            "the new address carries a user name or password (user@host), which hides the "
            "real host; review it by hand"
        )
    if not parts.netloc.isascii():
        raise _Refused(
            "the new address has a non-ASCII host, which can look like another site; "
            "review it by hand"
        )
    if urlsplit(old).scheme == "https" and parts.scheme == "http":
        raise _Refused(f"the new address {new} drops https")
    old_fragment = urlsplit(old).fragment
    if old_fragment and not parts.fragment:
        new = f"{new.split('#', 1)[0]}#{old_fragment}"
    return new


def fix_moved(
    results: Iterable[LinkResult],
    *,
    allow_cross_domain: bool = False,
    accept_suggestions: bool = False,
    write: bool = True,
) -> FixOutcome:
    """Rewrite every use of every moved URL (and with `accept_suggestions`, of every dead
    URL confidently suggested a new address); `write=False` plans without touching files.

    With `write`, every changed guide is replaced at once (`atomic.write_all`): all of
    them or none. A caller with more files to change in step (the baseline) plans here and
    writes them together.
    """
    wanted: dict[str, list[_Wanted]] = {}
    skipped: list[Skip] = []
    for result in results:
        suggested = accept_suggestions and result.dead and result.suggestion is not None
        if result.verdict is not Verdict.MOVED and not suggested:
            continue
        try:
            if suggested:
                new = suggested_target(result)
            else:
                new = target(result, allow_cross_domain=allow_cross_domain)
        except _Refused as refused:
            skipped.extend(
                Skip(ref.path, ref.line, ref.column, result.url, str(refused))
                for ref in result.references
            )
            continue
        for ref in result.references:
            wanted.setdefault(ref.path, []).append(
                _Wanted(ref.pointer, ref.line, ref.column, result.url, new)
            )
    edits: list[Edit] = []
    texts: dict[str, str] = {}
    for path, items in sorted(wanted.items()):
        file_edits, file_skips, text = _fix_file(path, items)
        edits.extend(file_edits)
        skipped.extend(file_skips)
        if text is not None:
            texts[path] = text
    if write and texts:
        atomic.write_all(texts)
    return FixOutcome(tuple(edits), tuple(skipped), texts)


def _fix_file(path: str, items: list[_Wanted]) -> tuple[list[Edit], list[Skip], str | None]:
    """The edits to one guide, what could not be edited, and its new text (None: unchanged)."""

    def skip(item: _Wanted, reason: str) -> Skip:
        return Skip(path, item.line, item.column, item.old, reason)

    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        return [], [skip(item, f"cannot read the guide: {error}") for item in items], None
    original = text
    edits: list[Edit] = []
    skips: list[Skip] = []
    for item in items:
        document = load_text(text, path).document
        if document is None:
            skips.append(skip(item, "the guide does not load; fix it first"))
            continue
        try:
            text, edit = _apply(document, item)
        except _Refused as refused:
            skips.append(skip(item, str(refused)))
            continue
        edits.append(edit)
    return edits, skips, text if text != original else None


def _resolve(data: Any, pointer: str) -> Pointer:
    if pointer in ("", "/"):
        return ()
    parts: list[str | int] = []
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(data, list):
            if not token.isdigit() or int(token) >= len(data):
                raise _Refused(f"pointer {pointer} no longer matches the guide")
            parts.append(int(token))
            data = data[int(token)]
        elif isinstance(data, dict) and token in data:
            parts.append(token)
            data = data[token]
        else:
            raise _Refused(f"pointer {pointer} no longer matches the guide")
    return tuple(parts)


def _apply(document: Document, item: _Wanted) -> tuple[str, Edit]:
    pointer = _resolve(document.data, item.pointer)
    span = document.values.get(pointer)
    value = _get(document.data, pointer)
    if span is None or not isinstance(value, str):
        raise _Refused(f"no text value at {item.pointer}")
    if item.old not in value:
        raise _Refused(f"{item.pointer} no longer contains the URL")
    if span.style not in ("", "'", '"'):
        raise _Refused("the URL is in a block scalar; edit it by hand")
    source = document.text[span.start : span.end]
    if source.count(item.old) != value.count(item.old):
        raise _Refused("the URL is escaped or folded in the source; edit it by hand")
    # Same style first; a plain URL that would not survive unquoted is double-quoted.
    candidates = [source.replace(item.old, _escape(item.new, span.style))]
    if value == item.old and span.style == "":
        candidates.append(_double_quoted(item.new))
    expected = _with_value(document.data, pointer, value.replace(item.old, item.new))
    for replacement in candidates:
        text = document.text[: span.start] + replacement + document.text[span.end :]
        reloaded = load_text(text, document.path).document
        if reloaded is not None and reloaded.data == expected:
            break
    else:
        raise _Refused("rewriting the URL would change more than the URL; edit it by hand")
    position = document.offset_position(span.start + source.find(item.old))
    return text, Edit(document.path, position.line, position.column, item.old, item.new)


def _get(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        data = data[part]
    return data


def _with_value(data: Any, pointer: Pointer, value: str) -> Any:
    if not pointer:
        return value
    head, rest = pointer[0], pointer[1:]
    if isinstance(data, list):
        assert isinstance(head, int)
        return [
            _with_value(item, rest, value) if index == head else item
            for index, item in enumerate(data)
        ]
    return {
        key: _with_value(item, rest, value) if key == head else item for key, item in data.items()
    }


def _escape(url: str, style: str | None) -> str:
    if style == "'":
        return url.replace("'", "''")
    if style == '"':
        return url.replace("\\", "\\\\").replace('"', '\\"')
    return url


def _double_quoted(url: str) -> str:
    return f'"{_escape(url, chr(34))}"'
