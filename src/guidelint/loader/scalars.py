"""Plain scalars: their value under the YAML 1.2 core schema, and YAML 1.1's other reading.

Guides are read as editors read them, with YAML 1.2: dates stay text and `no` stays text.
Tools built on PyYAML speak YAML 1.1, where `no` is false, `1:20` is 80 and an unquoted date
is a date object (or a crash, for `2025-13-45`), so such a scalar gets a finding that says
to quote it.
"""

from __future__ import annotations

import re
from typing import Any, Final

from guidelint.loader.model import AMBIGUOUS, UNQUOTED_DATE

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
# Every special scalar above starts with one of these characters or is one of these words.
SPECIAL_START: Final = frozenset("0123456789+-.~")
SPECIAL_WORDS: Final = _CORE_NULL | _CORE_TRUE | _CORE_FALSE | _YAML11_TRUE | _YAML11_FALSE


def resolve(value: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema: None, a bool, a number or text."""
    if value in _CORE_NULL:
        return None
    if value in _CORE_TRUE:  # booleans in YAML 1.1 too: nothing to check
        return True
    if value in _CORE_FALSE:
        return False
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


def yaml11_problem(value: str) -> tuple[str, str] | None:
    """(code, message) when YAML 1.1 tools read the plain scalar `value` differently."""
    if value in _YAML11_TRUE or value in _YAML11_FALSE:
        meaning = "true" if value in _YAML11_TRUE else "false"
        return (
            AMBIGUOUS,
            f"unquoted '{value}' means {meaning} to YAML 1.1 tools but text to YAML 1.2 "
            f'editors; quote it ("{value}") if you mean text, or write {meaning}',
        )
    if re.match(_YAML11_NUMBER, value):
        return (
            AMBIGUOUS,
            f"unquoted '{value}' is a number to YAML 1.1 tools but text to YAML 1.2 editors; "
            f'quote it ("{value}")',
        )
    if re.match(_YAML11_TIMESTAMP, value):
        valid = _is_real_date(value[:10])
        detail = "" if valid else f"; '{value[:10]}' is not a real date, and PyYAML fails on it"
        return (
            UNQUOTED_DATE,
            f"unquoted date '{value}' becomes a date object in YAML 1.1 tools but stays text "
            f'in guides; quote it ("{value}"){detail}',
        )
    return None


def _is_real_date(text: str) -> bool:
    import datetime

    try:
        year, month, day = (int(part) for part in text.split("-"))
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True
