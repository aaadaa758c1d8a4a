"""`unavailable` over weekly runs: never dead on one run, confirmed dead once it lasts.

The zoo's page answers 503 with Retry-After and a maintenance notice until the test says
it is over; each run's time is set with GUIDELINT_NOW, so runs a week apart take a second.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from guidelint.links.model import (
    RANK_CONFIRMED,
    RECHECK_ACTION,
    VERDICTS,
    LinkResult,
    Verdict,
    action,
    failing,
    rank,
)
from linkzoo import Zoo
from support import CliRun, run_cli

START = datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
CONFIG = """\
[tool.guidelint.links]
min-interval-ms = 0
retries = 0
allow = ["127.0.0.1"]
"""


def _guide(path: Path, url: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "id: g\njurisdiction: GB\nlanguage: en-GB\nresources:\n"
        f"  - id: line\n    name: Helpline\n    url: {url}\n",
        encoding="utf-8",
    )
    return path


def _run(at: datetime, guide: Path) -> tuple[CliRun, dict[str, Any]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GUIDELINT_NOW", at.isoformat())
        result = run_cli("links", "--no-progress", str(guide), "--format", "json")
    return result, json.loads(result.stdout)["links"][0]


def test_the_table_says_unavailable_is_not_dead_but_lasts() -> None:
    info = VERDICTS[Verdict.UNAVAILABLE]
    assert not info.dead and info.lasting and info.evidence and info.transient
    fresh = LinkResult("https://help.example.org/", Verdict.UNAVAILABLE)
    assert (fresh.dead, fresh.failure, action(fresh)) == (False, True, RECHECK_ACTION)
    lasting = fresh.evolve(confirmed=True)
    assert (lasting.dead, rank(lasting)) == (True, RANK_CONFIRMED)
    assert action(lasting) == info.action
    assert failing([fresh], "new") == [] and failing([lasting], "confirmed") == [lasting]


def test_a_lasting_maintenance_is_confirmed_dead_and_a_short_one_never_is(
    zoo: Zoo, in_tmp: Path
) -> None:
    Path("pyproject.toml").write_text(CONFIG, encoding="utf-8")
    url = f"http://127.0.0.1:{zoo.port}/w/maintenance-until-switched"
    guide = _guide(in_tmp / "guides" / "gb" / "g.yaml", url)
    zoo.state["maintenance-over"] = 0
    try:
        # Weeks 1 and 2: down for maintenance. Not dead, the run passes, "recheck later".
        for week in (0, 1):
            result, link = _run(START + timedelta(weeks=week), guide)
            assert result.code == 0, result.stderr
            assert (link["verdict"], link["dead"], link["confirmed"]) == (
                "unavailable",
                False,
                False,
            )
            assert link["failing_since"] == "2026-11-02T05:00:00Z"
        # Week 3: three runs over two weeks. It lasted: confirmed, dead, the run fails.
        result, link = _run(START + timedelta(weeks=2), guide)
        assert result.code == 1
        assert (link["verdict"], link["dead"], link["confirmed"]) == ("unavailable", True, True)
        assert link["failing_since"] == "2026-11-02T05:00:00Z"
        # Week 4: back. Recovered, alive, and the streak is over.
        zoo.state["maintenance-over"] = 1
        result, link = _run(START + timedelta(weeks=3), guide)
        assert result.code == 0
        assert (link["verdict"], link["dead"], link["failing_since"]) == ("ok", False, None)
        # Week 5: down again for one run. A new streak starts; nothing is confirmed.
        zoo.state["maintenance-over"] = 0
        result, link = _run(START + timedelta(weeks=4), guide)
        assert result.code == 0
        assert (link["verdict"], link["dead"], link["confirmed"]) == ("unavailable", False, False)
        assert link["failing_since"] == "2026-11-30T05:00:00Z"
    finally:
        zoo.state["maintenance-over"] = 0
