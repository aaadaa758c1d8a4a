"""Lint baselines: accepted findings survive line moves, edits make them new, files are strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidelint.config import Config
from guidelint.diagnostics import Diagnostic, Severity
from guidelint.lint import build_selection, lint_paths
from guidelint.lint_baseline import (
    MAX_BYTES,
    Baseline,
    BaselineError,
    Key,
    build,
    dumps,
    file_lines,
    filter_new,
    key_path,
    line_hash,
    load,
    loads,
    save,
)
from lineartime import pair
from support import FIXTURES

SLASHED = FIXTURES / "rules" / "GL405" / "fail" / "slash-us.yaml"


def _lint(folder: Path) -> list[Diagnostic]:
    config = Config(root=folder)
    return lint_paths([folder], build_selection(config, select=["GL405"])).diagnostics


def _copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "slash-us.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_accepted_findings_stay_accepted_when_lines_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    original = SLASHED.read_text(encoding="utf-8")
    _copy(tmp_path, original)
    today = _lint(tmp_path)
    assert len(today) == 2
    baseline = build(today, file_lines(), tmp_path)
    assert baseline.total == 2
    # A new item above both findings moves them down a line: still accepted.
    moved = original.replace("do_not:\n", "do_not:\n- Don’t reply to them.\n")
    _copy(tmp_path, moved)
    later = _lint(tmp_path)
    assert [d.line for d in later] == [d.line + 1 for d in today]
    result = filter_new(later, baseline, file_lines(), tmp_path)
    assert result.new == [] and len(result.accepted) == 2 and result.fixed == 0


def test_an_edited_line_makes_its_finding_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    original = SLASHED.read_text(encoding="utf-8")
    _copy(tmp_path, original)
    baseline = build(_lint(tmp_path), file_lines(), tmp_path)
    edited = original.replace("Tell a friend/relative.", "Tell a friend/neighbour.")
    _copy(tmp_path, edited)
    result = filter_new(_lint(tmp_path), baseline, file_lines(), tmp_path)
    assert [(d.line, d.code) for d in result.new] == [(23, "GL405")]
    assert len(result.accepted) == 1
    assert result.fixed == 1  # the old line's acceptance no longer matches anything


def test_identical_findings_are_counted() -> None:
    lines = {1: "text: and/or", 2: "text: and/or", 3: "text: and/or"}.get
    found = [
        Diagnostic("a.yaml", line, 7, "GL405", "slash-construction", Severity.WARNING, "m")
        for line in (1, 2)
    ]
    baseline = build(found, lambda _path, line: lines(line, ""), Path.cwd())
    assert list(baseline.counts.values()) == [2]
    third = Diagnostic("a.yaml", 3, 7, "GL405", "slash-construction", Severity.WARNING, "m")
    result = filter_new([*found, third], baseline, lambda _p, line: lines(line, ""), Path.cwd())
    assert result.new == [third]
    # One of the two fixed: the other is still accepted, and one acceptance is left over.
    result = filter_new(found[:1], baseline, lambda _p, line: lines(line, ""), Path.cwd())
    assert result.new == [] and result.fixed == 1


def test_rule_and_file_are_part_of_the_key() -> None:
    line = "text: and/or"
    accepted = Diagnostic("a.yaml", 1, 1, "GL405", "slash-construction", Severity.WARNING, "m")
    baseline = build([accepted], lambda _p, _l: line, Path.cwd())
    other_rule = accepted._replace(code="GL403", name="sentence-length")
    other_file = accepted._replace(path="b.yaml")
    result = filter_new([other_rule, other_file], baseline, lambda _p, _l: line, Path.cwd())
    assert result.new == [other_rule, other_file]


def test_paths_are_relative_to_the_root_and_posix(tmp_path: Path) -> None:
    inside = tmp_path / "guides" / "gb" / "a.yaml"
    assert key_path(str(inside), tmp_path) == "guides/gb/a.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    assert key_path(str(outside), tmp_path) == outside.as_posix()
    assert line_hash("  - text: a  ") == line_hash("- text: a")
    assert len(line_hash("x")) == 16


def test_round_trip_is_sorted_one_finding_a_line(tmp_path: Path) -> None:
    baseline = Baseline(
        {
            Key("GL405", "guides/b.yaml", "0" * 16): 1,
            Key("GL301", "guides/a.yaml", "f" * 16): 3,
        }
    )
    text = dumps(baseline)
    lines = text.splitlines()
    assert lines[3].lstrip().startswith('{"rule": "GL301"') and lines[4].lstrip().startswith(
        '{"rule": "GL405"'
    )
    assert text.endswith("}\n")
    path = tmp_path / "sub" / "lint-baseline.json"
    save(path, baseline)
    assert load(path) == baseline
    assert list(tmp_path.joinpath("sub").iterdir()) == [path]  # no temporary left behind
    assert loads(dumps(Baseline({}))) == Baseline({})


ENTRY = '{"rule": "GL405", "path": "a.yaml", "hash": "0123456789abcdef", "count": 1}'


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("[]", 1, 1, "JSON object"),
        ('{"version": 1}', 1, 1, "'findings' must be a list"),
        ('{"version": 2, "findings": []}', 1, 1, "'version' must be 1"),
        ('{"version": true, "findings": []}', 1, 1, "'version' must be 1"),
        ('{"version": 1, "findings": [], "extra": 1}', 1, 1, "unknown key 'extra'"),
        ('{"version": 1,\n "findings": [\n  {"rule": "X1", "why": 1}]}', 3, 3, "unknown key 'why'"),
        (
            '{"version": 1,\n "findings": [\n  ' + ENTRY.replace('"count": 1', '"count": 0') + "]}",
            3,
            3,
            "'count' must be a whole number",
        ),
        (
            '{"version": 1,\n "findings": [\n  ' + ENTRY.replace("0123", "XYZW") + "]}",
            3,
            3,
            "'hash' must be 16 lower-case hex digits",
        ),
        (
            '{"version": 1,\n "findings": [\n  ' + ENTRY.replace('"GL405"', '"405"') + "]}",
            3,
            3,
            "'rule' must be a rule code",
        ),
        (
            '{"version": 1,\n "findings": [\n  '
            + ENTRY.replace('"count": 1', '"count": true')
            + "]}",
            3,
            3,
            "'count'",
        ),
        (
            '{"version": 1,\n "findings": [\n  ' + ENTRY.replace(', "count": 1', "") + "]}",
            3,
            3,
            "missing key 'count'",
        ),
        ('{"version": 1,\n "findings": [\n  ' + ENTRY + ",\n  " + ENTRY + "]}", 4, 3, "repeats"),
        ('{"version": 1, "version": 1, "findings": []}', 1, 1, "'version' appears twice"),
        ('{"version": 1,\n "findings": [NaN]}', 1, 1, "not usable JSON"),
        ('{"version": 1,\n "findings": [\n', 3, 1, "not JSON"),
        ("[" * 100_000, 1, 1, "not usable JSON"),
    ],
)
def test_malformed_baselines_are_located_errors(
    text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(BaselineError) as raised:
        loads(text, "base.json")
    error = raised.value
    assert (error.path, error.line, error.column) == ("base.json", line, column)
    assert words in error.message
    assert str(error).startswith(f"base.json:{line}:{column}: ")


def test_files_that_are_not_baselines_are_refused_before_parsing(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(BaselineError, match="larger than"):
        load(huge)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"version": 1,\n "findings": ["\xff"]}')
    with pytest.raises(BaselineError) as raised:
        load(binary)
    assert (raised.value.line, raised.value.column) == (2, 16)
    with pytest.raises(BaselineError, match="--update-baseline"):
        load(tmp_path / "missing.json")


def test_guide_lines_are_read_as_the_loader_reads_them(tmp_path: Path) -> None:
    """The lines a finding is keyed by come from files the loader may have refused: a FIFO
    must not block the run (the loader reports it and moves on), nor a huge file be read."""
    import os
    import threading

    from guidelint.loader import MAX_BYTES as GUIDE_BYTES

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"title: x\n" + b"#" * GUIDE_BYTES)
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(b"a: 1\r\nb: \xff\n")
    lines = file_lines()
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(lines(str(fifo), 1)), daemon=True)
    reader.start()
    reader.join(10)
    assert got == [""], "reading a FIFO blocked"
    assert lines(str(huge), 1) == ""
    assert (lines(str(plain), 1), lines(str(plain), 2)) == ("a: 1\r", "b: \ufffd")


def test_reading_time_grows_linearly_with_the_file() -> None:
    def entries(count: int) -> str:
        rows = ",\n".join(
            json.dumps({"rule": "GL405", "path": f"g/{n}.yaml", "hash": f"{n:016x}", "count": 1})
            for n in range(count)
        )
        return f'{{"version": 1, "findings": [\n{rows}\n]}}'

    small, large = pair(loads, entries(5_000), entries(20_000), repeats=5)
    assert large < 8 * small
