"""The benchmark's own tools: the generated corpus is valid, the measurement sees memory.

No timing is asserted here: timing lives in `make bench` only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lintcorpus
import measure

from guidelint.config import Config
from guidelint.lint import build_selection, lint_paths
from guidelint.schema import SCHEMA_CODE


def test_generated_guides_are_valid_and_named_by_their_ids(tmp_path: Path) -> None:
    paths = lintcorpus.generate(tmp_path, 24)
    assert len(paths) == 24
    result = lint_paths([tmp_path], build_selection(Config(root=tmp_path)))
    assert result.files == 24
    errors = [d for d in result.diagnostics if d.code in (SCHEMA_CODE, "GL102", "GL103")]
    assert errors == []
    jurisdictions = {path.parent.name for path in paths}
    assert len(jurisdictions) >= 5


def test_measure_reports_the_child_peak_memory(tmp_path: Path) -> None:
    grow = "block = bytearray(80 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096])"
    sample = measure.run([sys.executable, "-c", grow], timeout=60)
    assert sample.returncode == 0
    assert not sample.timed_out
    assert sample.max_rss_kb >= 80 * 1024
    assert sample.tree_rss_kb >= sample.max_rss_kb


def test_measure_stops_a_run_at_its_timeout() -> None:
    sample = measure.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert sample.timed_out
    assert sample.returncode != 0
