"""What a link run imports before its first request.

Change detection (`links.change`, and the phone-number library under `links.facts`) is
for pages compared with a baseline entry or accepted into one: a run without a baseline
(a pull request's check, a first run) starts its requests without importing it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from guidelint.links import baseline as bl
from guidelint.links.change import Snapshot

NOT_BEFORE_THE_CHECKS = ("guidelint.links.change", "guidelint.links.facts", "phonenumbers")


def test_the_pipeline_and_checker_import_no_change_detection() -> None:
    script = (
        "import sys\n"
        "import guidelint.cli.links, guidelint.links.pipeline, guidelint.links.check.loop\n"
        f"print(','.join(m for m in {NOT_BEFORE_THE_CHECKS!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == ""


def test_reading_a_baseline_entry_imports_it_where_needed(tmp_path: Path) -> None:
    # The other side: the lazy import happens, in a fresh process, when an entry is read.
    url = "https://a.example/"
    snapshot = Snapshot(title="Helpline", fingerprint=(), facts=())
    path = tmp_path / "links-baseline.json"
    bl.save(bl.Baseline({url: bl.Entry(snapshot, url, "2026-01-01T00:00:00Z")}), path)
    script = (
        "import sys\n"
        "from guidelint.links import baseline\n"
        f"loaded = baseline.load(baseline.Path({str(path)!r}))\n"
        f"print(type(loaded.entries[{url!r}].snapshot).__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == "guidelint.links.change"
