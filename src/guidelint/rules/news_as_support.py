"""A news article offered as a support resource.

News coverage explains what happened; it does not take reports, answer calls or remove
images, and it goes stale or behind a paywall. A resource on a known news site is reported
when its `kind` says it is a `helpline`, `support` or `reporting` service, or when it has no
`kind` and a step sends readers to it. Mark background reading `kind: news` (or
`information`) and point readers to the organisation itself for help.

Failing:

    - id: help-article
      url: https://apnews.com/article/741a6e525e81e5e3d8843aac20de8615
      kind: support

Passing:

    - id: ap-take-it-down-act
      url: https://apnews.com/article/741a6e525e81e5e3d8843aac20de8615
      kind: news

Options: `hosts`, news sites (`host` or `host/path-prefix`, sub-domains match);
`extra_hosts`, more to add without repeating the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Final

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Option, Record
from guidelint.rules.base import Finding
from guidelint.rules.helpers import on_host_list, references

CODE = "GL309"
NAME = "news-as-support"
SEVERITY = Severity.WARNING
SUMMARY = "A news article is used as a helpline, support or reporting resource."

NEWS_HOSTS: Final = (
    "apnews.com", "reuters.com", "nytimes.com", "washingtonpost.com", "wsj.com", "usatoday.com",
    "cnn.com", "nbcnews.com", "cbsnews.com", "abcnews.go.com", "foxnews.com", "npr.org/sections",
    "latimes.com", "bloomberg.com/news", "politico.com", "axios.com", "newsweek.com", "time.com",
    "theatlantic.com", "huffpost.com", "vox.com", "buzzfeednews.com", "theguardian.com",
    "bbc.co.uk/news", "bbc.com/news", "news.sky.com", "independent.co.uk", "telegraph.co.uk",
    "thetimes.co.uk", "dailymail.co.uk", "mirror.co.uk", "thesun.co.uk", "metro.co.uk",
    "standard.co.uk", "ft.com", "economist.com", "irishtimes.com", "independent.ie",
    "rte.ie/news", "thejournal.ie", "abc.net.au/news", "smh.com.au", "theage.com.au",
    "news.com.au", "nzherald.co.nz", "stuff.co.nz", "rnz.co.nz/news", "cbc.ca/news",
    "globalnews.ca", "theglobeandmail.com", "thestar.com", "ctvnews.ca", "euronews.com",
    "dw.com", "france24.com", "lemonde.fr", "spiegel.de", "elpais.com", "ndtv.com",
    "thehindu.com", "hindustantimes.com", "timesofindia.indiatimes.com",
)  # fmt: skip


class Options(Record):
    hosts: Annotated[
        tuple[str, ...],
        Option(doc="News sites, as `host` or `host/path-prefix` (sub-domains match)."),
    ] = NEWS_HOSTS
    extra_hosts: Annotated[
        tuple[str, ...], Option(doc="More news sites, without repeating the defaults.")
    ] = ()


_HELP_KINDS: Final = {"helpline", "support", "reporting"}


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    hosts = [*options.hosts, *options.extra_hosts]
    referenced = {reference.resource_id for reference in references(guide)}
    for index, resource in enumerate(guide.resources):
        kind = resource.get("kind")
        as_help = kind in _HELP_KINDS or (kind is None and resource["id"] in referenced)
        if not as_help:
            continue
        entry = on_host_list(str(resource["url"]), hosts)
        if entry is None:
            continue
        role = f"kind '{kind}'" if kind else "a step sends readers to it for help"
        yield Finding(
            guide.document.position(("resources", index, "url")),
            f"'{resource['url']}' is a news article ({entry}) but {role}; link the "
            "organisation that helps, and mark background reading 'kind: news'",
        )
