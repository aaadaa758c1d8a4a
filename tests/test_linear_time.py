"""Every regular expression that reads remote pages or guide text runs in linear time.

The test finds the patterns itself: every `re.Pattern` held at module level (alone or in
tuples, lists, dicts and sets) by any module of `guidelint` (guide text and remote text
pass through more than the link checker and the rules: phones, URLs, escaping, rendering),
and every pattern made with `guidelint.lazyre.lazy_pattern`. Each is run over adversarial
inputs of n and 4n characters (long runs of one letter, digits, spaces, slashes, dashes,
quotes; mixes such as "a1", "ab/", "-a"; hex- and base64-like tokens; the pattern's own
words repeated) and must cost at most ~5x as much on 4n (see tests/lineartime.py).

A new pattern is tested by being written: nothing here lists them.
"""

from __future__ import annotations

import collections
import faulthandler
import importlib
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

import guidelint
from guidelint import lazyre
from lineartime import superlinear

PACKAGES = (guidelint,)

# Units repeated to the input's length: runs and mixes that make a pattern try (and fail)
# at every position, or rescan a run from each.
UNITS = (
    "a", "A", "1", " ", "/", "-", '"', "'", ".", "\n", "_", "=", "+", "<", ":", "@", "(",
    "a1", "ab/", "-a", "a-", "a ", "1 ", "1-", "1.", "a.", "+a", "a@", "1:", "aZ", "a/",
    "a'", "a. ", "a, ", "a / ", "<a ", "a=", "é",
    "deadbeef01",  # hex-like
    "Xk9_aPq2LmZ8vB3n+/=",  # base64-like
    "0808 800 ",  # phone-like
)  # fmt: skip


def _patterns_in(value: Any, depth: int = 0) -> Iterator[re.Pattern[Any]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, tuple | list | set | frozenset):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def _modules() -> Iterator[ModuleType]:
    for package in PACKAGES:
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.endswith(".__main__"):  # importing it runs the command
                yield importlib.import_module(info.name)


def discovered() -> dict[str, re.Pattern[Any]]:
    """Every pattern to test, by where it was found."""
    found: dict[str, re.Pattern[Any]] = {}
    seen: set[int] = set()
    for module in _modules():
        for name, value in vars(module).items():
            for index, pattern in enumerate(_patterns_in(value)):
                if id(pattern) not in seen:
                    seen.add(id(pattern))
                    found[f"{module.__name__}.{name}[{index}]"] = pattern
    names = {
        id(value): f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
        for module in list(sys.modules.values())
        if module is not None and module.__name__.startswith("guidelint.")
        for name, value in vars(module).items()
        if callable(value)
    }
    for lazy in lazyre.REGISTRY:  # filled as the modules above were imported
        pattern = lazy()
        if id(pattern) not in seen:
            seen.add(id(pattern))
            found[f"lazy {names.get(id(lazy), repr(pattern.pattern[:40]))}"] = pattern
    return found


def _words(pattern: re.Pattern[Any]) -> list[str]:
    """The pattern's own literal words, escapes (\\d, \\b, …) left out."""
    source = pattern.pattern
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    return re.findall(r"[a-zA-Z]{2,}", re.sub(r"\\.", " ", source))


def inputs(pattern: re.Pattern[Any]) -> dict[str, Callable[[int], Any]]:
    units = list(UNITS)
    words = _words(pattern)
    if words:
        units += [" ".join(words) + " ", "".join(words), words[0], f"{words[0]} "]
    encode = isinstance(pattern.pattern, bytes)

    def maker(unit: str, lead: str = "", end: str = "") -> Callable[[int], Any]:
        def make(n: int) -> Any:
            text = lead + (unit * (n // len(unit) + 1))[: n - len(lead) - len(end)] + end
            return text.encode("utf-8") if encode else text

        return make

    made = {unit: maker(unit) for unit in dict.fromkeys(units)}
    # One of its words, then a long run and a stray character: what follows a keyword is
    # often scanned twice, and fails only at the end.
    for word in dict.fromkeys(words[:1] + words[-1:]):
        for run in (" ", "-", "a"):
            made[f"{word}+{run!r}"] = maker(run, f"{word} ", "\x01")
    return made


def _scan(pattern: re.Pattern[Any]) -> Callable[[Any], None]:
    def run(text: Any) -> None:
        # finditer tries every position, as search (no match) and sub do.
        collections.deque(pattern.finditer(text), maxlen=0)

    return run


def test_the_patterns_are_found() -> None:
    found = discovered()
    sources = {pattern.pattern for pattern in found.values()}
    # One of each kind the search must reach: in a tuple of pairs, lazy, bytes, plain.
    from guidelint.links import change, content, signals
    from guidelint.rules import placeholder

    assert change._NOISE[0][0].pattern in sources
    assert placeholder._marker_pattern().pattern in sources
    assert content._INVISIBLE_TAGS.pattern in sources
    assert signals._NOT_FOUND.pattern in sources
    assert len(found) >= 50


def _timed(where: str, pattern: re.Pattern[Any], *, first: bool = False) -> list[str]:
    """What is superlinear about `pattern` (only the first input found with `first`)."""
    # A pattern that backtracks exponentially would never return: stop the run with a
    # traceback naming it rather than hang CI.
    faulthandler.dump_traceback_later(300, exit=True)
    slow = []
    try:
        for unit, make in inputs(pattern).items():
            figures = superlinear(_scan(pattern), make)
            if figures is not None:
                slow.append(f"{where} /{pattern.pattern!r}/ on {unit!r}*: {figures}")
                if first:
                    break
    finally:
        faulthandler.cancel_dump_traceback_later()
    return slow


def test_every_pattern_runs_in_linear_time() -> None:
    slow = [line for where, pattern in discovered().items() for line in _timed(where, pattern)]
    assert not slow, "superlinear patterns:\n" + "\n".join(slow)


@pytest.mark.parametrize("unit", ["a", "a1"])
def test_the_check_catches_a_quadratic_pattern(unit: str) -> None:
    # The shape of the look-ahead that stalled change.denoise (issue 14): rescans from every
    # position. If this passed, the test above could not fail.
    quadratic = re.compile(r"(?=[\w-]*\d)(?=[\w-]*z)[\w-]{16,}")
    assert superlinear(_scan(quadratic), inputs(quadratic)[unit]) is not None
