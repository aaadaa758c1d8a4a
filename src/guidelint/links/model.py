"""The one result type of a link check, with one verdict enum (PRODUCT.md §4).

Everything downstream (reports, history, exit codes) reads these records.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import enum
from collections.abc import Callable, Collection, Container, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links.check.pace import Pace
    from guidelint.links.check.records import FailureKind
    from guidelint.links.settings import CheckOptions


class Verdict(enum.Enum):
    """What one check concluded about a URL; `VERDICTS` says what each one means."""

    OK = "ok"
    REDIRECTED = "redirected"
    MOVED = "moved"
    CHANGED = "changed"
    FRAGMENT_MISSING = "fragment-missing"
    BROKEN = "broken"
    SOFT_404 = "soft-404"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls-error"
    BLOCKED = "blocked"
    UNSAFE = "unsafe"
    SKIPPED = "skipped"
    ERROR = "error"

    # Members are singletons, so hashing by identity is exact, and it runs in C: Enum's own
    # __hash__ is Python, and a run looks verdicts up in sets a few times per link.
    __hash__ = object.__hash__

    @property
    def info(self) -> VerdictInfo:
        return VERDICTS[self]

    @property
    def dead(self) -> bool:
        return self in DEAD


#: Ranks of the report's sections (see `SECTIONS`): lower is more urgent.
RANK_CONFIRMED, RANK_CHANGED, RANK_MOVED_AWAY, RANK_MOVED = 0, 1, 2, 3
RANK_FAILING, RANK_RECOVERED, RANK_FRAGMENT, RANK_ODD, RANK_FINE = 4, 5, 6, 7, 8


class Tone(enum.Enum):
    """How a verdict reads at a glance: the colour of charts and sparklines."""

    DEAD = "dead"
    REVIEW = "review"  # alive, but the guide may need an edit
    FINE = "fine"
    UNKNOWN = "unknown"  # the check says nothing about the page


@dataclass(frozen=True)
class VerdictInfo:
    """Everything a verdict means, in one place: reports, history and baseline read this."""

    meaning: str  # one line, for docs/links-json.md and `guidelint links` help
    action: str  # what an editor does about it
    tone: Tone
    dead: bool = False  # report as broken
    alive: bool = False  # the page answered with content to compare with the baseline
    evidence: bool = True  # counts in the run history's streaks (alive or dead)
    #: Report order, most urgent first; `report.rank` raises confirmed dead links, moves to
    #: another site and recoveries above the verdict's own rank.
    rank: int = RANK_FINE
    #: Until the history confirms it, a dead verdict of this kind may pass by itself.
    transient: bool = False


_REPLACE = "replace the link (find the organisation's current page) or remove it"
#: The action for a `transient` dead verdict the run history has not confirmed yet.
RECHECK_ACTION: Final = "recheck later; replace the link if it keeps failing"

VERDICTS: Final[dict[Verdict, VerdictInfo]] = {
    Verdict.OK: VerdictInfo("alive", "none", Tone.FINE, alive=True),
    Verdict.REDIRECTED: VerdictInfo(
        "temporary redirect (302, 303, 307) to a live page", "none", Tone.FINE, alive=True
    ),
    Verdict.MOVED: VerdictInfo(
        "permanent redirect (301, 308) to a live page",
        "update the guide to the new address; review first when it is on another site",
        Tone.REVIEW,
        alive=True,
        rank=RANK_MOVED,
    ),
    Verdict.CHANGED: VerdictInfo(
        "alive, but the content changed substantively since the reviewed baseline",
        "review the page; if the guide still holds, accept the new baseline",
        Tone.REVIEW,
        alive=True,
        rank=RANK_CHANGED,
    ),
    Verdict.FRAGMENT_MISSING: VerdictInfo(
        "page alive, its `#anchor` is gone",
        "review: the section this link points to is gone; link the page or the new section",
        Tone.REVIEW,
        alive=True,
        rank=RANK_FRAGMENT,
    ),
    Verdict.BROKEN: VerdictInfo(
        "404, 410, other definitive 4xx, storage `AccessDenied` 403, redirect loop, too many "
        "redirects, redirect without `Location`, body cut off mid-transfer",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
    ),
    Verdict.SOFT_404: VerdictInfo(
        'a success status that really means "not found": blank page, error page text, parked '
        "domain, deep link redirected to the home page, a site that answers any path with the "
        "same page",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
    ),
    Verdict.SERVER_ERROR: VerdictInfo(
        "5xx after retries",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
        transient=True,
    ),
    Verdict.TIMEOUT: VerdictInfo(
        "no usable answer within the deadlines",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
        transient=True,
    ),
    Verdict.UNREACHABLE: VerdictInfo(
        "the name does not exist, the connection was refused, or reset before a response",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
    ),
    Verdict.TLS_ERROR: VerdictInfo(
        "certificate or TLS failure",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
    ),
    Verdict.BLOCKED: VerdictInfo(
        "401, 403, 407, 429, 999, `cf-mitigated: challenge` and other bot walls: not proof of "
        "death",
        "check by hand in a browser: the site refuses automated checks",
        Tone.UNKNOWN,
        evidence=False,
        rank=RANK_ODD,
    ),
    Verdict.UNSAFE: VerdictInfo(
        "the address guard refused a private, loopback, link-local, CGNAT, multicast or "
        "reserved address (first request or any redirect hop)",
        "replace: the link leads to an internal or reserved address",
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
    ),
    Verdict.SKIPPED: VerdictInfo(
        "`mailto:`, `tel:`, or excluded by config", "none", Tone.UNKNOWN, evidence=False
    ),
    Verdict.ERROR: VerdictInfo(
        "anything else (unsupported scheme, invalid URL, run deadline reached), with the "
        "exception text",
        "recheck later; report a guidelint bug if it persists",
        Tone.UNKNOWN,
        evidence=False,
        rank=RANK_ODD,
    ),
}

DEAD: Final = frozenset(verdict for verdict, info in VERDICTS.items() if info.dead)
ALIVE: Final = frozenset(verdict for verdict, info in VERDICTS.items() if info.alive)


class Transition(enum.Enum):
    """How a URL's health moved since the previous run (from the run history)."""

    NEW_FAILURE = "new"
    STILL_FAILING = "still-failing"
    RECOVERED = "recovered"

    __hash__ = object.__hash__  # as for Verdict


