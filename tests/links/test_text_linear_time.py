"""The passes over a page's text run in linear time: extraction, main content, sentences,
fingerprints and facts, timed at n and 4n on adversarial inputs (see tests/lineartime.py),
and on a 1 MB page within a bound of a plain page of the same size."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guidelint.links import change, content, facts
from guidelint.links.change import ChangeSettings
from lineartime import best, superlinear

SETTINGS = ChangeSettings()

# Runs and mixes that the sentence split, noise patterns, phone matcher and closure patterns
# could rescan: letters, digits, spaces, slashes, dashes, quotes, tokens, phone-like groups,
# sentence ends, the words a closure notice starts with, e-mail fragments, block breaks.
TEXT_UNITS = (
    "a", "1", " ", "/", "-", '"', "a1", "-a", "a. ", "0808 800 ", "Call 0808 800 5000. ",
    "Xk9_aPq2LmZ8vB3n+/=", "the service is ", "no longer ", "a@b.", "\n", "é",
    "the service closed on 1 ", "text a ", "text ab to ",
)  # fmt: skip

TEXT_PASSES: dict[str, Callable[[str], object]] = {
    "sentences": change.sentences,
    "fingerprint": lambda text: change.fingerprint("T", text, SETTINGS),
    "fingerprint of blocks": lambda text: change.fingerprint("T", text, SETTINGS, blocks=True),
    "facts": lambda text: facts.facts(text, region="GB", names=("Safe Haven",)),
}


@pytest.mark.parametrize("name", TEXT_PASSES)
def test_text_passes_run_in_linear_time(name: str) -> None:
    run = TEXT_PASSES[name]
    slow = []
    for unit in TEXT_UNITS:

        def make(n: int, unit: str = unit) -> str:
            return (unit * (n // len(unit) + 1))[:n]

        # 4n stays under change.MAX_TEXT: the cut must not hide a quadratic pass.
        figures = superlinear(run, make, start=8_000, cap=32_000, target=0.0005)
        if figures is not None:
            slow.append(f"{name} on {unit!r}*: {figures}")
    assert not slow, "\n".join(slow)


# Markup that makes a parser or an extractor work: deep nesting of several kinds, misnested
# formatting, comments, scripts, self-closing SVG, huge attributes, tags without ends.
PAGES = {
    "nested divs": "<div>x",
    "nested lists": "<ul><li>x",
    "nested definitions": "<dl><dd>x",
    "nested formatting": "<b><i>x",
    "misnested formatting": "<b><i>x</b></i>",
    "tables in divs": "<table><div>x",
    "comments": "<!--<div>-->",
    "scripts": "<script>'<div>'</script>",
    "svg": "<svg><path d='M0'/>",
    "long attribute": "<div class='" + "a" * 40 + "'>x",
    "unclosed angle": "<a",
    "unclosed tags": "<div x",
    "paragraphs": "<p>Call us free on 0808 800 5000, any day of the week.</p>",
}

MARKUP_PASSES: dict[str, Callable[[str], object]] = {
    "extract": content.extract,
    "main_text": content.main_text,
}


def _page(unit: str, n: int) -> str:
    return "<!doctype html><title>T</title><body>" + unit * (n // len(unit))


@pytest.mark.parametrize("name", MARKUP_PASSES)
def test_markup_passes_run_in_linear_time(name: str) -> None:
    run = MARKUP_PASSES[name]
    slow = []
    for shape, unit in PAGES.items():

        def make(n: int, unit: str = unit) -> str:
            return _page(unit, n)

        # 32,000 characters hold more than 512 tags of every shape: n and 4n are read alike.
        figures = superlinear(run, make, start=32_000, cap=32_000, target=0)
        if figures is not None:
            slow.append(f"{name} on {shape}: {figures}")
    assert not slow, "\n".join(slow)


@pytest.mark.parametrize("name", MARKUP_PASSES)
def test_a_one_megabyte_page_costs_what_a_plain_one_does(name: str) -> None:
    # At the size the checker reads (its body cap is 2 MB), every shape within a few times
    # the cost of plain paragraphs: <div> x 100,000 took 26.5 s to parse before the bounds.
    run = MARKUP_PASSES[name]
    size = 1024 * 1024
    plain = best(run, _page(PAGES["paragraphs"], size), 2)
    slow = {
        shape: f"{took:.3f} s, plain {plain:.3f} s"
        for shape in (
            *("nested divs", "nested lists", "nested definitions", "misnested formatting"),
            "unclosed tags",  # each tag's end was searched for to the end of the page
        )
        if (took := best(run, _page(PAGES[shape], size), 1)) > 10 * plain + 0.05
    }
    assert not slow
