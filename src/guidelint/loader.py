"""Strict, position-preserving YAML loading.

Guides are read from libyaml's event stream (when PyYAML was built with it) and turned into
plain Python values by this module, never by PyYAML's constructors. That gives one pass in
which every hazard is caught at its exact position: duplicate keys (PyYAML keeps the last one
silently), anchors and aliases (guides need neither, and aliases are how "billion laughs"
files explode memory), tags (the way YAML constructs arbitrary objects), several documents in
one file, and scalars that YAML 1.1 tools and YAML 1.2 editors read differently. Values are
resolved with the YAML 1.2 core schema, so dates stay text and `no` stays text (and is
flagged). Size and nesting depth are bounded before and during parsing.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import stat
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, NamedTuple

import yaml

from guidelint.diagnostics import Position

try:
    _Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same events, slower.
    _Loader = yaml.SafeLoader

MAX_BYTES: Final = 1024 * 1024
MAX_DEPTH: Final = 24
#: Past this many problems in one file, reading stops: the file is not a guide.
MAX_PROBLEMS: Final = 100

Pointer = tuple[str | int, ...]

# Codes of the findings the loader itself makes; their rule metadata lives in rules/yaml_file.py.
SYNTAX: Final = "GL001"
ENCODING: Final = "GL002"
LIMITS: Final = "GL003"
DUPLICATE_KEY: Final = "GL004"
UNSUPPORTED: Final = "GL005"
AMBIGUOUS: Final = "GL006"
UNQUOTED_DATE: Final = "GL007"

#: Loader findings after which the file's data cannot be trusted, so nothing else runs.
FATAL_CODES: Final = frozenset({SYNTAX, ENCODING, LIMITS, UNSUPPORTED})


class Problem(NamedTuple):
    """A loader finding, before rule metadata (name, severity) is attached."""

    code: str
    line: int
    column: int
    message: str


class Span(NamedTuple):
    """Where a node sits in the source: 1-based start, character offsets, scalar style.

    A named tuple, not a dataclass: one is made per node, and a guide has hundreds.
    """

    line: int
    column: int
    start: int
    end: int
    style: str | None = None  # None for mappings and lists, "" for plain scalars


class Document:
    """A loaded guide: its data plus where every key and value came from."""

    path: str
    text: str
    data: Any
    values: dict[Pointer, Span]
    keys: dict[Pointer, Span]

    def __init__(
        self,
        path: str,
        text: str,
        data: Any,
        values: dict[Pointer, Span],
        keys: dict[Pointer, Span],
    ) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.values = values
        self.keys = keys
        self._line_starts: list[int] = []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r})"

    def position(self, pointer: Pointer) -> Position:
        """Start of the value at `pointer`, or of its nearest existing ancestor."""
        for depth in range(len(pointer), -1, -1):
            span = self.values.get(pointer[:depth])
            if span is not None:
                return Position(span.line, span.column)
        return Position(1, 1)

    def key_position(self, pointer: Pointer) -> Position:
        """Start of the key that holds `pointer` (falls back to the value)."""
        span = self.keys.get(pointer)
        if span is not None:
            return Position(span.line, span.column)
        return self.position(pointer)

    def offset_position(self, index: int) -> Position:
        if not self._line_starts:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._line_starts, index)
        return Position(line, index - self._line_starts[line - 1] + 1)

    def compact(self) -> Document:
        """The same document at a fifth of the memory, for holding a whole library.

        Text and data are kept compressed and the span maps (most of a document's size) are
        rebuilt from the text when first asked for: only guides with a library-wide finding
        off the top level or a suppression comment need them again. A data dict of a few
        hundred small objects weighs 20 kB; compressed it is 3 kB, and unpacked in tens of
        microseconds when a library rule reads it.
        """
        # Top-level spans stay: library rules report on top-level keys (id, steps, …), and
        # rebuilding a whole document's spans to place one finding there cost more than the
        # per-guide rules themselves.
        import pickle  # here, not at the top: a one-file lint never compacts

        return _CompactDocument(
            self.path,
            zlib.compress(self.text.encode("utf-8"), 1),
            zlib.compress(pickle.dumps(self.data, pickle.HIGHEST_PROTOCOL), 1),
            {pointer: span for pointer, span in self.values.items() if len(pointer) <= 1},
            {pointer: span for pointer, span in self.keys.items() if len(pointer) <= 1},
        )

    def text_position(self, pointer: Pointer, offset: int) -> Position:
        """Position of character `offset` of the string at `pointer`, inside any scalar style.

        Folded lines, escapes and block indentation mean the value is not a slice of the
        source, so value and source are aligned character by character.
        """
        span = self.values.get(pointer)
        value = _get(self.data, pointer)
        if span is None or not isinstance(value, str) or not 0 <= offset < len(value):
            return self.position(pointer)
        return self.offset_position(_align(value, self.text, span, offset))


class _CompactDocument(Document):
    """A `Document` whose text and span maps are rebuilt from compressed source on use."""

    def __init__(
        self,
        path: str,
        source: bytes,
        packed: bytes,
        top_values: dict[Pointer, Span],
        top_keys: dict[Pointer, Span],
    ) -> None:
        self.path = path
        self._packed = packed
        self._source = source
        self._line_starts = []
        self._top_values = top_values
        self._top_keys = top_keys

    def position(self, pointer: Pointer) -> Position:
        if len(pointer) > 1:
            return super().position(pointer)
        # The top-level map holds every ancestor such a pointer can fall back to.
        for depth in range(len(pointer), -1, -1):
            span = self._top_values.get(pointer[:depth])
            if span is not None:
                return Position(span.line, span.column)
        return Position(1, 1)

    def key_position(self, pointer: Pointer) -> Position:
        if len(pointer) > 1:
            return super().key_position(pointer)
        span = self._top_keys.get(pointer)
        if span is not None:
            return Position(span.line, span.column)
        return self.position(pointer)

    def _expanded(self) -> tuple[str, dict[Pointer, Span], dict[Pointer, Span]]:
        return _expand(self._source)

    @property
    def data(self) -> Any:
        return _unpack(self._packed)

    @property
    def text(self) -> str:  # type: ignore[override]
        return self._expanded()[0]

    @property
    def values(self) -> dict[Pointer, Span]:  # type: ignore[override]
        return self._expanded()[1]

    @property
    def keys(self) -> dict[Pointer, Span]:  # type: ignore[override]
        return self._expanded()[2]

    def compact(self) -> Document:
        return self


# A few recent expansions are kept: library rules work through one group of guides at a time.
@functools.lru_cache(maxsize=32)
def _expand(source: bytes) -> tuple[str, dict[Pointer, Span], dict[Pointer, Span]]:
    text = zlib.decompress(source).decode("utf-8")
    builder = _Builder(text)
    # This text was loaded before, so it stops at the same place if it stops at all.
    with contextlib.suppress(yaml.YAMLError, _Stop):
        builder.run()
    return text, builder.values, builder.keys


# Library rules read one guide's data several times in a row, then move on to the next.
@functools.lru_cache(maxsize=64)
def _unpack(packed: bytes) -> Any:
    import pickle

    return pickle.loads(zlib.decompress(packed))


def _get(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_WHITESPACE_RUN: Final = re.compile(r"\s\s")


def _align(value: str, text: str, span: Span, offset: int) -> int:
    index = span.start + (1 if span.style in ("'", '"') else 0)
    if (
        span.style in ("", "'", '"')
        and text.startswith(value, index, span.end)
        and not _WHITESPACE_RUN.search(value, 0, offset + 1)
    ):
        # Written as it reads (no escapes or folds), the walk below would land on the same
        # character; only a run of spaces makes it skip ahead, so such prefixes take the walk.
        return index + offset
    return _walk(value, text, span, offset)


def _walk(value: str, text: str, span: Span, offset: int) -> int:
    index = span.start + (1 if span.style in ("'", '"') else 0)
    if span.style in ("|", ">"):
        index = text.find("\n", span.start, span.end) + 1 or span.start
    resolved = index
    for char in value[: offset + 1]:
        if char.isspace():
            # A space or newline in the value may stand for a folded line break plus indentation.
            resolved = index
            while index < span.end and text[index].isspace():
                index += 1
        else:
            found = text.find(char, index, span.end)
            resolved = found if found >= 0 else index
            index = resolved + 1
    return resolved


class LoadResult(NamedTuple):
    path: str
    document: Document | None
    problems: list[Problem]


def load_path(path: Path | str, display: str | None = None) -> LoadResult:
    """Read and load one guide file; never raises for anything the file contains."""
    shown = display if display is not None else str(path)
    try:
        # A FIFO or device would block on open or never end: only regular files are read.
        if not stat.S_ISREG(Path(path).stat().st_mode):
            message = "not a regular file; guides must be ordinary files"
            return LoadResult(shown, None, [Problem(ENCODING, 1, 1, message)])
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        return LoadResult(shown, None, [Problem(ENCODING, 1, 1, f"cannot read the file: {reason}")])
    return load_bytes(raw, shown)


def load_bytes(raw: bytes, path: str) -> LoadResult:
    if len(raw) > MAX_BYTES:
        message = (
            f"file is larger than {MAX_BYTES // 1024} KiB; a guide is a few KiB, "
            "so split it or remove pasted content"
        )
        return LoadResult(path, None, [Problem(LIMITS, 1, 1, message)])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        hint = (
            "the file looks UTF-16 encoded; save it as UTF-8"
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
            else "remove it"
        )
        message = f"file contains a NUL byte, which YAML does not allow; {hint}"
        return LoadResult(path, None, [Problem(ENCODING, line, column, message)])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        message = f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8"
        return LoadResult(path, None, [Problem(ENCODING, line, column, message)])
    return load_text(text, path)


def _byte_position(raw: bytes, index: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, index) + 1
    column = len(raw[line_start:index].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, index) + 1, column


def load_text(text: str, path: str) -> LoadResult:
    builder = _Builder(text)
    try:
        builder.run()
    except yaml.MarkedYAMLError as error:
        builder.problems.append(_syntax_problem(error, text))
    except yaml.YAMLError as error:  # ReaderError and friends carry a position, not a mark.
        builder.problems.append(_reader_problem(error, text, builder.parsed_by))
    except _Stop:
        pass
    fatal = any(problem.code in FATAL_CODES for problem in builder.problems)
    document = None if fatal else Document(path, text, builder.root, builder.values, builder.keys)
    return LoadResult(path, document, builder.problems)


_TAB_HINT = "YAML does not allow tab characters for indentation; use spaces"


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    problem = (error.problem or "invalid YAML").strip()
    context = error.context.strip() if error.context else ""
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        problem = f"{problem}: {_TAB_HINT}"
    elif error.context_mark is not None and mark is not None and not text[mark.index :].strip():
        # Hitting the end of the file inside a quote or bracket: the opening one is the fault.
        mark = error.context_mark
        context = f"{context}, which starts here and is never closed" if context else ""
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    detail = f" ({context})" if context else ""
    message = f"YAML syntax error: {problem}{detail}; check indentation, quotes and colons"
    return Problem(SYNTAX, line, column, message)


def _reader_problem(error: yaml.YAMLError, text: str, parsed_by: type[Any]) -> Problem:
    position = getattr(error, "position", None)
    if isinstance(position, int) and parsed_by is not yaml.SafeLoader:
        # libyaml counts the UTF-8 bytes it was fed, the pure-Python reader characters.
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    if isinstance(position, int) and 0 <= position <= len(text):
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
    else:
        line, column = 1, 1
    character = getattr(error, "character", None)
    code_point = ord(character) if isinstance(character, str) else character
    shown = f"U+{code_point:04X}" if isinstance(code_point, int) else "a control character"
    message = f"character {shown} is not allowed in YAML; remove it or save the file as UTF-8"
    return Problem(ENCODING, line, column, message)


class _Stop(Exception):
    """Raised to abandon parsing once a limit is hit: the rest of the file is not read."""


_CORE_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_CORE_TRUE = frozenset({"true", "True", "TRUE"})
_CORE_FALSE = frozenset({"false", "False", "FALSE"})
# The patterns below are left to re's cache, compiled on first use: most guides hold no plain
# number or date, and compiling them all up front is a millisecond of a one-file lint.
_CORE_INT: Final = r"[-+]?[0-9]+\Z"
_CORE_FLOAT: Final = r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z"
_CORE_SPECIAL_FLOAT = {
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
_YAML11_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})
_YAML11_FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF"})
_YAML11_NUMBER: Final = (
    r"[-+]?(0b[01_]+|0[0-7_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9][0-9_]*_[0-9_]*)\Z"
)
_YAML11_TIMESTAMP: Final = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([Tt ]|[ \t]+)?([0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?)?"
    r"([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?\Z"
)
_INTERN_MAX: Final = 64
# Every special scalar above starts with one of these characters or is one of these words.
_SPECIAL_START = frozenset("0123456789+-.~")
_SPECIAL_WORDS = _CORE_NULL | _CORE_TRUE | _CORE_FALSE | _YAML11_TRUE | _YAML11_FALSE
_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_ALIAS = yaml.AliasEvent
_DOCUMENT_START = yaml.DocumentStartEvent
_ALLOWED_TAGS = frozenset(
    {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
)


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = ("container", "key", "key_span", "pointer", "start")

    def __init__(self, container: Any, pointer: Pointer, start: int) -> None:
        self.container = container
        self.pointer = pointer
        self.start = start
        self.key: str | None = None
        self.key_span: Span | None = None


def _marks(event: yaml.Event) -> tuple[Any, Any]:
    # The stubs type marks as optional; the parser always sets them on events.
    return event.start_mark, event.end_mark


class _Builder:
    """Turns a YAML event stream into plain values plus a pointer → span map."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._reset()

    def _reset(self) -> None:
        self.parsed_by: type[Any] = _Loader
        self.root: Any = None
        self.values: dict[Pointer, Span] = {}
        self.keys: dict[Pointer, Span] = {}
        self.problems: list[Problem] = []

    def run(self) -> None:
        try:
            self._run(_Loader)
        except yaml.MarkedYAMLError as error:
            # libyaml (bundled with PyYAML >= 6.0.4) refuses flow nesting past its own limit
            # while scanning ahead, before any event reaches the depth check below, and points
            # past the fault. The pure-Python parser has no such limit, so it lets the depth
            # check name the first level too deep. Only hostile files take this path.
            if _Loader is yaml.SafeLoader or "nesting depth" not in str(error.problem):
                raise
            self._reset()
            self.parsed_by = yaml.SafeLoader
            self._run(yaml.SafeLoader)

    def _run(self, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
        parser = loader(self.text)
        try:
            # get_event() returns None after the stream's end; calling it directly skips the
            # generator and check_event() round trip per event that yaml.parse() adds.
            self.build(iter(parser.get_event, None))
        finally:
            parser.dispose()

    def build(self, events: Iterator[yaml.Event]) -> None:
        stack: list[_Frame] = []
        documents = 0
        # Dispatch on the exact event class, most frequent first: this loop runs once per node.
        # (`type(event) is ...` against aliases is not narrowed by mypy, hence `Any`.)
        event: Any
        for event in events:
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None or event.tag is not None:
                    self._check_node(event)
                self._attach(stack, self._scalar(event), event, event.style or "")
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None or event.tag is not None:
                    self._check_node(event)
                if len(stack) >= MAX_DEPTH:
                    self._problem(
                        LIMITS,
                        event.start_mark,
                        f"nesting is deeper than {MAX_DEPTH} levels; a guide needs at most a few",
                    )
                    raise _Stop
                container: Any = {} if kind is _MAPPING_START else []
                pointer = self._attach(stack, container, event, None)
                stack.append(_Frame(container, pointer, _marks(event)[0].index))
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                frame = stack.pop()
                old = self.values[frame.pointer]
                end = _marks(event)[1].index
                self.values[frame.pointer] = Span(old.line, old.column, frame.start, end)
            elif kind is _ALIAS:
                self._problem(
                    UNSUPPORTED,
                    event.start_mark,
                    f"alias '*{event.anchor}' is not allowed in guides; write the value out in full",
                )
                self._attach(stack, None, event, None)
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    self._problem(
                        UNSUPPORTED,
                        event.start_mark,
                        "file holds more than one YAML document (a second '---'); "
                        "keep one guide per file",
                    )
                    raise _Stop

    def _check_node(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            self._problem(
                UNSUPPORTED,
                event.start_mark,
                f"anchor '&{event.anchor}' is not allowed in guides; write each value out in full",
            )
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit = tag is not None and (implicit is False or implicit == (False, False))
        if explicit and tag not in _ALLOWED_TAGS:
            self._problem(
                UNSUPPORTED,
                event.start_mark,
                f"tag '{tag}' is not allowed in guides; remove it (guides hold only text, "
                "lists and mappings)",
            )

    def _attach(
        self, stack: list[_Frame], value: Any, event: yaml.Event, style: str | None
    ) -> Pointer:
        mark, end_mark = _marks(event)
        span = Span(mark.line + 1, mark.column + 1, mark.index, end_mark.index, style)
        if not stack:
            self.root = value
            self.values[()] = span
            return ()
        frame = stack[-1]
        container, pointer = frame.container, frame.pointer
        if isinstance(container, list):
            item: Pointer = (*pointer, len(container))
            container.append(value)
            self.values[item] = span
            return item
        if frame.key is None or frame.key_span is None:
            # A mapping key: hold it until its value arrives.
            if not isinstance(event, yaml.ScalarEvent):
                self._problem(SYNTAX, mark, "a key must be plain text, not a list or mapping")
                raise _Stop
            # Interned: the same few dozen keys recur in every guide of a library held in memory.
            frame.key = "" if value is None else sys.intern(str(value))
            frame.key_span = span
            return pointer
        key, key_span = frame.key, frame.key_span
        frame.key = frame.key_span = None
        child: Pointer = (*pointer, key)
        if key in container:
            first = self.keys[child]
            self._problem_at(
                DUPLICATE_KEY,
                key_span.line,
                key_span.column,
                f"duplicate key '{key}' (first set on line {first.line}); YAML tools disagree on "
                "which value wins, so keep only one",
            )
            # The first value is kept; the repeat's nodes are filed under a pointer no data
            # path can reach, so they never overwrite the first value's positions.
            discarded: Pointer = (*pointer, f"\x00duplicate@{key_span.start}")
            self.values[discarded] = span
            return discarded
        container[key] = value
        self.keys[child] = key_span
        self.values[child] = span
        return child

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value: str = event.value
        if len(value) <= _INTERN_MAX:
            # Ids, slots, kinds and jurisdictions recur across a library held in memory.
            value = sys.intern(value)
        # libyaml reports the plain style as "", the pure-Python parser as None.
        if event.style or not event.implicit[0]:
            return value
        if value and value[0] not in _SPECIAL_START and value not in _SPECIAL_WORDS:
            return value  # prose: no null, boolean, number or date starts this way
        if value in _CORE_NULL:
            return None
        if value in _CORE_TRUE:  # booleans in YAML 1.1 too: nothing to check
            return True
        if value in _CORE_FALSE:
            return False
        self._check_yaml11(event, value)
        if re.match(_CORE_INT, value):
            try:
                return int(value)
            except ValueError:  # past Python's digit limit: no guide field is such a number
                return value
        if re.match(_CORE_FLOAT, value):
            return float(value)
        if value in _CORE_SPECIAL_FLOAT:
            return _CORE_SPECIAL_FLOAT[value]
        return value

    def _check_yaml11(self, event: yaml.ScalarEvent, value: str) -> None:
        if value in _YAML11_TRUE or value in _YAML11_FALSE:
            meaning = "true" if value in _YAML11_TRUE else "false"
            self._problem(
                AMBIGUOUS,
                event.start_mark,
                f"unquoted '{value}' means {meaning} to YAML 1.1 tools but text to YAML 1.2 "
                f'editors; quote it ("{value}") if you mean text, or write {meaning}',
            )
        elif re.match(_YAML11_NUMBER, value):
            self._problem(
                AMBIGUOUS,
                event.start_mark,
                f"unquoted '{value}' is a number to YAML 1.1 tools but text to YAML 1.2 editors; "
                f'quote it ("{value}")',
            )
        elif re.match(_YAML11_TIMESTAMP, value):
            valid = _is_real_date(value[:10])
            detail = "" if valid else f"; '{value[:10]}' is not a real date, and PyYAML fails on it"
            self._problem(
                UNQUOTED_DATE,
                event.start_mark,
                f"unquoted date '{value}' becomes a date object in YAML 1.1 tools but stays text "
                f'in guides; quote it ("{value}"){detail}',
            )

    def _problem(self, code: str, mark: Any, message: str) -> None:
        self._problem_at(code, mark.line + 1, mark.column + 1, message)

    def _problem_at(self, code: str, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(code, line, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(
                    LIMITS, line, column, f"more than {MAX_PROBLEMS} problems; reading stopped here"
                )
            )
            raise _Stop


def _is_real_date(text: str) -> bool:
    import datetime

    try:
        year, month, day = (int(part) for part in text.split("-"))
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True
