"""Accepted lint findings: record today's, report only new ones.

A library adopting guidelint starts with hundreds of findings it cannot fix at once. A lint
baseline, like detekt's or PHPStan's baseline and ESLint's bulk suppressions, records them
so a run fails only on findings that are not in it. Each accepted finding is keyed by its
rule, its file and a hash of the text of its line, not the line number: adding a step above
an accepted finding moves it without making it new, while editing the line itself (where
the finding is) makes it new again. Identical findings on identical lines are counted, so
fixing one of two keeps the other accepted and a third one is new.

The file is JSON made to be reviewed in a pull request, one finding per line, sorted::

    {
      "version": 1,
      "findings": [
        {"rule": "GL405", "path": "guides/gb/a.yaml", "hash": "3f2a9c0d1e4b5a6c", "count": 2}
      ]
    }

Paths are relative to the project root (the folder of the configuration file), in POSIX
form, so the file means the same from any working directory and on any system. Reading is
strict: unknown keys, duplicate keys or entries, wrong types and oversized files are errors
that name the line and column. Writing is atomic.

The CLI wires it as `guidelint lint --baseline FILE` (report only what `filter_new` calls
new) and `--update-baseline` (write `build(...)` of today's findings with `save`).
"""

from __future__ import annotations

import hashlib
import json
import json.scanner
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from guidelint.diagnostics import Diagnostic

VERSION: Final = 1
#: A baseline is a few hundred lines for a library of thousands of guides; far larger is not
#: a baseline, and is refused before it is parsed.
MAX_BYTES: Final = 32 * 1024 * 1024
MAX_ENTRIES: Final = 250_000
MAX_COUNT: Final = 1_000_000
MAX_PATH: Final = 4096
_HASH_LENGTH: Final = 16
_HASH: Final = re.compile(rf"[0-9a-f]{{{_HASH_LENGTH}}}")
_RULE: Final = re.compile(r"GL[0-9]{3}")
_KEYS: Final = ("rule", "path", "hash", "count")

#: The text of line `line` (1-based) of the file a diagnostic names; "" when there is none.
LineSource = Callable[[str, int], str]


class Key(NamedTuple):
    rule: str
    path: str  # POSIX, relative to the project root
    hash: str


