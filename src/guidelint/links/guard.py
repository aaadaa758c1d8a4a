"""Address safety: the link checker connects only to public addresses unless told otherwise.

A guide's URL (or a redirect it leads to) must never make the checker talk to a machine on the
maintainer's own network: loopback, private (RFC 1918, ULA), link-local (cloud metadata at
169.254.169.254), CGNAT, multicast, reserved or unspecified addresses, in IPv4 or IPv6,
including IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo, NAT64).

The check happens after DNS resolution, inside the resolver the connector uses, so the
address that was vetted is the address that is connected to: there is no second lookup a
hostile DNS server could answer differently (DNS rebinding; see `links.resolver`). IP
literals never reach a resolver in aiohttp, so `check_literal` vets those before each
request. Every redirect hop is a new request and goes through both.

A browser reads `http://2130706433/`, `http://0177.0.0.1/`, `http://127.1/` and
`http://0x7f.1/` all as 127.0.0.1 (the WHATWG URL standard's IPv4 parser, after inet_aton);
`literal_address` is the one reading of a host as an IP literal, in every such form, that
the checker uses for the guide's URL and every redirect hop, so the guard judges the address
a browser would connect to, and the request goes to that address written canonically.

An allow-list of networks (CIDR) and host names opens the door for intranets and tests.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT: Final = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")


class UnsafeAddressError(OSError):
    """The guard refused an address. An OSError so aiohttp wraps it like any lookup failure."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(f"refused to connect to {host} ({address}): {reason} address")
        self.host = host
        self.address = address
        self.reason = reason


def forbidden_reason(address: IPAddress) -> str | None:
    """Why `address` must not be contacted, or None when it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return forbidden_reason(embedded)
    # Order matters only for the wording: the most specific reason first.
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared (CGNAT)", isinstance(address, ipaddress.IPv4Address) and address in _CGNAT),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for reason, hit in checks:
        if hit:
            return reason
    if not address.is_global:
        return "non-public"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which forbidden addresses and hosts are allowed anyway."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AddressPolicy:
        """Parse allow-list entries: a CIDR or address (`10.0.0.0/8`, `::1`) or a host name.

        A host name allows that exact host; a leading dot (`.intranet.example`, or
        `*.intranet.example`) allows every host below it. Raises ValueError naming a malformed entry.
        """
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for raw in entries:
            entry = raw.strip()
            if not entry:
                raise ValueError("empty allow-list entry")
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            name = entry.lower().rstrip(".")
            if name.startswith("*."):
                name = name[1:]  # "*.corp.example" means what ".corp.example" means
            label = name.lstrip(".")
            if not label or any(char in label for char in "/:@ *") or ".." in label:
                raise ValueError(f"not a CIDR, address or host name: {raw!r}")
            hosts.add(name)
        return cls(tuple(networks), frozenset(hosts))

    def extended(self, other: AddressPolicy) -> AddressPolicy:
        return AddressPolicy(self.networks + other.networks, self.hosts | other.hosts)

    def host_allowed(self, host: str) -> bool:
        name = host.lower().rstrip(".")
        if name in self.hosts:
            return True
        return any(entry.startswith(".") and name.endswith(entry) for entry in self.hosts)

    def refusal(self, host: str, address: str) -> UnsafeAddressError | None:
        """The error to raise for connecting to `address` on behalf of `host`, if any."""
        if self.host_allowed(host):
            return None
        try:
            parsed = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return UnsafeAddressError(host, address, "unparseable")
        reason = forbidden_reason(parsed)
        if reason is None or any(parsed in network for network in self.networks):
            return None
        return UnsafeAddressError(host, address, reason)

    def check_literal(self, host: str) -> UnsafeAddressError | None:
        """Vet a URL host that is an IP literal in any form (aiohttp skips the resolver for
        those); None for a host name or an allowed address."""
        address = literal_address(host)
        if address is None:
            return None
        return self.refusal(host, str(address))


# What the WHATWG host parser reads as a number: 0x-prefixed hex, 0-prefixed octal, decimal.
_IPV4_PART: Final = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")
_HEX_OR_DIGITS: Final = re.compile(r"[0-9a-fA-FxX]+")


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as an IP literal means, in any form a browser accepts, or
    None for a host name.

    IPv6 in brackets (IPv4-mapped ones included, `[::ffff:127.0.0.1]`); IPv4 as four dotted
    parts or fewer (`127.1`), each decimal, octal (`0177`) or hex (`0x7f`), or one number
    (`2130706433`); a trailing dot and percent-encoded digits as the URL parser decodes them.
    A host whose last label is numeric but is no valid address (`1.2.3.4.5`, `999.1.1.1`) is
    not a name a resolver knows either; it is read as no address (the request then fails).
    """
    bare = host.strip()
    if bare.startswith("[") and bare.endswith("]"):
        bare = bare[1:-1]
    if ":" in bare:
        try:
            return ipaddress.IPv6Address(bare.split("%", 1)[0])
        except ValueError:
            return None
    if "%" in bare:
        from urllib.parse import unquote

        bare = unquote(bare)
    return _ipv4(bare)


def _ipv4(host: str) -> ipaddress.IPv4Address | None:
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # the trailing dot of a fully qualified name
    # Only a host whose last label is a number is an IPv4 address to the URL parser.
    if not parts or len(parts) > 4 or _HEX_OR_DIGITS.fullmatch(parts[-1]) is None:
        return None
    numbers = []
    for part in parts:
        if _IPV4_PART.fullmatch(part) is None:
            return None
        if part[:2].lower() == "0x":
            numbers.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part[0] == "0":
            numbers.append(int(part, 8))
        else:
            numbers.append(int(part))
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def unsafe_cause(error: BaseException) -> UnsafeAddressError | None:
    """The guard's refusal inside an aiohttp error, if that is what it wraps."""
    seen: set[int] = set()
    current: Any = error
    while current is not None and id(current) not in seen:
        if isinstance(current, UnsafeAddressError):
            return current
        seen.add(id(current))
        current = getattr(current, "os_error", None) or current.__cause__
    return None