@dataclass(frozen=True, slots=True)
class Reference:
    """One use of a URL in a guide, with what the guide says around it.

    Slotted: a large run holds one per use, 100,000 and more (50 bytes each saved).

    The context is read while the URLs are collected, so nothing after the check needs to
    load a guide again: reports name the resource and guide, and the baseline reads a
    page's phone numbers for the right region.
    """

    path: str
    line: int
    column: int
    pointer: str  # RFC 6901 JSON pointer, e.g. /resources/3/url
    resource: str | None = None  # the resource's name, when the URL is a resource's
    #: Where the page's organisation works: the resource's first jurisdiction, else the
    #: guide's (ISO 3166-1 or -2); None when the guide names none.
    jurisdiction: str | None = None
    guide_title: str | None = None


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
    new: bool = False  # alive, and the reviewed baseline has no entry for it yet
    fixed_to: str | None = None  # --fix-moved rewrote every use of the URL to this one
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


#: The report's sections, most urgent first, with the ranks each one holds.
SECTIONS: Final = (
    ("Confirmed dead", (RANK_CONFIRMED,)),
    ("Changed", (RANK_CHANGED,)),
    ("Moved", (RANK_MOVED_AWAY, RANK_MOVED)),
    ("Failing, not confirmed yet: watch", (RANK_FAILING,)),
    ("Recovered", (RANK_RECOVERED,)),
    ("Also review", (RANK_FRAGMENT, RANK_ODD)),
)


def rank(result: LinkResult) -> int:
    """Where a result goes in a report: its verdict's rank, raised by what the history says."""
    info = result.verdict.info
    if info.dead and result.confirmed:
        return RANK_CONFIRMED
    if result.verdict is Verdict.MOVED and result.cross_domain:
        return RANK_MOVED_AWAY
    if info.rank > RANK_RECOVERED and result.transition is Transition.RECOVERED:
        return RANK_RECOVERED
    return info.rank


def is_finding(result: LinkResult) -> bool:
    """Whether a report lists the result as something to look at."""
    return rank(result) < RANK_FINE


def action(result: LinkResult) -> str:
    """What an editor should do about this result, in one line."""
    if result.fixed_to is not None:
        return "review and commit the rewritten guides (--fix-moved changed only the URL)"
    info = result.verdict.info
    if result.verdict is Verdict.MOVED:
        if result.cross_domain:
            return (
                f"review before updating: moved to another site ({result.final_url}); "
                "check the new owner is the same organisation"
            )
        return f"update the guide to {result.final_url}"
    if info.transient and not result.confirmed:
        return RECHECK_ACTION
    if info.rank == RANK_FINE and result.transition is Transition.RECOVERED:
        return "none: the link works again"
    return info.action


