"""The loader's vocabulary: finding codes, limits, problems and where a node sits.

Kept apart so the event builder, the document and the file reader share it without
importing one another.
"""

from __future__ import annotations

from typing import Final, NamedTuple

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
OUTSIDE: Final = "GL009"  # found by `files.load_guide_file`, before the loader reads a byte

#: Loader findings after which the file's data cannot be trusted, so nothing else runs.
FATAL_CODES: Final = frozenset({SYNTAX, ENCODING, LIMITS, UNSUPPORTED, OUTSIDE})


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
