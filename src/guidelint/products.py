"""Products, devices, features and stalkerware: names that are things, not organisations.

From data/products.toml; GL301 asks for a resource for organisations only. A name is also
read as a product from its context: "the Life360 app", "an AirTag tracker", "stalkerware
such as mSpy, FlexiSPY or Cocospy".
"""

from __future__ import annotations

import functools
import re
import tomllib
from typing import Final

from guidelint import read_data


@functools.cache
def names() -> frozenset[str]:
    """Every listed name, lower case."""
    data = tomllib.loads(read_data("products.toml"))
    return frozenset(name.casefold() for group in data.values() for name in group["names"])


@functools.cache
def single_words() -> frozenset[str]:
    return frozenset(name for name in names() if " " not in name)


def is_product(words: tuple[str, ...]) -> bool:
    """Whether a capitalised name is, or holds, a listed product ("Google Maps", "Apple
    AirTag"), or is a plural acronym ("PINs", "SIMs")."""
    lowered = [word.casefold() for word in words]
    if " ".join(lowered) in names() or any(word in single_words() for word in lowered):
        return True
    return len(words) == 1 and _plural_acronym(words[0])


def _plural_acronym(word: str) -> bool:
    return len(word) > 2 and word.endswith("s") and word[:-1].isupper()


# What follows a product's name: "the Life360 app", "an AirTag tracker", "Find My settings".
_NOUN_AFTER: Final = re.compile(
    r"[ \u00a0]{1,2}(?:app|apps|application|applications|device|devices|tracker|trackers|tag|"
    r"tags|phone|phones|feature|features|setting|settings|software|spyware|stalkerware|"
    r"account|accounts|watch|watches|mode|map|maps|extension|extensions|profile|browser|"
    r"plan|subscription|login|password|passcode|widget|button)\b",
    re.IGNORECASE,
)
_KINDS: Final = frozenset(
    (
        "stalkerware", "spyware", "app", "apps", "application", "applications", "tracker",
        "trackers", "software", "program", "programs", "programmes", "tool", "tools", "device",
        "devices", "products", "product", "services", "features", "settings", "tags",
    )
)  # fmt: skip
_INTRODUCERS: Final = (("such", "as"), ("like",), ("including",), ("e.g",), ("eg",))
_LIST_JOINS: Final = frozenset(("or", "and", "nor"))
_TOKEN: Final = re.compile(r"[^\W_][\w’'.-]*")
_WINDOW: Final = 100
_LIST_ITEMS: Final = 8


def named_as_product(text: str, start: int, end: int) -> bool:
    """Whether the context of `text[start:end]` says it is a product: a product noun right
    after it, or a list introduced by one ("apps such as …", "stalkerware like …")."""
    if _NOUN_AFTER.match(text[end : end + 20]):
        return True
    before = _TOKEN.findall(text[max(0, start - _WINDOW) : start])
    # Walk back over the list the name ends: "mSpy, FlexiSPY or" before "Cocospy".
    index = len(before)
    items = 0
    while index > 0 and items < _LIST_ITEMS:
        word = before[index - 1]
        if word.casefold() in _LIST_JOINS or not word.islower():
            index -= 1
            items += 1
            continue
        break
    words = [word.casefold().rstrip(".,") for word in before[:index]]
    for introducer in _INTRODUCERS:
        size = len(introducer)
        if tuple(words[-size:]) == introducer and len(words) > size:
            return words[-size - 1] in _KINDS
    return False
