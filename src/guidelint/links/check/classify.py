"""Classification: one answer in, one verdict out (PRODUCT.md §4). Pure: no I/O, no state.

`classify` takes the URL as written, the redirects followed, the final `Response`, its page
view (None when the body was not read or is not HTML) and the run's `CheckOptions`, and
returns an `Outcome`. Every rule that turns an answer into a verdict lives here or in
`links.signals`; the soft-404 probe (`probe`) may still overrule an alive verdict.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import unquote

from yarl import URL

from guidelint.links import signals
from guidelint.links.check.hosts import registrable_domain
from guidelint.links.check.page import PageView
from guidelint.links.check.records import FailureKind, Outcome, Response
from guidelint.links.check.retry import parse_retry_after
from guidelint.links.content import decode
from guidelint.links.model import Hop, Page, Verdict
from guidelint.links.settings import CheckOptions

PERMANENT: Final = frozenset({301, 308})
# 451: refused where the checker runs (a geo-block), which says nothing of other readers.
# 406 and 418 are what web application firewalls (mod_security, some CDNs) answer clients
# they take for bots; a page a browser is served is behind them.
BLOCKED_STATUSES: Final = frozenset({401, 406, 407, 418, 429, 451, 999})
# Small bodies of error responses are read to tell storage "AccessDenied" and bot walls apart.
ERROR_BODY_BYTES: Final = 64 * 1024
_TITLE: Final = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)

_STATUS: Final = FailureKind.STATUS
_CONTENT: Final = FailureKind.CONTENT


def classify(
    url: str,
    hops: tuple[Hop, ...],
    response: Response,
    page: PageView | None,
    options: CheckOptions,
) -> Outcome:
    """The verdict on `url`, which led through `hops` to `response`."""
    outcome = _judged(url, hops, response, page, options)
    if response.unread is not None:
        # The server answered, but not all of it could be read: say what the verdict rests on.
        outcome = outcome.noted(response.unread)
    return outcome


def _judged(
    url: str,
    hops: tuple[Hop, ...],
    response: Response,
    page: PageView | None,
    options: CheckOptions,
) -> Outcome:
    status = response.status
    title = page.extracted.title if page else None
    markup = page.markup if page else ""
    if status >= 400 and response.body and not page:
        markup = decode(response.body[:ERROR_BODY_BYTES], response.charset)
        title_match = _TITLE.search(markup)
        title = " ".join(title_match.group(1).split()) if title_match else None
    wall = signals.challenge(status, response.headers, title, markup)
    if options.hosts and status in options.host_rule(response.parsed_url().host or "").accept:
        return _alive(url, hops, response, page, options, f"status {status} accepted by config")
    final = response.url if hops else None
    if wall is not None:
        return Outcome(Verdict.BLOCKED, _STATUS, status, hops, final, wall)
    if 200 <= status < 300:
        return _alive(url, hops, response, page, options)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    unavailable = unavailable_reason(status, retry_after, page, title)
    if unavailable is not None:
        return Outcome(
            Verdict.UNAVAILABLE, _STATUS, status, hops, final, unavailable, retry_after=retry_after
        )
    if status in BLOCKED_STATUSES:
        error = f"HTTP {status}: access refused to the checker (not proof the page is gone)"
        wait = retry_after if status == 429 else None
        return Outcome(Verdict.BLOCKED, _STATUS, status, hops, final, error, retry_after=wait)
    if status == 403:
        if response.body is not None and signals.storage_denied(response.body):
            error = "HTTP 403 with a storage AccessDenied error: the object is gone or private"
            return Outcome(Verdict.BROKEN, _STATUS, status, hops, final, error)
        error = "HTTP 403: access refused to the checker (not proof the page is gone)"
        return Outcome(Verdict.BLOCKED, _STATUS, status, hops, final, error)
    if status == 408:
        return Outcome(
            Verdict.TIMEOUT, _STATUS, status, hops, final, "HTTP 408: the server timed out"
        )
    if 400 <= status < 500:
        return Outcome(Verdict.BROKEN, _STATUS, status, hops, final, f"HTTP {status}")
    if status >= 500:
        error = f"HTTP {status}"
        return Outcome(
            Verdict.SERVER_ERROR, _STATUS, status, hops, final, error, retry_after=retry_after
        )
    error = f"unexpected HTTP status {status}"
    return Outcome(Verdict.ERROR, _STATUS, status, hops, final, error)


def unavailable_reason(
    status: int, retry_after: float | None, page: PageView | None, title: str | None
) -> str | None:
    """Why an error answer says "down for now, back later" rather than "gone", or None.

    A 503 or 429 with `Retry-After` says so in HTTP; a 5xx maintenance page says so in words.
    A 500 that says neither stays a server error.
    """
    if status in (429, 503) and retry_after is not None:
        return (
            f"HTTP {status} with Retry-After ({retry_after:.0f} s): temporarily unavailable, "
            "the server asks to come back later"
        )
    if status < 500:
        return None
    headings, text = (page.headings, page.extracted.text) if page is not None else ((), "")
    notice = signals.maintenance(title, headings, text, server_error=True)
    return f"HTTP {status}, {notice}: down for now" if notice else None


def _alive(
    url: str,
    hops: tuple[Hop, ...],
    response: Response,
    page: PageView | None,
    options: CheckOptions,
    note: str | None = None,
) -> Outcome:
    """The verdict on an answer that says the page is there, unless its content says not."""
    status = response.status
    notes: tuple[str, ...] = (note,) if note else ()
    if page is not None and page.note:
        notes += (page.note,)
    verdict = Verdict.OK
    final_url = response.url if hops else None
    cross_domain = False
    if hops and hops[0].status in PERMANENT:
        # The guide should point where the permanent redirects lead, not where a later
        # temporary hop (a session or login bounce) happens to send us today.
        permanent = 0
        while permanent < len(hops) and hops[permanent].status in PERMANENT:
            permanent += 1
        verdict = Verdict.MOVED
        final_url = hops[permanent].url if permanent < len(hops) else response.url
    elif hops:
        verdict = Verdict.REDIRECTED
    if hops:
        cross_domain = registrable_domain(URL(url).host or "") != registrable_domain(
            URL(final_url or response.url).host or ""
        )
    # A status accepted by config (a members-only 401 page) is alive whatever its body says.
    accepted = note is not None and not 200 <= status < 300
    wall = None if accepted else _wall(url, hops, response, page)
    if wall is not None:
        walled, why = wall
        return Outcome(walled, _CONTENT, status, hops, final_url, why, notes=notes)
    soft = None if accepted else soft_404_reason(url, hops, response, page)
    if soft is not None:
        return Outcome(
            Verdict.SOFT_404,
            _CONTENT,
            status,
            hops,
            final_url,
            soft,
            cross_domain=cross_domain,
            notes=notes,
        )
    kind = _STATUS
    error = None
    snapshot = None
    if page is not None:
        extracted = page.extracted
        snapshot = Page.capture(extracted.title, extracted.text, page.main)
        fragment = fragment_of(url)
        if fragment is not None and fragment not in extracted.anchors:
            if response.truncated:
                notes += (f"#{fragment} not seen in the first {options.max_body_bytes} bytes",)
            else:
                verdict = Verdict.FRAGMENT_MISSING
                kind = _CONTENT
                error = f"no element with id or name {fragment!r} on the page"
    if response.truncated:
        notes += (f"body read up to the {options.max_body_bytes}-byte cap",)
    return Outcome(
        verdict,
        kind,
        status,
        hops,
        final_url,
        error,
        snapshot,
        cross_domain=cross_domain,
        notes=notes,
    )


def _wall(
    url: str, hops: tuple[Hop, ...], response: Response, page: PageView | None
) -> tuple[Verdict, str] | None:
    """What stands between the reader and an alive answer's page, if anything: a consent or
    sign-in gate, a login form, a geo-block, a maintenance notice."""
    # After permanent redirects the link has moved, wherever a later bounce (a login gate)
    # lands: the guide should take the new address (see _alive).
    if hops and hops[0].status not in PERMANENT:
        gate = gate_reason(url.split("#", 1)[0], response.url)
        if gate is not None:
            return Verdict.BLOCKED, gate
    if page is None:
        return None
    extracted = page.extracted
    refusal = signals.login_wall(extracted.title, page.headings, page.markup)
    if refusal is None:
        refusal = signals.geo_block(extracted.title, page.headings, extracted.text)
    if refusal is not None:
        return Verdict.BLOCKED, f"{refusal}: check by hand (not proof the page is gone)"
    notice = signals.maintenance(extracted.title, page.headings, extracted.text, False)
    if notice is not None:
        return Verdict.UNAVAILABLE, f"{notice} served with HTTP {response.status}: down for now"
    return None


def gate_reason(original: str, final: str) -> str | None:
    """Why the page redirects landed on is a gate rather than the page: a sign-in address
    (`/login`, `/users/sign_in`), or a consent or login page whose query names the URL or
    path that was asked for (it sends readers back there after its step)."""
    if final == original:
        return None
    try:
        asked, landed = URL(original), URL(final)
    except ValueError:
        return None
    wanted = {original, asked.path_qs} if asked.path not in ("", "/") else {original}
    to_login = _last_segment(landed.path) in _LOGIN_PATHS
    login = to_login and _last_segment(asked.path) not in _LOGIN_PATHS
    if login or any(value in wanted for value in landed.query.values()):
        return (
            f"redirected to a sign-in or consent gate ({landed.host}{landed.path[:80]}) before "
            "the page: check by hand (not proof the page is gone)"
        )
    return None


# Sign-in pages by their address: a deep link sent to one needs an account, not a new link.
_LOGIN_PATHS: Final = frozenset(
    {
        "login",
        "signin",
        "sign-in",
        "sign_in",
        "logon",
        "log-in",
        "sso",
        "authorize",
        "auth",
        "wp-login",
    }
)
# Site search by its address, and the parameters a search takes.
_SEARCH_PATHS: Final = frozenset({"search", "suche", "recherche", "buscar", "zoeken", "cerca"})
_SEARCH_KEYS: Final = ("q", "s", "query", "search", "keyword", "keywords")


def _last_segment(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1].lower().split(".", 1)[0]


def search_fallback(original: str, final: str) -> bool:
    """Whether a deep link (no query of its own) was sent to a site search for it: what
    "redirect every 404 to search" plugins do with a page that is gone."""
    try:
        asked, landed = URL(original), URL(final)
    except ValueError:
        return False
    if asked.query_string or asked.path in ("", "/"):
        return False
    searched = any(landed.query.get(key) for key in _SEARCH_KEYS)
    return searched and (landed.path in ("", "/") or _last_segment(landed.path) in _SEARCH_PATHS)


def soft_404_reason(
    url: str, hops: tuple[Hop, ...], response: Response, page: PageView | None
) -> str | None:
    """Why an answer that says "200 OK" is in fact an error page, or None."""
    if hops and signals.deep_link_sent_home(url.split("#", 1)[0], response.url):
        return f"deep link redirected to the site's home page {response.url}"
    if hops and signals.error_path(response.url) and not signals.error_path(url):
        return f"redirected to an error page's address {response.url}"
    if hops and search_fallback(url.split("#", 1)[0], response.url):
        return f"deep link redirected to a site search for it: {response.url}"
    if response.body is not None and not response.body.strip():
        return "blank page: the server answered with an empty body"
    if page is None:
        return None
    if page.refresh is not None and signals.deep_link_sent_home(url.split("#", 1)[0], page.refresh):
        return f"deep link sends readers to the home page {page.refresh} (meta refresh)"
    extracted = page.extracted
    parked = signals.parked(extracted.title, extracted.text, page.markup)
    if parked:
        return parked
    error = signals.error_page(extracted.title, page.headings, extracted.text, page.subheadings)
    if error:
        return error
    if not extracted.text and not extracted.title and not page.scripted:
        return "blank page: no visible text"
    return None


def fragment_of(url: str) -> str | None:
    """The element id a URL's `#fragment` names, or None when it names none to look for."""
    if "#" not in url:
        return None
    fragment = unquote(url.split("#", 1)[1])
    # Empty and "top" always work; "#!/..", "#/.." and text fragments are for scripts and
    # browsers, not element ids.
    if not fragment or fragment.lower() == "top" or fragment.startswith(("!", "/", ":~:")):
        return None
    return fragment