def failing(results: Sequence[LinkResult], fail_on: str) -> list[LinkResult]:
    """Results that make the run fail (exit 1).

    `fail_on="new"`: any dead link. `"confirmed"`: only dead links the run history confirmed.
    Moved and changed links count with both: the guide needs an edit either way.
    `"dead"` (a pull request's check): any dead link, and nothing else, since a page that
    moved or changed on its own is the scheduled run's business, not the change's.
    """
    if fail_on == "dead":
        return [result for result in results if result.dead]
    return [
        result
        for result in results
        if (result.dead and (fail_on == "new" or result.confirmed))
        or result.verdict in (Verdict.MOVED, Verdict.CHANGED)
    ]


@dataclass(frozen=True)
class BaselineView:
    """What the reviewed baseline and the run's flags tell the checker before it starts.

    An alive result whose URL has no `entries` is marked new as it is made (the review
    would copy every result of a first run to say so), unless the run accepts pages, which
    may give it one; a result keeps its page's text only when the run reads it later: to
    compare it with its entry, or to accept it.
    """

    entries: Container[str]
    accepting: Collection[str] = frozenset()
    accept_all: bool = False  # --update-baseline: every alive page may be accepted

    def keeps_page(self, url: str) -> bool:
        return self.accept_all or url in self.entries or url in self.accepting

    def new(self, url: str, verdict: Verdict) -> bool:
        """Whether a result is new to the baseline, as `baseline.apply` would mark it."""
        accepts = self.accept_all or bool(self.accepting)
        return not accepts and verdict in ALIVE and url not in self.entries


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
    on_result: Callable[[LinkResult], None] | None = None  # one loop only
    baseline: BaselineView | None = None  # new pages, and which pages results keep


@dataclass(frozen=True)
class Tally:
    """What one event loop checked, and the evidence for an offline run."""

    results: tuple[LinkResult, ...]
    kinds: Mapping[str, FailureKind]  # url -> what its last attempt came to, if no answer
    bytes_read: int
    pace: Pace | None = None  # what bounded its time (`check.pace`)


class Limit(enum.Enum):
    """What a run's time was bounded by (`check.pace.bound`)."""

    INTERVAL = "interval"  # the per-host interval between two requests
    PER_HOST = "per-host"  # requests in flight per host
    CONCURRENCY = "concurrency"  # requests in flight overall
    SERVERS = "servers"  # how long the servers took to answer

    __hash__ = object.__hash__  # as for Verdict


#: A limit of ours "bounded the run" when it alone accounts for this share of its time.
BINDING_SHARE: Final = 0.75


@dataclass(frozen=True)
class Bound:
    """The least time one limit allowed a run's checking, next to the time it took."""

    limit: Limit
    seconds: float  # no run could check these URLs sooner under this limit
    run_seconds: float  # from the first request to the last answer, about
    host: str | None = None  # per-host limits: the host that bound (port when not default)
    requests: int = 0  # to that host, or in all
    url: str | None = None  # the servers: the URL that took longest
    setting: float = 0  # the interval in seconds, or the number of requests in flight

    @property
    def binding(self) -> bool:
        """Whether one of guidelint's own limits (one a user can change) bounded the run."""
        return self.limit is not Limit.SERVERS and self.seconds >= BINDING_SHARE * self.run_seconds

    def describe(self) -> str:
        """One line for the reports, naming the setting that changes it."""
        share = f"take at least {self.seconds:.1f} s of the {self.run_seconds:.1f} s spent checking"
        host = self.host or "?"
        if self.limit is Limit.INTERVAL:
            interval = f"{self.setting * 1000:g} ms" if self.setting < 1 else f"{self.setting:g} s"
            return (
                f"bounded by the {interval} per-host interval: {self.requests} requests to "
                f"{host} {share} (--min-interval)"
            )
        if self.limit is Limit.PER_HOST:
            return (
                f"bounded by {self.setting:g} requests in flight per host: the "
                f"{self.requests} requests to {host} {share} (--per-host)"
            )
        if self.limit is Limit.CONCURRENCY:
            return (
                f"bounded by {self.setting:g} requests in flight overall: {self.requests} "
                f"requests {share} (--concurrency)"
            )
        return (
            f"bounded by the servers: the slowest URL took {self.seconds:.1f} s of the "
            f"{self.run_seconds:.1f} s spent checking ({self.url})"
        )


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
    bound: Bound | None = None  # what bounded the checking's time
