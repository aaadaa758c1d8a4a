"""Collect every URL the guides use, with each place it is used.

A URL is taken from a resource's `url` and from any http(s) URL written in prose. Each use
keeps its guide path, 1-based line and column and RFC 6901 JSON pointer, so every finding can
say where to fix it. Distinct URLs are checked once however many guides use them.

Guides that cannot be loaded are not checked; they are listed in `Collection.unreadable` with
the loader's first problem (`guidelint lint` explains them in full).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from guidelint.links.model import Reference
from guidelint.loader import Document, Pointer, load_path
from guidelint.urls import find_urls


@dataclass(frozen=True)
class Unreadable:
    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Collection:
    urls: dict[str, tuple[Reference, ...]]  # insertion order: first use first
    files: int
    unreadable: tuple[Unreadable, ...]


def json_pointer(pointer: Pointer) -> str:
    """RFC 6901: `("steps", 2, "text")` -> `/steps/2/text`, escaping `~` and `/`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


def collect(
    paths: Sequence[str | Path], meanwhile: Callable[[], object] | None = None
) -> Collection:
    """URLs used in the guides under `paths` (files or folders); ConfigError for a bad path.

    `meanwhile` is called once while worker processes load the guides, or before loading
    when there are none: work that can overlap with loading (the caller's own imports).
    """
    from guidelint.files import discover

    files = discover(paths)
    found: dict[str, list[Reference]] = {}
    unreadable: list[Unreadable] = []
    for loaded in _load_all(files, meanwhile or _nothing):
        if isinstance(loaded, Unreadable):
            unreadable.append(loaded)
            continue
        for url, reference in loaded:
            found.setdefault(url, []).append(reference)
    return Collection(
        {url: tuple(refs) for url, refs in found.items()}, len(files), tuple(unreadable)
    )


#: Below this much guide text a pool costs more (start-up, moving results) than it saves.
POOL_MIN_BYTES: Final = 1024 * 1024
_BATCH: Final = 16


def _nothing() -> None:
    pass


def _load_all(
    files: Sequence[Path], meanwhile: Callable[[], object]
) -> Iterator[list[tuple[str, Reference]] | Unreadable]:
    """Each file's URLs (or why it cannot be read), in file order."""
    try:
        size = sum(path.stat().st_size for path in files)
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    except OSError:
        size, cpus = 0, 1  # load_path says what is wrong with the file
    if size < POOL_MIN_BYTES or cpus < 2 or sys.platform != "linux":
        meanwhile()
        yield from map(_file_urls, files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Fork, as `guidelint lint` does: workers start in milliseconds with everything imported,
    # and the CLI holds no threads or event loop yet. Loading is the CPU-bound part of a run
    # over many guides (about 10 ms for a guide with a hundred resources).
    batches = [files[start : start + _BATCH] for start in range(0, len(files), _BATCH)]
    with ProcessPoolExecutor(cpus, mp_context=multiprocessing.get_context("fork")) as pool:
        loaded = pool.map(_batch_urls, batches)  # every batch is submitted here
        meanwhile()
        for batch in loaded:
            yield from batch


def _batch_urls(paths: Sequence[Path]) -> list[list[tuple[str, Reference]] | Unreadable]:
    return [_file_urls(path) for path in paths]


def _file_urls(path: Path) -> list[tuple[str, Reference]] | Unreadable:
    result = load_path(path)
    if result.document is None:
        problem = result.problems[0]
        return Unreadable(str(path), problem.line, problem.column, problem.message)
    return list(document_urls(result.document))


def document_urls(document: Document) -> Iterator[tuple[str, Reference]]:
    """(url, reference) for each URL in one loaded guide, in document order."""
    for pointer, value in _candidates(document.data):
        if _is_resource_url(pointer):
            url = value.strip()
            if url:
                offset = value.index(url[0])
                yield url, _reference(document, pointer, offset)
            continue
        for offset, url in find_urls(value):
            scheme, _, rest = url.partition("://")
            # Only web addresses are checked; a bare `www.` host has no scheme to request.
            if scheme.lower() in ("http", "https") and rest:
                yield url, _reference(document, pointer, offset)


def _candidates(data: Any) -> list[tuple[Pointer, str]]:
    """The strings `document_urls` reads, in file order, as `prose.strings` walks them.

    Only resources' `url` and strings with `://` in them can give a URL to check, so the
    pointer is built only for those: most of a guide is prose without a link.
    """
    found: list[tuple[Pointer, str]] = []
    if isinstance(data, str):
        if "://" in data:
            found.append(((), data))
    else:
        _walk(data, (), found)
    return found


def _walk(node: Any, pointer: Pointer, found: list[tuple[Pointer, str]]) -> None:
    if isinstance(node, dict):
        items: Iterable[tuple[str | int, Any]] = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    resources = len(pointer) == 2 and pointer[0] == "resources"
    for key, value in items:
        if isinstance(value, str):
            if "://" in value or (resources and key == "url"):
                found.append(((*pointer, key), value))
        elif isinstance(value, dict | list):
            _walk(value, (*pointer, key), found)


def _is_resource_url(pointer: Pointer) -> bool:
    return len(pointer) == 3 and pointer[0] == "resources" and pointer[2] == "url"


def _reference(document: Document, pointer: Pointer, offset: int) -> Reference:
    position = document.text_position(pointer, offset)
    return Reference(document.path, position.line, position.column, json_pointer(pointer))
