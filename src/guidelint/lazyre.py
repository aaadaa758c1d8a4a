"""Regular expressions compiled on first use.

A one-file lint (the pre-commit case) pays for every pattern compiled at import, and many
patterns are needed only by some guides: those are built by the first call instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def lazy_pattern(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function that compiles `source` on its first call and returns the same pattern after."""
    return functools.cache(functools.partial(re.compile, source, flags))
