"""The judgement calls behind GL201, GL203, GL301 and the URL rules, sentence by sentence.

Each case is a one-step guide parsed from YAML text, checked by one rule; the negatives are
the text that must stay silent (precision), the positives what must be caught.
"""

from __future__ import annotations

import json
import time

import pytest

from guidelint.guide import Guide
from guidelint.loader import load_text
from guidelint.phones import phone_tokens
from guidelint.rules import RULES
from guidelint.rules.helpers import standalone_numbers
from guidelint.rules.malformed_url import problem
from guidelint.schema import validate
from guidelint.urls import find_urls

NUMBERS = {"GB": "999", "US": "911", "AU": "000", "NZ": "111", "IE": "112", "CA": "911"}


def guide(jurisdiction: str, step: str, note: str | None = None) -> Guide:
    number = NUMBERS[jurisdiction]
    note = note or f"General information, not legal advice. In danger, call {number}."
    text = f"""\
id: case
situation_id: case
jurisdiction: {jurisdiction}
language: en-GB
last_reviewed: '2026-11-01'
owner: Editorial team
title: What to do if…
situation: something happened
short_answer: Get help.
do_not:
- Don’t pay.
steps:
- text: {json.dumps(step)}
can_wait:
- Deciding what to do next.
reassurance: It is not your fault.
scope_note: First steps only.
important_note: {json.dumps(note)}
resources:
- id: police
  url: https://www.police.example.org/
"""
    document = load_text(text, "case.yaml").document
    assert document is not None
    assert validate(document) == []
    return Guide(document)


def findings(code: str, g: Guide) -> list[str]:
    rule = RULES[code]
    assert rule.check is not None
    return [finding.message for finding in rule.check(g, rule.options)]


@pytest.mark.parametrize(
    ("jurisdiction", "step"),
    [
        ("GB", "Call the helpline on 0345 6000 459 or 0808 800 5000."),
        ("GB", "Report it within 48 hours; if you are under 18, call Childline."),
        ("GB", "If you’re 18+, call the helpline. Aged 15, 17 or 18? Call them too."),
        ("GB", "Visit https://example.org/call-911/dial-000 to read more."),
        ("GB", "For urgent medical advice call NHS 111, or call 101 for the police."),
        ("GB", "On 15 May 2026 at 12:15 the 18th report came; 911 people called."),
        ("GB", "Call 999, or 112 from any phone. Call 15 minutes later; text 17 friends."),
        ("US", "Call or text 988, or the helpline at 844-878-2274 or 1-800-843-5678."),
        ("US", "Call 911. It has been 911 days; do not pay $1,000 or call 1,000 people."),
        ("AU", "Call Triple Zero (000), or 112 from a mobile. Lifeline: 13 11 14."),
        ("NZ", "Call 111; for non-urgent matters call 105."),
        ("IE", "Dial 112 or 999."),
        ("CA", "Dial 911 from any phone; 18+ only."),
    ],
)
def test_wrong_emergency_number_stays_silent(jurisdiction: str, step: str) -> None:
    assert findings("GL201", guide(jurisdiction, step)) == []


@pytest.mark.parametrize(
    ("jurisdiction", "step", "number"),
    [
        ("GB", "If you are in danger, call 911.", "911"),
        ("GB", "Ring the police on 911 straight away.", "911"),
        ("GB", "Contact the 911 service.", "911"),
        ("US", "Call 911 or 112.", "112"),
        ("US", "Dial 999 if you are in danger.", "999"),
        ("AU", "Call emergency services (999).", "999"),
        ("NZ", "Phone 000 now.", "000"),
        ("IE", "Call 911 if you are in danger.", "911"),
        ("CA", "Text 112 if you cannot speak.", "112"),
    ],
)
def test_wrong_emergency_number_is_caught(jurisdiction: str, step: str, number: str) -> None:
    messages = findings("GL201", guide(jurisdiction, step))
    assert len(messages) == 1
    assert messages[0].startswith(f"{number} is not an emergency number")


@pytest.mark.parametrize(
    "note",
    [
        "This guide is general information, not legal advice. Call 999 in danger.",
        "This guide is not legal advice or a substitute for professional support. Call 999.",
        "Nothing here constitutes legal advice; it does not constitute legal advice. Call 999.",
        "This isn’t legal advice. Call 999.",
        "This is not a substitute for legal advice. Call 999.",
        "We can’t give legal advice. Call 999.",
        "This is not intended as, and should not be taken as, legal advice. Call 999.",
    ],
)
def test_disclaimer_phrasings_accepted(note: str) -> None:
    assert findings("GL203", guide("GB", "Get help.", note)) == []


@pytest.mark.parametrize(
    "note",
    [
        "This guide is general information. Call 999.",
        "For legal advice, speak to a solicitor. Call 999.",
        "No one should face this alone. Get legal advice early. Call 999.",
    ],
)
def test_disclaimer_missing(note: str) -> None:
    assert len(findings("GL203", guide("GB", "Get help.", note))) == 1


@pytest.mark.parametrize(
    "step",
    [
        "Report it on Instagram, Snapchat or TikTok, or in the Instagram Help Center.",
        "Under the federal TAKE IT DOWN Act, platforms must act. Under the Act, they have 48 hours.",
        "Tell your Mum, or a friend in New York, on Monday.",
        "Do NOT pay. Save the URL, the PIN and the SMS; turn on MFA.",
        "Screenshot everything. Then block them. In England and Wales this is a crime.",
        "Use the Report button in the app, or ask the Trust and Safety team.",
        "If you are in danger, call Triple Zero or call NHS 111.",
        "Contact the police, or text HOME to 741741 or CONNECT to 686868.",
        "Call your local Police Service or the Support Services team.",
    ],
)
def test_unlinked_organisation_stays_silent(step: str) -> None:
    assert findings("GL301", guide("GB", step)) == []


