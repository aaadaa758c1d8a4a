"""Precision where rules misfired: products are not organisations (GL301), pronoun sets are
not choices (GL405), and locale means vocabulary too (GL408)."""

from __future__ import annotations

import tomllib

import pytest

from guidelint import read_data
from guidelint.rules.locale_vocabulary import foreign_words
from guidelint.rules.slash_construction import _slashed
from guidelint.rules.unlinked_organisation import PLATFORMS, candidates

IGNORE = frozenset(name.lower() for name in PLATFORMS)


def _names(text: str) -> list[str]:
    return [candidate.phrase for candidate in candidates(text, IGNORE)]


@pytest.mark.parametrize(
    "text",
    [
        "Check for stalkerware such as mSpy, FlexiSPY or Cocospy on your phone.",
        "Look for an AirTag, a Tile or a SmartTag in your bag.",
        "Open Find My, then Life360, then Google Maps, and turn off location sharing.",
        "Check WhatsApp, your iPhone and your iCloud settings.",
        "Turn on 2FA, change your PINs and your SIM PIN, and use a VPN, not GPS.",
        "Remove the Hoverwatch app and any apps like TheTruthSpy.",
        "Use Safety Check and Screen Time on your eSIM phone.",
    ],
)
def test_products_devices_and_stalkerware_are_never_asked_to_be_linked(text: str) -> None:
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Samaritans (116 123) and Text 50808 are free.", ["Samaritans", "Text 50808"]),
        ("Look for an AirTag, then call Samaritans or Text 50808.", ["Samaritans", "Text 50808"]),
        ("Samaritans can help any time.", ["Samaritans"]),
        ("Report it to eSafety.", ["eSafety"]),
        ("Childline (0800 1111) is free for young people.", ["Childline"]),
        ("Remove mSpy, then contact Women’s Aid.", ["Women’s Aid"]),
    ],
)
def test_organisations_beside_products_are_still_found(text: str, names: list[str]) -> None:
    assert _names(text) == names


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ask their pronouns (she/her, they/them).", []),
        ("They use he/him or she/they.", []),
        ("Tell him/her, or he/she, to stop.", ["him/her", "he/she"]),
        ("Keep the messages (screenshots/recordings).", ["screenshots/recordings"]),
    ],
)
def test_slashes_report_the_exact_words_and_spare_pronoun_sets(text: str, found: list[str]) -> None:
    assert [words for _start, words in _slashed.__wrapped__(text)] == found


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("en-GB", "Your apartment, your cell phone and the ER.", ["apartment", "cell phone", "ER"]),
        (
            "en-AU",
            "Give your zip code to the attorney, not your mom.",
            ["zip code", "attorney", "mom"],
        ),
        (
            "en-NZ",
            "The sheriff's office is by the parking lot.",
            ["sheriff's office", "parking lot"],
        ),
        ("en-IE", "Call your Mom. Check the sidewalk.", ["Mom", "sidewalk"]),
        ("en-US", "Tell your mum and go to A&E; give your postcode.", ["mum", "A&E", "postcode"]),
        ("en-CA", "Tell your mom and keep your cell phone; give your zip code.", ["zip code"]),
        (
            "en-IE",
            "Use a flashlight, note the license plate and call the toll-free line.",
            ["flashlight", "license plate", "toll-free"],
        ),
        ("en-AU", "Call the toll free number.", ["toll free"]),
        ("en-CA", "Call the toll-free number and note the license plate.", []),
        ("en-GB", "Get a lasting power of attorney; ask the Attorney General.", []),
        ("en-GB", 'Tap "Emergency Room" in the app at https://x.org/mom.', []),
        ("en-GB", "He said er, well, no.", []),
        ("fr-FR", "mom cell phone ER", []),
    ],
)
def test_locale_vocabulary_follows_the_guide_language(
    language: str, text: str, found: list[str]
) -> None:
    assert [words for _start, words, _write in foreign_words(text, language)] == found


def test_vocabulary_entries_are_well_formed_and_agree_with_breame() -> None:
    from breame.data.american_terms_constants import (  # type: ignore[import-untyped]
        AMERICAN_ENGLISH_ONLY_TERMS,
    )

    data = tomllib.loads(read_data("locale_vocabulary.toml"))
    tags = {"en-US", "en-CA", "en-GB", "en-IE", "en-AU", "en-NZ", "en-ZA", "en-IN"}
    for entry in data["term"]:
        assert set(entry) <= {
            "find",
            "write",
            "case",
            "not_before",
            "not_after",
            "breame",
            "sources",
        }
        assert entry["sources"] and set(entry["write"]) <= tags, entry
        assert all(form == form.lower() for form in entry["find"]), entry
        if entry.get("breame"):
            assert any(form in AMERICAN_ENGLISH_ONLY_TERMS for form in entry["find"]), entry
