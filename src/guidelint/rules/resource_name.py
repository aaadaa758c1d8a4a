"""A resource without a descriptive name.

The name is the link text readers and screen-reader users hear; "click here", "website" or
a bare address tells them nothing about where the link goes (WCAG 2.4.4, link purpose). A
name is missing, is a URL or a lower-case host name (`stopncii.org`), or is generic link
text. A brand written with capitals ("StopNCII.org") is a name. When no resource has a name
(a guide freshly imported from the text form, which publishes bare URLs), one finding on
`resources` asks for names instead of one per resource, which would bury everything else.

Failing:

    - id: ic3
      name: click here
      url: https://www.ic3.gov/

Passing:

    - id: ic3
      name: FBI Internet Crime Complaint Center (IC3)
      url: https://www.ic3.gov/

Options: `generic`, link texts that describe nothing (compared ignoring case and
punctuation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Final

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Option, Record
from guidelint.rules.base import Finding

CODE = "GL308"
NAME = "resource-name"
SEVERITY = Severity.WARNING
SUMMARY = "A resource has no name, or its name is a URL or generic link text."
GENERIC: Final = (
    "click here", "here", "link", "this link", "the link", "link here", "website",
    "this website", "the website", "web site", "site", "this site", "webpage", "web page",
    "page", "this page", "more", "more info", "more information", "read more",
    "learn more", "find out more", "details", "info", "information", "resource",
    "resources", "url", "go", "visit", "visit website", "help", "homepage", "home page",
)  # fmt: skip


class Options(Record):
    generic: Annotated[
        tuple[str, ...],
        Option(doc="Link texts that describe nothing (compared ignoring case and punctuation)."),
    ] = GENERIC


_URLISH: Final = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|www\.)|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$"
)


def _simplify(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    resources = guide.resources
    if not any("name" in resource for resource in resources):
        yield Finding(
            guide.document.key_position(("resources",)),
            f"none of the {len(resources)} resources has a name; add 'name:' to each "
            "(the organisation or page name): it is the link text readers see",
        )
        return
    generic = {_simplify(text) for text in options.generic}
    for index, resource in enumerate(resources):
        name = resource.get("name")
        if name is None:
            yield Finding(
                guide.document.position(("resources", index, "id")),
                f"resource '{resource['id']}' has no name; add 'name:' with the organisation "
                "or page name (it is the link text)",
            )
        elif _URLISH.match(name.strip()):
            yield Finding(
                guide.document.position(("resources", index, "name")),
                f"name '{name}' is an address, not a name; use the organisation or page name",
            )
        elif _simplify(name) in generic:
            yield Finding(
                guide.document.position(("resources", index, "name")),
                f"name '{name}' does not say where the link goes; use the organisation or page name",
            )
