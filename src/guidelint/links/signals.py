"""What a response says beyond its status: bot walls, parked domains, error pages served as 200.

Each detector is a pure function over headers and page text, so the checker stays a transport
and the evidence for every verdict can be tested on its own. Detectors err on the side of
"alive": a false dead link in a crisis guide is removed by an editor; a false alive link is
only missed. So error-page wording is looked for where error pages put it (title and main
heading, or the whole text of a short page), never anywhere in a long page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

# Bot walls: the page we got is a challenge, not the content. Not proof of death.
# (header, value pattern, also on a success status?). DataDome marks every response of a
# protected site, so its header is evidence only on an error status.
_CHALLENGE_HEADERS: Final = (
    ("cf-mitigated", re.compile(r"challenge", re.I), True),  # Cloudflare
    ("x-amzn-waf-action", re.compile(r"captcha|challenge", re.I), True),  # AWS WAF
    ("x-datadome", re.compile(r"."), False),
)
_CHALLENGE_TITLE: Final = re.compile(
    r"^(just a moment\.*|attention required!? \| cloudflare|please wait\.*|"
    r"pardon our interruption|access denied|are you a robot\??|"
    r"security check|one more step|ddos-guard|human verification|verifying you are human)",
    re.I,
)
_CHALLENGE_MARKUP: Final = re.compile(
    r"/cdn-cgi/challenge-platform/|cf-browser-verification|_incapsula_resource|"
    r"incapsula incident id|captcha-delivery\.com|px-captcha|awswaf|"
    r"sucuri website firewall|ddos-guard\.net/",
    re.I,
)

# Keywords of which every match of the pattern above contains one (checked by a test): a page
# with none of them is passed over without running the pattern, which costs a hundred times
# more. Most pages are alive and say none of these things.
_CHALLENGE_MARKUP_WORDS: Final = (
    "challenge-platform",
    "cf-browser-verification",
    "incapsula",
    "captcha",
    "awswaf",
    "sucuri website firewall",
    "ddos-guard",
)

# Storage services answer a deleted (or never public) object with a 403 in this shape.
_STORAGE_DENIED: Final = re.compile(
    rb"<Code>\s*(AccessDenied|AllAccessDisabled|NoSuchKey|NoSuchBucket)\s*</Code>"
    rb"|\"code\"\s*:\s*\"AccessDenied\"",
    re.I,
)

_PARKED_TEXT: Final = re.compile(
    r"\b(this|the) domain( name)? (is|may be|might be) for sale\b|\bbuy this domain\b|"
    r"\bdomain (is )?for sale\b|\bthis domain (is|has been) parked\b|\bparked (free|domain)\b|"
    r"\bthis (web )?page is parked\b|\binquire about this domain\b|"
    r"\bthis domain (name )?has expired\b|\bdomain parking\b|"
    # "The domain name helpline.example is for sale" (marketplace landers name the domain);
    # a suspended hosting account is a site gone the same way.
    r"\bdomain(?: name)? [\w.-]{1,100} is for sale\b|\bthis account has been suspended\b|"
    # Site builders' lander for a domain whose site was deleted or never published (Wix).
    r"\bdomain (?:is not|isn['\u2019]t) connected to a website\b|"
    # Hosted site builders' and shops' landers for a site that was suspended or not paid for.
    r"\bthis site has been (?:archived or )?suspended\b|^website expired\b|"
    r"\bthis (?:store|shop) is (?:currently )?unavailable\b",
    re.I,
)
# Parking providers' own infrastructure, as it appears in their landers' markup.
_PARKED_MARKUP: Final = re.compile(
    r"sedoparking\.com|parkingcrew\.net|bodis\.com|parklogic\.com|above\.com/marketing|"
    r"\bwindow\.park\s*=|/parking-lander/|hugedomains\.com|dan\.com/buy-domain|"
    r"afternic\.com/forsale",
    re.I,
)
_PARKED_MARKUP_WORDS: Final = (
    "park",
    "bodis",
    "/marketing",
    "hugedomains",
    "buy-domain",
    "afternic",
)
_PARKED_TEXT_WORDS: Final = ("domain", "parked", "suspended", "expired", "unavailable")

_NOT_FOUND: Final = re.compile(
    r"\b(page|file|document|url)\b.{0,30}\b(was |is |could |can |cannot |can['\u2019]t |couldn['\u2019]t )?"
    r"(not|n['\u2019]t) (be )?found\b|"
    r"^not found\b|"
    r"\bpage (does not|doesn['\u2019]t|no longer) exists?\b|"
    r"\bpage (cannot|can['\u2019]t|could not|couldn['\u2019]t) be (found|displayed)\b|"
    r"\bno longer (available|exists)\b|"
    r"\b(page|content) (has been|was) (removed|deleted)\b|"
    r"\bwe (couldn['\u2019]t|could not|can['\u2019]t|cannot) find (the|that|this) page\b|"
    r"\bpage you (are|were|['\u2019]re) looking for\b|"
    r"\b(?:this )?(?:page|content) (?:is not|isn['\u2019]t) available\b",
    re.I,
)
_NOT_FOUND_WORDS: Final = (
    "found",
    "exist",
    "displayed",
    "no longer",
    "removed",
    "deleted",
    "find",
    "looking for",
    "available",
)
# Evidence in a title or heading only: in body text a bare "404" is as likely a phone number,
# and a library of guides in other languages links to pages in those languages. Even there a
# bare number is no evidence ("Page 404", "Room 404", "Section 404 of the Act", a form
# number): 404 counts only with error wording beside it (issue 14), or as the page's whole
# name ("404", "404 | Helpline": what follows a separator is the site's name).
_ERROR_WORD: Final = r"(?:error|erreur|fehler|errore|fout|erro|http|oops|whoops)"
_STATUS_404: Final = re.compile(
    rf"\b{_ERROR_WORD}\W{{0,3}}404(?![\d.-])|^\W{{0,3}}404(?:\s{{0,3}}[|:\u2013\u2014-]|\W*$)|"
    r"(?<![\d.-])404\W{0,3}(?:error|erreur|fehler|errore|fout|erro|(?:page )?not found|"
    r"nicht gefunden|introuvable|no encontrad|non trovat|niet gevonden)\b|"
    r"\bseite nicht gefunden\b|\bpage (introuvable|non trouv)|"
    r"\bp[aá]gina no encontrada\b|\bpagina non trovata\b|\bpagina niet gevonden\b|"
    r"\bp[aá]gina n[aã]o encontrada\b|\btudalen heb ei (ch|d)anfod\b|"
    # "This page does not exist" as error pages word it in French, Spanish and German, and
    # "page not found" in Irish and te reo Māori (issue 14: guides link pages in all of them).
    r"\bpage\b.{0,30}\bn['\u2019]existe (?:pas|plus)\b|\bp[aá]gina\b.{0,30}\bno existe\b|"
    r"\bseite\b.{0,30}\bexistiert (?:leider )?nicht\b|"
    r"\bleathanach gan aimsi[uú]\b|\bn[ií]or aims[ií]odh an leathanach\b|"
    r"\bk[aā]ore i kitea\b",
    re.I,
)
# As for the patterns above: every match holds one of these (checked by a test).
_STATUS_404_WORDS: Final = (
    "404",
    "gefunden",
    "trouv",
    "encontrada",
    "trovata",
    "gevonden",
    "tudalen",
    "existe",
    "existiert",
    "aims",
    "kitea",
)
# Only short pages are judged by their whole text; longer ones by title and headings.
SHORT_PAGE_CHARS: Final = 600
# Bot walls and parking landers are small pages; their markers are looked for in this much
# markup, so that a 2 MB page does not cost a scan of every pattern over all of it.
MARKUP_SCAN_CHARS: Final = 256 * 1024

# Paths that are a site's home page: /, /index.html, /home, a bare language root (/en, /en-gb/).
# Any two letters match the pattern, and the language is looked up after: an alternation of
# fifty-four codes made each (failing) match three times slower.
_LANGUAGES: Final = frozenset({
    "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi",
    "fr", "ga", "gd", "gl", "he", "hi", "hr", "hu", "id", "is", "it", "ja", "ko", "lt", "lv",
    "ms", "mt", "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "so", "sq", "sr",
    "sv", "sw", "th", "tl", "tr", "uk", "ur", "vi", "zh",
})  # fmt: skip
_HOME_PATH: Final = re.compile(
    r"^/?(?:(?:index|default|home)(?:\.\w{2,5})?/?|"
    r"(?P<language>[a-z]{2})(?:[-_][a-z]{2,4})?/?(?:index\.\w{2,5})?)?$",
    re.I,
)


# re.IGNORECASE also matches these non-ASCII letters to ASCII ones; folding them the same way
# keeps the keyword checks a necessary condition of a match.
_FOLD: Final = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def may_match(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words`, ignoring case as `re.I` does: a cheap pre-check."""
    return _holds(_fold(text), words)


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def _holds(folded: str, words: tuple[str, ...]) -> bool:
    # map() over the bound method: a generator expression costs a frame resume per word.
    return any(map(folded.__contains__, words))


