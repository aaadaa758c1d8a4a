"""A URL from a link shortener.

A shortened link hides where it goes, can be re-pointed by whoever controls it, and dies
with the shortening service; readers in crisis deserve to see the organisation's own
address, and the link checker needs it to detect a hijacked destination. Use the full URL.

Failing:

    url: https://bit.ly/3xYzAbC

Passing:

    url: https://stopncii.org/

Options: `hosts`, the shortener hosts (sub-domains match); `extra_hosts`, more to add
without repeating the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Final

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Option, Record
from guidelint.rules.base import Finding
from guidelint.rules.helpers import on_host_list, url_uses
from guidelint.urls import shown

CODE = "GL306"
NAME = "shortened-url"
SEVERITY = Severity.WARNING
SUMMARY = "A URL from a link shortener (bit.ly, t.co, tinyurl.com…) hides its destination."

SHORTENERS: Final = (
    "bit.ly", "bitly.com", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "buff.ly", "rebrand.ly",
    "is.gd", "v.gd", "cutt.ly", "shorturl.at", "tiny.cc", "t.ly", "bl.ink", "rb.gy",
    "s.id", "short.io", "shorte.st", "adf.ly", "lnkd.in", "fb.me", "amzn.to",
    "trib.al", "dlvr.it", "soo.gd", "qr.ae", "tiny.one", "shorturl.com", "snip.ly",
    "x.co", "po.st", "mcaf.ee", "su.pr", "wp.me", "clck.ru", "surl.li",
)  # fmt: skip


class Options(Record):
    hosts: Annotated[
        tuple[str, ...], Option(doc="Hosts of link shorteners (sub-domains match).")
    ] = SHORTENERS
    extra_hosts: Annotated[
        tuple[str, ...], Option(doc="More shortener hosts, without repeating the defaults.")
    ] = ()


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    hosts = [*options.hosts, *options.extra_hosts]
    for use in url_uses(guide):
        entry = on_host_list(use.url, hosts)
        if entry is not None:
            yield Finding(
                guide.document.text_position(use.pointer, use.offset),
                f"'{shown(use.url)}' is a {entry} short link; use the full address of the page",
            )
