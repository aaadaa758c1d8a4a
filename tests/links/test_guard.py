from __future__ import annotations

import asyncio
import ipaddress

import pytest

from guidelint.links.guard import AddressPolicy, UnsafeAddressError, forbidden_reason
from guidelint.links.resolver import GuardedResolver
from linkzoo import ZooResolver


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared (CGNAT)"),
        ("100.127.255.254", "shared (CGNAT)"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "private"),  # TEST-NET-1 documentation range
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 wrapping 169.254.169.254
    ],
)
def test_forbidden_addresses(address: str, reason: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1"]
)
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is None


def test_allow_list_of_networks_and_hosts() -> None:
    policy = AddressPolicy.from_entries(
        ["10.0.0.0/8", "intranet.example", ".corp.example", "*.lab.example", "::1"]
    )
    assert policy.refusal("x.lab.example", "127.0.0.1") is None
    assert policy.refusal("wiki.example", "10.2.3.4") is None
    assert policy.refusal("wiki.example", "192.168.0.1") is not None
    assert policy.refusal("intranet.example", "192.168.0.1") is None
    assert policy.refusal("INTRANET.example.", "192.168.0.1") is None
    assert policy.refusal("a.b.corp.example", "127.0.0.1") is None
    assert policy.refusal("corp.example.evil", "127.0.0.1") is not None
    assert policy.refusal("x", "::1") is None


@pytest.mark.parametrize("entry", ["", "not a host", "a/b/c", "http://x.example", "a*.example"])
def test_malformed_allow_entries_are_refused(entry: str) -> None:
    with pytest.raises(ValueError):
        AddressPolicy.from_entries([entry])


def test_literal_hosts_are_checked_without_a_resolver() -> None:
    policy = AddressPolicy()
    assert policy.check_literal("[::1]") is not None
    assert policy.check_literal("169.254.169.254") is not None
    assert policy.check_literal("8.8.8.8") is None
    assert policy.check_literal("example.org") is None


def test_guarded_resolver_refuses_a_name_if_any_address_is_forbidden() -> None:
    inner = ZooResolver({"mixed.example": "10.0.0.7", "public.example": "93.184.215.14"})
    resolver = GuardedResolver(AddressPolicy(), inner)

    async def run() -> None:
        with pytest.raises(UnsafeAddressError, match="private"):
            await resolver.resolve("mixed.example", 80)
        results = await resolver.resolve("public.example", 443)
        assert [result["host"] for result in results] == ["93.184.215.14"]
        with pytest.raises(OSError):
            await resolver.resolve("missing.example", 80)

    asyncio.run(run())


def test_command_line_entries_extend_the_configured_allow_list() -> None:
    merged = AddressPolicy.from_entries(["10.0.0.0/8"]).extended(
        AddressPolicy.from_entries(["intranet.example"])
    )
    assert merged.refusal("a.example", "10.1.1.1") is None
    assert merged.refusal("intranet.example", "192.168.1.1") is None
    assert merged.refusal("b.example", "192.168.1.1") is not None
