from __future__ import annotations

from pathlib import Path

import pytest

from guidelint.config import ConfigError
from guidelint.links.collect import _GuideContext, collect, document_urls, json_pointer, loading
from guidelint.links.model import Reference
from guidelint.loader import Document, load_path, load_text
from guidelint.prose import strings
from guidelint.urls import find_urls

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "links"


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


def test_loading_in_workers_hands_over_batches_in_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import collect as module

    for index, source in enumerate(sorted((FIXTURES / "guides").rglob("*.yaml")) * 3):
        (tmp_path / f"{index:02d}-{source.name}").write_bytes(source.read_bytes())
    whole = collect([tmp_path])
    monkeypatch.setattr(module, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(module, "_BATCH", 1)
    with loading([tmp_path]) as found:
        assert found.urls == {} and not found.done  # the workers have it all
        assert len(found.pending) == whole.files
        new: list[str] = []
        for _ in found.pending:
            new += found.take()
        assert found.done
        assert new == list(whole.urls)  # each URL once, when first used
        assert found.collection() == whole


def _urls_of_every_string(document: Document) -> list[tuple[str, Reference]]:
    """The collector as it was: find_urls on every string `prose.strings` yields."""
    found = []
    guide = _GuideContext.of(document.data)
    for pointer, value in strings(document.data):
        if len(pointer) == 3 and pointer[0] == "resources" and pointer[2] == "url":
            url = value.strip()
            if url:
                found.append((url, guide.reference(document, pointer, value.index(url[0]))))
            continue
        for offset, url in find_urls(value):
            scheme, _, rest = url.partition("://")
            if scheme.lower() in ("http", "https") and rest:
                found.append((url, guide.reference(document, pointer, offset)))
    return found


EDGES = """\
id: edge
title: "See https://a.example/x, www.b.example and ftp://c.example/f"
resources:
  - url: "  https://d.example/padded  "
    name: No link here
  - url: ""
  - url: mailto:help@example.org
    notes: [ "Write to https://e.example/(one) or HTTP://F.EXAMPLE/Two." ]
steps:
  - text: >-
      Folded text with https://g.example/folded
      over two lines and www.h.example?u=https://i.example/
    deep: {list: [[ "https://j.example/deep" ]]}
  - 42
  - true
"""


def test_only_strings_that_can_hold_a_url_are_read_with_the_same_result() -> None:
    documents = [
        load_text(EDGES, "e.yaml").document,
        load_text('"https://k.example/"', "s").document,
    ]
    for path in [*sorted((ROOT / "guides").rglob("*.yaml")), *sorted(FIXTURES.rglob("*.yaml"))]:
        if (document := load_path(path).document) is not None:
            documents.append(document)
    found = 0
    for document in documents:
        assert document is not None
        expected = _urls_of_every_string(document)
        assert list(document_urls(document)) == expected
        found += len(expected)
    edge = [url for url, _ in document_urls(documents[0])]  # type: ignore[arg-type]
    assert edge == [
        "https://a.example/x",
        "https://d.example/padded",
        "mailto:help@example.org",
        "https://e.example/(one)",
        "HTTP://F.EXAMPLE/Two",
        "https://g.example/folded",
        "https://j.example/deep",
    ]
    assert found > 20


def test_background_workers_run_below_their_parent_s_priority() -> None:
    import os

    from guidelint.workers import fork_pool

    def niceness(_: int) -> int:
        return os.nice(0)

    mine = os.nice(0)
    with fork_pool("testing", niceness, [0], 1, background=True) as lowered:
        assert lowered[0].result() == min(mine + 10, 19)
    with fork_pool("testing", niceness, [0], 1) as same:
        assert same[0].result() == mine
