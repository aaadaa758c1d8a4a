"""The link-health workflow and `make links` only use flags `guidelint links` has."""

from __future__ import annotations

import re
import shlex

import pytest

from guidelint.cli import build_parser
from support import ROOT


def _commands(text: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", text)  # shell line continuations
    joined = joined.replace("$(BIN)/", "")
    return [match.group(1) for match in re.finditer(r"^\s*(guidelint links[^\n]*)", joined, re.M)]


@pytest.mark.parametrize("name", [".github/workflows/link-health.yml", "Makefile"])
def test_every_links_command_parses(name: str) -> None:
    commands = _commands((ROOT / name).read_text(encoding="utf-8"))
    assert commands
    for command in commands:
        words = shlex.split(command.split(" 2>")[0])
        args = build_parser().parse_args(words[1:])
        assert args.command == "links"
        assert all("=" in spec for spec in args.report)
    reports = {
        spec
        for command in commands
        for spec in build_parser().parse_args(shlex.split(command.split(" 2>")[0])[1:]).report
    }
    formats = {spec.split("=", 1)[0] for spec in reports}
    assert {"json", "markdown", "html"} <= formats  # one run writes every report
