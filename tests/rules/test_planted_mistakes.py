"""One planted mistake per guide, in guides of several jurisdictions and both shapes.

Each clean guide (curated: slots, references, names; imported: flat steps and bare
`{id, url}` resources, as `guidelint import` writes them) must lint without errors. Then one
mistake is planted on one line, and some rule that was silent on the clean guide must report
that very line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from guidelint.config import Config
from guidelint.diagnostics import Diagnostic, Severity
from guidelint.lint import build_selection, lint_files

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Place:
    code: str
    language: str
    number: str
    wrong: str  # another country's emergency number
    helpline: str  # a helpline number written in prose: never an emergency number
    report_name: str
    report_url: str
    support_name: str
    support_url: str


PLACES = [
    Place("US", "en-US", "911", "999", "844-878-2274", "FBI Internet Crime Complaint Center (IC3)",
          "https://www.ic3.gov/", "Cyber Civil Rights Initiative Crisis Helpline",
          "https://cybercivilrights.org/ccri-crisis-helpline/"),
    Place("GB", "en-GB", "999", "911", "0345 6000 459", "Police.uk: report a crime",
          "https://www.police.uk/pu/contact-us/", "Revenge Porn Helpline",
          "https://revengepornhelpline.org.uk/"),
    Place("IE", "en-IE", "112", "000", "1800 77 8888", "Hotline.ie: report illegal content",
          "https://hotline.ie/", "Dublin Rape Crisis Centre", "https://www.drcc.ie/"),
    Place("AU", "en-AU", "000", "999", "1800 737 732", "eSafety Commissioner: report abuse",
          "https://www.esafety.gov.au/report", "1800RESPECT", "https://www.1800respect.org.au/"),
    Place("NZ", "en-NZ", "111", "911", "0508 638 723", "Netsafe: report online harm",
          "https://netsafe.org.nz/", "Safe to talk", "https://safetotalk.nz/"),
    Place("CA", "en-CA", "911", "000", "1-866-658-9022", "Cybertip.ca: report",
          "https://www.cybertip.ca/en/report/", "Canadian Centre for Child Protection",
          "https://protectchildren.ca/en/"),
    Place("US-CA", "en-US", "911", "112", "844-878-2274", "FBI Internet Crime Complaint Center (IC3)",
          "https://www.ic3.gov/", "Cyber Civil Rights Initiative Crisis Helpline",
          "https://cybercivilrights.org/ccri-crisis-helpline/"),
    Place("GB-SCT", "en-GB", "999", "911", "0345 6000 459", "Police.uk: report a crime",
          "https://www.police.uk/pu/contact-us/", "Revenge Porn Helpline",
          "https://revengepornhelpline.org.uk/"),
]  # fmt: skip

HEADER = """\
id: {id}
situation_id: planted
jurisdiction: {p.code}
language: {p.language}
last_reviewed: '2026-11-01'
owner: Guides editorial team
title: What to do if…
situation: someone threatens to share an intimate image of you
short_answer: Stop contact, save what you need, and get specialist help today.
do_not:
- Don’t pay, and don’t send more images — it often escalates within 24 hours.
"""
CURATED_STEPS = """\
steps:
- text: If you feel unsafe, leave and call {p.number}.
  slot: get-safe
- text: Keep screenshots of the threats, the date (12/05) and time (21:15).
  slot: preserve-evidence
- text: Report the threats.
  slot: report-threats
  resources:
  - report
  substeps:
  - text: If you are in immediate danger, call {p.number}; otherwise report online.
- text: Talk to a specialist on {p.helpline} (free, 24 hours).
  slot: specialist-support
  resources:
  - support
"""
IMPORTED_STEPS = """\
steps:
- text: If you feel unsafe, leave and call {p.number}.
- text: Keep screenshots of the threats, the date (12/05) and time (21:15).
- text: Report the threats.
- text: If you are in immediate danger, call {p.number}; otherwise report online.
- text: Talk to a specialist on {p.helpline} (free, 24 hours).
"""
FOOTER = """\
can_wait:
- You don’t need to decide today whether to go to court.
reassurance: This is not your fault, and you don’t have to handle it alone.
scope_note: These are first steps for people aged 18 and over.
important_note: This guide is general information, not legal advice. If you are in immediate danger, call {p.number}.
"""
CURATED_RESOURCES = """\
resources:
- id: report
  name: '{p.report_name}'
  url: {p.report_url}
  kind: reporting
  jurisdictions:
  - {p.code}
- id: support
  name: '{p.support_name}'
  url: {p.support_url}
  kind: helpline
  jurisdictions:
  - {p.code}
"""
IMPORTED_RESOURCES = """\
resources:
- id: report
  url: {p.report_url}
- id: support
  url: {p.support_url}
