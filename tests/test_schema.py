"""Schema fixtures are files: adding a case means adding a file under fixtures/guides/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from guidelint.config import Config
from guidelint.lint import build_selection, lint_files
from guidelint.schema import guide_schema
from support import FIXTURES, ROOT

VALID = sorted((FIXTURES / "guides" / "valid").glob("*.yaml"))
INVALID = sorted((FIXTURES / "guides" / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"# expect: (\d+):(\d+) (GL\d+) (.+)")


def test_schema_passes_the_2020_12_metaschema() -> None:
    schema = json.loads((ROOT / "schema" / "guide.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]


def test_repository_schema_is_the_packaged_schema() -> None:
    on_disk = json.loads((ROOT / "schema" / "guide.schema.json").read_text("utf-8"))
    assert on_disk == guide_schema()


def _properties(node: object, path: str = "#") -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}/properties/{name}", sub))
        for key, value in node.items():
            found.extend(_properties(value, f"{path}/{key}"))
    return found


def test_every_property_is_documented_and_objects_are_closed() -> None:
    schema = guide_schema()
    for where, prop in _properties(schema):
        assert prop.get("title") and prop.get("description"), where
        assert prop.get("examples"), where
    objects = [schema, *schema["$defs"].values()]
    for definition in objects:
        if definition.get("type") == "object":
            assert definition["additionalProperties"] is False


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_passes_plain_jsonschema(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    jsonschema.Draft202012Validator(guide_schema()).validate(data)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_lints_clean(path: Path) -> None:
    result = lint_files([path], build_selection(Config(root=ROOT)))
    assert result.diagnostics == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_gives_exactly_the_expected_finding(path: Path) -> None:
    match = EXPECT.match(path.read_text("utf-8").splitlines()[0])
    assert match, f"{path.name} must start with '# expect: LINE:COL CODE message'"
    result = lint_files([path], build_selection(Config(root=ROOT)))
    assert len(result.diagnostics) == 1, result.diagnostics
    found = result.diagnostics[0]
    assert (found.line, found.column, found.code) == (int(match[1]), int(match[2]), match[3])
    assert found.message.startswith(match[4])
