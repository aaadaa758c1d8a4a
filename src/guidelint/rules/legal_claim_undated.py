"""A statement of what the law requires, in a guide without an effective date.

Duties such as "platforms must remove reported images within 48 hours" come from a law
with a start date, and laws get amended. Without `effective_date` in the metadata, a reader
(and the next reviewer) cannot tell which version of the law the guide describes or whether
it applies yet. Reported statements:

- a deadline duty: "must remove … within 48 hours", "have to respond within 2 days";
- "required by law", "legally required/obliged/bound to", "a legal duty/obligation to";
- "it is illegal/unlawful/against the law/a crime/an offence to …", "the Act makes it an
  offence to …";
- "under the … Act/Law/Regulation, … must/have to/are required";
- "the law requires/says … must".

Add `effective_date: 'YYYY-MM-DD'` (the date the law or duty took effect) and keep the text.
The finding points at the start of the claim.

Failing (no effective_date):

    text: Under the Online Safety Act, platforms must remove the images within 48 hours.

Passing:

    effective_date: '2024-01-31'
    text: Under the Online Safety Act, platforms must remove the images within 48 hours.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Final

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.lazyre import lazy_pattern
from guidelint.rules.base import Finding, Options

CODE = "GL503"
NAME = "legal-claim-undated"
SEVERITY = Severity.ERROR
SUMMARY = "A legal duty or prohibition is stated but the guide has no effective_date."

_DUTY: Final = (
    r"(?:must|have to|has to|are required to|is required to|are obliged to|is obliged to|shall)"
)
_WITHIN: Final = (
    r"within\s+(?:\d+|one|two|three|four|five|seven|ten|fourteen|thirty|forty-eight)"
    r"\s+(?:working\s+|business\s+|calendar\s+)?(?:hours?|days?|weeks?|months?)"
)


# Compiled on first use (a few milliseconds): guides with an effective_date never need it.
_claims_pattern = lazy_pattern(
    rf"\b{_DUTY}\b[^.;!?]{{0,120}}?\b{_WITHIN}"
    r"|\b(?i:required\s+by\s+law)\b"
    r"|\b(?i:legally)\s+(?:required|obliged|obligated|bound)\b"
    r"|\b(?:a|the)\s+(?:legal|statutory)\s+(?:duty|obligation|requirement)\s+to\b"
    r"|\b(?i:it\s+is|it[’']s|is|makes\s+it|made\s+it)\s+(?:illegal|unlawful|against\s+the\s+law|a\s+crime"
    r"|a\s+criminal\s+offen[cs]e|an\s+offen[cs]e)\s+(?:to|for)\b"
    r"|\b(?i:under)\s+(?:the\s+)?(?:[a-z]+\s+)?(?:[A-Z][\w’'-]*\s+){0,8}(?:Act|Law|Regulations?|Directive|Code"
    rf"|Statute)\b[^.;!?]{{0,160}}?\b{_DUTY}\b"
    rf"|\b(?:[Tt]he\s+)?[Ll]aw\s+(?:requires|says|states)\b[^.;!?]{{0,120}}?\b{_DUTY}\b",
)


# "You don't have to report it within 48 hours" states no duty.
_NEGATED: Final = re.compile(r"(?:\b(?:not|never|no)|n[’']t)\s+(?:\w+\s+)?\Z", re.IGNORECASE)
_CLAUSE: Final = re.compile(r"[^.;!?]+")


# Variants of a situation share most of their prose, so each string is scanned once.
@functools.lru_cache(maxsize=8192)
def _claims(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, claim as shown) of each legal claim stated in `text`."""
    found = []
    for match in _claims_pattern().finditer(text):
        if _NEGATED.search(text[: match.start()]):
            continue
        clause = _CLAUSE.match(text, match.start())
        claim = " ".join((clause.group() if clause else match.group()).split())
        found.append((match.start(), claim if len(claim) <= 60 else claim[:57] + "…"))
    return tuple(found)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    if guide.data.get("effective_date"):
        return
    for text in guide.texts():
        for start, shown in _claims(text.text):
            yield Finding(
                guide.document.text_position(text.pointer, start),
                f"legal claim '{shown}' but no effective_date; add effective_date "
                "('YYYY-MM-DD', when the law took effect) to the metadata",
            )
