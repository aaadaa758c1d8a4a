"""Two guides in the library share an id.

Ids identify guides in reports, renders and link-health history; a repeated id makes them
ambiguous. Each later guide with an already-used id is reported, naming the first. Linting
a few files of a library (a pre-commit hook) still compares them with the rest of it: the
files being linted come after the guides already there, so a new file that takes an
existing id is the one reported.

Failing: `guides/us/a.yaml` and `guides/gb/a.yaml` both say `id: a`.

Passing: every id is used once (`id: a-us`, `id: a-gb`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL103"
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
SUMMARY = "Two guides in the library use the same id."


def check_library(guides: Sequence[Guide], options: Options) -> Iterator[Finding]:
    first_seen: dict[str, Guide] = {}
    # The engine orders the guides: the rest of the library first, then the linted files by path.
    for guide in guides:
        first = first_seen.setdefault(guide.id, guide)
        if first is not guide:
            yield Finding(
                guide.document.position(("id",)),
                f"id '{guide.id}' is already used by {first.path}; ids must be unique",
                path=guide.path,
            )
