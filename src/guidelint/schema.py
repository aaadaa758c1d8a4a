"""The guide schema: loading it, validating guides, and explaining errors to editors.

`jsonschema` reports errors in terms of keywords and instance paths; editors need one sentence
per problem, at the line of the offending key or value. The most specific error of each
`oneOf`/`anyOf` group is kept (jsonschema's `best_match`), and a value that breaks several
keywords (a pattern and a format, say) is reported once.

Most guides are valid, so validity is first decided by `jsonschema-rs` (compiled Rust, a few
microseconds a guide, and cheap to import); `jsonschema` is imported and run only to explain
a guide the fast validator rejects. The fast path is trusted only where both engines agree by
construction (see `_fast_path_applies`); anything else goes to `jsonschema`, whose verdict is
the reference, so the reported problems are exactly `jsonschema`'s.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from guidelint import read_data
from guidelint.diagnostics import Position
from guidelint.loader import Document, Pointer

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_CODE: Final = "GL010"


class SchemaProblem(NamedTuple):
    position: Position
    message: str
    pointer: Pointer
    #: The JSON Schema keyword the value breaks (`type`, `pattern`, `required`, …).
    keyword: str = ""


@functools.cache
def guide_schema() -> Mapping[str, Any]:
    """The bundled guide schema (the same file as `schema/guide.schema.json` in the repo)."""
    schema: Mapping[str, Any] = json.loads(read_data("guide.schema.json"))
    return schema


@functools.cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    import jsonschema_rs

    # Only `date` is asserted, as by the reference validator; the schema uses no other format.
    return jsonschema_rs.Draft202012Validator(dict(guide_schema()), validate_formats=True)


def _fast_path_applies(document: Document) -> bool:
    # Escapes in double-quoted scalars are the only way to get control characters into a
    # guide (libyaml refuses them raw), and Python's `\s` matches U+001C-U+001F where Rust's
    # does not: such a file is left to the reference validator.
    return "\\" not in document.text


def is_valid(document: Document) -> bool:
    """True when the guide certainly passes the schema, without importing `jsonschema`."""
    if not _fast_path_applies(document):
        return False
    try:
        return _fast_validator().is_valid(document.data)
    except (ValueError, OverflowError):  # lone surrogates, numbers Rust cannot hold
        return False


@functools.cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(guide_schema(), format_checker=FormatChecker(formats=("date",)))


def validate(document: Document) -> list[SchemaProblem]:
    data = document.data
    if not isinstance(data, dict):
        found = _describe_type(data)
        message = (
            f"a guide must be a mapping of keys (id, title, steps, …), but this file holds {found}"
        )
        return [SchemaProblem(document.position(()), message, (), "type")]
    if is_valid(document):
        return []
    problems: list[SchemaProblem] = []
    reported: set[tuple[Pointer, str]] = set()
    for error in _validator().iter_errors(data):
        for problem in _explain(_most_specific(error), document):
            key = (problem.pointer, problem.message if _per_key(problem) else "")
            if key not in reported:
                reported.add(key)
                problems.append(problem)
    problems.sort(key=lambda problem: (problem.position, problem.message))
    return problems


def _per_key(problem: SchemaProblem) -> bool:
    return problem.message.startswith(("unknown key", "missing required key"))


def _most_specific(error: ValidationError) -> ValidationError:
    from jsonschema.exceptions import best_match

    while error.context:
        error = best_match(error.context)
    return error


_TYPE_WORDS: Final = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty",
}


def _describe_type(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _where(pointer: Pointer) -> str:
    if not pointer:
        return "the guide"
    parts: list[str] = []
    for part in pointer:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")
        else:
            parts.append(f"'{part}'")
    return " > ".join(parts)


def _examples(schema: Mapping[str, Any], pointer: Pointer, document: Document) -> str:
    fitting = _fitting_example(pointer, document)
    examples = [fitting] if fitting else schema.get("examples")
    if not examples:
        return ""
    shown = ", ".join(json.dumps(example, ensure_ascii=False) for example in examples[:3])
    return f" (for example {shown})"


def _fitting_example(pointer: Pointer, document: Document) -> str | None:
    """A resource URL or phone example from the guide's own country, not the schema's
    American or British one: an Irish editor is shown an Irish service."""
    if len(pointer) != 3 or pointer[0] != "resources" or pointer[2] not in ("url", "phone"):
        return None
    data = document.data
    code = data.get("jurisdiction") if isinstance(data, dict) else None
    if not isinstance(code, str):
        return None
    from guidelint import services

    country = code.split("-", 1)[0]
    if pointer[2] == "url":
        return services.example_url(country)
    return services.example_number(country)


def _explain(error: ValidationError, document: Document) -> Iterator[SchemaProblem]:
    pointer: Pointer = tuple(error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    keyword = error.validator
    value = error.instance
    where = _where(pointer)
    at_value = document.position(pointer)
    if keyword == "required":
        properties = schema.get("properties", {})
        present = value if isinstance(value, dict) else {}
        for name in schema.get("required", []):
            if name not in present:
                title = properties.get(name, {}).get("title", name)
                message = f"missing required key '{name}' ({title}) in {where}"
                yield SchemaProblem(
                    _container_position(document, pointer), message, (*pointer, name), str(keyword)
                )
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = list(schema.get("properties", {}))
        for key in value if isinstance(value, dict) else {}:
            if key in allowed:
                continue
            import difflib  # only for explaining a rejected guide: start-up skips it

            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
            message = f"unknown key '{key}' in {where}; {hint}"
            yield SchemaProblem(
                document.key_position((*pointer, key)), message, (*pointer, key), str(keyword)
            )
        return
    name = where
    if keyword == "type":
        expected = schema.get("type")
        words = (
            " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected)
            if isinstance(expected, list)
            else _TYPE_WORDS.get(str(expected), str(expected))
        )
        message = f"{name} must be {words}, not {_describe_type(value)}"
        if expected == "string" and isinstance(value, bool | int | float):
            message += "; put the value in quotes to keep it as text"
    elif keyword == "enum":
        choices = ", ".join(json.dumps(choice) for choice in schema.get("enum", []))
        message = f"{name} must be one of {choices}, not {json.dumps(value, ensure_ascii=False)}"
    elif keyword == "const":
        message = f"{name} must be {json.dumps(schema.get('const'), ensure_ascii=False)}"
    elif keyword == "pattern" or keyword == "format":
        if keyword == "format" and schema.get("format") == "date":
            message = f"{name}: '{value}' is not a real date; write it as YYYY-MM-DD"
        else:
            description = schema.get("description", "")
            first = description.split(". ")[0].rstrip(".")
            shown = json.dumps(value, ensure_ascii=False)
            message = (
                f"{name}: {shown} is not in the expected form{_examples(schema, pointer, document)}"
            )
            if first:
                message += f"; {first[0].lower()}{first[1:]}"
    elif keyword == "minLength":
        message = f"{name} is empty; write the text or remove the key"
    elif keyword == "maxLength":
        message = f"{name} is too long (at most {schema.get('maxLength')} characters)"
    elif keyword == "minItems":
        minimum = schema.get("minItems", 1)
        message = f"{name} needs at least {minimum} item{'s' if minimum != 1 else ''}; add one"
    elif keyword == "uniqueItems":
        message = f"{name} lists the same entry more than once; remove the repeat"
    else:
        message = f"{where}: {error.message}"
    yield SchemaProblem(at_value, message, pointer, str(keyword))


def _container_position(document: Document, pointer: Pointer) -> Position:
    # A missing key has no node: point at the key that holds the incomplete mapping.
    if pointer and pointer in document.keys:
        return document.key_position(pointer)
    return document.position(pointer)
