"""The important note does not give the jurisdiction's emergency number.

The important note is the one place every guide repeats what to do in immediate danger. It
must name an emergency number of the guide's jurisdiction (from `data/jurisdictions.toml`;
subdivisions use their country's), so a reader who skips the steps still finds it, in any
written form ("000", "Triple Zero (000)", "nine nine nine"). A number from another country
does not count (GL201 reports it). Guides whose jurisdiction
has no facts in the data file are not checked.

Failing (jurisdiction `AU`):

    important_note: This is general information, not legal advice. If you are in danger, call emergency services.

Passing (jurisdiction `AU`):

    important_note: This is general information, not legal advice. If you are in danger, call 000.
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint import jurisdictions
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.phones import first_group, phone_tokens
from guidelint.rules.base import Finding, Options

CODE = "GL202"
NAME = "note-missing-emergency-number"
SEVERITY = Severity.ERROR
SUMMARY = "The important note does not name the jurisdiction's emergency number."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    facts = jurisdictions.lookup(guide.jurisdiction)
    if facts is None:
        return
    note = str(guide.data["important_note"])
    for token in phone_tokens(note):
        head = first_group(token)
        if token.digits in facts.emergency or (head and head.digits in facts.emergency):
            return
    yield Finding(
        guide.document.key_position(("important_note",)),
        f"the important note does not give the emergency number for {facts.name}; "
        f"add 'If you are in immediate danger, call {facts.primary_emergency}.'",
    )
