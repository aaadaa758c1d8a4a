"""A word another English locale uses: "mom", "cell phone", "ER" or "zip code" in an Irish guide.

Spelling is only half of a locale (GL402): a guide adapted from an American one keeps
"call your mom", "the ER", "your cell phone" and "the sheriff", which read as foreign at
best and, for services ("the ER", "the sheriff"), send readers to something that does not
exist where they are. The guide's `language` decides: each word in
`data/locale_vocabulary.toml` lists the tags where it is wrong and what readers there say
("mum" in en-GB, en-IE, en-AU and en-NZ; "Eircode" for "zip code" in en-IE), and a tag not
listed is one where the word is right ("cell phone" in en-CA). The other way round too:
"mum", "A&E" and "postcode" in an en-US guide.

Skipped: URLs, quoted text (on-screen labels), resource names, and words inside a
capitalised name ("Mom’s Demand Action"). "Attorney general" and "power of attorney" are
other phrases.

Failing (en-IE):

    - text: Tell your mom, and keep your cell phone with you. In an emergency go to the ER.

Passing (en-IE):

    - text: Tell your mum, and keep your mobile with you. In an emergency go to the emergency department.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, Final, NamedTuple

from guidelint import prose, read_data
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL408"
NAME = "locale-vocabulary"
SEVERITY = Severity.WARNING
SUMMARY = "A word of another English locale's vocabulary (mom, cell phone, ER in en-GB)."

_TOKEN: Final = re.compile(r"[^\W_][\w&’'-]*")
_LONGEST: Final = 4


class Term(NamedTuple):
    write: str  # what readers of this locale say
    exact: bool  # the form must be written as listed ("ER")
    not_before: tuple[str, ...]
    not_after: tuple[str, ...]


def _normal(word: str) -> str:
    """Lower case, straight apostrophe, no possessive: "Mom’s" reads as "mom"."""
    return word.replace("’", "'").casefold().removesuffix("'s")


@functools.cache
def terms(language: str) -> Mapping[tuple[str, ...], Term]:
    """The forms wrong in `language` (as tuples of lower-case words) and what to write."""
    data: dict[str, Any] = tomllib.loads(read_data("locale_vocabulary.toml"))
    found: dict[tuple[str, ...], Term] = {}
    for entry in data["term"]:
        write = entry["write"].get(language)
        if write is None:
            continue
        term = Term(
            write,
            entry.get("case") == "exact",
            tuple(entry.get("not_before", ())),
            tuple(entry.get("not_after", ())),
        )
        for form in entry["find"]:
            found[tuple(_normal(word) for word in form.split())] = term
    return found


def _is_name(
    text: str, tokens: list[re.Match[str]], index: int, size: int, starts: set[int]
) -> bool:
    """Whether the words sit inside a capitalised name ("Mom’s Demand Action"): one of them
    is capitalised and so is a neighbour in the same clause (the word before only when it
    does not open the sentence: "Call Mom" is no name)."""
    if not any(tokens[i].group()[:1].isupper() for i in range(index, index + size)):
        return False
    after, before = index + size, index - 1
    if (
        after < len(tokens)
        and _joined(text, tokens[after - 1], tokens[after])
        and tokens[after].group()[:1].isupper()
    ):
        return True
    return (
        before >= 0
        and _joined(text, tokens[before], tokens[index])
        and tokens[before].group()[:1].isupper()
        and tokens[before].start() not in starts
    )


def _joined(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return not any(mark in text[left.end() : right.start()] for mark in ".!?;:()\n")


# Variants of a situation share most of their prose, so each string is read once.
@functools.lru_cache(maxsize=8192)
def foreign_words(text: str, language: str) -> tuple[tuple[int, str, str], ...]:
    """(offset, words as written, what to write) of each listed word in `text`."""
    table = terms(language)
    if not table:
        return ()
    tokens = list(_TOKEN.finditer(text))
    lowered = [_normal(token.group()) for token in tokens]
    skipped = prose.skipped_spans(text)
    starts = {span.start for span in prose.sentences(text)}
    found = []
    index = 0
    while index < len(tokens):
        match = _match(text, tokens, lowered, index, table)
        if match is None:
            index += 1
            continue
        size, term = match
        start, end = tokens[index].start(), tokens[index + size - 1].end()
        if not prose.overlaps(start, end, skipped) and (
            term.exact or not _is_name(text, tokens, index, size, starts)
        ):
            found.append((start, text[start:end], term.write))
        index += size
    return tuple(found)


def _match(
    text: str,
    tokens: list[re.Match[str]],
    lowered: list[str],
    index: int,
    table: Mapping[tuple[str, ...], Term],
) -> tuple[int, Term] | None:
    """The longest listed form starting at token `index`, as (words, term)."""
    for size in range(min(_LONGEST, len(tokens) - index), 0, -1):
        words = tuple(lowered[index : index + size])
        term = table.get(words)
        if term is None:
            continue
        joined = all(
            not text[tokens[i].end() : tokens[i + 1].start()].strip()
            for i in range(index, index + size - 1)
        )
        written = " ".join(token.group() for token in tokens[index : index + size])
        if not joined or (term.exact and written.upper() != written):
            continue
        after = " ".join(lowered[index + size : index + size + 2])
        before = " ".join(lowered[max(0, index - 2) : index])
        follows = text[tokens[index + size - 1].end() :][:12].casefold()
        if any(after.startswith(w) or follows.startswith(w) for w in term.not_before):
            continue
        if any(before.endswith(w) for w in term.not_after):
            continue
        return size, term
    return None


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    language = guide.language
    if not terms(language):
        return
    for text in guide.texts():
        if text.section == "resources":
            continue
        for start, written, write in foreign_words(text.text, language):
            yield Finding(
                guide.document.text_position(text.pointer, start),
                f"'{written}' is not what readers say in {language}; write '{write}'",
            )