"""


def clean_guide(place: Place, shape: str) -> str:
    steps, resources = (
        (CURATED_STEPS, CURATED_RESOURCES)
        if shape == "curated"
        else (IMPORTED_STEPS, IMPORTED_RESOURCES)
    )
    guide_id = f"planted-{place.code.lower()}-{shape}"
    return (HEADER + steps + FOOTER + resources).format(id=guide_id, p=place)


Plant = Callable[[str, Place], tuple[str, int]]  # -> (new text, the line now wrong)


def _replace_line(text: str, old: str, new: str) -> tuple[str, int]:
    """Replace the first `old`; the wrong line is the last line `new` writes."""
    index = text.index(old)
    last_line = text[:index].count("\n") + new.rstrip("\n").count("\n") + 1
    return text[:index] + new + text[index + len(old) :], last_line


def wrong_number(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(text, f"leave and call {p.number}.", f"leave and call {p.wrong}.")


def wrong_number_in_note(text: str, p: Place) -> tuple[str, int]:
    old = f"If you are in immediate danger, call {p.number}.\n"
    return _replace_line(text, old, f"If you are in immediate danger, call {p.wrong}.\n")


def note_without_number(text: str, p: Place) -> tuple[str, int]:
    old = f"If you are in immediate danger, call {p.number}.\n"
    return _replace_line(
        text, old, "If you are in immediate danger, call the emergency services.\n"
    )


def note_without_disclaimer(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(text, "general information, not legal advice.", "general information.")


def http_in_prose(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(
        text,
        "Report the threats.",
        f"Report the threats at {p.report_url.replace('https', 'http')}.",
    )


def shortener(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(text, f"url: {p.support_url}", "url: https://bit.ly/3xYzAbC")


def duplicate_url(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(text, f"url: {p.support_url}", f"url: {p.report_url}")


def malformed_url(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(
        text, f"url: {p.support_url}", f"url: {p.support_url.replace('https://', 'https://admin@')}"
    )


def http_resource(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(
        text, f"url: {p.support_url}", f"url: {p.support_url.replace('https', 'http')}"
    )


def other_jurisdiction(text: str, p: Place) -> tuple[str, int]:
    other = "NZ" if not p.code.startswith("NZ") else "AU"
    return _replace_line(text, f"  kind: helpline\n  jurisdictions:\n  - {p.code}\n",
                         f"  kind: helpline\n  jurisdictions:\n  - {other}\n")  # fmt: skip


def dangling_reference(text: str, p: Place) -> tuple[str, int]:
    return _replace_line(text, "  resources:\n  - support\n", "  resources:\n  - suport\n")


BOTH: list[Plant] = [
    wrong_number,
    wrong_number_in_note,
    note_without_number,
    note_without_disclaimer,
    http_in_prose,
    shortener,
    duplicate_url,
    malformed_url,
    http_resource,
]
CURATED_ONLY: list[Plant] = [other_jurisdiction, dangling_reference]
# The rule each mistake is meant for (others may report the same line too).
MEANT_FOR: dict[Plant, str] = {
    wrong_number: "GL201",
    wrong_number_in_note: "GL201",
    note_without_number: "GL202",
    note_without_disclaimer: "GL203",
    http_in_prose: "GL304",
    shortener: "GL306",
    duplicate_url: "GL307",
    malformed_url: "GL305",
    http_resource: "GL304",  # the URL rules, not the schema's pattern, say what to write
    other_jurisdiction: "GL204",
    dangling_reference: "GL303",
}


def _lint(path: Path) -> list[Diagnostic]:
    return lint_files([path], build_selection(Config(root=REPO))).diagnostics


CASES = [
    (place, shape, plant)
    for place in PLACES
    for shape in ("curated", "imported")
    for plant in BOTH + (CURATED_ONLY if shape == "curated" else [])
]


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.code)
@pytest.mark.parametrize("shape", ["curated", "imported"])
def test_clean_guides_have_no_errors(tmp_path: Path, place: Place, shape: str) -> None:
    path = tmp_path / f"planted-{place.code.lower()}-{shape}.yaml"
    path.write_text(clean_guide(place, shape), encoding="utf-8")
    diagnostics = _lint(path)
    allowed = {"GL308"} if shape == "imported" else set()  # imported resources have no names
    assert [d for d in diagnostics if d.code not in allowed] == []
    assert all(d.severity is not Severity.ERROR for d in diagnostics)


@pytest.mark.parametrize(
    ("place", "shape", "plant"),
    CASES,
    ids=[f"{p.code}-{shape}-{plant.__name__}" for p, shape, plant in CASES],
)
def test_planted_mistake_is_reported_on_its_line(
    tmp_path: Path, place: Place, shape: str, plant: Plant
) -> None:
    clean = clean_guide(place, shape)
    path = tmp_path / f"planted-{place.code.lower()}-{shape}.yaml"
    path.write_text(clean, encoding="utf-8")
    silent_on_clean = {d.code for d in _lint(path)}
    planted, line = plant(clean, place)
    path.write_text(planted, encoding="utf-8")
    hits = [d for d in _lint(path) if d.line == line and d.code not in silent_on_clean]
    assert MEANT_FOR[plant] in {d.code for d in hits}, (
        f"{MEANT_FOR[plant]} not reported on line {line}: {planted.splitlines()[line - 1]!r}"
    )
