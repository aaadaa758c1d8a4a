"""The important note does not say the guide is not legal advice.

Guides describe laws, reporting duties and platform processes; a reader can take that as
advice about their own case. The important note must say plainly that it is not legal
advice. Natural phrasings are accepted: "not legal advice", "is not legal advice or a
substitute for…", "does not constitute legal advice", "isn't legal advice", "not a
substitute for legal advice". Only English guides (`en-*`) are checked.

Failing:

    important_note: This guide is general information. If you are in immediate danger, call 911.

Passing:

    important_note: This guide is general information, not legal advice. If you are in immediate danger, call 911.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL203"
NAME = "note-missing-disclaimer"
SEVERITY = Severity.WARNING
SUMMARY = "The important note does not say the guide is not legal advice."

# A negation, then at most six words, then "legal advice" (or "advice from a lawyer").
_DISCLAIMER: Final = re.compile(
    r"\b(?:not|no|never|cannot|can[’']t|\w+n[’']t)\b(?:[\s,]+[\w’'-]+){0,6}?[\s,]+"
    r"(?:legal\s+advice|advice\s+from\s+a\s+(?:lawyer|solicitor|attorney))\b",
    re.I,
)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    if not guide.language.startswith("en"):
        return
    if _DISCLAIMER.search(str(guide.data["important_note"])):
        return
    yield Finding(
        guide.document.key_position(("important_note",)),
        "the important note does not say the guide is not legal advice; "
        "add 'This guide is general information, not legal advice.'",
    )
