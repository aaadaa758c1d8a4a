"""A word spelt the way the other English locale spells it.

Mixed spelling reads as careless and, in a guide that names local services, as copied from
another country's guide without checking the facts. The convention comes from the guide's
`language` (`guidelint.jurisdictions.spelling`): `en-US` is American; `en-GB`, `en-IE`,
`en-AU`, `en-NZ` and others are British. Tags without a convention (`en-CA`, which mixes
both) are not checked.

Word pairs come from the `breame` package (about 1,700 pairs each way), plus a few British
forms it lacks (cheque, kerb, storey, enrolment). Pairs where both forms are correct in the
locale are never reported: `program` (computing) and `practice` (noun) are British too,
`dialogue`, `catalogue` and `axe` are American too.

Stance on -ize: British guides follow GOV.UK and the Australian, New Zealand and Irish
government style guides, which use -ise, so `recognize` is reported in an `en-GB` guide.
Guides written in Oxford spelling (-ize with British -our/-re) set `allow_oxford_ize = true`.

Skipped: URLs and e-mail addresses, quoted text (on-screen labels and quotations), resource
names, and capitalised words inside a sentence or next to another capitalised word (names
such as "World Health Organization" or "Center for Democracy and Technology").

Failing (en-US):

    text: Many people don't recognise the signs.

Passing (en-US):

    text: Many people don't recognize the signs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Final

from guidelint import prose
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.jurisdictions import spelling
from guidelint.options import Option, Record
from guidelint.rules.base import Finding

CODE = "GL402"
NAME = "spelling-locale"
SEVERITY = Severity.WARNING
SUMMARY = "A word uses the other English locale's spelling (colour in en-US, color in en-GB)."


class Options(Record):
    allow_oxford_ize: Annotated[
        bool, Option(doc="Accept -ize in British guides (Oxford spelling).")
    ] = False


# American forms that are also correct British English, with another sense or by usage.
_BRITISH_TOO: Final = frozenset(
    {
        "program",  # computer program
        "programs",
        "practice",  # the noun is spelt -ice in British English
        "practices",
        "license",  # the verb is spelt -se in British English
        "licensed",
        "licensing",
        "licenses",
        "draft",  # a first version
        "drafts",
        "drafted",
        "drafting",
        "meter",  # a measuring device
        "meters",
        "ton",  # the imperial ton
        "tons",
        "dialog",  # a dialog box on screen
        "dialogs",
        "analog",
        "disk",
        "disks",
        "install",
        "installs",
        "installment",
        "tire",  # to become tired
        "tires",
        "tired",
        "check",
        "checks",
        "aging",  # Oxford and Collins give both
        "judgment",  # the legal spelling in British English
        "judgments",
        "fetus",  # NHS and British medical usage
        "fetuses",
        "filter",
        "filters",
        "connection",
        "connections",
        "story",
        "stories",
        "curb",
        "curbs",
        "inquiry",
        "inquiries",
        # The list pairs these with archaic or rare British forms (biassed, groyne, gramme,
        # connexion, inflexion, mediaeval, syphon, encyclopaedia): standard British usage
        # writes them as American English does.
        "biased",
        "biasing",
        "gluing",
        "groin",
        "groins",
        "griffin",
        "griffins",
        "gram",
        "grams",
        "kilogram",
        "kilograms",
        "milligram",
        "milligrams",
        "centigram",
        "centigrams",
        "inflection",
        "inflections",
        "medieval",
        "misspelled",
        "siphon",
        "siphoned",
        "siphoning",
        "siphons",
        "tranquility",
        "encyclopedia",
        "encyclopedias",
        "encyclopedic",
        "pummel",
        "sulfur",
        "sulfate",
        "sulfates",
        "sulfide",
        "sulfides",
        "sulfurous",
    }
)
# British forms that are also correct American English.
_AMERICAN_TOO: Final = frozenset(
    {
        "dialogue",
        "dialogues",
        "catalogue",
        "catalogues",
        "axe",
        "axes",
        "grey",
        "tonne",  # the metric unit, not the imperial ton
        "tonnes",
        "doughnut",
        "doughnuts",
        "whisky",
        "programme",  # in US proper names only, but names are skipped anyway
        # The list pairs these with rare American forms (busses, gasses, gage, discs as
        # disks): standard American usage writes them as British English does.
        "buses",
        "busing",
        "minibuses",
        "gases",
        "gauge",
        "gauged",
        "gauges",
        "gauging",
        "disc",  # a CD, or a spinal disc
        "discs",
        "tranquilly",
        "worshipped",
        "worshipping",
        "worshipper",
        "likeable",
        "moustache",
        "moustaches",
        "omelette",
        "omelettes",
        "sheikh",
        "bingeing",
    }
)


_POSSESSIVE: Final = re.compile(r"['’]s\Z", re.IGNORECASE)


# British-only forms missing from breame. Reported in American guides only: the American
# forms (check, curb, story) are also British words with other meanings.
_MORE_BRITISH: Final = {
    "cheque": "check",
    "cheques": "checks",
    "chequing": "checking",
    "kerb": "curb",
    "kerbs": "curbs",
    "storey": "story",
    "storeys": "stories",
    "enrolment": "enrollment",
    "enrolments": "enrollments",
}


@functools.cache
def _pairs() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(american → british, british → american), both lower case."""
    from breame.data.spelling_constants import (  # type: ignore[import-untyped]
        AMERICAN_ENGLISH_SPELLINGS,
        BRITISH_ENGLISH_SPELLINGS,
    )

    american: dict[str, str] = {
        word: british
        for word, british in AMERICAN_ENGLISH_SPELLINGS.items()
        if word not in _BRITISH_TOO and word not in BRITISH_ENGLISH_SPELLINGS
    }
    british: dict[str, str] = {
        word: us
        for word, us in {**BRITISH_ENGLISH_SPELLINGS, **_MORE_BRITISH}.items()
        if word not in _AMERICAN_TOO and word not in AMERICAN_ENGLISH_SPELLINGS
    }
    return american, british


