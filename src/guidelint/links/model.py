"""The one result type of a link check, with one verdict enum (PRODUCT.md §4).

Everything downstream (reports, history, exit codes) reads these records.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Final

from guidelint.escape import PAGE_TEXT_CAP, PAGE_TITLE_CAP, clip

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from guidelint.links.baseline import BaselineView
    from guidelint.links.check.pace import Bound, Pace
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
    UNAVAILABLE = "unavailable"
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
    #: Not dead in one run, but a failure in the run history's streaks: once the history
    #: confirms it (`confirm-runs` runs spanning `confirm-days`), the link counts as dead.
    lasting: bool = False


_REPLACE = "replace the link (find the organisation's current page) or remove it"
#: The action for a `transient` dead verdict the run history has not confirmed yet.
RECHECK_ACTION: Final = "recheck later; replace the link if it keeps failing"

VERDICTS: Final[dict[Verdict, VerdictInfo]] = {
    Verdict.OK: VerdictInfo("alive", "none", Tone.FINE, alive=True),
    Verdict.REDIRECTED: VerdictInfo(
        "temporary redirect (302, 303, 307, a `Refresh` header or an immediate meta refresh) "
        "to a live page",
        "none",
        Tone.FINE,
        alive=True,
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
        "redirects, redirect without `Location`",
        _REPLACE,
        Tone.DEAD,
        dead=True,
        rank=RANK_FAILING,
    ),
    Verdict.SOFT_404: VerdictInfo(
        'a success status that really means "not found": blank page, error page text, parked '
        "domain or suspended hosting, deep link redirected to the home page, an error page's "
        "address or a site search for it, a site that answers any path with the same page",
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
    Verdict.UNAVAILABLE: VerdictInfo(
        "temporarily unavailable: 503 or 429 with `Retry-After`, or a maintenance page (any "
        "status); dead only once the run history confirms it lasting",
        _REPLACE,
        Tone.UNKNOWN,
        rank=RANK_FAILING,
        transient=True,
        lasting=True,
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
        "401, 403, 406, 407, 418, 429 without `Retry-After`, 451, 999, `cf-mitigated: "
        "challenge` and other bot walls, login and consent gates, geo-blocks: not proof of death",
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
        "anything else (unsupported scheme, invalid URL, run deadline reached, an answer whose "
        "headers or encoding could not be read), with the exception text",
        "recheck later; report a guidelint bug if it persists",
        Tone.UNKNOWN,
        evidence=False,
        rank=RANK_ODD,
    ),
}

DEAD: Final = frozenset(verdict for verdict, info in VERDICTS.items() if info.dead)
#: What the run history counts as a failure: dead verdicts, and those that become dead by lasting.
FAILURES: Final = frozenset(
    verdict for verdict, info in VERDICTS.items() if info.dead or info.lasting
)
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
    # The main content without menus, banners, sidebars and footers, one block a line
    # (`links.content.main_text`); None where it was not asked for (pages with no baseline).
    main: str | None = None

    @classmethod
    def capture(cls, title: str | None, text: str, main: str | None = None) -> Page:
        """A page as read from a server: the one place its strings are capped
        (`escape.PAGE_TITLE_CAP`, `PAGE_TEXT_CAP`), so nothing after holds more of them."""
        if title is not None and len(title) > PAGE_TITLE_CAP:
            title = clip(title, PAGE_TITLE_CAP)
        if main is not None and len(main) > PAGE_TEXT_CAP:
            main = main[:PAGE_TEXT_CAP]
        return cls(title, text[:PAGE_TEXT_CAP] if len(text) > PAGE_TEXT_CAP else text, main=main)


@dataclass(frozen=True)
class Change:
    similarity: float
    title_before: str | None
    title_after: str | None
    facts_added: tuple[str, ...]
    facts_removed: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """Where a dead page probably lives on now, on its own site, and why (`links.suggest`).

    Evidence for a person, never a verdict: the result stays dead. `score` is the formula of
    `links.suggest.score`; `confident` says `--fix-moved --accept-suggestions` may apply it.
    """

    url: str  # what the site answered from, after redirects on the same site
    score: float  # 0..1
    confident: bool
    same_title: bool
    title_similarity: float  # 0..1, title words in common
    similarity: float  # 0..1, the baseline's text similarity (`links.change.similarity`)
    shared_facts: tuple[str, ...]  # baseline facts the page still shows: "phone …", "email …"
    path_similarity: float  # 0..1, words the two addresses' paths share


@dataclass(frozen=True)
class ArchivedCopy:
    """The Internet Archive's copy of a dead page: what it said, never a replacement."""

    url: str
    captured_at: str  # ISO 8601 UTC


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
    suggestion: Suggestion | None = None  # a dead page's probable new address (links.suggest)
    archived: ArchivedCopy | None = None  # --archive-lookup: what the dead page said
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dead(self) -> bool:
        """Report as broken: a dead verdict, or one the history confirmed as lasting."""
        verdict = self.verdict
        return verdict in DEAD or (self.confirmed and verdict in FAILURES)

    @property
    def failure(self) -> bool:
        """A failure in the run history's streaks (dead, or dead if it lasts)."""
        return self.verdict in FAILURES

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
    if result.confirmed and result.dead:
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
    if info.dead and result.suggestion is not None:
        if result.suggestion.confident:
            return (
                "check the suggested new address, then replace the link with it "
                "(--fix-moved --accept-suggestions does)"
            )
        return "check the suggested address by hand; replace the link with it or another current page, or remove it"
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
