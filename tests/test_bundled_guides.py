"""The bundled guides are the product's own showcase: they must be valid and lint clean."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from guidelint.config import load_config
from guidelint.files import discover
from guidelint.lint import build_selection, lint_paths
from guidelint.schema import guide_schema
from support import ROOT

GUIDES = sorted((ROOT / "guides").rglob("*.yaml"))


def test_us_and_gb_guides_are_bundled() -> None:
    jurisdictions = {yaml.safe_load(path.read_text("utf-8"))["jurisdiction"] for path in GUIDES}
    assert {"US", "GB"} <= jurisdictions


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.name)
def test_bundled_guide_validates_with_plain_jsonschema(path: Path) -> None:
    # What any consumer would do: PyYAML's safe_load and plain jsonschema (dates as strings).
    data = yaml.safe_load(path.read_text("utf-8"))
    jsonschema.Draft202012Validator(guide_schema()).validate(data)


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.name)
def test_bundled_guide_carries_the_schema_modeline(path: Path) -> None:
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (ROOT / "schema" / "guide.schema.json").resolve()


def test_bundled_guides_lint_without_errors() -> None:
    config = load_config(ROOT / "pyproject.toml", ROOT)
    # Review age depends on today's date, not on the code: GL501 is tested with a fixed date
    # in tests/rules, and `make lint` reports overdue guides as it should.
    result = lint_paths([ROOT / "guides"], build_selection(config, ignore=["GL501"]))
    assert result.files == len(discover([ROOT / "guides"])) >= 2
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors == []
