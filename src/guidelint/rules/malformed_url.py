"""A URL that is malformed or unsafe to publish.

A URL with no host, a space, an impossible port, a bare IP address or embedded credentials
either fails to open or is not what it seems: `https://www.police.uk@evil.example/` goes to
`evil.example`, and an IP address can change hands without anyone noticing. Each URL in
`resources` and in the text is parsed and its host checked label by label. A resource's
`url` must also be a whole web address: `www.hotline.ie` (no scheme) or `mailto:` are not
(in prose, a bare `www.hotline.ie` is fine). Messages about a resource give an example of
the expected form from a service of the guide's own country.

Failing:

    url: https://user:secret@www.ic3.gov/
    url: https://192.0.2.10/report
    url: https://www.ic3.gov:99999/
    url: www.mensaid.ie

Passing:

    url: https://www.ic3.gov/
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

from guidelint import jurisdictions, services
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options
from guidelint.rules.helpers import url_uses

CODE = "GL305"
NAME = "malformed-url"
SEVERITY = Severity.ERROR
SUMMARY = "A URL with no host, a space, a bad port, an IP address or credentials in it."

_LABEL: Final = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _label_ok(label: str) -> bool:
    if not label.isascii():
        try:
            label = label.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    return bool(_LABEL.match(label))


# A library names the same addresses in many guides.
@functools.lru_cache(maxsize=8192)
def problem(url: str) -> str | None:
    """Why `url` is malformed, or None."""
    if any(char.isspace() for char in url):
        return "contains a space"
    if "\\" in url or any(ord(char) < 32 for char in url):
        return "contains a backslash or control character"
    candidate = url if "://" in url else f"https://{url}"
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError as error:
        return "has a bad port" if "port" in str(error).lower() else f"cannot be parsed ({error})"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "contains credentials (user@ or user:password@)"
    host = parts.hostname or ""
    if not host:
        return "has no host"
    if port == 0:
        return "has a bad port"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "uses an IP address instead of a host name"
    labels = host.rstrip(".").split(".")
    if len(labels) < 2:
        return f"has host '{host}', which is not a public domain name"
    if not all(_label_ok(label) for label in labels):
        return f"has an invalid host '{host}'"
    if labels[-1].isdigit():
        return f"has an invalid host '{host}'"
    return None


_SCHEME: Final = re.compile(r"[a-z][a-z0-9+.-]{0,30}:", re.I)


def resource_problem(url: str) -> str | None:
    """Why a resource's `url` is not a whole https address, beyond `problem`."""
    scheme, separator, rest = url.partition("://")
    if not url.strip():
        return "is empty; write the https address of the page"
    if not separator:
        if _SCHEME.match(url) and not url.lower().startswith("www."):
            return "is not a web address; a resource links to an https page"
        return f"has no scheme; write 'https://{url.lstrip('/')}'"
    if scheme.lower() == "https" and scheme != "https":
        return f"has its scheme in capitals; write 'https://{rest}'"
    return None


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    example = services.example_url(jurisdictions.country(guide.jurisdiction))
    for use in url_uses(guide):
        reason = (resource_problem(use.url) if use.in_resource else None) or problem(use.url)
        if reason is None:
            continue
        if use.in_resource and example and "write '" not in reason:
            reason += f" (for example '{example}')"
        yield Finding(
            guide.document.text_position(use.pointer, use.offset), f"'{use.url}' {reason}"
        )
