"""Hosts: authorities, host keys and sites, read from URLs as written."""

from __future__ import annotations

import pytest

from guidelint.links.check.hosts import host_key, registrable_domain, site_key, url_authority


@pytest.mark.parametrize(
    ("url", "authority", "key"),
    [
        ("https://www.example.org/help?q#f", "www.example.org", "www.example.org"),
        ("https://user:pw@Example.ORG:8443/x", "user:pw@Example.ORG:8443", "example.org:8443"),
        ("http://[::1]:9/p", "[::1]:9", "[::1]:9"),
        ("https://example.org?q=/a", "example.org", "example.org"),
        ("https://example.org#frag/x", "example.org", "example.org"),
        ("mailto:help@example.org", "", ""),
    ],
)
def test_authority_and_host_key_are_read_without_parsing(
    url: str, authority: str, key: str
) -> None:
    assert url_authority(url) == authority
    assert host_key(url) == key


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.example.org", "example.org"),
        ("help.nhs.uk", "help.nhs.uk"),  # nhs.uk is a public suffix
        ("a.b.gov.uk", "b.gov.uk"),
        ("Example.ORG.", "example.org"),
        ("127.0.0.1", "127.0.0.1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain_follows_the_public_suffix_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_site_key_is_the_registrable_domain_of_an_authority() -> None:
    assert site_key("user@www.gamma.co.uk:8443") == "gamma.co.uk"
    assert site_key("[::1]:9") == "::1"
    assert site_key("bücher.example") == "xn--bcher-kva.example"
    assert site_key("") == ""
