"""The guide's id differs from its file name.

The id is how reports, renders and other guides refer to a guide; the file name is how people
find it. When they differ, a renamed or copied file silently keeps the old id and two guides
end up claiming the same one. The id must equal the file name without `.yaml`.

Failing (in `guides/us/intimate-images-saved-us.yaml`):

    id: intimate-images-us

Passing:

    id: intimate-images-saved-us
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL102"
NAME = "id-matches-path"
SEVERITY = Severity.ERROR
SUMMARY = "The guide id must equal its file name without the extension."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    expected = PurePath(guide.path).stem
    if guide.id != expected:
        yield Finding(
            guide.document.position(("id",)),
            f"id '{guide.id}' does not match the file name; rename the file to "
            f"'{guide.id}{PurePath(guide.path).suffix}' or set id to '{expected}'",
        )
