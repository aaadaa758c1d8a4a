"""A guide that fails the schema, made fit for the rules: broken values set aside, the rest kept.

One bad value must not hide every other finding: an editor fixing a phone number should
learn in the same run that the guide also says "call 911" in Ireland. The schema problems
are reported as they are (GL010); then the rules run on a copy of the guide in which:

- a value of the wrong type, or a required key that is missing, is replaced by an empty
  stand-in of the right type (`""`, `[]`, a mapping with empty required keys), so rules that
  walk the guide find nothing there rather than crash;
- an optional key with a value of the wrong type or outside its choices (a misspelt
  `audience`) is removed, as if it were not written;
- a value of the right type that breaks a pattern, format or length (an id in the wrong
  case, a date that does not exist) is kept: rules read it as written and judge it by their
  own lights; except the guide's `jurisdiction` and `language`, which set what other rules
  check against: those become empty, and the rules that need them stay silent;
- unknown keys stay (they hold text, and text is checked).

A rule's finding at the position of a schema problem, or of a stand-in, is dropped: the
schema problem already says what is wrong there, and a stand-in is not the author's text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, NamedTuple

from guidelint.diagnostics import Position
from guidelint.loader import Document, Pointer
from guidelint.schema import SchemaProblem, guide_schema

#: Keywords whose failure leaves a value of the right type that rules can read as written.
_KEPT: Final = frozenset(
    {"pattern", "format", "minLength", "maxLength", "minItems", "uniqueItems", "const"}
)


#: Values other rules read as the guide's context: a broken one is not read as written.
_CONTEXT: Final = frozenset({("jurisdiction",), ("language",)})


class Salvaged(NamedTuple):
    document: Document  # the same source and positions; data with stand-ins
    hidden: frozenset[Position]  # where rule findings are dropped


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        resolved: Mapping[str, Any] = guide_schema()["$defs"][reference.removeprefix("#/$defs/")]
        return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def subschema(pointer: Pointer) -> Mapping[str, Any] | None:
    """The schema of the value at `pointer` in a guide, or None where the schema has none."""
    node: Mapping[str, Any] = guide_schema()
    for part in pointer:
        node = _resolve(node)
        if isinstance(part, int):
            items = node.get("items")
            if not isinstance(items, Mapping):
                return None
            node = items
        else:
            properties = node.get("properties", {})
            if part not in properties:
                return None
            node = properties[part]
    return _resolve(node)


def _required(pointer: Pointer) -> bool:
    """Whether the value at `pointer` must be there: a list item, or a required key."""
    if not pointer or isinstance(pointer[-1], int):
        return True
    parent = subschema(pointer[:-1])
    return parent is not None and pointer[-1] in parent.get("required", ())


def stand_in(schema: Mapping[str, Any] | None) -> Any:
    """An empty value of the type `schema` asks for, which no rule reads as the author's."""
    kind = schema.get("type") if schema is not None else None
    if kind == "array":
        return []
    if kind == "object" and schema is not None:
        properties = schema.get("properties", {})
        return {
            name: stand_in(_resolve(properties.get(name, {})))
            for name in schema.get("required", ())
        }
    if kind == "boolean":
        return False
    return ""


def _holds(data: Any, part: str | int) -> bool:
    if isinstance(data, dict):
        return isinstance(part, str) and part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _container(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        if not _holds(data, part):
            return None
        data = data[part]
    return data


def _set_aside(data: Any, pointer: Pointer, missing: bool) -> bool:
    """Replace or remove the value at `pointer` in `data`; False when there is nothing to do."""
    parent = _container(data, pointer[:-1])
    last = pointer[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        if not missing and last not in parent:
            return False
        if _required(pointer):
            parent[last] = stand_in(subschema(pointer))
        else:
            parent.pop(last, None)
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        parent[last] = stand_in(subschema(pointer))
        return True
    return False


def salvage(document: Document, problems: Sequence[SchemaProblem]) -> Salvaged | None:
    """The guide with its broken values set aside (see the module docstring); None when
    nothing of it can be checked (the file is not a mapping of keys)."""
    if not isinstance(document.data, dict):
        return None
    data = copy.deepcopy(document.data)
    hidden = {problem.position for problem in problems}
    # Outer values first: a stand-in for a whole list replaces whatever was broken inside it.
    for problem in sorted(problems, key=lambda problem: len(problem.pointer)):
        pointer = problem.pointer
        if not pointer or problem.keyword.endswith("Properties"):
            continue
        if problem.keyword in _KEPT and pointer not in _CONTEXT:
            continue
        missing = problem.keyword == "required"
        if _set_aside(data, pointer, missing):
            hidden.update(_positions(document, [pointer]))
    salvaged = Document(document.path, document.text, data, document.values, document.keys)
    return Salvaged(salvaged, frozenset(hidden))


def _positions(document: Document, pointers: Iterable[Pointer]) -> Iterable[Position]:
    for pointer in pointers:
        yield document.position(pointer)
        yield document.key_position(pointer)
