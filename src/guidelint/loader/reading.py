"""Reading one guide file: the file-level limits and checks, then the YAML parse.

A file is refused before parsing when it is not a regular file, is over `MAX_BYTES`, holds a
NUL byte or is not UTF-8; parser errors become located problems, never exceptions.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from guidelint.loader.document import Document
from guidelint.loader.events import Builder, Stop
from guidelint.loader.model import (
    ENCODING,
    FATAL_CODES,
    LIMITS,
    MAX_BYTES,
    SYNTAX,
    Problem,
)


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
    builder = Builder(text)
    try:
        builder.run()
    except yaml.MarkedYAMLError as error:
        builder.problems.append(_syntax_problem(error, text))
    except yaml.YAMLError as error:  # ReaderError and friends carry a position, not a mark.
        builder.problems.append(_reader_problem(error, text, builder.parsed_by))
    except Stop:
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
