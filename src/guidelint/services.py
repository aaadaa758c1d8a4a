"""Well-known services from data/services.toml: which country a web address or number serves."""

from __future__ import annotations

import functools
import re
import tomllib
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from guidelint import read_data

INTERNATIONAL = "INT"


class Service(NamedTuple):
    name: str
    countries: tuple[str, ...]
    hosts: tuple[str, ...]
    numbers: tuple[str, ...]
    sources: tuple[str, ...]


class Placed(NamedTuple):
    """Where a web address serves people, and how that is known."""

    countries: frozenset[str]
    service: Service | None  # None: from the country-code domain alone
    reason: str  # "samaritans.org, Samaritans", "a .ie address"


@functools.cache
def _data() -> dict[str, Any]:
    return tomllib.loads(read_data("services.toml"))


@functools.cache
def services() -> tuple[Service, ...]:
    return tuple(
        Service(
            entry["name"],
            tuple(entry["countries"]),
            tuple(host.lower() for host in entry.get("hosts", ())),
            tuple(entry.get("numbers", ())),
            tuple(entry["sources"]),
        )
        for entry in _data()["service"]
    )


@functools.cache
def _by_host() -> dict[str, Service]:
    return {host: service for service in services() for host in service.hosts}


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


@functools.cache
def _by_number() -> dict[str, Service]:
    return {digits(number): service for service in services() for number in service.numbers}


def host_of(url: str) -> str:
    candidate = url if "://" in url else f"https://{url}"
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def service_for_host(host: str) -> Service | None:
    """The listed service at `host` or the nearest parent domain listed."""
    labels = host.split(".")
    for index in range(len(labels) - 1):
        found = _by_host().get(".".join(labels[index:]))
        if found is not None:
            return found
    return None


def service_for_number(number: str) -> Service | None:
    return _by_number().get(digits(number))


def place_url(url: str) -> Placed | None:
    """Where the site at `url` serves people: a listed service's countries, else the
    country of its country-code domain; None for generic domains (.org, .com, .io…)."""
    host = host_of(url)
    if not host or "." not in host:
        return None
    service = service_for_host(host)
    if service is not None:
        return Placed(frozenset(service.countries), service, f"{host}, {service.name}")
    tld = host.rsplit(".", 1)[1]
    table = _data()["tld"]
    country = table["countries"].get(tld)
    if country is None and len(tld) == 2 and tld.isalpha() and tld not in table["generic"]:
        country = tld.upper()
    if country is None:
        return None
    return Placed(frozenset({country}), None, f"a .{tld} address")


def _national_first(country: str) -> list[Service]:
    """Services of `country`, those serving it alone first."""
    serving = [service for service in services() if country in service.countries]
    return sorted(serving, key=lambda service: len(service.countries))


def example_url(country: str) -> str | None:
    """The address of a listed national service of `country`, for messages."""
    for service in _national_first(country):
        if service.hosts:
            return service.sources[0]
    return None


def example_number(country: str) -> str | None:
    """The number of a listed national service of `country`, for messages."""
    for service in _national_first(country):
        if service.numbers:
            return service.numbers[0]
    return None