def challenge(
    status: int, headers: Mapping[str, str], title: str | None, markup: str
) -> str | None:
    """Why the response looks like a bot wall (captcha, JavaScript challenge), if it does.

    A contact form with a captcha on a working page is not a wall: markup alone never makes
    one, only challenge-platform scripts, titles and headers that appear on walls only.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    success = 200 <= status < 300
    for name, value, on_success in _CHALLENGE_HEADERS:
        if (on_success or not success) and name in lowered and value.search(lowered[name]):
            return f"bot wall ({name}: {lowered[name][:40]})"
    if title and _CHALLENGE_TITLE.search(title.strip()):
        return f"bot wall (page titled {title.strip()[:60]!r})"
    scanned = markup[:MARKUP_SCAN_CHARS]
    match = (
        _CHALLENGE_MARKUP.search(scanned) if may_match(scanned, _CHALLENGE_MARKUP_WORDS) else None
    )
    if match:
        return f"bot wall ({match.group(0).lower()} in the page)"
    return None


def storage_denied(body: bytes) -> bool:
    """A cloud storage error document: the object is gone or was never public."""
    return _STORAGE_DENIED.search(body[:65536]) is not None


def parked(title: str | None, text: str, markup: str) -> str | None:
    for source in (title or "", text[:4000]):
        match = _PARKED_TEXT.search(source) if may_match(source, _PARKED_TEXT_WORDS) else None
        if match:
            return f"parked domain (“{match.group(0)}”)"
    scanned = markup[:MARKUP_SCAN_CHARS]
    match = _PARKED_MARKUP.search(scanned) if may_match(scanned, _PARKED_MARKUP_WORDS) else None
    if match:
        return f"parked domain ({match.group(0)} in the page)"
    return None


def error_page(
    title: str | None, headings: tuple[str, ...], text: str, subheadings: tuple[str, ...] = ()
) -> str | None:
    """Why a page served with 2xx reads as a "not found" page, if it does.

    `subheadings` (the first <h2>s: "404" or "Sorry" above, "Page introuvable" below) count
    for 404 and "page not found" wording only: "… no longer available" heads sections of
    live pages ("Face-to-face sessions no longer available").
    """
    candidates = [title or "", *headings[:3]]
    folded = [_fold(candidate) for candidate in candidates]
    below = [(candidate, _fold(candidate)) for candidate in subheadings[:3]]
    for candidate, lowered in [*zip(candidates, folded, strict=True), *below]:
        if _holds(lowered, _STATUS_404_WORDS) and _STATUS_404.search(candidate):
            return f"error page served with a success status (“{candidate.strip()[:80]}”)"
    if len(text) <= SHORT_PAGE_CHARS:
        candidates.append(text)
        folded.append(_fold(text))
    for candidate, lowered in zip(candidates, folded, strict=True):
        if not _holds(lowered, _NOT_FOUND_WORDS):
            continue
        match = _NOT_FOUND.search(candidate.strip())
        if match:
            return f"error page served with a success status (“{match.group(0).strip()}”)"
    return None


def is_home(url: str) -> bool:
    """Whether `url` is a site's home page rather than a deep link."""
    path, query = _path_and_query(url)
    if query:
        return False
    match = _HOME_PATH.match(path or "/")
    if match is None:
        return False
    language = match.group("language")
    # Folded as re.I compares: the pattern's [a-z] matches the letters _FOLD maps, too.
    return language is None or _fold(language) in _LANGUAGES