class Baseline(NamedTuple):
    """Accepted findings: how many of each key."""

    counts: Mapping[Key, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Filtered(NamedTuple):
    """A run's findings split by the baseline."""

    new: list[Diagnostic]  # not accepted: report these, and fail on them
    accepted: list[Diagnostic]
    #: Accepted findings that no longer occur (fixed, or their line was edited): the
    #: baseline can shrink with --update-baseline.
    fixed: int


class BaselineError(Exception):
    """A baseline file that cannot be used, at a 1-based line and column."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


def line_hash(text: str) -> str:
    """The hash of a line's text; surrounding whitespace (re-indentation) does not count."""
    digest = hashlib.sha256(text.strip().encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:_HASH_LENGTH]


def key_path(path: str, root: Path) -> str:
    """`path` as the baseline records it: relative to `root` where it lies under it, POSIX."""
    if not path:
        return ""
    absolute = Path(os.path.normpath(Path(path).absolute()))
    try:
        return absolute.relative_to(os.path.normpath(Path(root).absolute())).as_posix()
    except ValueError:  # outside the root (or on another drive)
        return absolute.as_posix()


def file_lines(encoding: str = "utf-8") -> LineSource:
    """A `LineSource` that reads each file once; unreadable files have no lines.

    Read as the loader reads a guide: a FIFO the loader refused must not hang the run
    here, nor a file over the loader's limit be read whole."""
    from guidelint.bounded import FileRefused, read_bytes
    from guidelint.loader import MAX_BYTES

    cache: dict[str, list[str]] = {}

    def source(path: str, line: int) -> str:
        lines = cache.get(path)
        if lines is None:
            try:
                raw = read_bytes(Path(path), MAX_BYTES, "guide")
            except FileRefused:
                raw = None
            # Line breaks as the YAML reader counts them; "\r" goes with the hash's strip.
            lines = [] if raw is None else raw.decode(encoding, "replace").split("\n")
            cache[path] = lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    return source


def key_of(diagnostic: Diagnostic, lines: LineSource, root: Path) -> Key:
    return Key(
        diagnostic.code,
        key_path(diagnostic.path, root),
        line_hash(lines(diagnostic.path, diagnostic.line)),
    )


def build(diagnostics: Iterable[Diagnostic], lines: LineSource, root: Path) -> Baseline:
    """A baseline that accepts exactly `diagnostics`."""
    return Baseline(dict(Counter(key_of(d, lines, root) for d in diagnostics)))


def filter_new(
    diagnostics: Sequence[Diagnostic],
    baseline: Baseline,
    lines: LineSource,
    root: Path,
    checked: Collection[str] | None = None,
) -> Filtered:
    """Split `diagnostics` into new and accepted ones.

    Of several findings with one key, the first `count` in position order are accepted and
    the rest are new: which of two identical lines keeps its acceptance does not matter.
    `checked`: the files this run linted (as `key_path` gives them); accepted findings of
    other files are not counted as fixed, since nobody looked (a pre-commit run lints one).
    """
    left = dict(baseline.counts)
    new: list[Diagnostic] = []
    accepted: list[Diagnostic] = []
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        key = key_of(diagnostic, lines, root)
        if left.get(key, 0) > 0:
            left[key] -= 1
            accepted.append(diagnostic)
        else:
            new.append(diagnostic)
    fixed = sum(count for key, count in left.items() if checked is None or key.path in checked)
    return Filtered(new, accepted, fixed)


def update(
    baseline: Baseline,
    diagnostics: Iterable[Diagnostic],
    lines: LineSource,
    root: Path,
    checked: Collection[str],
) -> Baseline:
    """`baseline` accepting exactly this run's findings for the files it linted (`checked`),
    and keeping what it accepted for every other file: updating from a one-file run must
    not forget the rest of the library."""
    kept = {key: count for key, count in baseline.counts.items() if key.path not in checked}
    fresh = build(diagnostics, lines, root).counts
    return Baseline({**kept, **fresh})


def dumps(baseline: Baseline) -> str:
    """The file's text: sorted, one finding per line, a final newline."""
    entries = [
        json.dumps(
            {"rule": key.rule, "path": key.path, "hash": key.hash, "count": count},
            ensure_ascii=False,
        )
        for key, count in sorted(baseline.counts.items())
    ]
    if not entries:
        return f'{{\n  "version": {VERSION},\n  "findings": []\n}}\n'
    body = ",\n".join(f"    {entry}" for entry in entries)
    return f'{{\n  "version": {VERSION},\n  "findings": [\n{body}\n  ]\n}}\n'


def save(path: Path, baseline: Baseline) -> None:
    """Replace the baseline file atomically: a killed run leaves the old or the new one.
    A file that cannot be written raises `guidelint.atomic.WriteError` (an `OSError`)."""
    if len(baseline.counts) > MAX_ENTRIES:
        raise BaselineError(
            str(path),
            1,
            1,
            f"{len(baseline.counts)} distinct findings is more than a baseline holds "
            f"({MAX_ENTRIES}); fix or switch off the noisiest rules first",
        )
    from guidelint import atomic  # only --update-baseline writes

    atomic.write_text(path, dumps(baseline), parents=True)


def load(path: Path) -> Baseline:
    """Read and check a baseline file; a missing file is an error (the CLI says how to
    create one with --update-baseline)."""
    from guidelint.bounded import FileRefused, read_bytes

    shown = str(path)
    try:
        # Regular files only, and so much: a FIFO or /dev/zero in its place stops here.
        raw = read_bytes(Path(path), MAX_BYTES, "lint baseline")
    except FileRefused as error:
        raise BaselineError(shown, 1, 1, str(error).removeprefix(f"{shown}: ")) from None
    if raw is None:
        raise BaselineError(shown, 1, 1, "no such baseline; create it with --update-baseline")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise BaselineError(shown, line, column, "not UTF-8 text") from None
    return loads(text, shown)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _decode(text: str, where: str) -> tuple[Any, dict[int, int]]:
    """The JSON value, and the offset where each object in it starts (for located errors)."""
    starts: dict[int, int] = {}
    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    parse_object = decoder.parse_object  # type: ignore[attr-defined]

    def located(state: tuple[str, int], *rest: Any) -> tuple[Any, int]:
        start = state[1] - 1
        try:
            value, end = parse_object(state, *rest)
        except _Duplicate as duplicate:
            line, column = _line_column(text, start)
            raise BaselineError(
                where, line, column, f"key '{duplicate.key}' appears twice in this object"
            ) from None
        starts[id(value)] = start
        return value, end

    decoder.parse_object = located  # type: ignore[attr-defined]
    # The pure-Python scanner calls parse_object through the decoder (the C one does not).
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text), starts
    except json.JSONDecodeError as error:
        raise BaselineError(where, error.lineno, error.colno, f"not JSON: {error.msg}") from None
    except (ValueError, RecursionError) as error:
        raise BaselineError(where, 1, 1, f"not usable JSON: {error}") from None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def loads(text: str, where: str = "baseline") -> Baseline:
    """Parse and check a baseline's text (see the module docstring for the format)."""
    data, starts = _decode(text, where)

    def fail(value: Any, message: str) -> BaselineError:
        line, column = _line_column(text, starts.get(id(value), 0))
        return BaselineError(where, line, column, message)

    if not isinstance(data, dict):
        raise fail(data, "a lint baseline is a JSON object with 'version' and 'findings'")
    unknown = sorted(set(data) - {"version", "findings"})
    if unknown:
        raise fail(data, f"unknown key '{unknown[0]}' (expected version, findings)")
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise fail(
            data, f"'version' must be {VERSION}; this guidelint reads version {VERSION} only"
        )
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise fail(data, "'findings' must be a list of {rule, path, hash, count} objects")
    if len(findings) > MAX_ENTRIES:
        raise fail(data, f"more than {MAX_ENTRIES} entries; this is not a lint baseline")
    counts: dict[Key, int] = {}
    for index, entry in enumerate(findings):
        key, count = _entry(entry, index, fail)
        if key in counts:
            raise fail(entry, f"entry {index + 1} repeats an earlier one; add up their counts")
        counts[key] = count
    return Baseline(counts)


