"""State files that are not what they claim: one clear line and exit 2, never a hang.

Each case runs `guidelint` in a subprocess with a time limit, so a read that would block
(a FIFO) fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from guidelint.bounded import FileRefused, read_bytes

GUIDE = (
    "id: g\ntitle: What to do if…\nresources:\n- id: r\n  name: R\n  url: mailto:x@example.org\n"
)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _directory(path: Path) -> None:
    path.mkdir()


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk


def _text(path: Path) -> None:
    path.write_text("not what it should be\n", encoding="utf-8")


BAD_FILES: dict[str, Callable[[Path], None]] = {
    "fifo": _fifo,
    "dev-zero": _zero,
    "directory": _directory,
    "huge": _huge,
}


def guidelint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guidelint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_exit_2(done: subprocess.CompletedProcess[str], name: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("guidelint: error: "), done.stderr
    assert name in lines[0]


@pytest.mark.parametrize("kind", [*BAD_FILES, "not-json"])
def test_a_bad_baseline_is_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / "g.yaml").write_text(GUIDE, encoding="utf-8")
    maker = BAD_FILES.get(kind, _text)
    maker(tmp_path / "baseline.json")
    done = guidelint(tmp_path, "links", "--no-state", "--baseline", "baseline.json", "g.yaml")
    assert_one_line_exit_2(done, "baseline.json")


@pytest.mark.parametrize("kind", [*BAD_FILES, "not-sqlite"])
def test_a_bad_history_is_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / "g.yaml").write_text(GUIDE, encoding="utf-8")
    maker = BAD_FILES.get(kind, _text)
    maker(tmp_path / "history.sqlite")
    done = guidelint(tmp_path, "links", "--state", "history.sqlite", "g.yaml")
    assert_one_line_exit_2(done, "history.sqlite")


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_config_file_is_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / "g.yaml").write_text(GUIDE, encoding="utf-8")
    BAD_FILES[kind](tmp_path / "guidelint.toml")
    done = guidelint(tmp_path, "lint", "--config", "guidelint.toml", "g.yaml")
    assert_one_line_exit_2(done, "guidelint.toml")


def test_read_bytes_reads_what_fits_and_says_none_when_missing(tmp_path: Path) -> None:
    path = tmp_path / "f"
    assert read_bytes(path, 10, "file") is None
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, 10, "file") == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(FileRefused, match="larger than"):
        read_bytes(path, 10, "file")


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_lint_baseline_is_refused(tmp_path: Path, kind: str) -> None:
    (tmp_path / "g.yaml").write_text(GUIDE, encoding="utf-8")
    BAD_FILES[kind](tmp_path / "lint-baseline.json")
    done = guidelint(tmp_path, "lint", "--baseline", "lint-baseline.json", "g.yaml")
    assert_one_line_exit_2(done, "lint-baseline.json")