def _path_and_query(url: str) -> tuple[str, str]:
    """urlsplit(url)'s path and query; found by hand for a plain http(s) URL.

    urlsplit is asked once per checked URL, each a new one to its cache: its general case
    (scheme detection, control characters, IPv6 checks) cost ten times what this takes.
    """
    if url.startswith(("https://", "http://")) and url.isascii() and url.isprintable():
        rest = url[url.index("//") + 2 :].split("#", 1)[0]
        slash, question = rest.find("/"), rest.find("?")
        cut = min(slash if slash >= 0 else len(rest), question if question >= 0 else len(rest))
        if "[" not in rest[:cut] and "]" not in rest[:cut]:  # urlsplit vets IPv6 hosts
            path, _, query = rest[cut:].partition("?")
            return path, query
    parts = urlsplit(url)
    return parts.path, parts.query


def deep_link_sent_home(original: str, final: str) -> bool:
    """A deep link that was redirected to a home page: the target is gone (soft 404)."""
    return not is_home(original) and is_home(final)


# Maintenance notices (issue 14): the site is being worked on and says it will be back.
# Strong wording counts in a title or the first headings of any page; a bare "Maintenance"
# title (a housing guide's page about repairs is titled that too) only on a 5xx answer.
_MAINTENANCE: Final = re.compile(
    r"\b(?:down|offline|closed|unavailable) for (?:scheduled |planned |routine |essential )?"
    r"(?:maintenance|upgrades?)\b|"
    r"\b(?:under|undergoing|in) (?:scheduled |planned |routine |essential )?maintenance\b|"
    r"\bmaintenance (?:mode|in progress|underway|break)\b|"
    r"\b(?:unavailable|offline|down) (?:due to|because of|for) (?:\w+ ){0,2}maintenance\b|"
    r"\bperforming (?:some |scheduled |planned |essential )?maintenance\b|"
    r"\bwe(?:['\u2019]ll| will) be (?:right )?back (?:soon|shortly|online)\b|\bbe right back\b|"
    # Anchored: "Webchat service temporarily unavailable" heads a live helpline page.
    r"^(?:the )?(?:site|website|service) (?:is )?temporarily (?:unavailable|down|offline)\b|"
    r"\bwartungsarbeiten\b|\b(?:site |page )?en maintenance\b|\ben mantenimiento\b|"
    r"\bin manutenzione\b|\bonderhoud(?:swerkzaamheden)?\b",
    re.I,
)
_MAINTENANCE_WORDS: Final = (
    "maintenance",
    "upgrade",
    "back",
    "temporarily",
    "wartungsarbeiten",
    "mantenimiento",
    "manutenzione",
    "onderhoud",
)
_MAINTENANCE_TITLE: Final = re.compile(r"^(?:site |scheduled |planned )?maintenance\b", re.I)


