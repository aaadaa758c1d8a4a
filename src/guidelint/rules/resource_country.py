"""A resource whose web address belongs to another country than it says it serves.

`jurisdictions` on a resource is written by hand and copied with it from guide to guide: a
UK service tagged `[IE]` in an Irish guide passes every check that reads the tag (GL204),
while readers in Ireland are sent to a helpline that cannot take their call. The address
tells where a service works: a well-known national service by its host
(`data/services.toml`: `refuge.org.uk`, `thehotline.org`, `samaritans.org` for GB and IE),
and otherwise its country-code domain (`.ie`, `.org.au`, `.gov.uk`; `.gov` is the United
States'). A resource is reported when that country is not among its `jurisdictions` (or,
without `jurisdictions`, not the guide's, as in an imported guide). Generic domains (`.org`,
`.com`, `.io`) and services open to everyone (StopNCII) say nothing, and are not reported;
nor is a resource marked `INT`.

Failing (jurisdiction `IE`):

    - id: refuge
      url: https://www.refuge.org.uk/
      jurisdictions:
      - IE

Passing (jurisdiction `IE`):

    - id: womens-aid
      url: https://www.womensaid.ie/
      jurisdictions:
      - IE
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint import jurisdictions, services
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL209"
NAME = "resource-country"
SEVERITY = Severity.WARNING
SUMMARY = "A resource's web address belongs to another country than the one it is said to serve."


def _serves(place: frozenset[str], code: str) -> bool:
    """Whether a site placed in `place` serves people in jurisdiction `code`."""
    if services.INTERNATIONAL in place or code == services.INTERNATIONAL:
        return True
    country = jurisdictions.country(code)
    if country in place:
        return True
    facts = jurisdictions.lookup(code)
    unions = facts.member_of if facts else ()
    # An EU site serves its members; a member's site does not serve the whole union.
    return any(union in place for union in unions)


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    if not guide.jurisdiction:
        return  # not a jurisdiction the schema accepts: GL010 says so
    for index, resource in enumerate(guide.resources):
        url = resource.get("url")
        placed = services.place_url(url) if isinstance(url, str) else None
        if placed is None:
            continue
        declared = [code for code in resource.get("jurisdictions", ()) if isinstance(code, str)]
        served = declared or [guide.jurisdiction]
        if any(_serves(placed.countries, code) for code in served):
            continue
        where = jurisdictions.join(sorted(jurisdictions.name_of(c) for c in placed.countries))
        name = resource.get("name") or resource.get("id") or url
        if declared:
            position = guide.document.position(("resources", index, "jurisdictions", 0))
            message = (
                f"'{name}' ({placed.reason}) is a service in {where}, but its jurisdictions "
                f"say {', '.join(declared)}; correct them, or replace the resource with one "
                f"for {', '.join(declared)}"
            )
        else:
            position = guide.document.position(("resources", index, "url"))
            message = (
                f"'{name}' ({placed.reason}) is a service in {where}, not "
                f"{jurisdictions.name_of(guide.jurisdiction)}; replace it with a resource for "
                f"{guide.jurisdiction}, or set its jurisdictions if it serves readers there"
            )
        yield Finding(position, message)
