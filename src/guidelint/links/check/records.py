"""The records the checker's stages hand each other, all immutable.

`transport` reads a `Response`; `classify` turns it (with its page view) into an `Outcome`;
`retry` reads the outcome's `kind` to decide on another attempt; `loop` turns the last
outcome into a `LinkResult`. Each is public and constructible, so every stage can be tested
on its own with plain values.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace

from yarl import URL

from guidelint.links.model import Hop, Page, Verdict


class FailureKind(enum.Enum):
    """What an attempt's verdict rests on: the server's answer, or how the exchange failed.

    Retry policy (`retry.retry_reason`) and the offline decision (`check.CONNECTION_FAILURES`)
    read it; `transport.failure_of` is the one place that maps a client error to it.
    """

    STATUS = "status"  # the server answered: its status (and headers) decided
    CONTENT = "content"  # the page's content decided: a soft 404, a missing #fragment
    DNS = "dns"  # the name does not exist
    DNS_TEMPORARY = "dns-temporary"  # the resolver could not answer just now
    REFUSED = "refused"  # nothing listens at the address
    CONNECT_TIMEOUT = "connect-timeout"  # no TCP (or TLS) connection in time
    NETWORK = "network"  # no route to the host, or another socket error
    TIMEOUT = "timeout"  # connected, but no complete answer in time
    RESET = "reset"  # the connection closed before a response
    PAYLOAD = "payload"  # the body was cut off mid-transfer
    TLS = "tls"  # certificate or handshake failure
    UNSAFE = "unsafe"  # refused by the address guard
    INVALID = "invalid"  # the URL cannot be requested
    OVERSIZED = "oversized"  # response headers beyond our limit
    UNREADABLE = "unreadable"  # the server answered in an encoding we cannot decode
    MALFORMED = "malformed"  # the server answered, but not in HTTP
    RUN_DEADLINE = "run-deadline"  # the whole run ran out of time first
    ERROR = "error"  # any other client error

    __hash__ = object.__hash__  # as for Verdict: looked up in sets once per URL


@dataclass(frozen=True)
class Response:
    """One HTTP answer as read: headers lower-cased, the body capped (see `transport`)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes | None  # None when not read (HEAD, redirects)
    truncated: bool = False
    charset: str | None = None
    parsed: URL | None = None  # URL(url), as requested: parsed once
    unread: str | None = None  # why the body could not be read although the server answered

    @property
    def mime(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def parsed_url(self) -> URL:
        return self.parsed if self.parsed is not None else URL(self.url)


@dataclass(frozen=True)
class Outcome:
    """One attempt's result, before it becomes a LinkResult."""

    verdict: Verdict
    kind: FailureKind
    status: int | None = None
    hops: tuple[Hop, ...] = ()
    final_url: str | None = None
    error: str | None = None
    page: Page | None = None
    retry_after: float | None = None
    cross_domain: bool = False
    notes: tuple[str, ...] = ()

    def noted(self, note: str) -> Outcome:
        """The same outcome with one more note (a copy: outcomes are never changed)."""
        return replace(self, notes=(*self.notes, note))


class Failure(Exception):
    """A request that ended without an answer to classify; `outcome` says why."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.error)
        self.outcome = outcome
