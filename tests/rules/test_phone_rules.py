"""Numbers by region, not by string: emergency numbers in any form (GL201), other countries'
helplines and national numbers (GL208), resources placed by their address (GL209)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from phonenumbers import shortnumberinfo

from guidelint import jurisdictions, services
from guidelint.config import Config
from guidelint.diagnostics import Diagnostic, Severity
from guidelint.lint import build_selection, lint_files
from guidelint.phones import phone_tokens, told_to_use

LANGUAGE = {"US": "en-US", "CA": "en-CA"}


def guide(
    jurisdiction: str, step: str, resources: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    country = jurisdiction.split("-")[0]
    facts = jurisdictions.lookup(jurisdiction)
    number = facts.primary_emergency if facts else "112"
    return {
        "id": "t",
        "situation_id": "t",
        "jurisdiction": jurisdiction,
        "language": LANGUAGE.get(country, "en-GB"),
        "last_reviewed": "2026-11-01",
        "owner": "Safety team",
        "title": "What to do if…",
        "situation": "someone is tracking your phone",
        "short_answer": "Check your phone and get help.",
        "do_not": ["Don’t confront them."],
        "steps": [{"text": step}],
        "can_wait": ["You can decide later."],
        "reassurance": "This is not your fault.",
        "scope_note": "First steps.",
        "important_note": "This guide is general information, not legal advice. "
        f"If you are in immediate danger, call {number}.",
        "resources": resources
        or [
            {
                "id": "r",
                "name": "StopNCII.org",
                "url": "https://stopncii.org/",
                "jurisdictions": ["INT"],
            }
        ],
    }


def lint(tmp_path: Path, data: dict[str, Any], codes: list[str]) -> list[Diagnostic]:
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return lint_files([path], build_selection(Config(root=tmp_path), select=codes)).diagnostics


@pytest.mark.parametrize(
    ("jurisdiction", "step", "code"),
    [
        ("IE", "If you are in danger, call 9-1-1.", "GL201"),
        ("IE", "Phone the Gardaí on 911.", "GL201"),
        ("IE", "Call Triple 0 if you are in danger.", "GL201"),
        ("IE", "Call the hotline on 1-800-799-SAFE.", "GL208"),
        ("GB", "Call RAINN at 1-800-656-HOPE.", "GL208"),
        ("IE", "Call NHS 111 if you feel unwell.", "GL201"),
        ("IE", "Call 101 to report it.", "GL201"),
        ("GB", "Ring triple zero if you are in danger.", "GL201"),
        ("US", "Dial 000 now.", "GL201"),
        ("US", "Call 9.9.9 if you are hurt.", "GL201"),
        ("CA", "Ring nine nine nine.", "GL201"),
        ("NZ", "Contact the police on 999 straight away.", "GL201"),
        ("AU", "Call 1 1 1 in an emergency.", "GL201"),
        ("ZA", "Call 911 if you are in danger.", "GL201"),
        ("IN", "Dial 999 for the police.", "GL201"),
        ("IE", "Call the helpline on 0808 2000 247.", "GL208"),
        ("IE", "Call Childline 0800 1111.", "GL208"),
        ("GB", "Text 741741 to talk to someone.", "GL208"),
        ("GB", "Call or text 988 any time.", "GL208"),
        ("AU", "Call Kids Help Phone on 1-800-668-6868.", "GL208"),
        ("NZ", "Call Lifeline 13 11 14.", "GL208"),
        ("US", "Text SHOUT to 85258.", "GL208"),
        ("CA", "Call the Police Assistance Line on 131 444.", "GL208"),
        ("GB", "Call iCall on 9152987821.", "GL208"),
        ("ZA", "Call the Women's Aid helpline on 1800 341 900.", "GL208"),
        # The North American N11 service lines (city services, community help).
        ("NZ", "For something that is not urgent, call 311.", "GL208"),
        ("GB", "Dial 211 to find local support.", "GL208"),
    ],
)
def test_numbers_of_other_countries_are_caught(
    tmp_path: Path, jurisdiction: str, step: str, code: str
) -> None:
    found = lint(tmp_path, guide(jurisdiction, step), ["GL201", "GL208"])
    assert [(d.line, d.code) for d in found] == [(13, code)], found


@pytest.mark.parametrize(
    ("jurisdiction", "step"),
    [
        ("IE", "Call 112 or 999, or ring Samaritans free on 116 123."),
        ("IE", "Text 50808 any time, or call Women’s Aid on 1800 341 900."),
        ("GB", "Call 9 9 9 in an emergency, NHS 111 for advice or 101 for the police."),
        ("GB", "Ring Childline on 0800 1111 or the Revenge Porn Helpline on 0345 6000 459."),
        ("US", "Call 9-1-1, call or text 988, or text HOME to 741741."),
        ("US", "Call the Hotline at 1-800-799-7233 or CCRI at 844-878-2274."),
        ("CA", "Call Kids Help Phone at 1-800-668-6868 or text 686868; call 811 for advice."),
        ("AU", "Ring triple zero (000), Lifeline on 13 11 14 or 1800RESPECT on 1800 737 732."),
        ("AU", "Call Triple 0 if you are in danger."),
        ("US", "Call the hotline on 1-800-799-SAFE or RAINN at 1-800-656-HOPE."),
        ("NZ", "Call 111, free call or text 1737, or call 105 if it is not urgent."),
        ("ZA", "Call 10111 for the police or 10177 for an ambulance."),
        ("IN", "Call 112, or the cyber crime helpline on 1930."),
        ("US", "Call 311 to report it to the city, or 211 to find local support."),
        ("CA-ON", "Call 311 if it is not urgent, or dial 211 for community services."),
        ("DE", "Rufen Sie 112 oder 110 an; call 116 117 for a doctor."),
        ("GB", "Keep notes: 3 phones, 2 laptops, 48 hours, 2026-11-01, 12:15, 24/7, 18+."),
        ("GB", "Call 15 people you trust, or text 17 friends."),
        ("US", "iOS 17 and Android 14 both show this. Version 9.1.1 fixed it."),
        ("IE", "Call one of them, or two, if you can."),
        ("GB", "Reference 12345678 is on your letter."),
    ],
)
def test_numbers_that_work_here_are_not_reported(
    tmp_path: Path, jurisdiction: str, step: str
) -> None:
    assert lint(tmp_path, guide(jurisdiction, step), ["GL201", "GL208"]) == []


def test_a_foreign_number_that_connects_is_a_warning(tmp_path: Path) -> None:
    found = lint(tmp_path, guide("IE", "Call the helpline on +44 808 2000 247."), ["GL208"])
    assert [(d.code, d.severity) for d in found] == [("GL208", Severity.WARNING)]
    assert "+44 808 200 0247" in found[0].message


def test_a_resource_phone_is_checked_without_a_calling_word(tmp_path: Path) -> None:
    resource = {
        "id": "refuge",
        "name": "Refuge",
        "url": "https://www.womensaid.ie/",
        "phone": "0808 2000 247",
        "jurisdictions": ["IE"],
    }
    found = lint(tmp_path, guide("IE", "Get support.", [resource]), ["GL208"])
    assert [d.line for d in found] == [24]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("call 9-1-1", ["911"]),
        ("call 9 9 9 or 1 1 2", ["999", "112"]),
        ("ring triple nine", ["999"]),
        ("dial nine-one-one", ["911"]),
        ("ring double one two", ["112"]),
        # A spelled number that goes on in digits is one number.
        ("call Triple 0", ["000"]),
        # Keypad letters: the digits they stand for, as one number.
        ("call 1-800-799-SAFE (7233)", ["18007997233", "7233"]),
        ("text 50808 HELLO", ["50808"]),
        ("in 2024-ABC", ["2024"]),
        ("ring double 9 9", ["999"]),
        ("call Triple Zero (000)", ["000", "000"]),
        ("call (02) 9999 9999", ["0299999999"]),
        ("see https://example.org/911 and www.x.org/999", []),
        ("one or two", []),
    ],
)
def test_phone_tokens_read_every_written_form(text: str, digits: list[str]) -> None:
    assert [token.digits for token in phone_tokens(text)] == digits


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("phone the Gardaí on 911", True),
        # An emergency service named in the clause, whatever the verb.
        ("ask for the Gardaí on 911", True),
        ("The Gardaí are on 911.", True),
        ("Get help from the Gardaí on 911.", True),
        ("the paramedics on 000", True),
        ("the coastguard on 999", True),
        ("text HOME to 741741", True),
        ("The helpline is 0800 1111", True),
        ("NHS 111", True),
        ("contact the 911 service", True),
        ("report it to the police on 101", True),
        ("call 15 people", False),
        ("within 48 hours", False),
        ("Call your GP if you have 2 children", False),
    ],
)
def test_told_to_use_reads_the_clause_before_the_number(text: str, told: bool) -> None:
    token = phone_tokens(text)[-1]
    assert told_to_use(text, token.start, token.end) is told


def test_emergency_numbers_agree_with_libphonenumber() -> None:
    for code, facts in jurisdictions.table().items():
        if code == "EU":
            continue
        for number in facts.emergency:
            assert shortnumberinfo.is_emergency_number(number, code), (code, number)


def test_every_service_number_is_valid_in_a_country_it_serves() -> None:
    import phonenumbers

    for service in services.services():
        for number in service.numbers:
            if len(services.digits(number)) < 7:
                continue  # short codes are national facts, checked above
            regions = [c for c in service.countries if c != services.INTERNATIONAL]
            assert any(
                phonenumbers.is_valid_number_for_region(phonenumbers.parse(number, r), r)
                for r in regions
            ), (service.name, number)


def test_services_and_domains_place_resources() -> None:
    assert services.place_url("https://www.refuge.org.uk/x").countries == {"GB"}  # type: ignore[union-attr]
    assert services.place_url("https://takeitdown.ncmec.org/").countries == {"INT"}  # type: ignore[union-attr]
    assert services.place_url("https://www.missingkids.org/").countries == {"US"}  # type: ignore[union-attr]
    assert services.place_url("https://www.samaritans.org/ireland/").countries == {"GB", "IE"}  # type: ignore[union-attr]
    assert services.place_url("https://www.esafety.gov.au/").countries == {"AU"}  # type: ignore[union-attr]
    assert services.place_url("https://www.fbi.gov/").countries == {"US"}  # type: ignore[union-attr]
    for generic in ("https://example.org/", "https://app.io/", "https://x.co/", "https://a.me/"):
        assert services.place_url(generic) is None


@pytest.mark.parametrize(
    "unit",
    [
        *("1 ", "1-", "9.", "(1) ", "+1 ", "nine ", "triple ", "one-", "a", "Call ", "1a"),
        *(" ", ") ", "https://a.b/1 1 ", "call 1 "),
    ],
)
def test_phone_patterns_run_in_linear_time_on_hostile_text(unit: str) -> None:
    import re
    import time

    from guidelint import phones
    from guidelint.rules import foreign_number, malformed_url, wrong_emergency_number

    patterns = [
        value
        for module in (phones, malformed_url, wrong_emergency_number, foreign_number)
        for value in vars(module).values()
        if isinstance(value, re.Pattern)
    ]
    known = jurisdictions.all_emergency_numbers()

    def seconds(size: int) -> float:
        text = unit * size + "!x"
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for pattern in patterns:
                for _match in pattern.finditer(text):
                    pass
            wrong_emergency_number.instructed.__wrapped__(text, known)
            best = min(best, time.perf_counter() - started)
        return best

    assert seconds(8_000) < 10 * seconds(2_000) + 0.005
