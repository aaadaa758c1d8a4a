"""Regular expressions compiled on first use.

A one-file lint (the pre-commit case) pays for every pattern compiled at import, and many
patterns are needed only by some guides: those are built by the first call instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Final

#: Every lazy pattern made so far, so the linear-time test finds these as it finds the
#: patterns compiled at import (tests/test_linear_time.py).
REGISTRY: Final[list[Callable[[], re.Pattern[str]]]] = []


def lazy_pattern(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function that compiles `source` on its first call and returns the same pattern after."""
    compiled = functools.cache(functools.partial(re.compile, source, flags))
    REGISTRY.append(compiled)
    return compiled
