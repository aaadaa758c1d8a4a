"""Typed options from TOML tables: one way to declare them, one parser, one error wording.

An options class is a frozen record whose TOML keys are fields annotated with `Option`
metadata (PEP 593):

    class Options(Record):
        max_words: Annotated[int, Option(minimum=1, doc="Most words a sentence may have.")] = 25

The type says what a value must be (`bool`, `int`, `float`, `str`, `Path`, `tuple[str, ...]`,
optionally `| None`); `Option` adds the TOML key when it differs from the field name, bounds,
allowed values, a one-line doc, and a `parse` function for structured values. A field without
`Option` is not read from TOML. `parse(cls, table, where)` checks every key and returns an
instance; keys not in the table keep the class's defaults.

Records on the `guidelint lint` path (the config, rule options) subclass `Record`, which type
checkers treat as a frozen, keyword-only dataclass: creating a named tuple class costs about
0.2 ms and a frozen dataclass 0.4 ms (plus 6 ms to import dataclasses and inspect), a
`Record` class 6 µs, in a one-file lint of about 70 ms. Link settings are frozen dataclasses
(see `links.settings` for why); `parse` reads both kinds the same way.

Every problem is a `ConfigError` worded one way, naming the file, the table and the key:

    pyproject.toml: [tool.guidelint.links] 'timeout' must be a number of at least 0.01, not 'x'
    pyproject.toml: [tool.guidelint.links] unknown key 'timout' (did you mean 'timeout'?); allowed: …
"""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import (
    Annotated,
    Any,
    ClassVar,
    Final,
    ForwardRef,
    NoReturn,
    Self,
    TypeVar,
    dataclass_transform,
    get_args,
    get_origin,
)

T = TypeVar("T")


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Record:
    """A frozen record: fields are the class's annotations, defaults its class attributes.

    Built with keywords only; equal when of the same class with equal fields. Instances
    hold only the fields set when built, so the defaults cost nothing per instance.
    """

    _fields: ClassVar[tuple[str, ...]] = ()
    _required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = tuple(vars(cls).get("__annotations__", {}))
        cls._fields = (*cls._fields, *own)
        cls._required = cls._required | {name for name in own if name not in vars(cls)}

    def __init__(self, **values: Any) -> None:
        unknown = set(values).difference(self._fields)
        missing = self._required.difference(values)
        if unknown or missing:
            problem = f"unexpected {sorted(unknown)}" if unknown else f"missing {sorted(missing)}"
            raise TypeError(f"{type(self).__name__}(): {problem}")
        vars(self).update(values)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is frozen: use replace()")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def replace(self, **changes: Any) -> Self:
        """A copy with `changes`, as `dataclasses.replace` makes one."""
        return type(self)(**{**vars(self), **changes})

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and type(other) is type(self)
            and self._values() == other._values()
        )

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"


class ConfigError(Exception):
    """A configuration or usage problem (exit code 2)."""


class Where(Record):
    """A TOML table in a file: `pyproject.toml: [tool.guidelint.links]`."""

    source: str
    table: str = ""  # dotted; "" for the top level of the file

    def __str__(self) -> str:
        return f"{self.source}: [{self.table}]" if self.table else f"{self.source}:"

    def sub(self, key: str) -> Where:
        """The table under `key` of this one."""
        name = _toml_key(key)
        return Where(source=self.source, table=f"{self.table}.{name}" if self.table else name)


class Key(Record):
    """A key's path inside a table (`'exclude[0].url'`); field parsers report through it."""

    where: Where
    path: str

    def fail(self, expected: str, value: Any) -> NoReturn:
        """The one wording for a value of the wrong kind."""
        raise ConfigError(f"{self.where} '{self.path}' must be {expected}, not {_shown(value)}")

    def error(self, problem: str) -> NoReturn:
        """For what `fail` cannot say: `problem` follows the key ("needs exactly one of …")."""
        raise ConfigError(f"{self.where} '{self.path}' {problem}")

    def item(self, index: int) -> Key:
        return Key(where=self.where, path=f"{self.path}[{index}]")

    def child(self, name: str) -> Key:
        name = _toml_key(name)
        return Key(where=self.where, path=f"{self.path}.{name}" if self.path else name)


