"""The guide's jurisdiction has no facts in the data file.

Emergency numbers and the rules that check them (GL201, GL202) come from
`data/jurisdictions.toml`; for a jurisdiction not listed there, those rules cannot check
anything and stay silent. This note says so, so silence is not mistaken for a pass. Add the
country to the data file, with its source.

Failing: `jurisdiction: ZA` while the data file has no `[jurisdictions.ZA]` table.

Passing: `jurisdiction: GB-SCT` (inherits `GB`).
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint import jurisdictions
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL207"
NAME = "unknown-jurisdiction"
SEVERITY = Severity.INFO
SUMMARY = "The guide's jurisdiction has no facts in the data file, so its numbers go unchecked."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    if jurisdictions.lookup(guide.jurisdiction) is None:
        yield Finding(
            guide.document.position(("jurisdiction",)),
            f"no facts for '{guide.jurisdiction}' in the jurisdiction data; emergency numbers "
            "in this guide are not checked (add it to data/jurisdictions.toml with its source)",
        )
