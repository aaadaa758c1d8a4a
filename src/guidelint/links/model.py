"""The one result type of a link check, with one verdict enum (PRODUCT.md §4).

Everything downstream (reports, history, exit codes) reads these records.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links.check.records import FailureKind
    from guidelint.links.settings import CheckOptions


class Verdict(enum.Enum):
    OK = "ok"
    REDIRECTED = "redirected"  # temporary redirect: fine
    MOVED = "moved"  # permanent redirect: point the guide at final_url
    CHANGED = "changed"  # alive, but the content changed since the reviewed baseline
    FRAGMENT_MISSING = "fragment-missing"  # page alive, its #anchor is gone
    BROKEN = "broken"
    SOFT_404 = "soft-404"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls-error"
    BLOCKED = "blocked"  # bot wall: not proof of death
    UNSAFE = "unsafe"  # refused by the address guard
    SKIPPED = "skipped"
    ERROR = "error"

    # Members are singletons, so hashing by identity is exact, and it runs in C: Enum's own
    # __hash__ is Python, and a run looks verdicts up in sets a few times per link.
    __hash__ = object.__hash__

    @property
    def dead(self) -> bool:
        return self in DEAD


DEAD = frozenset(
    {
        Verdict.BROKEN,
        Verdict.SOFT_404,
        Verdict.SERVER_ERROR,
        Verdict.TIMEOUT,
        Verdict.UNREACHABLE,
        Verdict.TLS_ERROR,
        Verdict.UNSAFE,
    }
)


class Transition(enum.Enum):
    """How a URL's health moved since the previous run (from the run history)."""

    NEW_FAILURE = "new"
    STILL_FAILING = "still-failing"
    RECOVERED = "recovered"

    __hash__ = object.__hash__  # as for Verdict


@dataclass(frozen=True)
class Reference:
    """One use of a URL in a guide."""

    path: str
    line: int
    column: int
    pointer: str  # RFC 6901 JSON pointer, e.g. /resources/3/url


@dataclass(frozen=True)
class Hop:
    """One redirect: the URL requested and the status that sent us on."""

    url: str
    status: int


@dataclass(frozen=True)
class Page:
    """What an alive page said, as far as reports and the baseline need it (never raw HTML)."""

    title: str | None
    text: str  # normalised visible text
    facts: tuple[str, ...] = ()  # salient facts: phone numbers, e-mail addresses


@dataclass(frozen=True)
class Change:
    similarity: float
    title_before: str | None
    title_after: str | None
    facts_added: tuple[str, ...]
    facts_removed: tuple[str, ...]


@dataclass(frozen=True)
class LinkResult:
    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    attempts: int = 0
    elapsed_ms: int = 0
    error: str | None = None
    references: tuple[Reference, ...] = ()
    page: Page | None = None
    change: Change | None = None
    confirmed: bool = False
    failing_since: str | None = None  # ISO 8601 UTC timestamp
    cross_domain: bool = False  # moved/redirected to another registrable domain
    transition: Transition | None = None  # set from run history
    flaky: bool = False  # alternates between alive and dead across recent runs
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dead(self) -> bool:
        return self.verdict.dead

    def evolve(self, **changes: Any) -> LinkResult:
        """`dataclasses.replace` for a run's worth of results: copies the fields as they are.

        replace() runs the generated __init__ with every field, 4 µs a copy; a run adds a
        note to most of its 10,000 results. The fields are checked by name all the same.
        """
        unknown = changes.keys() - _LINK_RESULT_FIELDS
        if unknown:
            raise TypeError(f"LinkResult has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(LinkResult)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy


_LINK_RESULT_FIELDS = frozenset(item.name for item in fields(LinkResult))


@dataclass(frozen=True)
class Feed:
    """URLs still being found while a check runs (guides loading in worker processes)."""

    pending: Sequence[concurrent.futures.Future[Any]]  # batches, in order
    # Records the next batch (done by then) and returns the URLs new to the run, in order.
    take: Callable[[], list[str]]


@dataclass(frozen=True)
class Work:
    """What one event loop (or a process of several) is asked to check, and by when."""

    urls: Mapping[str, Sequence[Reference]]
    options: CheckOptions
    resolver: AbstractResolver | None
    progress: Callable[[int, int], None] | None
    day: datetime.date  # for exclusion expiry
    run_end: float  # a time.monotonic() value; CLOCK_MONOTONIC is shared by forked children
    feed: Feed | None = None  # one loop only


@dataclass(frozen=True)
class Tally:
    """What one event loop checked, and the evidence for an offline run."""

    results: tuple[LinkResult, ...]
    kinds: Mapping[str, FailureKind]  # url -> what its last attempt came to
    bytes_read: int


@dataclass(frozen=True)
class RunOutcome:
    """A whole check: every result, in input order, and whether the checker looked offline."""

    started_at: datetime.datetime
    finished_at: datetime.datetime
    results: tuple[LinkResult, ...]
    offline: bool = False
    hosts_checked: int = 0
    hosts_unreachable: int = 0
    bytes_read: int = 0  # decompressed body bytes read, all URLs together
    notes: tuple[str, ...] = ()