class Option(Record):
    """How one field is read from TOML (the metadata of an `Annotated` field)."""

    key: str | None = None  # the TOML key; None: the field's name
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()  # allowed values of a string
    #: How a value is described in messages and docs; derived from the type when None.
    kind: str | None = None
    #: For structured values: raw TOML value and its key in, typed value out (or Key.fail).
    parse: Callable[[Any, Key], Any] | None = None
    #: The field is an options record whose keys sit in this same table.
    inline: bool = False
    required: bool = False


class Field(Record):
    """One TOML key of an options class, as `fields` describes it."""

    name: str  # the attribute
    key: str
    kind: str
    option: Option
    convert: Callable[[Any, Key], Any] | None  # None for an inline field
    inline: type | None  # the nested options class of an inline field


def parse(
    cls: type[T], table: Mapping[str, Any], where: Where | Key | str, *, base: T | None = None
) -> T:
    """`table` read into `cls`; values it does not set come from `base`, else the defaults.

    `where` names the table in messages; a `Key` reads a table nested in a value (an entry
    of a list), naming its keys by their path from the enclosing table.
    """
    if isinstance(where, str):
        where = Where(source=where)
    at = where if isinstance(where, Key) else Key(where=where, path="")
    if not isinstance(table, Mapping):
        if not at.path:
            raise ConfigError(f"{at.where} must be a table, not {_shown(table)}")
        at.fail("a table", table)
    allowed = keys(cls)
    unknown = sorted(key for key in table if key not in allowed)
    if unknown:
        _unknown(at, unknown[0], allowed)
    return _build(cls, table, at, base)


def fields(cls: type) -> tuple[Field, ...]:
    """The TOML keys of `cls`, in declaration order (inline records as one field each)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(_declared(cls))
    return found


def keys(cls: type) -> frozenset[str]:
    """Every key a table for `cls` may hold, inline records' keys included."""
    return frozenset(
        key
        for field in fields(cls)
        for key in (keys(field.inline) if field.inline else (field.key,))
    )


def describe(defaults: object) -> list[tuple[Field, Any]]:
    """Each key of `defaults`' class with its default, inline records flattened (for docs)."""
    described: list[tuple[Field, Any]] = []
    for field in fields(type(defaults)):
        value = getattr(defaults, field.name)
        described.extend(describe(value) if field.inline else [(field, value)])
    return described


def _build(cls: type[T], table: Mapping[str, Any], at: Key, base: T | None) -> T:
    values: dict[str, Any] = {}
    for field in fields(cls):
        if field.inline is not None:
            nested = getattr(base, field.name) if base is not None else None
            values[field.name] = _build(field.inline, table, at, nested)
        elif field.key in table and field.convert is not None:
            values[field.name] = field.convert(table[field.key], at.child(field.key))
        elif field.option.required:
            at.child(field.key).error(f"is required: {field.option.doc}")
    if base is None:
        return cls(**values)
    if isinstance(base, Record):
        return base.replace(**values)
    import dataclasses  # only dataclass records get here, and their modules imported it

    return dataclasses.replace(base, **values)  # type: ignore[type-var]


def _unknown(at: Key, key: str, allowed: frozenset[str]) -> NoReturn:
    import difflib  # only on this error path: 0.7 ms of start-up otherwise

    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    listed = ", ".join(sorted(allowed)) or "none"
    raise ConfigError(f"{at.where} unknown key '{at.child(key).path}'{hint}; allowed: {listed}")


_FIELDS: dict[type, tuple[Field, ...]] = {}


