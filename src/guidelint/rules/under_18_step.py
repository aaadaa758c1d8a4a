"""A step written for readers under 18 that is not marked as the under-18 route.

A step that says "If you are under 18, …" or "Young people can call Childline" is the
under-18 pathway, whatever the guide declares: renderers, reviewers and the parity check
across variants (GL601) find that route by its `audience: under-18`, and a step that only
says so in words is invisible to them. Mark it (or its parent step), and declare
`needs_under_18_pathway: true`, as `guidelint new` and `guidelint import` do.

The wording read as addressed to a child: "if you are/you're under 18" (or 16, 13, "the
age of 18", "younger than 18"), "if you're a child", "a teenager", "a young person", "a
minor", "if you're not yet 18", "17 or younger", "if you're still at school", "under-18s can call …", "young people can
report …", readers named as a group ("children can call …", "anyone under 18 can …",
"teenagers aged 13 to 17 should tell …"), a sentence opening "For young people under 16, …"
or "For children, …", and "Under 18? Call …". Steps for parents ("if your child is under 13") and steps
about someone else ("if anyone in the images is under 18") are not read as addressed to a
child.

Failing:

    - text: If you are under 18, report it to CEOP.

Passing:

    - text: If you are under 18, report it to CEOP.
      audience: under-18
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guidelint.audience import addressed_to_children
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.loader import Pointer
from guidelint.rules.base import Finding, Options

CODE = "GL210"
NAME = "unmarked-under-18-step"
SEVERITY = Severity.ERROR
SUMMARY = "A step written for readers under 18 has no 'audience: under-18'."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    declared = guide.data.get("needs_under_18_pathway") is True
    hint = "" if declared else ", and declare 'needs_under_18_pathway: true'"
    for index, step in enumerate(guide.steps):
        if step.get("audience") == "under-18":
            continue  # its sub-steps are on the route too
        items: list[tuple[Pointer, dict[str, Any]]] = [(("steps", index, "text"), step)]
        items += [
            (("steps", index, "substeps", sub_index, "text"), substep)
            for sub_index, substep in enumerate(step.get("substeps", ()))
        ]
        for pointer, item in items:
            text = item.get("text")
            if item.get("audience") == "under-18" or not isinstance(text, str):
                continue
            offset = addressed_to_children(text)
            if offset is None:
                continue
            yield Finding(
                guide.document.text_position(pointer, offset),
                "this step is written for readers under 18 but is not marked as the under-18 "
                f"route; add 'audience: under-18' to it{hint}",
            )
