"""Link-check settings: defaults, `[tool.guidelint.links]` parsing, exclusions and host rules.

Every key is validated strictly: an unknown key or a wrong type is a ConfigError that names
the key, because a typo must never silently switch a safety off.

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
# link health (read by links.health.settings_from_table, see docs/links-health.md)
baseline = "guides/links-baseline.json"
state = ".guidelint/links-history.sqlite"
confirm-runs = 3
confirm-days = 3
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
from typing import Any, Final

from guidelint import __version__
from guidelint.config import ConfigError
from guidelint.links.guard import AddressPolicy

DEFAULT_USER_AGENT: Final = f"guidelint/{__version__} (+link health check)"


@dataclass(frozen=True)
class Exclusion:
    reason: str
    pattern: re.Pattern[str] | None = None
    url: str | None = None
    expires: datetime.date | None = None

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


@dataclass(frozen=True)
class HostRule:
    """Extra request headers and statuses that count as alive, for one host."""

    headers: Mapping[str, str] = field(default_factory=dict)
    accept: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = 10.0  # one request, body included
    url_deadline: float | None = None  # all attempts for one URL; None: derived from timeout
    run_deadline: float = 600.0
    concurrency: int = 16
    per_host: int = 4  # lychee: 10; guide links rarely share a host, so this is gentle
    min_interval: float = 0.1  # seconds between two requests to one host (lychee: 0.05)
    retries: int = 2
    backoff: float = 0.5  # first retry waits about this long, doubling after
    retry_after_cap: float = 10.0
    max_redirects: int = 10
    max_body_bytes: int = 2 * 1024 * 1024
    user_agent: str = DEFAULT_USER_AGENT
    allow: AddressPolicy = field(default_factory=AddressPolicy)
    exclude: tuple[Exclusion, ...] = ()
    hosts: Mapping[str, HostRule] = field(default_factory=dict)
    ca_file: str | None = None
    probe_soft_404: bool = True
    jobs: int | None = None  # processes that check at once; None: one
    # URLs whose pages' main content is read (`Page.main`), for the reviewed baseline; None:
    # every page. Reading it costs about a millisecond a page, so a run reads it only for
    # the pages it compares with the baseline or accepts into it.
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

_KEYS: Final = {
    "timeout",
    "url-deadline",
    "run-deadline",
    "concurrency",
    "per-host",
    "min-interval-ms",
    "retries",
    "retry-after-cap",
    "max-redirects",
    "max-body-bytes",
    "user-agent",
    "allow",
    "exclude",
    "hosts",
    "ca-file",
    "probe-soft-404",
    "jobs",
}
#: Keys of the same table read by link health (links.health): one table, one strict check.
HEALTH_KEYS: Final = frozenset(
    {
        "baseline",
        "state",
        "change-threshold",
        "min-sentence-words",
        "volatile-markers",
        "confirm-runs",
        "confirm-days",
        "flaky-window",
        "flaky-switches",
    }
)
_EXCLUDE_KEYS: Final = {"pattern", "url", "reason", "expires"}
_HOST_KEYS: Final = {"headers", "accept"}


def parse_links_config(table: Mapping[str, Any], where: str = "config") -> CheckOptions:
    """`[tool.guidelint.links]` as CheckOptions; ConfigError naming any bad key.

    The link-health keys (baseline, history, change and confirmation settings) share the
    table; they are known here and read by `links.health.settings_from_table`.
    """
    prefix = f"{where}: [tool.guidelint.links]"
    known = _KEYS | HEALTH_KEYS
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"{prefix} unknown key '{unknown[0]}'; allowed: {', '.join(sorted(known))}"
        )
    values: dict[str, Any] = {}
    for key, attribute, minimum in (
        ("timeout", "timeout", 0.01),
        ("url-deadline", "url_deadline", 0.01),
        ("run-deadline", "run_deadline", 0.01),
        ("retry-after-cap", "retry_after_cap", 0.0),
    ):
        if key in table:
            values[attribute] = _number(table[key], key, prefix, minimum)
    for key, attribute, minimum in (
        ("concurrency", "concurrency", 1),
        ("per-host", "per_host", 1),
        ("retries", "retries", 0),
        ("max-redirects", "max_redirects", 0),
        ("max-body-bytes", "max_body_bytes", 1024),
        ("jobs", "jobs", 1),
    ):
        if key in table:
            values[attribute] = _integer(table[key], key, prefix, minimum)
    if "min-interval-ms" in table:
        values["min_interval"] = (
            _integer(table["min-interval-ms"], "min-interval-ms", prefix, 0) / 1000
        )
    if "user-agent" in table:
        values["user_agent"] = _string(table["user-agent"], "user-agent", prefix)
    if "ca-file" in table:
        values["ca_file"] = _string(table["ca-file"], "ca-file", prefix)
    if "probe-soft-404" in table:
        if not isinstance(table["probe-soft-404"], bool):
            raise ConfigError(f"{prefix} 'probe-soft-404' must be true or false")
        values["probe_soft_404"] = table["probe-soft-404"]
    if "allow" in table:
        values["allow"] = parse_allow(_string_list(table["allow"], "allow", prefix), prefix)
    if "exclude" in table:
        values["exclude"] = _exclusions(table["exclude"], prefix)
    if "hosts" in table:
        values["hosts"] = _hosts(table["hosts"], prefix)
    return CheckOptions(**values)


def parse_allow(entries: list[str] | tuple[str, ...], where: str) -> AddressPolicy:
    try:
        return AddressPolicy.from_entries(entries)
    except ValueError as error:
        raise ConfigError(f"{where} allow: {error}") from None


def _number(value: Any, key: str, prefix: str, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ConfigError(f"{prefix} '{key}' must be a number of at least {minimum}, not {value!r}")
    return float(value)


def _integer(value: Any, key: str, prefix: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(
            f"{prefix} '{key}' must be an integer of at least {minimum}, not {value!r}"
        )
    return value


def _string(value: Any, key: str, prefix: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{prefix} '{key}' must be a non-empty string")
    return value


def _string_list(value: Any, key: str, prefix: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{prefix} '{key}' must be a list of strings")
    return value


def _exclusions(value: Any, prefix: str) -> tuple[Exclusion, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{prefix} 'exclude' must be a list of tables")
    found: list[Exclusion] = []
    for index, entry in enumerate(value):
        where = f"{prefix} exclude[{index}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where} must be a table with pattern or url, and reason")
        unknown = sorted(set(entry) - _EXCLUDE_KEYS)
        if unknown:
            raise ConfigError(
                f"{where} unknown key '{unknown[0]}'; allowed: {', '.join(sorted(_EXCLUDE_KEYS))}"
            )
        if ("pattern" in entry) == ("url" in entry):
            raise ConfigError(f"{where} needs exactly one of 'pattern' or 'url'")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where} needs a 'reason': say why the link is not checked")
        expires = entry.get("expires")
        if expires is not None and (
            not isinstance(expires, datetime.date) or isinstance(expires, datetime.datetime)
        ):
            raise ConfigError(f"{where} 'expires' must be a TOML date such as 2027-01-31")
        pattern = None
        if "pattern" in entry:
            try:
                pattern = re.compile(_string(entry["pattern"], "pattern", where))
            except re.error as error:
                raise ConfigError(
                    f"{where} 'pattern' is not a valid regular expression: {error}"
                ) from None
        url = _string(entry["url"], "url", where) if "url" in entry else None
        found.append(Exclusion(reason.strip(), pattern, url, expires))
    return tuple(found)


def _hosts(value: Any, prefix: str) -> dict[str, HostRule]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{prefix} 'hosts' must be a table of host names")
    rules: dict[str, HostRule] = {}
    for host, entry in value.items():
        where = f"{prefix} hosts.{host}"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where} must be a table with headers and/or accept")
        unknown = sorted(set(entry) - _HOST_KEYS)
        if unknown:
            raise ConfigError(
                f"{where} unknown key '{unknown[0]}'; allowed: {', '.join(sorted(_HOST_KEYS))}"
            )
        headers = entry.get("headers", {})
        if not isinstance(headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and "\n" not in v and "\r" not in v
            for k, v in headers.items()
        ):
            raise ConfigError(f"{where} 'headers' must be a table of single-line strings")
        accept = entry.get("accept", [])
        if not isinstance(accept, list) or not all(
            isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 999
            for code in accept
        ):
            raise ConfigError(f"{where} 'accept' must be a list of HTTP status codes")
        rules[host.lower()] = HostRule(dict(headers), frozenset(accept))
    return rules
