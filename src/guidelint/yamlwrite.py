"""Writing guides as YAML that reads the same in every YAML tool.

Keys come out in the schema's (published) order; strings are quoted only when a plain scalar
would be read as something else by a YAML 1.1 tool (`no`, `2025-01-01`, `1_000`) or a YAML 1.2
editor (`1e5`, `0o17`, `y`); unicode is kept as written; multi-line text is a literal block.
The output is read back with guidelint's own strict loader before it is returned, so a value
that would not survive the trip is a bug caught here, not a corrupted guide.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import yaml

from guidelint.loader import Document, load_text
from guidelint.schema import guide_schema

MODELINE: Final = "# yaml-language-server: $schema={ref}\n"


class _Dumper(yaml.SafeDumper):
    """SafeDumper that also quotes what YAML 1.2 (and guidelint's loader) reads as non-text."""


# Line breaks other than "\n" are folded away inside plain and single-quoted scalars; only
# double quotes escape them.
_OTHER_BREAKS: Final = frozenset("\x85\u2028\u2029\ufeff")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _OTHER_BREAKS.intersection(value):
        style = '"'
    elif "\n" in value.strip("\n"):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)

# PyYAML's resolver knows YAML 1.1 only; these YAML 1.2 core-schema forms (and 1.1's `y`/`n`,
# which PyYAML leaves out) must be quoted too. The tags only tell the emitter "not a string".
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(0o[0-7]+|0x[0-9a-fA-F]+)$"), ["0"]
)
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"),
    list("0123456789"),
)
_Dumper.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^[yYnN]$"), list("yYnN"))


class DumpError(Exception):
    """The YAML written would not read back as the same data (a bug, reported loudly)."""


def key_order() -> dict[str, int]:
    """Top-level keys in the schema's published order."""
    return {key: index for index, key in enumerate(guide_schema()["properties"])}


def _ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    order = key_order()
    return {key: data[key] for key in sorted(data, key=lambda key: order.get(key, len(order)))}


def dump_guide(data: Mapping[str, Any], schema_ref: str) -> str:
    """The guide as YAML text with the editor modeline, verified to load back unchanged."""
    return dump_and_load(data, schema_ref)[0]


def dump_and_load(data: Mapping[str, Any], schema_ref: str) -> tuple[str, Document]:
    """`dump_guide`, plus the document read back from the text (for further checks)."""
    ordered = _ordered(data)
    body = yaml.dump(
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    text = MODELINE.format(ref=schema_ref) + body
    loaded = load_text(text, "<generated>")
    if loaded.problems or loaded.document is None or loaded.document.data != ordered:
        details = "; ".join(problem.message for problem in loaded.problems) or "data differs"
        raise DumpError(f"generated YAML does not read back as written: {details}")
    return text, loaded.document


def schema_ref(output: Path | None) -> str:
    """What the modeline points editors at: the repository's `schema/guide.schema.json`
    relative to the output file when one is found above it, else the schema's `$id`."""
    if output is not None:
        folder = output.resolve().parent
        for directory in (folder, *folder.parents):
            candidate = directory / "schema" / "guide.schema.json"
            if candidate.is_file():
                return Path(os.path.relpath(candidate, folder)).as_posix()
    return str(guide_schema()["$id"])
