"""Linting in a process pool, and with compacted documents, finds exactly what one process does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from guidelint.cli import main
from guidelint.config import Config
from guidelint.files import discover
from guidelint.lint import build_selection, lint_files
from guidelint.loader import load_path
from guidelint.workers import WorkerError
from support import FIXTURES, die_like_oom

VALID = (FIXTURES / "guides" / "valid" / "minimal-us.yaml").read_text("utf-8")


def _library(folder: Path) -> list[Path]:
    """Valid guides, a duplicate id, a suppressed and an unused suppression, broken files."""
    for number in range(40):
        guide_id = f"guide-{number:02d}-us"
        (folder / f"{guide_id}.yaml").write_text(
            VALID.replace("id: minimal-us", f"id: {guide_id}"), "utf-8"
        )
    (folder / "copy-us.yaml").write_text(VALID.replace("id: minimal-us", "id: guide-03-us"))
    (folder / "renamed-us.yaml").write_text(
        VALID.replace("id: minimal-us", "id: other  # guidelint: disable=GL102 -- renamed")
    )
    (folder / "unused-us.yaml").write_text(
        VALID.replace("id: minimal-us", "id: unused-us  # guidelint: disable=GL102")
    )
    for invalid in sorted((FIXTURES / "guides" / "invalid").glob("*.yaml"))[:6]:
        (folder / invalid.name).write_bytes(invalid.read_bytes())
    for hostile in ("tab-indent.yaml", "duplicate-key.yaml", "nul-byte.yaml"):
        (folder / hostile).write_bytes((FIXTURES / "hostile" / hostile).read_bytes())
    return discover([folder])


def test_pool_and_single_process_agree(tmp_path: Path) -> None:
    files = _library(tmp_path)
    selection = build_selection(Config(root=tmp_path))
    alone = lint_files(files, selection, jobs=1)
    pooled = lint_files(files, selection, jobs=2)
    assert pooled == alone
    codes = {diagnostic.code for diagnostic in alone.diagnostics}
    # The run exercised per-file, library-wide, schema, loader and suppression findings.
    assert {"GL001", "GL010", "GL102", "GL103", "GL008"} <= codes, codes


def test_compact_document_keeps_text_and_positions() -> None:
    path = FIXTURES / "guides" / "valid" / "full-features-gb-sct.yaml"
    document = load_path(path).document
    assert document is not None
    compact = document.compact()
    # The data is held compressed, so it comes back equal, not the same object.
    assert compact.data == document.data
    assert compact.text == document.text
    assert compact.values == document.values
    assert compact.keys == document.keys
    pointer = ("steps", 0, "text")
    assert compact.text_position(pointer, 5) == document.text_position(pointer, 5)
    assert compact.key_position(("id",)) == document.key_position(("id",))


def test_compact_document_places_top_level_pointers_like_the_full_one() -> None:
    path = FIXTURES / "guides" / "valid" / "full-features-gb-sct.yaml"
    document = load_path(path).document
    assert document is not None
    compact = document.compact()
    top = [(), *(pointer for pointer in document.values if len(pointer) == 1), ("absent",)]
    deep = [("steps", 1), ("steps", 0, "absent"), ("absent", 3)]
    for pointer in [*top, *deep]:
        assert compact.position(pointer) == document.position(pointer), pointer
        assert compact.key_position(pointer) == document.key_position(pointer), pointer


def test_a_worker_that_dies_is_reported_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint import lint

    files = _library(tmp_path)
    monkeypatch.setattr(lint, "_check_batch", die_like_oom)
    with pytest.raises(WorkerError, match="a process linting the guides stopped unexpectedly"):
        lint_files(files, build_selection(Config(root=tmp_path)), jobs=2)
    monkeypatch.setattr(lint, "_default_jobs", lambda count: 2)  # the CLI picks the pool itself
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", str(tmp_path)], stdout=out, stderr=err)
    assert code == 2
    assert err.getvalue().startswith("guidelint: error: a process linting the guides stopped")
    assert err.getvalue().count("\n") == 1  # one line, no traceback
    assert "Traceback" not in err.getvalue()