@pytest.mark.parametrize(
    ("step", "name"),
    [
        ("You can also report anonymously via Crimestoppers.", "Crimestoppers"),
        ("If you feel low, contact the Samaritans.", "Samaritans"),
        ("Make a report to CEOP.", "CEOP"),
        ("If you are under 18, Childline can help.", "Childline"),
        ("Ask the National Crime Agency for help.", "National Crime Agency"),
        ("Use StopNCII to stop re-uploads.", "StopNCII"),
        (
            "Get support from the Cyber Civil Rights Initiative (CCRI).",
            "Cyber Civil Rights Initiative",
        ),
    ],
)
def test_unlinked_organisation_is_caught(step: str, name: str) -> None:
    messages = findings("GL301", guide("GB", step))
    assert len(messages) == 1
    assert messages[0].startswith(f"'{name}' is named here")


def test_standalone_numbers_skip_groups_times_and_urls() -> None:
    text = "0345 6000 459, 12:15, 15/08, £15, 18+, 15%, https://x.org/15, and 15 alone"
    assert [offset for offset, _ in standalone_numbers(text, frozenset({"15", "18"}))] == [
        text.rindex("15")
    ]


def test_phone_tokens_skip_times_dates_amounts_and_urls() -> None:
    text = (
        "0345 6000 459, 12:15, 15/08, £15, 18+, 15%, 3rd, 1.5, 1,000, 2026-11-01, "
        "https://x.org/15, and 15 alone"
    )
    assert [(token.start, token.digits) for token in phone_tokens(text)] == [
        (0, "03456000459"),
        (text.rindex("15"), "15"),
    ]


def test_standalone_numbers_cost_grows_linearly_with_urls() -> None:
    """Each number is checked against the URL that may hold it, not against every URL: a
    1 MiB guide of `https://x.y/999` took minutes when the check was a scan."""

    def seconds(copies: int) -> float:
        text = "https://x.y/999 call 999. " * copies
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            found = list(standalone_numbers(text, frozenset({"999"})))
            best = min(best, time.perf_counter() - started)
        assert len(found) == copies
        return best

    small, large = seconds(5_000), seconds(20_000)
    assert large < 8 * small + 0.02, (small, large)


def test_find_urls_trims_prose_punctuation() -> None:
    text = "See (https://a.org/x), https://en.wikipedia.org/wiki/Foo_(bar). Or www.b.org."
    assert [url for _, url in find_urls(text)] == [
        "https://a.org/x",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "www.b.org",
    ]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://user:pw@example.org/", "credentials"),
        ("https://example.org:0/", "bad port"),
        ("https://example.org:http/", "bad port"),
        ("https://[2001:db8::1]/", "IP address"),
        ("https:///path", "no host"),
        ("https://-bad-.example.org/", "invalid host"),
        ("https://exa mple.org/", "space"),
        ("https://example.123/", "invalid host"),
    ],
)
def test_malformed_url_reasons(url: str, reason: str) -> None:
    found = problem(url)
    assert found is not None and reason in found


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ic3.gov/",
        "https://www.ic3.gov:443/a?b=c#d",
        "https://bücher.example/",
        "www.b.org",
    ],
)
def test_well_formed_urls(url: str) -> None:
    assert problem(url) is None


def test_unlinked_organisation_reads_names_in_any_script() -> None:
    messages = findings("GL301", guide("IE", "You can report it to An Garda Síochána."))
    assert [m.split("'")[1] for m in messages] == ["An Garda Síochána"]


def test_unlinked_organisation_matches_a_distinctive_word_to_a_host() -> None:
    g = guide("IE", "You can report it to An Garda Síochána or the Gardaí.")
    g.data["resources"][0]["url"] = "https://www.garda.ie/en/"
    assert findings("GL301", g) == []


@pytest.mark.parametrize(
    ("step", "url"),
    [
        ("Contact the Canadian Centre for Child Protection.", "https://protectchildren.ca/en/"),
        (
            "Report to the Australian Centre to Counter Child Exploitation (ACCCE).",
            "https://www.accce.gov.au/report",
        ),
        ("Call Women’s Aid for support.", "https://www.womensaid.org.uk/"),
        ("Call Shine's free helpline.", "https://www.2shine.org.nz/"),
        ("Call 0800 REFUGE, any time.", "https://womensrefuge.org.nz/"),
        (
            "Contact the National Center for Missing & Exploited Children (NCMEC).",
            "https://report.cybertip.org/",
        ),
    ],
)
def test_unlinked_organisation_links_long_names_to_their_hosts(step: str, url: str) -> None:
    g = guide("GB", step)
    assert len(findings("GL301", g)) == 1  # the example resource is not this organisation
    g.data["resources"][0]["url"] = url
    g.data["resources"][0]["id"] = "org" if "NCMEC" not in step else "ncmec-cybertipline"
    assert findings("GL301", g) == []


def test_unlinked_organisation_names_keep_their_possessive() -> None:
    messages = findings("GL301", guide("GB", "Call Women’s Aid, or use Childline’s Report Remove."))
    assert [m.split("' is named")[0].lstrip("'") for m in messages] == ["Women’s Aid", "Childline"]
