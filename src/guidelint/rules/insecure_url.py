"""A URL that is not https.

Plain http can be read and altered on the way: on shared or hostile networks a reader can be
sent to a different page, and the visit is visible to anyone watching. Every address a
guide gives, in `resources` or written in the text, must use https. The message gives the
https form of the same address, to check and use. (The schema asks for https in a
resource's `url` too; lint leaves that to this rule and GL305, which say what to write.)

Failing:

    - text: Read the advice at http://www.example.org/help.

Passing:

    - text: Read the advice at https://www.example.org/help.
"""

from __future__ import annotations

from collections.abc import Iterator

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options
from guidelint.rules.helpers import url_uses

CODE = "GL304"
NAME = "insecure-url"
SEVERITY = Severity.ERROR
SUMMARY = "A URL that does not use https."


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    for use in url_uses(guide):
        scheme, separator, rest = use.url.partition("://")
        if not separator or scheme.lower() == "https":
            continue
        fix = (
            f"write 'https://{rest}' (check that the site serves it)"
            if rest
            else "give the https address of the page"
        )
        yield Finding(
            guide.document.text_position(use.pointer, use.offset),
            f"'{use.url}' uses {scheme.lower()}; {fix}",
        )