def _declared(cls: type) -> list[Field]:
    # What typing.get_type_hints does, one field at a time: a field may name a type its
    # module imports only for type checking, inside a string (`Annotated["X | None", …]`).
    # Under `from __future__ import annotations` a class holds each annotation as a string
    # (a ForwardRef in a named tuple).
    module = vars(sys.modules[cls.__module__])
    found = []
    for name, annotation in vars(cls).get("__annotations__", {}).items():
        if isinstance(annotation, ForwardRef):
            annotation = annotation.__forward_arg__
        hint = eval(annotation, module) if isinstance(annotation, str) else annotation
        if get_origin(hint) is not Annotated:
            continue
        option = next((item for item in hint.__metadata__ if isinstance(item, Option)), None)
        if option is None:
            continue
        target = _optional(hint.__origin__)
        key = option.key or name
        if option.inline:
            found.append(
                Field(
                    name=name, key=key, kind="a table", option=option, convert=None, inline=target
                )
            )
            continue
        kind, convert = _converter(target, option, f"{cls.__qualname__}.{name}")
        found.append(
            Field(
                name=name,
                key=key,
                kind=option.kind or kind,
                option=option,
                convert=convert,
                inline=None,
            )
        )
    return found


def _optional(hint: Any) -> Any:
    """`X | None` → X: TOML has no null, so None is only ever a default."""
    if isinstance(hint, types.UnionType):
        left = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(left) == 1:
            return left[0]
    return hint


def _converter(target: Any, option: Option, name: str) -> tuple[str, Callable[[Any, Key], Any]]:
    if option.parse is not None:
        if option.kind is None:
            raise TypeError(f"{name}: a field with its own parse needs a kind to describe it")
        return option.kind, option.parse
    if target is bool:
        return "true or false", _boolean
    if target is int or target is float:
        kind = ("an integer" if target is int else "a number") + bounds(option)

        def number(value: Any, at: Key) -> Any:
            return _number(value, at, target, option, kind)

        return kind, number
    if target is str or target is Path:
        if option.choices:
            kind = "one of " + ", ".join(option.choices)
            return (
                kind,
                lambda value, at: value if value in option.choices else at.fail(kind, value),
            )
        convert = Path if target is Path else str
        kind = "a file path" if target is Path else "a non-empty string"
        return kind, lambda value, at: convert(string(value, at, kind))
    if get_origin(target) is tuple and get_args(target) == (str, ...):
        return "a list of strings", lambda value, at: strings(value, at)
    raise TypeError(f"{name}: no TOML kind for {target!r}; give the Option a parse and a kind")


def bounds(option: Option) -> str:
    """The bounds of a number as a message says them: ` between 0.0 and 1.0`, or ``."""
    low, high = option.minimum, option.maximum
    if low is not None and high is not None:
        return f" between {low} and {high}"
    if low is not None:
        return f" of at least {low}"
    return f" of at most {high}" if high is not None else ""


def _boolean(value: Any, at: Key) -> bool:
    if not isinstance(value, bool):
        at.fail("true or false", value)
    return value


def _number(value: Any, at: Key, target: type, option: Option, kind: str) -> Any:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (target is int and not isinstance(value, int))
        or not math.isfinite(value)
        or (option.minimum is not None and value < option.minimum)
        or (option.maximum is not None and value > option.maximum)
    ):
        at.fail(kind, value)
    return target(value)


def string(value: Any, at: Key, kind: str = "a non-empty string") -> str:
    """`value` if it is a string with something in it."""
    if not isinstance(value, str) or not value.strip():
        at.fail(kind, value)
    return value


def strings(value: Any, at: Key, kind: str = "a list of strings") -> tuple[str, ...]:
    """`value` if it is a list of strings, as a tuple."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        at.fail(kind, value)
    return tuple(value)


def table(value: Any, at: Key) -> Mapping[str, Any]:
    """`value` if it is a TOML table."""
    if not isinstance(value, Mapping):
        at.fail("a table", value)
    return value


_BARE: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted (`hosts."a.example"`).

    Control characters are escaped, so a key never reaches a terminal as an escape sequence.
    """
    if key and all(char in _BARE for char in key):
        return key
    escaped = "".join(
        "\\" + char if char in '"\\' else char if char.isprintable() else f"\\u{ord(char):04x}"
        for char in key
    )
    return f'"{escaped}"'


_SHOWN_MAX: Final = 60


def _shown(value: Any) -> str:
    """A value in a message, as it was written in TOML where that is simple; never long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(value)
    return shown if len(shown) <= _SHOWN_MAX else f"{shown[: _SHOWN_MAX - 1]}…"
