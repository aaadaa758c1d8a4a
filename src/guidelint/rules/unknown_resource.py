"""A step refers to a resource id that does not exist, or two resources share an id.

Steps point at resources by id so each URL is written once; the schema checks the shape of
an id but cannot check that it names an entry in `resources`. A dangling id publishes a step
whose link goes nowhere; a repeated id makes every reference to it ambiguous.

Failing:

    steps:
    - text: Report it to the CyberTipline.
      resources:
      - cybertipline          # no resource has this id
    resources:
    - id: ncmec-cybertipline
      url: https://report.cybertip.org/

Passing: the step says `- ncmec-cybertipline`, and every resource id is used once.
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options
from guidelint.rules.helpers import references

CODE = "GL303"
NAME = "unknown-resource"
SEVERITY = Severity.ERROR
SUMMARY = "A step refers to a resource id that does not exist, or a resource id is repeated."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, resource in enumerate(guide.resources):
        resource_id = str(resource["id"])
        if resource_id in first:
            line = guide.document.position(("resources", first[resource_id], "id")).line
            yield Finding(
                guide.document.position(("resources", index, "id")),
                f"resource id '{resource_id}' is already used on line {line}; "
                "give each resource its own id",
            )
        else:
            first[resource_id] = index
    for reference in references(guide):
        if reference.resource_id in first:
            continue
        import difflib  # imported on a finding only: start-up is most of a one-file lint

        close = difflib.get_close_matches(reference.resource_id, list(first), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; add it under 'resources'"
        yield Finding(
            guide.document.position(reference.pointer),
            f"no resource has the id '{reference.resource_id}'{hint}",
        )
