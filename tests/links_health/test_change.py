"""Content change against a real local server whose pages change between fetches.

The server serves `tests/fixtures/links_health/pages/NAME.1.html` on the first GET of /NAME
and `NAME.2.html` (or `.1` again) afterwards, filling the volatile placeholders
(times, tokens, ids, counters, a quote, a testimonial) afresh on every request. Pages are
fetched with a plain aiohttp client, read with `links.content.extract` (and `main_text`, as
the checker reads pages with a baseline entry), and compared.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import random
import secrets
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from guidelint.links.change import (
    FINGERPRINT_VERSION,
    ChangeSettings,
    compare,
    denoise,
    evaluate,
    similarity,
    snapshot,
)
from guidelint.links.content import decode, extract, main_text
from guidelint.links.facts import MAX_PHONE_CANDIDATES, MAX_TEXT, closures, facts
from guidelint.links.model import Page
from guidelint.phones import region_of

PAGES = Path(__file__).parent.parent / "fixtures" / "links_health" / "pages"
QUOTES = (
    "“Courage does not always roar.” — Mary Anne Radmacher",
    "“You are braver than you believe.” — A. A. Milne",
    "“Asking for help is a sign of strength.” — Anonymous",
)
TESTIMONIALS = (
    "When my pictures were posted, the helpline got them taken down within a week and "
    "stayed with me the whole time. — Sam, Leeds",
    "I was terrified to call, but the practitioner listened without judging me and "
    "explained every option I had. — Priya, Bristol",
    "They helped me write to the website and the account was removed the same day, which "
    "I never thought would happen. — Jordan, Cardiff",
)


def _fill(template: str, request_number: int) -> str:
    now = datetime(2026, 11, 22, 2, 25, tzinfo=UTC) + timedelta(
        days=request_number, minutes=random.randint(0, 600), seconds=random.randint(0, 59)
    )
    values = {
        "now_iso": now.isoformat().replace("+00:00", "Z"),
        "now_human": now.strftime("%d %B %Y at %H:%M"),
        "year": str(now.year + request_number),
        "token": secrets.token_urlsafe(24),
        "uuid": str(uuid.uuid4()),
        "hex": secrets.token_hex(8),
        "n": str(random.randint(10_000, 9_999_999)),
        "minutes": str(random.randint(2, 59)),
        "quote": QUOTES[request_number % len(QUOTES)],
        "testimonial": TESTIMONIALS[request_number % len(TESTIMONIALS)],
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def _app() -> web.Application:
    counts: Counter[str] = Counter()

    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        number = counts[name]
        if request.method == "GET":  # a checker's HEAD first must not turn the page
            counts[name] += 1
        later = PAGES / f"{name}.2.html"
        source = later if number > 0 and later.exists() else PAGES / f"{name}.1.html"
        if not source.is_file():
            raise web.HTTPNotFound()
        return web.Response(
            text=_fill(source.read_text(encoding="utf-8"), number), content_type="text/html"
        )

    app = web.Application()
    app.router.add_get("/{name}", page)
    return app


async def _fetch(session: aiohttp.ClientSession, url: str) -> Page:
    async with session.get(url) as response:
        response.raise_for_status()
        body = await response.read()
    markup = decode(body, response.charset)
    extracted = extract(markup)
    return Page(extracted.title, extracted.text, main=main_text(markup))


Scenario = Callable[[Callable[[str], Awaitable[Page]]], Awaitable[None]]


def _serve(scenario: Scenario) -> None:
    async def main() -> None:
        runner = web.AppRunner(_app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        timeout = aiohttp.ClientTimeout(total=5)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:

                async def fetch(name: str) -> Page:
                    return await _fetch(session, f"http://127.0.0.1:{port}/{name}")

                await scenario(fetch)
        finally:
            await runner.cleanup()

    asyncio.run(asyncio.wait_for(main(), timeout=20))


def _twice(name: str, region: str | None = "GB") -> tuple[Page, Page]:
    pages: list[Page] = []

    async def scenario(fetch: Callable[[str], Awaitable[Page]]) -> None:
        pages.append(await fetch(name))
        pages.append(await fetch(name))

    _serve(scenario)
    return pages[0], pages[1]


NAMES = ("Image Abuse Helpline", "Childline")


def test_rewritten_paragraph_is_a_change() -> None:
    before, after = _twice("changed-advice")
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is not None
    assert result.similarity < ChangeSettings().threshold
    assert (
        result.change.title_before
        == result.change.title_after
        == ("Report an image | Image Abuse Helpline")
    )
    assert result.facts_added == result.facts_removed == ()


def test_one_changed_digit_in_the_phone_number_is_a_change() -> None:
    before, after = _twice("phone-digit")
    baseline = snapshot(before, region="GB", names=NAMES)
    result = evaluate(baseline, after)
    assert result.change is not None
    assert result.change.facts_removed == ("phone +44 808 800 5000 (0808 800 5000)",)
    assert result.change.facts_added == ("phone +44 808 800 5001 (0808 800 5001)",)
    # However lenient the similarity threshold, a changed number is always reported.
    assert evaluate(baseline, after, ChangeSettings(threshold=0.0)).change is not None


def test_noise_only_changes_are_not_a_change() -> None:
    before, after = _twice("noise")
    assert before.text != after.text  # the server really changed the visible text
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is None
    assert result.similarity == 1.0


def test_retemplated_markup_is_not_a_change() -> None:
    before, after = _twice("retemplated")
    baseline = snapshot(before, region="GB", names=NAMES)
    result = evaluate(baseline, after)
    assert result.change is None
    assert result.similarity == 1.0
    assert "name Image Abuse Helpline" in baseline.facts
    assert "email help@imageabuse.org.uk" in baseline.facts


def test_rotating_testimonial_is_excused_by_a_second_fetch() -> None:
    pages: dict[str, list[Page]] = {"rotating": [], "changed-advice": []}

    async def scenario(fetch: Callable[[str], Awaitable[Page]]) -> None:
        for name, got in pages.items():
            for _ in range(3):
                got.append(await fetch(name))

    _serve(scenario)
    baseline_page, page, recheck = pages["rotating"]
    baseline = snapshot(baseline_page, region="GB")
    assert evaluate(baseline, page).change is not None  # one fetch cannot tell rotation apart
    excused = evaluate(baseline, page, recheck=recheck)
    assert excused.change is None
    assert excused.similarity >= ChangeSettings().threshold
    # A real change stays a change when the second fetch agrees with the first.
    before, after, again = pages["changed-advice"]
    assert evaluate(snapshot(before, region="GB"), after, recheck=again).change is not None


def test_organisation_name_vanishing_is_a_change() -> None:
    text = "Welcome to the Image Abuse Helpline, here to help adults in the UK."
    baseline = snapshot(Page("Help", text), names=NAMES)
    assert baseline.facts == ("name Image Abuse Helpline",)
    lenient = ChangeSettings(threshold=0.0)
    # Case and punctuation don't matter to a name.
    assert evaluate(baseline, Page("Help", text.upper()), lenient).change is None
    gone = Page("Help", "Welcome to the helpline, here to help adults in the UK.")
    change = evaluate(baseline, gone, lenient).change
    assert change is not None
    assert change.facts_removed == ("name Image Abuse Helpline",)


@pytest.mark.parametrize(
    ("region", "text", "expected"),
    [
        ("US", "Call or text 988 any time.", "phone 988 (short number, US)"),
        ("US", "Call 1-800-273-8255 now.", "phone +1 800-273-8255 ((800) 273-8255)"),
        ("GB", "Phone 0808 800 5000.", "phone +44 808 800 5000 (0808 800 5000)"),
        ("GB", "Ring 116 123 for free.", "phone 116123 (short number, GB)"),
        (None, "Call +44 808 800 5000.", "phone +44 808 800 5000 (0808 800 5000)"),
        (None, "Helpline: 0808 800 5000.", "phone 08088005000"),
    ],
)
def test_phone_numbers_are_read_per_region(region: str | None, text: str, expected: str) -> None:
    assert expected in facts(text, region=region)


@pytest.mark.parametrize(
    "text",
    [
        "Request id 4155550123 was logged.",  # a bare run of digits is an id, not a number
        "Updated 2026-11-22 14:32:10.",
        "Order 2026/11/22 dispatched.",
    ],
)
def test_ids_and_dates_are_not_phone_numbers(text: str) -> None:
    assert not [fact for fact in facts(text, region="US") if fact.startswith("phone")]


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("Last updated: 22 November 2026 at 14:32.", "⟨updated⟩"),
        ("Generated 2026-11-22T02:25:13Z", "⟨updated⟩"),
        ("Posted 5 minutes ago", "⟨ago⟩"),
        ("Request ID: 9f8e7d6c-1234-4abc-9def-0123456789ab", "⟨id⟩"),
        ("Ray ID: 7d3f2a9c1b", "⟨id⟩"),
        ("token Xk9_aPq2LmZ8vB3nR7tY1wQe", "⟨id⟩"),
        ("You are visitor 1234567", "⟨n⟩"),
        ("on Nov 22, 2026 we", "⟨date⟩"),
        ("at 02:25:13 UTC", "⟨time⟩"),
        ("Server time: 02:25", "⟨updated⟩"),
        ("Rendered in 23 ms", "⟨n⟩"),
        ("37 people online", "⟨n⟩"),
        ("Visitors today: 537", "⟨n⟩"),
        ("Page loaded in 0.23 seconds", "⟨n⟩"),
        ("Unix time 1795832713.123", "⟨n⟩"),
        ("Served by worker 4821", "⟨n⟩"),
    ],
)
def test_noise_is_replaced_by_placeholders(text: str, placeholder: str) -> None:
    assert placeholder in denoise(text)
    assert not any(char.isdigit() for char in denoise(text))


def test_opening_hours_and_ages_are_not_noise() -> None:
    text = (
        "Open 10am to 4pm, 9:00 to 17:00, for people aged 18 and over, within 48 hours. "
        "Chat online 7 days a week."
    )
    assert denoise(text) == text


def test_similarity_is_a_weighted_jaccard() -> None:
    a = Counter({"x": 6, "y": 4})
    assert similarity(a, a) == 1.0
    assert similarity(Counter(), Counter()) == 1.0
    assert similarity(a, Counter({"x": 6})) == 0.6
    assert similarity(a, Counter({"x": 6, "z": 4})) == pytest.approx(6 / 14)
    assert similarity(a, Counter({"x": 6}), excused=4) == 1.0


def test_compare_answers_whether_to_report() -> None:
    baseline = snapshot(Page("T", "Call 0808 800 5000 any day."), region="GB")
    assert compare(baseline, Page("T", "Call 0808 800 5000 any day.")) is None
    change = compare(baseline, Page("T2", "Call 0808 800 5009 any day."))
    assert change is not None
    assert (change.title_before, change.title_after) == ("T", "T2")
    assert change.facts_removed == ("phone +44 808 800 5000 (0808 800 5000)",)


def test_threshold_is_configurable() -> None:
    baseline = snapshot(Page(None, "One two three four. Five six seven eight nine ten."))
    page = Page(None, "One two three four. Eleven twelve thirteen fourteen.")
    assert evaluate(baseline, page, ChangeSettings(threshold=0.1)).change is None
    assert evaluate(baseline, page, ChangeSettings(threshold=0.9)).change is not None


def test_region_of_jurisdiction() -> None:
    assert region_of("US-CA") == "US"
    assert region_of("gb") == "GB"
    assert region_of("XX") is None
    assert region_of(None) is None


def test_fingerprint_ignores_block_order() -> None:
    sentences = [f"Sentence number {word} has several words." for word in "abcdef"]
    shuffled = list(itertools.permutations(sentences))[17]
    baseline = snapshot(Page("T", " ".join(sentences)))
    assert evaluate(baseline, Page("T", " ".join(shuffled))).similarity == 1.0


def test_a_page_full_of_numbers_is_cut_short() -> None:
    numbers = " ".join(f"Call 0808 800 {i:04d}." for i in range(2000))
    found = facts(numbers, region="GB")
    assert 0 < len(found) <= MAX_PHONE_CANDIDATES
    long_text = "A sentence that repeats itself. " * 20_000
    assert len(long_text) > MAX_TEXT
    assert (
        snapshot(Page(None, long_text)).fingerprint
        == snapshot(Page(None, long_text[:MAX_TEXT])).fingerprint
    )


@pytest.mark.parametrize(
    ("before", "after", "region"),
    [
        # Fictional 555 numbers and other countries' national formats are not "valid" for
        # libphonenumber; a one-digit change in them must still change the facts.
        ("Our helpline: (555) 010-0199", "Our helpline: (555) 010-0198", "US"),
        ("Call 1-800-555-0199 any time", "Call 1-800-555-0190 any time", "GB"),
        ("Freephone 0800 123 4567", "Freephone 0800 123 4568", "US"),
    ],
)
def test_numbers_outside_the_regions_plan_are_facts_too(
    before: str, after: str, region: str
) -> None:
    old, new = facts(before, region=region), facts(after, region=region)
    assert old and new and old != new


@pytest.mark.parametrize("name", ["boilerplate-moved", "consent-wall", "nav-footer"])
def test_boilerplate_and_moved_paragraphs_are_not_a_change(name: str) -> None:
    # boilerplate-moved: paragraphs and sections moved, a cookie banner added and another
    # sidebar ("You might also like" for "Related pages"); consent-wall: a consent dialog;
    # nav-footer: another menu and footer. The main content says the same.
    before, after = _twice(name)
    baseline = snapshot(before, region="GB", names=NAMES)
    assert baseline.fingerprint_version == FINGERPRINT_VERSION == 2
    result = evaluate(baseline, after)
    assert result.change is None
    assert result.similarity == 1.0
    # Read from the whole visible text, as before, the same fetches were a change.
    whole = Page(before.title, before.text)
    assert evaluate(snapshot(whole, region="GB"), Page(after.title, after.text)).change is not None


def test_menu_items_stay_out_of_the_sentences_next_to_them() -> None:
    # Short blocks (menu items, buttons) are sentences of their own, left out as too short;
    # read as one text, "Contact" merged into the sentence after it.
    page = Page("T", "x", main="Home\nContact\nWe listen to you and never judge you.\nDonate")
    whole = Page("T", "Home Contact We listen to you and never judge you. Donate")
    moved = Page("T", "x", main="Donate\nWe listen to you and never judge you.\nNews\nHome")
    assert evaluate(snapshot(page), moved).similarity == 1.0
    assert evaluate(
        snapshot(whole), Page("T", "Donate We listen to you and never judge you.")
    ).change


def test_changed_phone_number_in_the_main_content_is_a_change() -> None:
    before, after = _twice("main-phone")
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is not None
    assert result.facts_removed == ("phone +44 808 802 4040 (0808 802 4040)",)
    assert result.facts_added == ("phone +44 808 802 4041 (0808 802 4041)",)


def test_changed_advice_in_the_main_content_is_a_change() -> None:
    before, after = _twice("main-advice")
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is not None
    assert result.similarity < ChangeSettings().threshold
    assert result.facts_added == result.facts_removed == ()


@pytest.mark.parametrize(
    ("name", "notice"),
    [
        ("closure-closed", "closure: this service has now closed"),
        ("closure-no-calls", "closure: no longer taking calls"),
        ("closure-suspended", "closure: our helpline has been temporarily suspended"),
        ("closure-until", "closure: the helpline is temporarily closed"),
    ],
)
def test_a_closure_notice_is_a_change_with_the_notice_as_a_fact(name: str, notice: str) -> None:
    before, after = _twice(name)
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is not None
    assert result.change.facts_added == (notice,)
    # However lenient the threshold: a closed service is always reported.
    assert evaluate(snapshot(before, region="GB"), after, ChangeSettings(threshold=0.0)).change


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This service has now closed. Thank you.", ["this service has now closed"]),
        ("We are no longer accepting new referrals.", ["no longer accepting new referrals"]),
        ("Referrals are closed until further notice.", ["closed until further notice"]),
        ("The Leeds service will close on 31 March.", ["the leeds service will close"]),
        ("This charity has ceased operating.", ["this charity has ceased"]),
        ("This service closed on 1 March.", ["this service closed on 1 march"]),
        ("The helpline shut down in 2025.", ["the helpline shut down in 2025"]),
        ("This page has been archived.", ["this page has been archived"]),
        ("It is no longer updated.", ["no longer updated"]),
        # Opening hours, and advice that only sounds like a closure, are not closures.
        ("The helpline is closed on bank holidays.", []),
        ("Our helpline has now closed for the day.", []),
        ("The helpline is now closed. We open again at 9am tomorrow.", []),
        ("Our lines are closed. Our chat is now closed.", []),
        ("If the image is no longer available online, tell us.", []),
        ("The account was suspended after we reported it.", []),
        ("The helpline will close at 8pm.", []),
        ("Our helpline is closed on 25 December.", []),
        ("The helpline closed on Sundays last year, but is open now.", []),
    ],
)
def test_closure_notices(text: str, expected: list[str]) -> None:
    assert list(closures(text)) == expected


def test_an_entry_fingerprinted_from_the_whole_text_is_compared_that_way() -> None:
    # Baselines accepted before main content was compared hold whole-text sentences: compared
    # with main-content sentences, every page would differ. They are compared as they were
    # made, and a closure notice that was already in the reviewed text is not news.
    before, after = _twice("boilerplate-moved")
    old = snapshot(Page(before.title, before.text), region="GB")
    assert old.fingerprint_version == 1
    assert similarity(old.weights(), snapshot(after).weights()) < 0.5  # what must not happen
    same = Page(before.title, before.text, main=before.main)
    assert evaluate(old, same).change is None
    noticed = Page("T", "Our helpline has been temporarily suspended while we move offices.")
    reviewed = snapshot(noticed, region="GB")
    stripped = dataclasses.replace(
        reviewed, facts=(), fingerprint_version=1
    )  # accepted when closures were not facts
    assert evaluate(stripped, dataclasses.replace(noticed, main=noticed.text)).change is None
    fresh = dataclasses.replace(stripped, fingerprint=())  # the notice was not reviewed
    change = evaluate(fresh, noticed, ChangeSettings(threshold=0.0)).change
    assert change is not None
    assert change.facts_added == ("closure: our helpline has been temporarily suspended",)


def test_a_main_content_entry_without_main_content_is_judged_by_title_and_facts() -> None:
    page = Page("Help", "Call 0808 800 5000 any day.", main="Call 0808 800 5000 any day.")
    baseline = snapshot(page, region="GB")
    assert evaluate(baseline, Page("Help", "Something else entirely, every word.")).change
    assert (
        evaluate(baseline, Page("Help", "Other words. Call 0808 800 5000 any day.")).change is None
    )
    assert evaluate(baseline, Page("Other", "Call 0808 800 5000 any day.")).change is not None


# Held-out behaviours (issue 14's check): what real pages change between two runs.
@pytest.mark.parametrize(
    "name",
    [
        "held-date-stamp",  # "last reviewed" dates and "generated in 0.042 seconds"
        "held-visitor-counter",  # "visitor number 18,233", "12 advisers are online"
        "held-csrf-token",  # a form's hidden token, reference and session expiry time
    ],
)
def test_held_out_noise_is_not_a_change(name: str) -> None:
    before, after = _twice(name)
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is None, result


@pytest.mark.parametrize(
    "name",
    [
        "held-text-shortcode",  # "text SAFE to 85258" became 85259: a different service
        "held-closed-on-date",  # "This service closed on 1 March." added
        "held-archived",  # "This page has been archived and is no longer updated." added
        "held-hours-changed",  # every day 9am-9pm became Monday to Friday 10am-4pm
    ],
)
def test_held_out_substantive_change_is_caught(name: str) -> None:
    before, after = _twice(name)
    result = evaluate(snapshot(before, region="GB", names=NAMES), after)
    assert result.change is not None, result


def test_a_text_services_keyword_and_short_code_are_facts() -> None:
    # Four-to-six-digit short codes are hidden from similarity as noise; as facts, one
    # changed digit (or keyword) is a change.
    assert "text SHOUT to 85258" in facts("Text SHOUT to 85258, any time.")
    assert "text SHOUT to 85258" in facts("text \u201cshout\u201d to 85258")
    assert not any(fact.startswith("text ") for fact in facts("Text us to find out more."))


def test_facts_of_later_kinds_in_reviewed_sentences_are_not_new() -> None:
    # An entry accepted before "closed on <date>" and text short codes were facts: the same
    # page is no change; the same notice appearing since it was reviewed is one.
    main = (
        "We listen to anyone who needs to talk, at any hour.\n"
        "This service closed on 1 March and we thank every volunteer.\n"
        "Text SHOUT to 85258 for support by text message, day or night."
    )
    page = Page("Help", main.replace("\n", " "), main=main)
    current = snapshot(page, region="GB")
    assert {"closure: this service closed on 1 march", "text SHOUT to 85258"} <= set(current.facts)
    older = dataclasses.replace(current, facts=())
    assert evaluate(older, page).change is None
    first = main.split("\n")[0] + "\nWe answer every message within a day, kindly and fully."
    older_without = dataclasses.replace(snapshot(Page("Help", first, main=first)), facts=())
    assert evaluate(older_without, page).facts_added
