"""Link settings: what `[tool.guidelint.links]` holds, for the checker and for link health.

`LinkSettings` is the whole table: `CheckOptions` for the checker and `HealthSettings` for
link health (`links.health`), whose keys share the table. It is read by
`guidelint.options.parse` when the config loads, so every key is checked strictly: an
unknown key or a wrong type is a ConfigError that names the key, because a typo must never
silently switch a safety off. `guidelint lint` reads this module too, to fail early on a bad
link setting, so it imports nothing of the checker; its records are frozen dataclasses
because links.shard copies CheckOptions with `dataclasses.replace`, which costs a one-file
lint with a links table 11 ms (dataclasses, inspect, seven classes). As
`guidelint.options.Record`s they would cost under 1 ms, once links.shard copies
CheckOptions with `Record.replace`.

```toml
[tool.guidelint.links]
timeout = 10            # seconds per request
concurrency = 16        # requests in flight overall
per-host = 4            # requests in flight per host
jobs = 2                # processes sharing the work (default 1: see docs/links.md)
min-interval-ms = 100   # between two requests to one host
retries = 2
max-redirects = 10
max-body-bytes = 2097152
user-agent = "guidelint/0.1.0 (+link health check)"
allow = ["10.0.0.0/8", "intranet.example"]
exclude = [
  { pattern = "^https://www\\.linkedin\\.com/", reason = "always answers 999", expires = 2027-01-01 },
]
# link health (HealthSettings, see docs/links-health.md)
baseline = "guides/links-baseline.json"
state = ".guidelint/links-history.sqlite"
confirm-runs = 3
confirm-days = 3
# where dead pages went (SuggestSettings, see docs/links-suggest.md)
suggest-pages = 3
archive-lookup = true
[tool.guidelint.links.hosts."www.example.org"]
headers = { Accept-Language = "en-GB" }
accept = [403]
```
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Final

from guidelint import __version__, options
from guidelint.links.guard import AddressPolicy
from guidelint.options import ConfigError, Key, Option

DEFAULT_USER_AGENT: Final = f"guidelint/{__version__} (+link health check)"


def _regex(value: Any, at: Key) -> re.Pattern[str]:
    try:
        return re.compile(options.string(value, at))
    except re.error as error:
        at.error(f"is not a valid regular expression: {error}")


def _date(value: Any, at: Key) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        at.fail("a TOML date such as 2027-01-31", value)
    return value


def _reason(value: Any, at: Key) -> str:
    return options.string(value, at).strip()


@dataclass(frozen=True)
class Exclusion:
    reason: Annotated[
        str,
        Option(
            parse=_reason,
            kind="a non-empty string",
            required=True,
            doc="say why the link is not checked",
        ),
    ]
    pattern: Annotated[
        re.Pattern[str] | None,
        Option(parse=_regex, kind="a regular expression", doc="URLs it matches are skipped"),
    ] = None
    url: Annotated[str | None, Option(doc="this exact URL is skipped")] = None
    expires: Annotated[
        datetime.date | None,
        Option(parse=_date, kind="a TOML date", doc="the exclusion stops applying after it"),
    ] = None

    def matches(self, url: str) -> bool:
        if self.url is not None:
            return url == self.url
        return self.pattern is not None and self.pattern.search(url) is not None

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and self.expires < today

    @property
    def label(self) -> str:
        return (
            self.url
            if self.url is not None
            else f"/{self.pattern.pattern if self.pattern else ''}/"
        )


def _headers(value: Any, at: Key) -> Mapping[str, str]:
    kind = "a table of single-line strings"
    if not isinstance(value, Mapping) or not all(
        isinstance(v, str) and "\n" not in v and "\r" not in v for v in value.values()
    ):
        at.fail(kind, value)
    return dict(value)


def _statuses(value: Any, at: Key) -> frozenset[int]:
    if not isinstance(value, list) or not all(
        isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 999
        for code in value
    ):
        at.fail("a list of HTTP status codes", value)
    return frozenset(value)


@dataclass(frozen=True)
class HostRule:
    """Extra request headers and statuses that count as alive, for one host."""

    headers: Annotated[
        Mapping[str, str],
        Option(parse=_headers, kind="a table of single-line strings", doc="sent to the host"),
    ] = field(default_factory=dict)
    accept: Annotated[
        frozenset[int],
        Option(parse=_statuses, kind="a list of HTTP status codes", doc="count as alive"),
    ] = frozenset()


def parse_allow(entries: list[str] | tuple[str, ...], where: str) -> AddressPolicy:
    try:
        return AddressPolicy.from_entries(entries)
    except ValueError as error:
        raise ConfigError(f"{where} allow: {error}") from None


def _allow(value: Any, at: Key) -> AddressPolicy:
    entries = options.strings(value, at)
    for index, entry in enumerate(entries):
        try:
            AddressPolicy.from_entries([entry])
        except ValueError:
            at.item(index).fail("a network (CIDR), an address or a host name", entry)
    return AddressPolicy.from_entries(entries)


def _exclusions(value: Any, at: Key) -> tuple[Exclusion, ...]:
    if not isinstance(value, list):
        at.fail("a list of tables", value)
    found = []
    for index, entry in enumerate(value):
        item = at.item(index)
        exclusion = options.parse(Exclusion, options.table(entry, item), item)
        if (exclusion.pattern is None) == (exclusion.url is None):
            item.error("needs exactly one of 'pattern' or 'url'")
        found.append(exclusion)
    return tuple(found)


def _hosts(value: Any, at: Key) -> Mapping[str, HostRule]:
    return {
        host.lower(): options.parse(HostRule, options.table(entry, at.child(host)), at.child(host))
        for host, entry in options.table(value, at).items()
    }


def _milliseconds(value: Any, at: Key) -> float:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        at.fail("an integer of at least 0", value)
    return value / 1000


@dataclass(frozen=True)
class CheckOptions:
    timeout: Annotated[
        float, Option(minimum=0.01, doc="seconds for one request, body included")
    ] = 10.0
    url_deadline: Annotated[
        float | None,
        Option(key="url-deadline", minimum=0.01, doc="seconds for all attempts at one URL"),
    ] = None  # None: derived from timeout
    run_deadline: Annotated[
        float, Option(key="run-deadline", minimum=0.01, doc="seconds for the whole run")
    ] = 600.0
    concurrency: Annotated[int, Option(minimum=1, doc="requests in flight overall")] = 16
    # lychee: 10; guide links rarely share a host, so this is gentle
    per_host: Annotated[
        int, Option(key="per-host", minimum=1, doc="requests in flight per host")
    ] = 4
    # seconds between two requests to one host (lychee: 0.05)
    min_interval: Annotated[
        float,
        Option(
            key="min-interval-ms",
            parse=_milliseconds,
            kind="an integer of at least 0",
            doc="milliseconds between two requests to one host",
        ),
    ] = 0.1
    retries: Annotated[int, Option(minimum=0, doc="extra attempts for transient failures")] = 2
    backoff: float = 0.5  # first retry waits about this long, doubling after
    retry_after_cap: Annotated[
        float, Option(key="retry-after-cap", minimum=0.0, doc="longest Retry-After worth waiting")
    ] = 10.0
    max_redirects: Annotated[
        int, Option(key="max-redirects", minimum=0, doc="hops before a chain counts as broken")
    ] = 10
    max_body_bytes: Annotated[
        int, Option(key="max-body-bytes", minimum=1024, doc="bytes of a body read at most")
    ] = 2 * 1024 * 1024
    user_agent: Annotated[str, Option(key="user-agent", doc="sent with every request")] = (
        DEFAULT_USER_AGENT
    )
    allow: Annotated[
        AddressPolicy,
        Option(
            parse=_allow,
            kind="a list of strings",
            doc="CIDRs and host names the address guard lets through",
        ),
    ] = field(default_factory=AddressPolicy)
    exclude: Annotated[
        tuple[Exclusion, ...],
        Option(parse=_exclusions, kind="a list of tables", doc="links not to check"),
    ] = ()
    hosts: Annotated[
        Mapping[str, HostRule],
        Option(parse=_hosts, kind="a table of host tables", doc="per-host headers and accept"),
    ] = field(default_factory=dict)
    ca_file: Annotated[str | None, Option(key="ca-file", doc="an extra CA bundle")] = None
    probe_soft_404: Annotated[
        bool, Option(key="probe-soft-404", doc="probe a random sibling path for catch-all sites")
    ] = True
    jobs: Annotated[
        int | None, Option(minimum=1, doc="processes that check at once (default: one)")
    ] = None
    # Not a setting: URLs whose pages' main content is read (`Page.main`), for the reviewed
    # baseline; None: every page. Reading it costs about a millisecond a page, so a run
    # reads it only for the pages it compares with the baseline or accepts into it.
    main_content_for: frozenset[str] | None = frozenset()

    @property
    def deadline(self) -> float:
        """Per-URL deadline: enough for two full attempts plus backoff, never unbounded."""
        if self.url_deadline is not None:
            return self.url_deadline
        return self.timeout * 2 + self.backoff * 4 + 1.0

    def host_rule(self, host: str) -> HostRule:
        return self.hosts.get(host.lower(), _NO_RULE)


_NO_RULE: Final = HostRule()

DEFAULT_THRESHOLD: Final = 0.9
DEFAULT_MIN_WORDS: Final = 3
#: Labels of content that rotates by design; a sentence containing one is not compared, and
#: when the label stands alone as a short heading, neither is the sentence after it.
DEFAULT_VOLATILE_MARKERS: Final = (
    "quote of the day",
    "tip of the day",
    "word of the day",
    "thought for the day",
    "fact of the day",
    "did you know",
    "testimonial",
    "what people say",
    "random quote",
    "you might also like",
    "recommended for you",
    "trending now",
    "advertisement",
    "sponsored",
)


def _more_markers(value: Any, at: Key) -> tuple[str, ...]:
    # The configured labels add to the built-in ones.
    if not isinstance(value, list) or not all(isinstance(m, str) and m.strip() for m in value):
        at.fail("a list of phrases", value)
    return (*DEFAULT_VOLATILE_MARKERS, *value)


@dataclass(frozen=True)
class ChangeSettings:
    threshold: Annotated[
        float,
        Option(
            key="change-threshold",
            minimum=0.0,
            maximum=1.0,
            doc="similarity below which a page counts as changed",
        ),
    ] = DEFAULT_THRESHOLD
    min_words: Annotated[
        int, Option(key="min-sentence-words", minimum=1, doc="shorter sentences are not compared")
    ] = DEFAULT_MIN_WORDS
    volatile_markers: Annotated[
        tuple[str, ...],
        Option(
            key="volatile-markers",
            parse=_more_markers,
            kind="a list of phrases",
            doc="labels of rotating content, added to the built-in ones",
        ),
    ] = DEFAULT_VOLATILE_MARKERS


@dataclass(frozen=True)
class HistorySettings:
    confirm_runs: Annotated[
        int,
        Option(key="confirm-runs", minimum=1, doc="failed runs before a link is confirmed dead"),
    ] = 3
    confirm_days: Annotated[
        float, Option(key="confirm-days", minimum=0.0, doc="days those runs must span")
    ] = 3.0
    flaky_window: Annotated[
        int, Option(key="flaky-window", minimum=2, doc="recent runs looked at for flakiness")
    ] = 6
    flaky_switches: Annotated[
        int,
        Option(key="flaky-switches", minimum=1, doc="state changes in them that make a link flaky"),
    ] = 3


@dataclass(frozen=True)
class HealthSettings:
    change: Annotated[ChangeSettings, Option(inline=True)] = field(default_factory=ChangeSettings)
    history: Annotated[HistorySettings, Option(inline=True)] = field(
        default_factory=HistorySettings
    )
    baseline_path: Annotated[
        Path, Option(key="baseline", doc="the reviewed baseline, relative to the config file")
    ] = Path("guides/links-baseline.json")
    state_path: Annotated[
        Path, Option(key="state", doc="the run history database, relative to the config file")
    ] = Path(".guidelint/links-history.sqlite")


DEFAULT_ARCHIVE_ENDPOINT: Final = "https://archive.org/wayback/available"


_ENDPOINT: Final = re.compile(r"https?://[^\s/?#@\\]+(?:/[^\s?#\\]*)?")


def _endpoint(value: Any, at: Key) -> str:
    text = options.string(value, at)
    if not _ENDPOINT.fullmatch(text):
        at.fail("an http(s) URL without query, fragment or user name", value)
    return text


def parse_endpoint(text: str, where: str) -> str:
    if not _ENDPOINT.fullmatch(text):
        raise ConfigError(
            f"{where} {text!r}: expected an http(s) URL without query, fragment or user name"
        )
    return text


@dataclass(frozen=True)
class SuggestSettings:
    """Where a dead page went (`links.suggest`, docs/links-suggest.md)."""

    enabled: Annotated[
        bool, Option(key="suggest", doc="look for the new address of dead reviewed pages")
    ] = True
    pages: Annotated[
        int,
        Option(key="suggest-pages", minimum=1, maximum=20, doc="candidate pages fetched per link"),
    ] = 3
    budget: Annotated[
        int,
        Option(
            key="suggest-budget",
            minimum=1,
            doc="requests the whole search may make (robots.txt, sitemaps, pages, archive)",
        ),
    ] = 60
    confidence: Annotated[
        float,
        Option(
            key="suggest-confidence",
            minimum=0.5,
            maximum=1.0,
            doc="score from which --accept-suggestions applies a suggestion",
        ),
    ] = 0.75
    archive: Annotated[
        bool, Option(key="archive-lookup", doc="look up the archived copy of dead pages")
    ] = False
    archive_endpoint: Annotated[
        str,
        Option(
            key="archive-endpoint",
            parse=_endpoint,
            kind="an http(s) URL",
            doc="the Wayback Machine availability API, or a service with its answers",
        ),
    ] = DEFAULT_ARCHIVE_ENDPOINT


@dataclass(frozen=True)
class LinkSettings:
    """The whole `[tool.guidelint.links]` table: one table, one strict check of its keys."""

    check: Annotated[CheckOptions, Option(inline=True)] = field(default_factory=CheckOptions)
    health: Annotated[HealthSettings, Option(inline=True)] = field(default_factory=HealthSettings)
    suggest: Annotated[SuggestSettings, Option(inline=True)] = field(
        default_factory=SuggestSettings
    )
