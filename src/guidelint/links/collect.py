"""Collect every URL the guides use, with each place it is used.

A URL is taken from a resource's `url` and from any http(s) URL written in prose. Each use
keeps its guide path, 1-based line and column and RFC 6901 JSON pointer, so every finding can
say where to fix it. Distinct URLs are checked once however many guides use them.

Guides that cannot be loaded are not checked; they are listed in `Collection.unreadable` with
the loader's first problem (`guidelint lint` explains them in full).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from guidelint.bounded import FileRefused, read_bytes
from guidelint.files import Trees, load_guide_file
from guidelint.links.model import Reference
from guidelint.urls import find_urls
from guidelint.workers import can_fork, fork_pool, usable_cpus

# The loader (YAML and all, 10 ms) is imported where guides load: in the workers, when a
# pool loads them, off the path to the first request.
if TYPE_CHECKING:
    from guidelint.loader import Document, Pointer


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


def collect(paths: Sequence[str | Path]) -> Collection:
    """URLs used in the guides under `paths` (files or folders); ConfigError for a bad path."""
    with loading(paths) as found:
        found.finish()
        return found.collection()


Loaded = list[tuple[str, Reference]] | Unreadable


class Loading:
    """Guides being loaded, in file order: the URLs found so far, and the batches still due.

    A link check can start on the first guides' URLs while worker processes load the rest
    (`pending`: once the next one is done, `take` records it); `collection()` is the same as
    `collect` once every batch is taken.
    """

    def __init__(self, files: int, pending: Sequence[Future[list[Loaded]]] = ()) -> None:
        self.files = files
        self.pending = pending
        self.urls: dict[str, list[Reference]] = {}  # every use so far; first use first
        self._unreadable: list[Unreadable] = []
        self._taken = 0  # pending batches taken

    def take(self) -> list[str]:
        """Record the next pending batch (waiting for it if need be); see `add`.

        Raises WorkerError when the process loading it died.
        """
        batch = self.pending[self._taken].result()
        self._taken += 1
        return self.add(batch)

    def expect(self, urls: Iterable[str]) -> None:
        """URLs the guides are expected to use, to check before the guides have loaded.

        Each gets its uses when its guide loads (`add` does not count it as new then); one
        that no loaded guide uses is dropped from `collection()`, and the checker drops its
        result (`unused`).
        """
        for url in urls:
            self.urls.setdefault(url, [])

    def add(self, batch: Iterable[Loaded]) -> list[str]:
        """Record loaded guides; the URLs they use for the first time, in order."""
        new: list[str] = []
        for loaded in batch:
            if isinstance(loaded, Unreadable):
                self._unreadable.append(loaded)
                continue
            for url, reference in loaded:
                uses = self.urls.get(url)
                if uses is None:
                    self.urls[url] = [reference]
                    new.append(url)
                else:
                    uses.append(reference)
        return new

    @property
    def done(self) -> bool:
        return self._taken == len(self.pending)

    def finish(self) -> None:
        """Wait for the batches not taken yet and take them."""
        while not self.done:
            self.take()

    def collection(self) -> Collection:
        assert self.done, "collection() before every batch was taken"
        return Collection(
            {url: tuple(uses) for url, uses in self.urls.items() if uses},
            self.files,
            tuple(self._unreadable),
        )


#: Below this much guide text a pool costs more (start-up, moving results) than it saves.
POOL_MIN_BYTES: Final = 1024 * 1024
#: ... unless the caller has work of its own meanwhile (importing the checker, 0.1 s): a
#: worker then loads this much in about that time, and a larger guide (one guide of 10,000
#: links, 0.3 s to load) no longer waits for the import, nor the import for it.
OVERLAP_MIN_BYTES: Final = 256 * 1024
_BATCH: Final = 16
#: Text read per guide for `expected_urls`: the loader refuses guides over 1 MiB anyway.
_GUESS_BYTES: Final = 4 * 1024 * 1024
#: A resource's `url:` line, as guides write it (`- url: …` or `  url: …`).
_URL_LINE: Final = re.compile(rb"^[ \t]*(?:-[ \t]+)?url:[ \t]([^\r\n]*)", re.MULTILINE)


def expected_urls(paths: Sequence[Path], trees: Trees | None = None) -> list[str]:
    """The resource URLs the guides' text shows, read without loading them: a guess.

    Plain and simply quoted one-line values only, as guides write URLs; anything else
    (escapes, a value over several lines) is left to the loader. A guess can be wrong (a
    `url:` line inside a block of text, a guide the loader refuses): `Loading.expect` drops
    what no loaded guide uses. Linear in the text: one anchored pattern per line.
    A file the loader would not read is not read here either: one outside `trees` (a
    symbolic link out of the folder), or not a regular file (a FIFO would block the run).
    """
    found: list[str] = []
    for path in paths:
        if trees is not None and trees.outside(path):
            continue
        try:
            raw = read_bytes(path, _GUESS_BYTES, "guide")
        except FileRefused:
            continue  # too large, not a regular file, unreadable: the loader says so
        if raw is None:
            continue
        for match in _URL_LINE.finditer(raw):
            value = match.group(1).split(b" #", 1)[0].strip()
            if len(value) >= 2 and value[0] in b"'\"" and value[-1] == value[0]:
                value = value[1:-1]
            if not value.startswith((b"https://", b"http://")) or any(
                byte in value for byte in b" \t'\"\\"
            ):
                continue
            try:
                found.append(value.decode("utf-8"))
            except UnicodeDecodeError:
                continue
    return found


@contextmanager
def loading(
    paths: Sequence[str | Path],
    meanwhile: Callable[[], object] | None = None,
    *,
    spare_cpu: bool = False,
) -> Iterator[Loading]:
    """Start loading the guides under `paths`; ConfigError for a bad path.

    Small libraries load here and now. Larger ones load in worker processes, batch by batch,
    while the caller goes on (`Loading.pending`); the workers stop when the block ends.
    `meanwhile` runs once, while they work. `spare_cpu`: the caller works meanwhile (checks
    the first guides' links), so one CPU is left to it, and the caller gets the first
    batch's resource URLs at once (`expected_urls`, `Loading.expect`).
    """
    from guidelint.files import discover

    files = discover(paths)
    trees = Trees(paths)
    try:
        sizes = [path.stat().st_size for path in files]
    except OSError:
        sizes = [0] * len(files)  # load_guide_file says what is wrong with the file
    size = sum(sizes)
    cpus = usable_cpus()
    least = POOL_MIN_BYTES if meanwhile is None else min(POOL_MIN_BYTES, OVERLAP_MIN_BYTES)
    if size < least or cpus < 2 or not can_fork():
        if meanwhile is not None:
            meanwhile()
        found = Loading(len(files))
        found.add(_file_urls(file, trees) for file in files)
        yield found
        return
    # Forked, as `guidelint lint` does: workers start in milliseconds with everything imported,
    # and the CLI holds no threads or event loop yet. A guide with a hundred resources loads
    # in about 4 ms and takes seconds to check, so when the caller checks meanwhile, more
    # than the CPUs it leaves free would only slow the checks down.
    workers = cpus - 1 if spare_cpu else cpus
    batches = [files[start : start + _BATCH] for start in range(0, len(files), _BATCH)]

    def batch_urls(batch: Sequence[Path]) -> list[Loaded]:
        return _batch_urls(batch, trees)

    # Loading keeps well ahead of the checks (a guide of 100 links loads in 4 ms and takes
    # seconds to check), so the workers yield the CPU to the event loop: at the start, the
    # loop's TLS handshakes waited for them (30-50 ms on the bench).
    with fork_pool(
        "loading the guides", batch_urls, batches, workers, background=spare_cpu
    ) as pending:
        found = Loading(len(files), pending)
        if spare_cpu:
            # The first batch's resource URLs, read in a few ms, so the check need not wait
            # for the batch to load (one guide of 10,000 links: 0.3 s).
            found.expect(expected_urls(batches[0], trees))
        if meanwhile is not None:
            meanwhile()
        yield found


def _batch_urls(paths: Sequence[Path], trees: Trees) -> list[Loaded]:
    return [_file_urls(path, trees) for path in paths]


def _file_urls(path: Path, trees: Trees) -> Loaded:
    result = load_guide_file(path, trees=trees)
    if result.document is None:
        problem = result.problems[0]
        return Unreadable(str(path), problem.line, problem.column, problem.message)
    return list(document_urls(result.document))


def document_urls(document: Document) -> Iterator[tuple[str, Reference]]:
    """(url, reference) for each URL in one loaded guide, in document order."""
    guide = _GuideContext.of(document.data)
    for pointer, value in _candidates(document.data):
        if _is_resource_url(pointer):
            url = value.strip()
            if url:
                offset = value.index(url[0])
                yield url, guide.reference(document, pointer, offset)
            continue
        for offset, url in find_urls(value):
            scheme, _, rest = url.partition("://")
            # Only web addresses are checked; a bare `www.` host has no scheme to request.
            if scheme.lower() in ("http", "https") and rest:
                yield url, guide.reference(document, pointer, offset)


@dataclass(frozen=True)
class _GuideContext:
    """What a guide says around its URLs; read defensively: the guide may fail the schema."""

    title: str | None
    jurisdiction: str | None
    resources: tuple[tuple[str | None, str | None], ...]  # (name, first jurisdiction) each

    @classmethod
    def of(cls, data: Any) -> _GuideContext:
        if not isinstance(data, dict):
            return cls(None, None, ())
        resources = data.get("resources")
        return cls(
            _text(data.get("title")),
            _text(data.get("jurisdiction")),
            tuple(_resource(item) for item in resources) if isinstance(resources, list) else (),
        )

    def reference(self, document: Document, pointer: Pointer, offset: int) -> Reference:
        position = document.text_position(pointer, offset)
        name, jurisdiction = None, None
        index = pointer[1] if _is_resource_url(pointer) else None
        if isinstance(index, int) and index < len(self.resources):
            name, jurisdiction = self.resources[index]
        return Reference(
            document.path,
            position.line,
            position.column,
            json_pointer(pointer),
            resource=name,
            jurisdiction=jurisdiction or self.jurisdiction,
            guide_title=self.title,
        )


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _resource(item: Any) -> tuple[str | None, str | None]:
    if not isinstance(item, dict):
        return None, None
    jurisdictions = item.get("jurisdictions")
    first = jurisdictions[0] if isinstance(jurisdictions, list) and jurisdictions else None
    return _text(item.get("name")), _text(first)


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
