"""An adults-only resource offered in a step that does not say it is for adults.

Services such as StopNCII or the Revenge Porn Helpline are for people aged 18 and over; a
child who follows them is turned away or, worse, handled by a service not built for them. A
resource with `ages: adults` may be referred to only from a step or sub-step whose audience
(its own, or its parent step's) is `adults`, or whose text (or its parent step's) says it
is for adults: "18+", "over 18", "aged 18 or over", "if you're 18 or older", "over the age
of 18", "at least 18", "18 years of age or older", "adults" (where adulthood starts at 19
or 21, "19+" and "over 21" count too).

Failing:

    - text: Consider StopNCII to stop the image being shared.
      resources:
      - stopncii

Passing:

    - text: If you're 18 or older, consider StopNCII to stop the image being shared.
      resources:
      - stopncii
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint.audience import says_for_adults
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options
from guidelint.rules.helpers import references, step_owner

CODE = "GL206"
NAME = "adults-only-resource"
SEVERITY = Severity.WARNING
SUMMARY = "An adults-only resource is referred to from a step that does not say it is for adults."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    adults_only = {
        resource["id"]: resource.get("name") or resource["id"]
        for resource in guide.resources
        if resource.get("ages") == "adults"
    }
    if not adults_only:
        return
    for reference in references(guide):
        name = adults_only.get(reference.resource_id)
        if name is None:
            continue
        parent = guide.steps[reference.step]
        owner = step_owner(guide, reference.step, reference.substep)
        if "adults" in (owner.get("audience"), parent.get("audience")):
            continue
        if says_for_adults(owner["text"]) or says_for_adults(parent["text"]):
            continue
        yield Finding(
            guide.document.position(reference.pointer),
            f"'{name}' is for adults only, but this step does not say so and a child could "
            "follow it; say who it is for (e.g. 'If you're 18 or older, …') "
            "or set 'audience: adults'",
        )
