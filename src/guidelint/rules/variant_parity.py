"""Jurisdiction variants of one situation differ in structure.

Guides that share a `situation_id` tell readers in different places what to do about the
same thing. When one variant has a step the others lack (a "tell one safe person" step, a
route for under-18s), either the others are missing help or the difference is deliberate;
a person should decide which. For each guide this reports, as information, what its
variants have and it lacks, naming them:

- sections (content keys) present in a variant but not here;
- step slots (`slot` of steps) present in a variant but not here; a guide whose steps have
  no slots at all (for example a fresh import) is told so once instead;
- an under-18 pathway (a step or sub-step with `audience: under-18`) in a variant but not here.

Failing: `guides/us/a.yaml` has a step with `slot: trusted-person`; `guides/gb/a.yaml`, same
`situation_id`, has none.

Passing: every variant has the same slots and pathways, or the difference is suppressed with
a reason (`# guidelint: disable=GL601 -- no equivalent service in GB`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from guidelint.diagnostics import Severity
from guidelint.guide import SECTIONS, Guide
from guidelint.rules.base import Finding, Options

CODE = "GL601"
NAME = "variant-parity"
SEVERITY = Severity.INFO
SUMMARY = (
    "A jurisdiction variant lacks sections, step slots or the under-18 pathway its siblings have."
)


def _slots(guide: Guide) -> list[str]:
    return [step["slot"] for step in guide.steps if isinstance(step.get("slot"), str)]


def _has_under_18(guide: Guide) -> bool:
    return any(
        item.get("audience") == "under-18"
        for step in guide.steps
        for item in (step, *step.get("substeps", ()))
    )


def _name(guide: Guide) -> str:
    return f"{guide.path} ({guide.jurisdiction})"


def _names(guides: Sequence[Guide]) -> str:
    return ", ".join(_name(guide) for guide in guides)


def check_library(guides: Sequence[Guide], options: Options) -> Iterator[Finding]:
    groups: dict[str, list[Guide]] = {}
    for guide in sorted(guides, key=lambda guide: guide.path):
        situation = guide.data.get("situation_id")
        if isinstance(situation, str):
            groups.setdefault(situation, []).append(guide)
    for situation, variants in groups.items():
        if len(variants) < 2:
            continue
        for guide in variants:
            yield from _compare(
                guide, [other for other in variants if other is not guide], situation
            )


def _compare(guide: Guide, siblings: list[Guide], situation: str) -> Iterator[Finding]:
    document = guide.document
    for key, heading in SECTIONS:
        if key not in guide.data:
            having = [other for other in siblings if key in other.data]
            if having:
                yield Finding(
                    document.position(()),
                    f"no '{heading}' section, which variants of '{situation}' have: {_names(having)}",
                    path=guide.path,
                )
    own = _slots(guide)
    steps_at = document.key_position(("steps",))
    if not own:
        slotted = [other for other in siblings if _slots(other)]
        if slotted:
            yield Finding(
                steps_at,
                f"no step has a slot, so it cannot be compared with variants of '{situation}' "
                f"({_names(slotted)}); add slots matching theirs",
                path=guide.path,
            )
    else:
        missing: dict[str, list[Guide]] = {}
        for other in siblings:
            for slot in _slots(other):
                if slot not in own:
                    missing.setdefault(slot, []).append(other)
        for slot, having in missing.items():
            yield Finding(
                steps_at,
                f"no step with slot '{slot}', which variants of '{situation}' have: {_names(having)}",
                path=guide.path,
            )
    if not _has_under_18(guide):
        having = [other for other in siblings if _has_under_18(other)]
        if having:
            yield Finding(
                steps_at,
                f"no under-18 pathway (a step with audience: under-18), which variants of "
                f"'{situation}' have: {_names(having)}",
                path=guide.path,
            )
