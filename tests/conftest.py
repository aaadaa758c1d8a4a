from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkzoo import Zoo, running_zoo


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder so the repository's own config is not picked up."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zoo]:
    """The link-test servers (tests/linkzoo.py), started once and stopped at the end."""
    with running_zoo(tmp_path_factory.mktemp("zoo")) as running:
        yield running
