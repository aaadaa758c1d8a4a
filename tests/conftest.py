from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder so the repository's own config is not picked up."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
