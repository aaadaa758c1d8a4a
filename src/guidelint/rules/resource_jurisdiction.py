"""A resource that does not serve the guide's jurisdiction.

A helpline that only takes calls from another country, or a police reporting site for a
different force, wastes a reader's first attempt at getting help. A resource fits the guide
when its `jurisdictions` include the guide's code, its country (a `GB` resource serves a
`GB-SCT` guide), a union the country belongs to (`EU`), or `INT` (open to everyone). A
resource for one subdivision (`GB-SCT`) in a guide for the whole country (`GB`) serves only
part of the readers: it is reported with that explanation. Resources without
`jurisdictions` are not checked.

Failing (jurisdiction `GB`):

    - id: ccri-helpline
      url: https://cybercivilrights.org/ccri-crisis-helpline/
      jurisdictions:
      - US

Passing (jurisdiction `GB`):

    - id: stopncii
      url: https://stopncii.org/
      jurisdictions:
      - INT
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint import jurisdictions
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL204"
NAME = "resource-jurisdiction"
SEVERITY = Severity.WARNING
SUMMARY = "A resource's jurisdictions do not include the guide's."


def _serves(code: str, guide_code: str, unions: tuple[str, ...]) -> bool:
    return code in ("INT", guide_code, jurisdictions.country(guide_code), *unions)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    target = guide.jurisdiction
    if not target:
        return  # not a jurisdiction the schema accepts: GL010 says so
    facts = jurisdictions.lookup(target)
    unions = facts.member_of if facts else ()
    for index, resource in enumerate(guide.resources):
        served: list[str] = list(resource.get("jurisdictions", ()))
        if not served or any(_serves(code, target, unions) for code in served):
            continue
        name = resource.get("name") or resource["id"]
        partial = [
            (position, code)
            for position, code in enumerate(served)
            if jurisdictions.country(code) == target
        ]
        if partial:
            position, code = partial[0]
            message = (
                f"'{name}' serves only {', '.join(c for _, c in partial)}, part of {target}: "
                f"readers elsewhere in {target} cannot use it; say who it is for in the step, "
                f"or move it to a {code} guide"
            )
        else:
            position = 0
            message = (
                f"'{name}' serves {', '.join(served)}, not {target}; "
                f"replace it with a resource for {target} or mark it INT if it serves everyone"
            )
        yield Finding(
            guide.document.position(("resources", index, "jurisdictions", position)), message
        )
