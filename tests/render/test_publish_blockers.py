"""A render publishes only guides without lint errors, unless the publisher allows them."""

from __future__ import annotations

import datetime
from pathlib import Path

from guidelint.config import Config
from guidelint.importer import to_yaml
from guidelint.lint import Selection, build_selection
from guidelint.render import publish_blockers
from guidelint.skeleton import new_guide
from support import ROOT

GB = ROOT / "guides" / "gb" / "intimate-images-saved-gb.yaml"


def _selection(root: Path) -> Selection:
    # Review age depends on today's date: GL501 is tested with a fixed date elsewhere.
    return build_selection(Config(root=root), ignore=["GL501"])


def test_a_new_skeleton_is_not_fit_to_publish(tmp_path: Path) -> None:
    data = new_guide("phone-tracked", "IE", today=datetime.date(2026, 11, 22))
    path = tmp_path / "phone-tracked-ie.yaml"
    path.write_text(to_yaml(data, "guide.schema.json"), encoding="utf-8")
    blockers = publish_blockers([path], _selection(tmp_path))
    assert blockers and {d.code for d in blockers} == {"GL401"}


def test_a_wrong_emergency_number_blocks_and_warnings_do_not(tmp_path: Path) -> None:
    path = tmp_path / GB.name
    path.write_text(GB.read_text("utf-8"), encoding="utf-8")
    assert publish_blockers([path], _selection(tmp_path)) == []
    path.write_text(GB.read_text("utf-8").replace("call 999.", "call 911."), encoding="utf-8")
    blockers = publish_blockers([path], _selection(tmp_path))
    assert sorted(d.code for d in blockers) == ["GL201", "GL201", "GL202"]
