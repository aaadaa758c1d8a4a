"""`guard.literal_address`: every way a browser reads a host as an IP address."""

from __future__ import annotations

import ipaddress

import pytest

from guidelint.links.guard import AddressPolicy, literal_address


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # one decimal number
        ("0x7f000001", "127.0.0.1"),  # one hex number
        ("017700000001", "127.0.0.1"),  # one octal number
        ("0177.0.0.1", "127.0.0.1"),  # octal part
        ("0x7f.0.0.1", "127.0.0.1"),  # hex part
        ("0X7F.0.0.0X1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),  # short: the last part fills the rest
        ("127.0.1", "127.0.0.1"),
        ("10.0x10203", "10.1.2.3"),
        ("127.0.0.1.", "127.0.0.1"),  # the trailing dot of a fully qualified name
        ("%31%32%37.0.0.1", "127.0.0.1"),  # percent-encoded digits, as the URL parser decodes
        ("0", "0.0.0.0"),
        ("169.254.43518", "169.254.169.254"),  # the metadata address, short
        ("[::1]", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),  # IPv4-mapped
        ("::ffff:7f00:1", "::ffff:7f00:1"),  # as yarl hands an IPv6 host over
        ("[fe80::1%25eth0]", "fe80::1"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_every_form_of_an_ip_literal_is_read(host: str, address: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host",
    [
        "example.org",
        "cafe.be",  # hex letters, but a name
        "1.2.3.4.5",  # five parts
        "256.1.1.1",  # a leading part over 255
        "1.2.3.256",
        "127.16777216",  # the short form's last part too big
        "4294967296",  # over 32 bits
        "09.1.1.1",  # 9 is no octal digit
        "1e10",
        "a.0x10",
        "[not-an-address]",
        "",
    ],
)
def test_names_and_impossible_numbers_are_not_addresses(host: str) -> None:
    assert literal_address(host) is None


def test_the_guard_judges_the_address_a_browser_would_use() -> None:
    policy = AddressPolicy()
    for host in ("2130706433", "0177.0.0.1", "127.1", "0x7f.1", "127.0.0.1.", "[::ffff:7f00:1]"):
        refusal = policy.check_literal(host)
        assert refusal is not None and refusal.reason == "loopback", host
    refusal = policy.check_literal("169.254.43518")
    assert refusal is not None and refusal.reason == "link-local"
    assert policy.check_literal("134744072") is None  # 8.8.8.8
    assert AddressPolicy.from_entries(["127.0.0.0/8"]).check_literal("127.1") is None
