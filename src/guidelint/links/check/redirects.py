"""Redirect chains: every hop of one attempt, however it was asked for, under one set of limits.

3xx `Location`s (`Chain.advance`), `Refresh` headers and immediate meta refreshes
(`Chain.refresh`) all pass through a `Chain`, so the hop limit, the loop check and the
scheme check hold for each, and credentials in any hop's URL are dropped (never sent,
never recorded) with a note. `transport.Transport.follow` drives it; the loop continues a
chain with a meta refresh found in the final page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from yarl import URL

from guidelint.links.check.records import Failure, FailureKind, Outcome, Response
from guidelint.links.model import Hop, Verdict

CREDENTIALS_NOTE: Final = "credentials in the URL (user:password@) were not sent"


def broken_redirect(
    response: Response, chain: Chain, error: str, final_url: str | None = None
) -> Failure:
    return Failure(
        Outcome(
            Verdict.BROKEN,
            FailureKind.STATUS,
            status=response.status,
            hops=tuple(chain.hops),
            final_url=final_url,
            error=error,
        )
    )


@dataclass
class Chain:
    """The redirects of one attempt so far: hops, visits, and what was noted on the way.

    3xx `Location`s (`advance`), `Refresh` headers and meta refreshes (`refresh`) all pass
    through here, so the hop limit, the loop check and the scheme check hold for each.
    """

    limit: int
    hops: list[Hop] = field(default_factory=list)
    visits: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, url: str, limit: int) -> Chain:
        chain = cls(limit)
        chain.visits[chain.clean(url)] = 1
        return chain

    def clean(self, url: str) -> str:
        """`url` without credentials (never sent, never recorded), noting it once."""
        stripped = without_credentials(url)
        if stripped != url and CREDENTIALS_NOTE not in self.notes:
            self.notes.append(CREDENTIALS_NOTE)
        return stripped

    def advance(self, response: Response, current: str, location: str) -> str:
        """Where a redirect leads, vetted; raises Failure for a redirect that goes nowhere."""
        self.hops.append(Hop(current, response.status))
        try:
            following = str(URL(current).join(URL(location)).with_fragment(None))
        except ValueError as error:
            raise broken_redirect(
                response, self, f"redirect to an invalid Location {location[:200]!r}: {error}"
            ) from None
        following = self.clean(following)
        # A second visit is allowed (cookie checks redirect to the same URL); a third is a loop.
        if self.visits.get(following, 0) >= 2:
            raise broken_redirect(
                response, self, f"redirect loop: {following[:200]} was already visited", following
            )
        if len(self.hops) >= self.limit:
            raise broken_redirect(response, self, f"more than {self.limit} redirects", following)
        if URL(following).scheme not in ("http", "https"):
            raise broken_redirect(
                response, self, f"redirect to a non-web address {following[:200]}", following
            )
        self.visits[following] = self.visits.get(following, 0) + 1
        return following

    def refresh(self, response: Response, current: str, target: str, how: str) -> str | None:
        """Where an immediate refresh (`how`: a `Refresh` header, a meta refresh) on the page
        at `current` leads, as a redirect hop; None when it is no redirect: a page that
        reloads itself (the same address, whatever its query: live figures refreshed with a
        cache-busting `?t=…`), or one whose refresh a browser would not follow (`file:`,
        `javascript:`), which is then judged as it stands.
        """
        target = self.clean(target)
        if target.split("?", 1)[0] == current.split("?", 1)[0]:
            return None
        if URL(target).scheme not in ("http", "https"):
            self.notes.append(f"{how} to a non-web address ignored: {target[:200]}")
            return None
        self.notes.append(f"followed a {how} from {current[:200]}")
        return self.advance(response, current, target)


def without_credentials(url: str) -> str:
    """`url` without its `user:password@`, when it has one."""
    if "@" not in url:
        return url
    try:
        parsed = URL(url)
    except ValueError:
        return url
    if parsed.raw_user is None and parsed.raw_password is None:
        return url
    return str(parsed.with_user(None))