def _oxford(american: str, british: str) -> bool:
    """`recognize`/`recognise`: the pair differs only by -iz-/-is-, as Oxford spelling allows."""
    return "iz" in american and american.replace("iz", "is") == british


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    convention = spelling(guide.language)
    if convention is None:
        return
    allow_ize = options.allow_oxford_ize and convention == "british"
    locale = "British" if convention == "british" else "American"
    for text in guide.texts():
        if text.section == "resources":
            continue
        for start, word, right in _misspelt(text.text, convention, allow_ize):
            yield Finding(
                guide.document.text_position(text.pointer, start),
                f"'{word}' is not {locale} spelling ({guide.language}); write '{right}'",
            )


# Variants of a situation share most of their prose, so each string is read once.
@functools.lru_cache(maxsize=8192)
def _misspelt(text: str, convention: str, allow_ize: bool) -> tuple[tuple[int, str, str], ...]:
    """(offset, word, replacement) of each word of `text` spelt the other way."""
    american, british = _pairs()
    wrong = american if convention == "british" else british
    tokens = list(prose.words(text))
    found = []
    for index, match in enumerate(tokens):
        word = _POSSESSIVE.sub("", match.group())
        lower = word.lower()
        if lower not in wrong or prose.overlaps(
            match.start(), match.end(), prose.skipped_spans(text)
        ):
            continue
        starts = {span.start for span in prose.sentences(text)}
        if word[0].isupper() and _is_name(text, tokens, index, starts):
            continue
        right = wrong[lower]
        if allow_ize and _oxford(lower, right):
            continue
        found.append((match.start(), word, _cased(right, word)))
    return tuple(found)


def _is_name(text: str, tokens: list[re.Match[str]], index: int, starts: set[int]) -> bool:
    """A capitalised word mid-sentence, all capitals, or beside another capitalised word."""
    word = tokens[index].group()
    if word.isupper() and len(word) > 1:
        return True
    if tokens[index].start() not in starts and not _after_colon(text, tokens[index].start()):
        return True
    neighbour = tokens[index + 1].group() if index + 1 < len(tokens) else ""
    return neighbour[:1].isupper()


def _after_colon(text: str, start: int) -> bool:
    return text[:start].rstrip().endswith((":", "—", "–", "(", "“", '"'))


def _cased(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word
