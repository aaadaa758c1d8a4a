"""Jurisdiction variants of one situation differ in structure.

Guides that share a `situation_id` tell readers in different places what to do about the
same thing. When one variant has a step the others lack (a "tell one safe person" step, a
route for under-18s), either the others are missing help or the difference is deliberate;
a person should decide which. For each guide this reports, as information, what its
variants have and it lacks, naming them:

- sections (content keys) present in a variant but not here;
- step slots (`slot` of steps) present in a variant but not here; a guide whose steps have
  no slots at all (for example a fresh import) is told so once instead;
- an under-18 pathway (a step or sub-step with `audience: under-18`) in a variant but not
  here, and `needs_under_18_pathway: true` declared by a variant but not here.

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


_SHOWN = 3


_SHOWN = 3


def _names(guides: Sequence[Guide]) -> str:
    """The first few variants by path; a situation may have dozens."""
    shown = ", ".join(_name(guide) for guide in guides[:_SHOWN])
    more = len(guides) - _SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def check_library(guides: Sequence[Guide], options: Options) -> Iterator[Finding]:
    groups: dict[str, list[Guide]] = {}
    for guide in sorted(guides, key=lambda guide: guide.path):
        situation = guide.data.get("situation_id")
        if isinstance(situation, str):
            groups.setdefault(situation, []).append(guide)
    for situation, variants in groups.items():
        if len(variants) >= 2:
            yield from _compare_group(situation, variants)


def _compare_group(situation: str, variants: list[Guide]) -> Iterator[Finding]:
    """Each variant against the others; facts are gathered once, so big groups stay fast."""
    slots = {guide.path: _slots(guide) for guide in variants}
    by_slot: dict[str, list[Guide]] = {}
    for guide in variants:
        for slot in dict.fromkeys(slots[guide.path]):
            by_slot.setdefault(slot, []).append(guide)
    slotted = [guide for guide in variants if slots[guide.path]]
    under_18 = [guide for guide in variants if _has_under_18(guide)]
    with_pathway = {guide.path for guide in under_18}
    declaring = [guide for guide in variants if guide.data.get("needs_under_18_pathway") is True]
    by_section = {key: [guide for guide in variants if key in guide.data] for key, _ in SECTIONS}
    for guide in variants:
        document = guide.document
        for key, heading in SECTIONS:
            having = by_section[key]
            if key not in guide.data and having:
                yield Finding(
                    document.position(()),
                    f"no '{heading}' section, which variants of '{situation}' have: "
                    f"{_names(having)}",
                    path=guide.path,
                )
        own = slots[guide.path]
        steps_at = document.key_position(("steps",))
        if not own and slotted:
            yield Finding(
                steps_at,
                f"no step has a slot, so it cannot be compared with variants of '{situation}' "
                f"({_names(slotted)}); add slots matching theirs",
                path=guide.path,
            )
        for slot, having in by_slot.items():
            if own and slot not in own:
                yield Finding(
                    steps_at,
                    f"no step with slot '{slot}', which variants of '{situation}' have: "
                    f"{_names(having)}",
                    path=guide.path,
                )
        if declaring and guide.data.get("needs_under_18_pathway") is not True:
            yield Finding(
                document.key_position(("needs_under_18_pathway",)),
                "does not declare needs_under_18_pathway: true, which variants of "
                f"'{situation}' do: {_names(declaring)}",
                path=guide.path,
            )
        if under_18 and guide.path not in with_pathway:
            yield Finding(
                steps_at,
                "no under-18 pathway (a step with audience: under-18), which variants of "
                f"'{situation}' have: {_names(under_18)}",
                path=guide.path,
            )
