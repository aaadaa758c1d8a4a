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


def test_many_guides_are_loaded_in_a_pool_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import collect as module

    sources = sorted((FIXTURES / "guides").rglob("*.yaml"))
    for copy in range(20):  # more batches than workers, so order across batches matters
        for source in sources:
            target = tmp_path / f"{copy:02d}" / source.relative_to(FIXTURES / "guides")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    serial = collect([tmp_path])
    monkeypatch.setattr(module, "POOL_MIN_BYTES", 0)
    pooled = collect([tmp_path])
    assert pooled == serial
    assert list(pooled.urls) == list(serial.urls)  # first use first, as without a pool
    assert len(pooled.unreadable) == 20  # each copy's broken.yaml, in file order
    assert [bad.path for bad in pooled.unreadable] == [bad.path for bad in serial.unreadable]
