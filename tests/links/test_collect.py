from __future__ import annotations

from pathlib import Path

import pytest

from guidelint.config import ConfigError
from guidelint.links.collect import collect, json_pointer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "links"


def test_resource_and_prose_urls_with_positions() -> None:
    collection = collect([FIXTURES / "guides"])
    urls = collection.urls
    assert list(urls) == [
        "https://help.example.org/guide_(print)",
        "https://help.example.org/contact",
        "https://report.example.net/form?x=1",
        "https://help.example.org/",
        "mailto:help@example.org",
    ]
    shared = urls["https://help.example.org/"]
    assert [(Path(ref.path).name, ref.line, ref.column, ref.pointer) for ref in shared] == [
        ("a.yaml", 20, 8, "/resources/0/url"),
        ("b.yaml", 8, 8, "/resources/0/url"),
    ]
    prose = urls["https://help.example.org/contact"][0]
    assert (prose.line, prose.column, prose.pointer) == (11, 25, "/steps/0/text")
    folded = urls["https://report.example.net/form?x=1"][0]
    assert (folded.line, folded.column, folded.pointer) == (17, 7, "/steps/1/substeps/0/text")
    wrapped = urls["https://help.example.org/guide_(print)"][0]
    assert (wrapped.line, wrapped.column) == (7, 35)
    assert collection.files == 3
    assert [Path(bad.path).name for bad in collection.unreadable] == ["broken.yaml"]


def test_missing_path_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        collect([FIXTURES / "nope"])


def test_json_pointer_escapes_per_rfc_6901() -> None:
    assert json_pointer(("a/b", 0, "m~n")) == "/a~1b/0/m~0n"
    assert json_pointer(()) == ""
