"""A loaded guide and where each of its keys and values came from.

`Document.position` and friends turn a JSON-pointer-like path into a 1-based line and column;
`text_position` finds a character inside a scalar whatever its style (folds, escapes, block
indentation). `compact` keeps a library of documents small.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import zlib
from typing import Any, Final

import yaml

from guidelint.diagnostics import Position
from guidelint.loader.events import Builder, Stop
from guidelint.loader.model import Pointer, Span


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
    builder = Builder(text)
    # This text was loaded before, so it stops at the same place if it stops at all.
    with contextlib.suppress(yaml.YAMLError, Stop):
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
