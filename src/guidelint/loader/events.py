"""The YAML event stream turned into plain values, with every hazard found where it is.

Values are built from libyaml's events (or the pure-Python parser's, when PyYAML was built
without libyaml), never by PyYAML's constructors: one pass catches duplicate keys, anchors,
aliases, tags, extra documents and nesting past `MAX_DEPTH` at their exact position, and
records where each key and value sits.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, Final

import yaml

from guidelint.loader.model import (
    DUPLICATE_KEY,
    LIMITS,
    MAX_DEPTH,
    MAX_PROBLEMS,
    SYNTAX,
    UNSUPPORTED,
    Pointer,
    Problem,
    Span,
)
from guidelint.loader.scalars import SPECIAL_START, SPECIAL_WORDS, resolve, yaml11_problem

try:
    _Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same events, slower.
    _Loader = yaml.SafeLoader

_INTERN_MAX: Final = 64
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


class Stop(Exception):
    """Raised to abandon parsing once a limit is hit: the rest of the file is not read."""


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


class Builder:
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
                    raise Stop
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
                    raise Stop

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
                raise Stop
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
        if value and value[0] not in SPECIAL_START and value not in SPECIAL_WORDS:
            return value  # prose: no null, boolean, number or date starts this way
        problem = yaml11_problem(value)
        if problem is not None:
            self._problem(problem[0], event.start_mark, problem[1])
        return resolve(value)

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
            raise Stop
