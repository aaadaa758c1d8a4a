"""A guide that declares the topic needs an under-18 pathway has no step for under-18s.

When a topic can involve children (`needs_under_18_pathway: true`), young readers need their
own route: different reporting bodies, different laws, services built for them. A step or
sub-step with `audience: under-18` is that route. If a step already talks about under-18s
but is not marked, the message points at it.

Failing:

    needs_under_18_pathway: true
    steps:
    - text: If anyone in the images is under 18, report to NCMEC CyberTipline.

Passing:

    needs_under_18_pathway: true
    steps:
    - text: If anyone in the images is under 18, report to NCMEC CyberTipline.
      audience: under-18
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.lazyre import lazy_pattern
from guidelint.rules.base import Finding, Options

CODE = "GL205"
NAME = "missing-under-18-pathway"
SEVERITY = Severity.ERROR
SUMMARY = "needs_under_18_pathway is true but no step has audience: under-18."


# Compiled on first use: only a guide that misses its under-18 pathway needs it.
_mentions_minors = lazy_pattern(
    r"\bunder[- ]18s?\b|\bunder the age of 18\b|\b(?:children|child|young people|minors?|teens?|teenagers?)\b",
    re.I,
)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    if guide.data.get("needs_under_18_pathway") is not True:
        return
    for step in guide.steps:
        if step.get("audience") == "under-18":
            return
        if any(sub.get("audience") == "under-18" for sub in step.get("substeps", ())):
            return
    hint = ""
    for text in guide.step_texts():
        if _mentions_minors().search(text.text):
            line = guide.document.position(text.pointer).line
            hint = f"; the step on line {line} talks about under-18s: mark it 'audience: under-18'"
            break
    yield Finding(
        guide.document.key_position(("needs_under_18_pathway",)),
        f"the guide says it needs an under-18 pathway but no step has 'audience: under-18'{hint}",
    )
