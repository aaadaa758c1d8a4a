from __future__ import annotations

import datetime
import re
import tomllib
from typing import Any

import pytest

from guidelint import options
from guidelint.config import ConfigError
from guidelint.links.settings import CheckOptions, LinkSettings
from guidelint.options import Where

GOOD = """
timeout = 5
concurrency = 8
per-host = 1
jobs = 3
min-interval-ms = 500
retries = 3
max-redirects = 4
max-body-bytes = 65536
user-agent = "guidelint-test/1"
allow = ["10.0.0.0/8", "intranet.example"]
exclude = [
  { pattern = "^https://www\\\\.linkedin\\\\.com/", reason = "always 999", expires = 2030-01-01 },
  { url = "https://example.org/x", reason = "known outage" },
]
[hosts."Example.ORG"]
headers = { Accept-Language = "en-GB" }
accept = [403]
"""


def check_options(table: dict[str, Any], source: str = "config") -> CheckOptions:
    return options.parse(
        LinkSettings, table, Where(source=source, table="tool.guidelint.links")
    ).check


def test_full_table_is_parsed() -> None:
    options = check_options(tomllib.loads(GOOD))
    assert options.timeout == 5
    assert options.concurrency == 8
    assert options.per_host == 1
    assert options.jobs == 3
    assert options.min_interval == 0.5
    assert options.retries == 3
    assert options.max_redirects == 4
    assert options.max_body_bytes == 65536
    assert options.user_agent == "guidelint-test/1"
    assert options.allow.host_allowed("intranet.example")
    assert options.allow.refusal("x", "10.9.9.9") is None
    linkedin, outage = options.exclude
    assert linkedin.matches("https://www.linkedin.com/company/x")
    assert linkedin.expires == datetime.date(2030, 1, 1)
    assert outage.matches("https://example.org/x") and not outage.matches("https://example.org/y")
    rule = options.host_rule("example.org")
    assert rule.accept == frozenset({403})
    assert rule.headers == {"Accept-Language": "en-GB"}


def test_defaults_are_polite_and_bounded() -> None:
    options = check_options({})
    assert options == CheckOptions()
    assert options.per_host <= 4
    assert options.min_interval >= 0.05
    assert options.deadline < options.run_deadline


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"timeut": 3}, "unknown key 'timeut'"),
        ({"timeout": "3"}, "'timeout' must be a number"),
        ({"concurrency": 0}, "'concurrency' must be an integer of at least 1"),
        ({"jobs": 0}, "'jobs' must be an integer of at least 1"),
        ({"retries": True}, "'retries' must be an integer"),
        ({"allow": ["10.0.0.0/8", "not a host"]}, "'allow[1]' must be a network (CIDR)"),
        ({"exclude": [{"url": "https://x.example"}]}, "'exclude[0].reason' is required"),
        ({"exclude": [{"reason": "r"}]}, "exactly one of 'pattern' or 'url'"),
        ({"exclude": [{"url": "u", "reason": "r", "until": 1}]}, "key 'exclude[0].until'"),
        ({"exclude": [{"pattern": "(", "reason": "r"}]}, "not a valid regular expression"),
        ({"exclude": [{"url": "u", "reason": "r", "expires": "2030-01-01"}]}, "TOML date"),
        ({"hosts": {"a.example": {"header": {}}}}, "key 'hosts.\"a.example\".header'"),
        ({"hosts": {"a.example": {"accept": ["403"]}}}, "list of HTTP status codes"),
        ({"hosts": {"a.example": {"headers": {"X": "a\nb"}}}}, "single-line strings"),
    ],
)
def test_bad_config_names_the_key(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        check_options(table, "pyproject.toml")
    assert str(raised.value).startswith("pyproject.toml: [tool.guidelint.links] ")


def test_one_wording_for_every_problem() -> None:
    with pytest.raises(ConfigError) as raised:
        check_options({"timeout": "x"}, "pyproject.toml")
    assert str(raised.value) == (
        "pyproject.toml: [tool.guidelint.links] 'timeout' must be a number of at least 0.01, "
        "not 'x'"
    )
    with pytest.raises(ConfigError) as raised:
        check_options({"timout": 3}, "pyproject.toml")
    assert str(raised.value).startswith(
        "pyproject.toml: [tool.guidelint.links] unknown key 'timout' (did you mean 'timeout'?); "
        "allowed: allow, archive-endpoint, archive-lookup, baseline, ca-file, change-threshold, "
    )


def test_documented_example_is_valid() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "links.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", doc, re.S)
    assert block is not None
    table = tomllib.loads(block.group(1))["tool"]["guidelint"]["links"]
    options = check_options(table, "docs/links.md")
    assert options.per_host == 2
    assert options.host_rule("members.example.org").accept == frozenset({401})
    assert options.exclude[0].matches("https://www.linkedin.com/company/x")
    for key in (
        "timeout",
        "url-deadline",
        "per-host",
        "jobs",
        "exclude",
        'hosts."name"',
        "probe-soft-404",
    ):
        assert f"| `{key}` |" in doc


def test_links_table_accepts_health_keys_beside_checker_keys() -> None:
    options = check_options({"confirm-runs": 2, "state": "h.sqlite", "timeout": 3})
    assert options.timeout == 3
