"""Linting one file of a library still holds it to the library-wide rules (GL103, GL601)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from guidelint import library_index
from guidelint.config import Config
from guidelint.lint import build_selection, lint_files
from support import ROOT

US = ROOT / "guides" / "us" / "intimate-images-saved-us.yaml"
GB = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "guides" / "us").mkdir(parents=True)
    (tmp_path / "guides" / "drafts").mkdir()
    (tmp_path / "guides" / "us" / US.name).write_text(US.read_text("utf-8"), "utf-8")
    draft = GB.read_text("utf-8").replace(
        "id: intimate-images-saved-gb", "id: intimate-images-saved-us"
    )
    (tmp_path / "guides" / "drafts" / "x.yaml").write_text(draft, "utf-8")
    return tmp_path


def _lint(root: Path, *files: Path) -> list[tuple[str, str]]:
    selection = build_selection(Config(root=root), select=["GL103", "GL601"])
    result = lint_files(list(files), selection)
    return [(Path(d.path).name, d.code) for d in result.diagnostics]


def test_one_file_is_compared_with_the_rest_of_the_library(library: Path) -> None:
    found = _lint(library, library / "guides" / "drafts" / "x.yaml")
    # The draft takes the US guide's id, and lacks a slot its US variant has; nothing is
    # reported about the US guide, which is not being linted.
    assert ("x.yaml", "GL103") in found
    assert ("x.yaml", "GL601") in found
    assert {name for name, _code in found} == {"x.yaml"}


def test_the_whole_library_reports_as_before(library: Path) -> None:
    files = sorted((library / "guides").rglob("*.yaml"))
    found = _lint(library, *files)
    # Path order: the draft comes first, so the US guide is the later one with the id.
    assert (US.name, "GL103") in found and ("x.yaml", "GL103") not in found


def test_a_file_outside_the_library_is_not_compared_with_it(
    library: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "x.yaml"
    outside.write_text((library / "guides" / "drafts" / "x.yaml").read_text("utf-8"), "utf-8")
    assert _lint(library, outside) == []


def test_the_index_cache_follows_edits_and_survives_garbage(library: Path) -> None:
    cache = library / library_index.CACHE_NAME
    roots = [library / "guides"]
    first = library_index.scan(roots, cache)
    assert {(Path(e.path).name, e.id) for e in first} == {
        ("x.yaml", "intimate-images-saved-us"),
        (US.name, "intimate-images-saved-us"),
    }
    stored = json.loads(cache.read_text("utf-8"))
    assert stored["version"] == 1 and len(stored["files"]) == 2
    draft = library / "guides" / "drafts" / "x.yaml"
    draft.write_text(draft.read_text("utf-8").replace("saved-us\n", "saved-xx\n", 1), "utf-8")
    os.utime(draft, ns=(1, 1))  # a different modification time, whatever the clock
    assert "intimate-images-saved-xx" in {e.id for e in library_index.scan(roots, cache)}
    for garbage in ("[]", "{", '{"version": 1, "files": {"a": [1, 2, 3, 4, 5]}}', "\x00" * 10):
        cache.write_text(garbage, "utf-8")
        assert len(library_index.scan(roots, cache)) == 2
    # A row that claims a current file but holds the wrong types is read again.
    rows = json.loads(cache.read_text("utf-8"))
    for row in rows["files"].values():
        row[2] = {"not": "an id"}
    cache.write_text(json.dumps(rows), "utf-8")
    assert all(isinstance(e.id, str) for e in library_index.scan(roots, cache))


def test_a_cache_that_is_not_a_regular_file_is_ignored(library: Path) -> None:
    """A FIFO where the cache should be would block a plain `open` forever."""
    import threading

    cache = library / "pipe" / "lint-index.json"
    cache.parent.mkdir()
    os.mkfifo(cache)
    got: list[int] = []
    scanner = threading.Thread(
        target=lambda: got.append(len(library_index.scan([library / "guides"], cache))),
        daemon=True,
    )
    scanner.start()
    scanner.join(10)
    assert got == [2], "reading a FIFO cache blocked"


def test_an_unwritable_cache_is_not_an_error(library: Path) -> None:
    blocked = library / "blocked"
    blocked.write_text("a file where the cache folder would be", "utf-8")
    entries = library_index.scan([library / "guides"], blocked / "lint-index.json")
    assert len(entries) == 2


def test_hidden_folders_and_other_files_are_skipped(library: Path) -> None:
    (library / "guides" / ".git").mkdir()
    (library / "guides" / ".git" / "a.yaml").write_text("id: hidden\n", "utf-8")
    (library / "guides" / "notes.txt").write_text("id: not-a-guide\n", "utf-8")
    (library / "guides" / "odd.yml").write_text("# c\nid: 'quoted-id'  # comment\n", "utf-8")
    ids = {e.id for e in library_index.scan([library / "guides"], None)}
    assert ids == {"intimate-images-saved-us", "quoted-id"}
