"""A resource that no step or sub-step refers to.

Every resource should be reachable from the step that tells the reader when to use it;
an unreferenced one is often left over from an earlier draft, or its step forgot to list
it. Guides in which no step refers to any resource (for example freshly imported from the
text form, which cannot carry references) are not checked: every resource would be
reported and the noise would hide real findings.

Failing:

    steps:
    - text: Report it to the FBI.
      resources:
      - fbi-sextortion
    resources:
    - id: fbi-sextortion
      url: https://www.fbi.gov/…
    - id: ic3                # nothing refers to it
      url: https://www.ic3.gov/

Passing: a step lists `- ic3` under its `resources`.
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options
from guidelint.rules.helpers import references

CODE = "GL302"
NAME = "unreferenced-resource"
SEVERITY = Severity.WARNING
SUMMARY = "A resource that no step or sub-step refers to."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    referenced = {reference.resource_id for reference in references(guide)}
    if not referenced:
        return
    for index, resource in enumerate(guide.resources):
        if resource["id"] not in referenced:
            yield Finding(
                guide.document.position(("resources", index, "id")),
                f"no step refers to resource '{resource['id']}'; list it under the "
                "'resources' of the step that sends readers there, or remove it",
            )
