"""An organisation named in a step that the guide gives no resource for.

"Report it to Crimestoppers" leaves a frightened reader to search for Crimestoppers, and
search results for crisis services are full of look-alikes. Every organisation a step names
should have a resource, so the guide gives its checked address.

A name counts as linked when any resource in the guide matches it by name, id or URL host,
acronyms included ("CEOP" ↔ `ceop.police.uk`, "StopNCII" ↔ `stopncii.org`, "Cyber Civil
Rights Initiative (CCRI)" ↔ `cybercivilrights.org`), and a host that adds a number or a
word before the name ("Shine" ↔ `2shine.org.nz`). Imported guides have no step
references, so the whole resource list is searched, not only the step's.

The rule prefers silence to noise. It recognises organisations by shape and context:
acronyms ("NCMEC", "IC3"), words with inner capitals ("StopNCII"), names ending in
"-line" ("Childline"), capitalised names containing an organisation word ("Internet Watch
Foundation", "National Crime Agency"), capitalised names the reader is told to contact,
call, text or report to, or go via ("via Crimestoppers"), a name followed by its phone
number ("Samaritans (116 123)", "or Text 50808"), and well-known services by name
(`data/services.toml`: "Samaritans can help", even opening a sentence).

It never asks to link things that are not organisations: products, devices, features and
stalkerware (`data/products.toml`: "AirTag", "Find My", "Life360", "mSpy", "FlexiSPY"),
names whose context says so ("the Life360 app", "apps such as …"), names written the way
products are ("iPhone", "eSIM": a lower-case letter, then capitals, unless the reader is
told to contact it), ordinary acronyms and their plurals ("URL", "PINs", "SIM", "GPS",
"2FA"), sentence openers, shouted titles and laws ("TAKE IT DOWN Act"), and the names in
the `ignore` option: platforms (where content is, not services to contact) and emergency
services reached by number ("Triple Zero").

Failing (no resource for Crimestoppers, Samaritans or 50808):

    - text: You can also report anonymously via Crimestoppers.
    - text: Samaritans (116 123) and Text 50808 are free, day or night.

Passing:

    - text: You can also report anonymously via Crimestoppers.
      resources:
      - crimestoppers
    resources:
    - id: crimestoppers
      name: Crimestoppers
      url: https://crimestoppers-uk.org/

Options: `ignore`, names never reported (platforms, products, places); `extra_ignore`, more
to add without repeating the defaults.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Final, NamedTuple

from guidelint import jurisdictions, products, services
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Option, Record
from guidelint.rules.base import Finding
from guidelint.rules.helpers import host_of, url_spans

CODE = "GL301"
NAME = "unlinked-organisation"
SEVERITY = Severity.WARNING
SUMMARY = "An organisation named in a step has no resource in the guide."

PLATFORMS: Final = (
    "Instagram", "Facebook", "Messenger", "Snapchat", "TikTok", "WhatsApp", "Twitter", "X",
    "Threads", "Bluesky", "Mastodon", "Reddit", "Discord", "Telegram", "Signal", "Viber",
    "WeChat", "Kik", "Skype", "Zoom", "Teams", "YouTube", "Twitch", "Tumblr", "Pinterest",
    "LinkedIn", "OnlyFans", "Pornhub", "Tinder", "Bumble", "Hinge", "Grindr", "Roblox",
    "Minecraft", "Fortnite", "Steam", "Xbox", "PlayStation", "Nintendo", "Google", "Gmail",
    "Apple", "iCloud", "iPhone", "iPad", "iOS", "iMessage", "FaceTime", "Android", "Samsung",
    "Microsoft", "Outlook", "Hotmail", "OneDrive", "Dropbox", "Yahoo", "Amazon", "Meta",
    "PayPal", "Venmo", "CashApp", "Zelle", "Revolut", "Monzo", "Airbnb", "Uber", "Lyft",
    "ChatGPT", "OpenAI", "Wikipedia", "Windows", "macOS", "Chrome", "Safari", "Firefox",
    # Emergency services are reached by number, not by a link.
    "Triple Zero",
)  # fmt: skip


class Options(Record):
    ignore: Annotated[
        tuple[str, ...], Option(doc="Names never reported (platforms, products, places).")
    ] = PLATFORMS
    extra_ignore: Annotated[
        tuple[str, ...], Option(doc="More names to ignore, without repeating the defaults.")
    ] = ()


# Ordinary acronyms: they name things, not organisations a reader could contact.
_COMMON_ACRONYMS: Final = frozenset(
    (
        "OK", "ID", "PIN", "URL", "USB", "SMS", "MMS", "GPS", "PDF", "FAQ", "DM", "VPN", "AI", "IP",
        "UK", "US", "USA", "EU", "UN", "AM", "PM", "NB", "PS", "ASAP", "LGBT", "LGBTQ", "LGBTQIA",
        "HIV", "STI", "CSAM", "NCII", "NCIIS", "CSE", "TV", "PC", "QR", "SIM", "CEO", "HR", "DIY",
        "FYI", "RSS", "API", "HTTP", "HTTPS", "WWW", "NSFW", "IRL", "ETA", "MFA", "OTP", "TFA", "PS",
        "MP", "NHS", "GP", "ER", "EMT", "ICU", "DNA", "ADHD", "PTSD", "OCD", "LOL", "OMG", "BTW",
        "IMO", "TBD", "TBC", "TODO", "FIXME", "XXX", "AKA", "RE", "CC", "BCC", "SOS", "ATM", "SSN",
        "DOB", "NI", "NINO",
        # Words written in capitals for emphasis ("do NOT pay").
        "NOT", "NEVER", "DO", "DONT", "STOP", "NOW", "ALL", "ONLY", "NO", "YES", "AND",
        "OR", "BUT", "IF", "YOU", "YOUR", "ANY", "MUST", "WILL", "CAN", "HELP", "CALL", "TEXT",
        "NOTE", "IMPORTANT", "WARNING", "URGENT", "DANGER", "SAFE", "FREE", "NEW", "ONE", "TWO",
        "NEXT", "FIRST", "THEN", "BEFORE", "AFTER", "ASK", "TELL", "KEEP", "SAVE", "DELETE", "BLOCK",
        "REPORT", "WAIT", "PLEASE", "REALLY", "EVERY", "NONE", "THIS", "THAT", "THEM", "THEY", "ARE",
        "IS", "IT", "ME", "MY", "WE", "US", "OUR", "HERE", "THERE",
    )
)  # fmt: skip
_ORG_WORDS: Final = frozenset(
    (
        "helpline", "hotline", "tipline", "lifeline", "foundation", "initiative", "center", "centre",
        "agency", "service", "services", "trust", "charity", "commission", "commissioner", "council",
        "police", "bureau", "department", "office", "network", "alliance", "institute",
        "association", "society", "project", "coalition", "unit", "authority", "ombudsman",
        "federation", "organisation", "organization", "partnership", "board", "squad",
        "constabulary", "ministry", "support", "aid", "advice", "garda", "gardaí", "gardai",
    )
)  # fmt: skip
# Organisation words that many hosts share ("police" in ceop.police.uk and police.uk); the
# Irish police's own name is one host.
_SHARED_WORDS: Final = _ORG_WORDS - {"garda", "gardaí", "gardai"}
_LAW_WORDS: Final = frozenset(
    (
        "act", "acts", "law", "laws", "bill", "regulation", "regulations", "code", "directive",
        "order", "statute", "amendment",
    )
)  # fmt: skip
_GENERIC_PHRASES: Final = frozenset(
    {
        "trust and safety", "customer service", "customer services", "customer support",
        "help center", "help centre", "safety center", "safety centre", "privacy center",
        "privacy centre", "support center", "support centre", "technical support",
        "tech support", "account center", "accounts centre", "account centre",
    }
)  # fmt: skip
_CONNECTORS: Final = frozenset({"of", "for", "and", "the", "on", "to", "&"})
# Capitalised words that start sentences and instructions; never the first word of a name
# when they open a sentence.
_OPENERS: Final = frozenset(
    (
        "if", "when", "while", "you", "your", "this", "that", "these", "those", "the", "a", "an",
        "it", "its", "they", "their", "we", "our", "he", "she", "do", "don't", "dont", "don", "get",
        "go", "make", "use", "call", "contact", "report", "ask", "tell", "try", "consider", "visit",
        "text", "ring", "phone", "email", "write", "take", "keep", "save", "stop", "turn", "check",
        "change", "pick", "find", "look", "read", "see", "follow", "open", "sign", "log", "block",
        "mute", "delete", "remove", "screenshot", "avoid", "never", "always", "also", "then",
        "otherwise", "or", "and", "but", "for", "to", "in", "on", "at", "by", "with", "from",
        "under", "after", "before", "once", "some", "many", "most", "all", "any", "each", "every",
        "no", "not", "there", "here", "what", "who", "where", "how", "why", "is", "are", "was", "be",
        "can", "could", "should", "would", "may", "might", "will", "must", "let", "start", "stay",
        "move", "leave", "end", "talk", "speak", "reach", "seek", "request", "submit", "file",
        "note", "copy", "share", "send", "help", "support", "learn", "download", "install", "please",
        "even", "just", "only", "still", "both", "either", "neither", "important", "remember",
        "assume", "preserve", "capture", "treat", "quick", "first", "next", "finally", "yes", "own",
        "ignore", "capture", "document", "record", "apply", "think", "mum", "mom", "dad",
    )
)  # fmt: skip
_NOT_NAMES: Final = frozenset({"mum", "mom", "dad", "god", "i", "a"})
_CONTACT: Final = re.compile(
    r"(?:\bvia|\bthrough|\bask|\bcontact(?:ing)?|\bcall(?:ing)?|\bring(?:ing)?|\btext(?:ing)?|"
    r"\bphon(?:e|ing)|\bemail(?:ing)?|\breport(?:ing)?(?:\s+(?:it|this|them|that|him|her))?"
    r"(?:\s+anonymously)?\s+to|\breach\s+out\s+to|\bget\s+in\s+touch\s+with|\bspeak\s+to|"
    r"\btalk\s+to|\bhelp\s+from|\bsupport\s+from|\breferral\s+to)\s+(?:the\s+)?$",
    re.I,
)
# Letters of any script: "An Garda Síochána" is one name, not "An Garda Sí".
# Bounded runs of blanks: a long run of spaces must not be rescanned from every position.
_SEND_TO_NUMBER: Final = re.compile(r"[ \t\u00a0]{1,3}to[ \t\u00a0]{1,3}\d")
# A phone number right after a name: "Samaritans (116 123)", "Text 50808", "Childline on 0800".
_NUMBER_AFTER: Final = re.compile(
    r"[ \u00a0]{0,2}(?:(?:on|at)[ \u00a0]{1,2}|\([ \u00a0]?|:[ \u00a0]{0,2})?\+?(\d[\d \u00a0-]{0,14}\d)"
)
# Single-word service names that are also everyday words, not read as names on their own.
_COMMON_SERVICE_WORDS: Final = frozenset({"shout", "refuge", "mind", "pieta"})
_WORD: Final = re.compile(r"[^\W_]+(?:[’'][sS]\b)?")
_ALNUM: Final = re.compile(r"[^\W_]+")
_SENTENCE_END: Final = '.!?:;…“"‘—–('
_GENERIC_LABELS: Final = frozenset(
    (
        "www", "com", "org", "net", "gov", "edu", "int", "info", "uk", "co", "au", "nz", "ie", "ca",
        "us", "io", "eu", "mil", "ac",
    )
)  # fmt: skip


class _Word(NamedTuple):
    start: int
    text: str
    possessive: bool


class Candidate(NamedTuple):
    offset: int
    words: tuple[str, ...]
    alias: str | None = None  # "(CCRI)" written right after the name
    written: str = ""  # as in the text: "Women’s Aid"

    @property
    def phrase(self) -> str:
        return self.written or " ".join(self.words)


def _is_acronym(word: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", word))
        and sum(c.isupper() for c in word) >= 2
        and word not in _COMMON_ACRONYMS
    )


def _is_inner_caps(word: str) -> bool:
    """StopNCII, CyberTipline, eSafety: capitals inside a word mark a coined name."""
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


def _is_capitalised(word: str) -> bool:
    if len(word) < 2 or word.islower() or word.isdigit():
        return False
    return word[0].isupper() or _is_inner_caps(word)


def _words(text: str) -> list[_Word]:
    words = []
    for match in _WORD.finditer(text):
        token = match.group()
        possessive = len(token) > 2 and token[-2] in "’'" and token[-1] in "sS"
        words.append(_Word(match.start(), token[:-2] if possessive else token, possessive))
    return words


def _gap(text: str, left: _Word, right: _Word) -> str:
    return text[left.start + len(left.text) + (2 if left.possessive else 0) : right.start]


def _runs(text: str) -> Iterator[list[_Word]]:
    """Maximal sequences of capitalised words, joined by spaces and small connectors."""
    words = _words(text)
    index = 0
    while index < len(words):
        if not _is_capitalised(words[index].text):
            index += 1
            continue
        run = [words[index]]
        cursor = index
        while not run[-1].possessive:
            nxt = cursor + 1
            connectors: list[_Word] = []
            while (
                nxt < len(words)
                and words[nxt].text.lower() in _CONNECTORS
                and len(connectors) < 2
                and not words[nxt].text[0].isupper()
                and _gap(text, words[nxt - 1], words[nxt]).strip() in ("", "&")
            ):
                connectors.append(words[nxt])
                nxt += 1
            if (
                nxt < len(words)
                and _is_capitalised(words[nxt].text)
                and _gap(text, words[nxt - 1], words[nxt]).strip() in ("", "&")
            ):
                run.extend([*connectors, words[nxt]])
                cursor = nxt
            else:
                break
        yield run
        index = cursor + 1


def _at_sentence_start(text: str, offset: int) -> bool:
    before = text[:offset].rstrip()
    return not before or before[-1] in _SENTENCE_END


def _merge_possessives(text: str, runs: list[list[_Word]]) -> Iterator[list[_Word]]:
    """Join "Women’s" and "Aid" when what follows the possessive is an organisation word."""
    index = 0
    while index < len(runs):
        run = runs[index]
        while run[-1].possessive and index + 1 < len(runs):
            following = runs[index + 1]
            gap = text[run[-1].start + len(run[-1].text) + 2 : following[0].start]
            if gap.strip() or not any(w.text.lower() in _ORG_WORDS for w in following):
                break
            run = [*run, *following]
            index += 1
        yield run
        index += 1


def candidates(text: str, ignore: frozenset[str]) -> Iterator[Candidate]:
    """Organisation names written in `text`, by shape (see the rule's documentation)."""
    spans = url_spans(text)
    aliases: set[int] = set()  # offsets of "(CCRI)" written after a name: part of that name
    for run in _merge_possessives(text, list(_runs(text))):
        if run[0].start in aliases or any(low <= run[0].start < high for low, high in spans):
            continue
        if _at_sentence_start(text, run[0].start) and run[0].text.lower() in _OPENERS:
            run = run[1:]
        while run and run[0].text.lower() in _CONNECTORS:
            run = run[1:]
        if not run:
            continue
        words = [word.text for word in run]
        lowered = [word.lower() for word in words]
        if " ".join(lowered) in ignore or any(word in ignore for word in lowered):
            continue
        if products.is_product(tuple(words)):
            continue
        if lowered[-1] in _LAW_WORDS:
            continue
        if len(words) > 1 and all(word.isupper() for word in words):
            continue  # a shouted title: "TAKE IT DOWN"
        if " ".join(lowered) in _GENERIC_PHRASES:
            continue
        end = run[-1].start + len(run[-1].text) + (2 if run[-1].possessive else 0)
        alias_match = re.match(r"\s*\(([A-Z][A-Z0-9]{1,7})\)", text[end:])
        alias = alias_match.group(1) if alias_match else None
        if alias_match:
            aliases.add(end + alias_match.start(1))
        start = run[0].start
        written = text[start : run[-1].start + len(run[-1].text)]
        if products.named_as_product(text, start, start + len(written)):
            continue
        told = bool(_CONTACT.search(text[max(0, start - 60) : start]))
        multi = [w for w in lowered if w not in _CONNECTORS]
        # "Police Service" names no one in particular; "Police Scotland" does.
        distinctive = any(w not in _ORG_WORDS for w in multi)
        if len(multi) > 1 and distinctive and (told or any(w in _ORG_WORDS for w in multi)):
            yield Candidate(start, tuple(words), alias, written)
            continue
        if len(words) == 1:
            found = _single(text, start, words[0], told, alias)
            if found is not None:
                yield found
            continue
        # A run that is not itself a name may still hold acronyms: "NCMEC Take It Down".
        for part in run:
            if _is_acronym(part.text) or _is_inner_caps(part.text):
                yield Candidate(part.start, (part.text,))


def _single(text: str, start: int, word: str, told: bool, alias: str | None) -> Candidate | None:
    """A one-word name, if `word` at `start` is one (see the rule's documentation)."""
    first = _at_sentence_start(text, start)
    end = start + len(word)
    if word.isupper() and _SEND_TO_NUMBER.match(text, end):
        return None  # "text HOME to 741741": a keyword to send, not a name
    if word.lower() in _NOT_NAMES or word.lower() in _ORG_WORDS or word in _COMMON_ACRONYMS:
        return None
    number = _NUMBER_AFTER.match(text, end)
    if number and not first and word.lower() in _OPENERS:
        # "… or Text 50808": a capital mid-sentence makes the number part of a name.
        digits = re.sub(r"\D", "", number.group(1))
        if digits in jurisdictions.all_emergency_numbers():
            return None
        return Candidate(start, (word, digits), alias, text[start : number.end()])
    if word.lower() in _OPENERS:
        return None
    if word[:1].islower() and not told:
        return None  # "iPhone", "eSIM", "mSpy": written as products are
    known = word.casefold() in _service_words() and word.casefold() not in _COMMON_SERVICE_WORDS
    if (
        _is_acronym(word)
        or _is_inner_caps(word)
        or (not first and word.lower().endswith(("line", "lines")))
        or (told and not first)
        or known
        or number is not None
    ):
        return Candidate(start, (word,), alias)
    return None


@functools.cache
def _service_words() -> frozenset[str]:
    """Well-known services whose name is one word: "Samaritans", "Childline", "NSPCC"."""
    return frozenset(
        service.name.casefold() for service in services.services() if " " not in service.name
    )


def _squash(text: str) -> str:
    return "".join(_ALNUM.findall(text.casefold()))


def _initialism(words: Sequence[str]) -> str:
    letters = [w[0] for w in words if w.lower() not in _CONNECTORS]
    return "".join(letters).lower() if len(letters) > 1 else ""


def _candidate_keys(candidate: Candidate) -> set[str]:
    keys = {_squash(candidate.phrase), _initialism(candidate.words)}
    keys.update(w.lower() for w in candidate.words if _is_acronym(w) or _is_inner_caps(w))
    if candidate.alias:
        keys.add(candidate.alias.lower())
    return {key for key in keys if len(key) >= 2}


class _ResourceKeys(NamedTuple):
    exact: frozenset[str]
    stems: frozenset[str]  # host labels and ids: "cybertip" also matches "CyberTipline"
    name: str


def _resource_keys(resource: dict[str, Any]) -> _ResourceKeys:
    return _keys_of(str(resource["url"]), str(resource["id"]), str(resource.get("name", "")))


# Variants of a situation share resources and prose: keys, names found in a string and
# their matches are worked out once per process.
@functools.lru_cache(maxsize=4096)
def _keys_of(url: str, resource_id: str, name: str) -> _ResourceKeys:
    stems: set[str] = set()
    labels = [label for label in host_of(url).split(".") if label]
    for label in labels:
        if label not in _GENERIC_LABELS:
            stems.update({label.replace("-", ""), *label.split("-")})
    stems.update({resource_id.replace("-", ""), *resource_id.split("-")})
    name_words = _ALNUM.findall(name)
    exact = set(stems)
    exact.update({_squash(name), _initialism(name_words)})
    exact.update(w.lower() for w in name_words if _is_acronym(w) or _is_inner_caps(w))
    return _ResourceKeys(
        frozenset(k for k in exact if len(k) >= 2),
        frozenset(k for k in stems if len(k) >= 5),
        " ".join(name_words).casefold(),
    )


@functools.lru_cache(maxsize=8192)
def _linked(candidate: Candidate, resources: tuple[_ResourceKeys, ...]) -> bool:
    return linked(candidate, resources)


@functools.lru_cache(maxsize=8192)
def _candidates(text: str, ignore: frozenset[str]) -> tuple[Candidate, ...]:
    return tuple(candidates(text, ignore))


def linked(candidate: Candidate, resources: Sequence[_ResourceKeys]) -> bool:
    keys = _candidate_keys(candidate)
    phrase = " ".join(_ALNUM.findall(candidate.phrase)).casefold()
    # A distinctive word of a longer name may be the whole host: "An Garda Síochána" ↔ garda.ie.
    words = {
        w.casefold()
        for w in candidate.words
        if len(w) >= 5 and w.casefold() not in _SHARED_WORDS and w.casefold() not in _OPENERS
    }
    # Or most of its words are spelt out in one long host label: "Canadian Centre for Child
    # Protection" ↔ protectchildren.ca (prefixes, so "protection" finds "protect").
    prefixes = [
        w.casefold()[:5] for w in candidate.words if len(w) >= 4 and w.casefold() not in _CONNECTORS
    ]
    for resource in resources:
        if keys & resource.exact or words & resource.stems:
            return True
        for stem in resource.stems:
            hits = sum(prefix in stem for prefix in prefixes) if len(stem) >= 8 else 0
            if hits >= 2 and 2 * hits >= len(prefixes):
                return True
        # A host may add a number or a word before the name: "Shine" ↔ 2shine.org.nz,
        # "Refuge" ↔ womensrefuge.org.nz; a shared word ("police") is no name of its own.
        if any(
            len(key) >= 5
            and (
                key.startswith(stem)
                or stem.startswith(key)
                or (stem.endswith(key) and key not in _SHARED_WORDS)
            )
            for key in keys
            for stem in resource.stems
        ):
            return True
        if resource.name and re.search(rf"\b{re.escape(phrase)}\b", resource.name):
            return True
    return False


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    ignore = frozenset(name.lower() for name in (*options.ignore, *options.extra_ignore))
    resources = tuple(_resource_keys(resource) for resource in guide.resources)
    reported: set[str] = set()
    for text in guide.step_texts():
        for candidate in _candidates(text.text, ignore):
            key = candidate.phrase.lower()
            if key in reported or _linked(candidate, resources):
                continue
            reported.add(key)
            yield Finding(
                guide.document.text_position(text.pointer, candidate.offset),
                f"'{candidate.phrase}' is named here but the guide has no resource for it; "
                "add one (and list its id under this step's 'resources') so readers get a "
                "checked address",
            )