def _entry(entry: Any, index: int, fail: Callable[[Any, str], BaselineError]) -> tuple[Key, int]:
    where = f"entry {index + 1}"
    if not isinstance(entry, dict):
        raise fail(entry, f"{where} must be an object with {', '.join(_KEYS)}")
    missing = [key for key in _KEYS if key not in entry]
    unknown = sorted(set(entry) - set(_KEYS))
    if unknown:
        raise fail(entry, f"{where}: unknown key '{unknown[0]}' (expected {', '.join(_KEYS)})")
    if missing:
        raise fail(entry, f"{where}: missing key '{missing[0]}'")
    rule, path, digest, count = (entry[key] for key in _KEYS)
    if not isinstance(rule, str) or not _RULE.fullmatch(rule):
        raise fail(entry, f"{where}: 'rule' must be a rule code such as \"GL405\"")
    if not isinstance(path, str) or len(path) > MAX_PATH or "\x00" in path:
        raise fail(entry, f"{where}: 'path' must be a file path of at most {MAX_PATH} characters")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise fail(entry, f"{where}: 'hash' must be {_HASH_LENGTH} lower-case hex digits")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise fail(entry, f"{where}: 'count' must be a whole number from 1 to {MAX_COUNT}")
    return Key(rule, path, digest), count