def maintenance(
    title: str | None, headings: tuple[str, ...], text: str, server_error: bool
) -> str | None:
    """Why a page reads as a "down for maintenance" notice, if it does.

    `server_error`: the answer was a 5xx, where a short page's whole text and a bare
    "Maintenance" title count too; on a success status only the title and headings do.
    """
    candidates = [title or "", *headings[:3]]
    if server_error and len(text) <= SHORT_PAGE_CHARS:
        candidates.append(text)
    for candidate in candidates:
        if not may_match(candidate, _MAINTENANCE_WORDS):
            continue
        match = _MAINTENANCE.search(candidate.strip())
        if match is None and server_error:
            match = _MAINTENANCE_TITLE.search(candidate.strip())
        if match is not None:
            return f"maintenance notice (“{match.group(0).strip()[:80]}”)"
    return None


# Login walls: the page asks for an account before it shows anything. Not proof of death.
_LOGIN_TITLE: Final = re.compile(
    r"^(?:please )?(?:log ?in|sign ?in|login required|sign in to continue|anmelden|connexion|"
    r"iniciar sesi[oó]n|accedi)\b",
    re.I,
)
_PASSWORD_INPUT: Final = re.compile(r"<input\b[^>]{0,500}?type\s*=\s*[\"']?password", re.I)


def login_wall(title: str | None, headings: tuple[str, ...], markup: str) -> str | None:
    """Why a page reads as a login form standing in for the content, if it does: a title or
    first heading that asks to sign in, and a password field. A site header's login box on a
    page titled by its content is no wall."""
    for candidate in (title or "", *headings[:1]):
        match = _LOGIN_TITLE.search(candidate.strip())
        if match is not None:
            scanned = markup[:MARKUP_SCAN_CHARS]
            if "password" in scanned.lower() and _PASSWORD_INPUT.search(scanned):
                return f"login wall (page titled {candidate.strip()[:60]!r}, with a password form)"
    return None


# Geo-blocks served with a success status: refused where the checker runs, not everywhere.
_GEO_BLOCK: Final = re.compile(
    r"\bnot (?:available|accessible) (?:in|from) your (?:country|region|location|area)\b|"
    r"\bunavailable in your (?:country|region|location)\b",
    re.I,
)


def geo_block(title: str | None, headings: tuple[str, ...], text: str) -> str | None:
    """Why a page reads as "not available in your country", if it does (title, headings, or
    the whole text of a short page)."""
    candidates = [title or "", *headings[:3]]
    if len(text) <= SHORT_PAGE_CHARS:
        candidates.append(text)
    for candidate in candidates:
        if "your" in candidate.lower():
            match = _GEO_BLOCK.search(candidate)
            if match is not None:
                return f"geo-block (“{match.group(0)}”)"
    return None


# Where sites send a URL they no longer have: a deep link redirected here is gone.
_ERROR_PAGE_NAMES: Final = frozenset(
    {"404", "not-found", "notfound", "not_found", "page-not-found", "pagenotfound",
     "error404", "error-404", "404-error", "page404", "404-page"}
)  # fmt: skip


def error_path(url: str) -> bool:
    """Whether `url` is an error page's own address (/404, /404.html, /not-found, /error/404)."""
    path, _ = _path_and_query(url)
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    return last.split(".", 1)[0] in _ERROR_PAGE_NAMES
