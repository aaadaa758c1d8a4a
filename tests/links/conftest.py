from __future__ import annotations

from collections.abc import Iterator

import pytest

from linkzoo import Zoo, running_zoo


@pytest.fixture(scope="session")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zoo]:
    with running_zoo(tmp_path_factory.mktemp("zoo")) as running:
        yield running
