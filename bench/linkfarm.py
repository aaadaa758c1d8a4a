"""A local "link farm": K hosts on K loopback addresses with a fixed response latency.

Host k listens on 127.0.x.y (`host(k)`: Linux routes all of 127/8 to the loopback
interface), all on one port, over HTTPS with a certificate from a throwaway CA (trustme)
that names every address, or over plain HTTP. `/page/<n>-<tag>` answers 200 with a small
HTML page after `latency` seconds when `<tag>` is the page's checksum; everything else (the
planted `/missing/...` links, and any probe of a made-up sibling path) answers 404 after the
same latency. The server is stateless, so several processes can share the port
(SO_REUSEPORT) when one would be the bottleneck.

Each process keeps a record in shared memory: requests by method, and per request when it
arrived, when its answer was ready, the host and the connection it came on (`Record`, read
by `farmrecord`), so the bench can say per tool how many requests it sent, how its wall time
splits into start-up, requests and wind-down, and how the requests phase went: starts per
second, requests in flight, connections, requests in flight per host.
Every server stops by itself after `lifetime` seconds even if the bench dies.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import multiprocessing.sharedctypes
import random
import re
import ssl
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from guidelint.loader import MAX_BYTES, load_path

ROOT = Path(__file__).resolve().parent.parent
SEED_GUIDE = ROOT / "guides" / "us" / "intimate-images-saved-us.yaml"
_PAGE = re.compile(r"/page/(\d+)-([0-9a-f]{8})\Z")
_METHODS = ("GET", "HEAD")
# Per process: GET, HEAD, other.
_SLOTS = len(_METHODS) + 1


#: Last octets 2 to 254 in each 127.0.x.0/24: no network or broadcast look-alike addresses.
_PER_BLOCK = 253


def host(index: int) -> str:
    """Host `index`'s address: 127.0.0.2 for the first, 127.0.0.254, then 127.0.1.2, ..."""
    block, offset = divmod(index, _PER_BLOCK)
    if block > 255:
        raise ValueError(f"the farm has room for {256 * _PER_BLOCK} hosts, not {index + 1}")
    return f"127.0.{block}.{offset + 2}"


def _tag(number: int) -> str:
    return f"{zlib.crc32(str(number).encode()):08x}"


@dataclass(frozen=True)
class Farm:
    """The URLs the farm serves and which of them are dead (the ground truth)."""

    urls: list[str]
    dead: frozenset[str]


def plan(
    count: int, hosts: int, port: int, dead_share: float, seed: int = 11, scheme: str = "https"
) -> Farm:
    """`count` URLs, URL n on host n % `hosts` (hosts interleaved), `dead_share` of them 404."""
    rng = random.Random(seed)
    urls: list[str] = []
    dead: set[str] = set()
    for number in range(count):
        address = host(number % hosts)
        if rng.random() < dead_share:
            url = f"{scheme}://{address}:{port}/missing/{number}"
            dead.add(url)
        else:
            url = f"{scheme}://{address}:{port}/page/{number}-{_tag(number)}"
        urls.append(url)
    return Farm(urls, frozenset(dead))


def write_guides(farm: Farm, out: Path, per_guide: int = 100) -> list[Path]:
    """Guides (from the bundled US guide) whose resources are the farm's URLs, in order.

    Guides of up to a few hundred URLs get whole resources (kind, jurisdictions) and are
    schema-valid over HTTPS; larger ones keep each resource to its id, name and URL, so
    that 10,000 fit in one file under the loader's 1 MiB limit. (`guidelint links` checks
    a guide the schema refuses too, so plain-HTTP farms need no valid guides.)
    """
    loaded = load_path(SEED_GUIDE).document
    if loaded is None:
        raise SystemExit(f"{SEED_GUIDE}: cannot load the bundled guide")
    base: dict[str, Any] = loaded.data
    compact = per_guide > 1000
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(farm.urls), per_guide):
        number = start // per_guide
        guide = yaml.safe_load(yaml.safe_dump(base))  # a deep copy that shares nothing
        guide["id"] = f"link-farm-{number:04d}-us"
        guide["situation_id"] = f"link-farm-{number:04d}"
        for step in guide["steps"]:
            step.pop("resources", None)
            for substep in step.get("substeps", ()):
                substep.pop("resources", None)
        guide["resources"] = [
            {"id": f"r{start + offset}", "name": f"Service {start + offset}", "url": url}
            if compact
            else {
                "id": f"resource-{start + offset}",
                "name": f"Support service {start + offset}",
                "url": url,
                "kind": "information",
                "jurisdictions": ["US"],
            }
            for offset, url in enumerate(farm.urls[start : start + per_guide])
        ]
        path = out / f"{guide['id']}.yaml"
        text = yaml.safe_dump(guide, sort_keys=False, allow_unicode=True, width=1000)
        ours = set(farm.urls[start : start + per_guide])
        stray = [url for url in re.findall(r"https?://[^\s'\"]+", text) if url not in ours]
        if stray:  # the bench must never send a request off this machine
            raise SystemExit(f"{path}: URLs outside the farm: {stray[:3]}")
        if len(text.encode()) > MAX_BYTES:  # guidelint would refuse it unread
            raise SystemExit(f"{path}: {len(text.encode())} bytes, over the loader's limit")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def make_tls(hosts: int, folder: Path) -> tuple[Path, Path]:
    """A CA file for the clients, and a folder of one certificate per host for the server.

    One certificate per host, as on the web: a client holds the certificate of each
    connection it keeps open, and one certificate naming every host (a first version of this
    farm) made each of a thousand connections hold a thousand names, 300 KB apiece.
    """
    import trustme

    authority = trustme.CA()
    ca_file = folder / "farm-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    certificates = folder / "farm-certificates"
    certificates.mkdir(exist_ok=True)
    for index in range(hosts):
        certificate = authority.issue_cert(host(index))
        certificate.private_key_and_cert_chain_pem.write_to_path(str(certificates / f"{index}.pem"))
    return ca_file, certificates


_BODY = (
    "<!doctype html><html lang=en><head><title>{title}</title></head><body>"
    "<h1>{title}</h1><p>Confidential support, seven days a week. Call "
    "0800 000 {n:04d} or write to help@{name}.example.org.</p>"
    + "<p>About this service.</p>" * 20
    + "</body></html>"
)
#: Page titles: "Support service Abc" (letters), or "Page 123" (numbers), as in a farm where
#: "Page 404", an alive page, must not be taken for an error page.
TITLES = ("letters", "numbers")


def _name(number: int) -> str:
    # Letters, not digits: a title such as "Support service 404" reads as an error page.
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if not number:
            return letters.capitalize()


def page(number: int, titles: str = "letters") -> str:
    name = _name(number)
    title = f"Page {number}" if titles == "numbers" else f"Support service {name}"
    return _BODY.format(title=title, n=number, name=name)


@dataclass(frozen=True)
class Record:
    """One run's requests as the farm saw them, every server process merged.

    Per request: when it arrived and when its answer was ready (`time.monotonic()`, one
    clock for every process on the machine), the host it was for and the connection it came
    on (host index * 65536 + the client's port). `lost` requests came after the record was
    full: counted in `methods`, not timed.
    """

    starts: list[float]
    ends: list[float]
    hosts: list[int]
    connections: list[int]
    methods: dict[str, int]
    lost: int = 0


@dataclass(frozen=True)
class _Shared:
    """The record's shared memory: `capacity` requests per process."""

    capacity: int
    counts: Any  # per process: GET, HEAD, other
    filled: Any  # per process: requests seen
    starts: Any
    ends: Any
    hosts: Any
    connections: Any

    @classmethod
    def create(cls, processes: int, capacity: int) -> _Shared:
        size = processes * capacity
        raw = multiprocessing.sharedctypes.RawArray
        return cls(
            capacity,
            raw(ctypes.c_longlong, processes * _SLOTS),
            raw(ctypes.c_longlong, processes),
            raw(ctypes.c_double, size),
            raw(ctypes.c_double, size),
            raw(ctypes.c_int, size),
            raw(ctypes.c_longlong, size),
        )


def _serve(
    hosts: int,
    port: int,
    latency: float,
    certificates: str | None,
    shared: _Shared,
    slot: int,
    ready: Any,
    lifetime: float,
    titles: str,
) -> None:
    from aiohttp import web

    base = slot * _SLOTS
    offset = slot * shared.capacity
    capacity = shared.capacity
    counts, filled = shared.counts, shared.filled
    starts, ends, host_of, connections = (
        shared.starts,
        shared.ends,
        shared.hosts,
        shared.connections,
    )
    index_of = {host(index): index for index in range(hosts)}

    async def handle(request: web.Request) -> web.Response:
        arrived = time.monotonic()
        method = request.method
        counts[base + (_METHODS.index(method) if method in _METHODS else len(_METHODS))] += 1
        seen = filled[slot]
        filled[slot] = seen + 1
        at = offset + seen if seen < capacity else -1
        if at >= 0:
            starts[at] = arrived
            ends[at] = 0.0  # a slot of an earlier run's
            transport = request.transport
            local = transport.get_extra_info("sockname") if transport else None
            peer = transport.get_extra_info("peername") if transport else None
            number = index_of.get(local[0], -1) if local else -1
            host_of[at] = number
            connections[at] = number * 65536 + (peer[1] if peer else 0)
        await asyncio.sleep(latency)
        match = _PAGE.match(request.path)
        if match is None or _tag(int(match[1])) != match[2]:
            response = web.Response(status=404, text="Not found")
        else:
            text = page(int(match[1]), titles)
            response = web.Response(text=text, content_type="text/html")
        if at >= 0:
            ends[at] = time.monotonic()
        return response

    def context(index: int) -> ssl.SSLContext | None:
        if certificates is None:
            return None
        made = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        made.load_cert_chain(str(Path(certificates) / f"{index}.pem"))
        return made

    async def main() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        for index in range(hosts):
            site = web.TCPSite(
                runner,
                host(index),
                port,
                ssl_context=context(index),
                reuse_port=True,
                backlog=1024,
            )
            await site.start()
        ready.set()
        try:
            await asyncio.sleep(lifetime)
        finally:
            await runner.cleanup()

    asyncio.run(main())


class Server:
    """`processes` farm servers sharing one port; a context manager that always stops them.

    `certificates` (the folder `make_tls` made) serves HTTPS, None plain HTTP. The record
    holds `capacity` requests per process (default: room for a run of 100,000 URLs, each
    process taking them all).
    """

    def __init__(
        self,
        hosts: int,
        port: int,
        latency: float,
        certificates: Path | None,
        processes: int = 1,
        lifetime: float = 900.0,
        titles: str = "letters",
        capacity: int = 120_000,
    ) -> None:
        if titles not in TITLES:
            raise ValueError(f"titles: one of {TITLES}, not {titles!r}")
        # fork: the bench holds no threads or event loop when the farm starts.
        context = multiprocessing.get_context("fork")
        self._shared = _Shared.create(processes, capacity)
        self._processes = []
        self._ready = []
        for slot in range(processes):
            ready = context.Event()
            process = context.Process(
                target=_serve,
                args=(
                    hosts,
                    port,
                    latency,
                    None if certificates is None else str(certificates),
                    self._shared,
                    slot,
                    ready,
                    lifetime,
                    titles,
                ),
                daemon=True,
            )
            self._processes.append(process)
            self._ready.append(ready)

    def __enter__(self) -> Server:
        for process in self._processes:
            process.start()
        deadline = time.monotonic() + 60
        for ready, process in zip(self._ready, self._processes, strict=True):
            while not ready.wait(0.1):
                if not process.is_alive() or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"farm server {process.pid} did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(10)
            if process.is_alive():
                process.kill()

    def requests(self) -> dict[str, int]:
        """Requests seen since the last reset, by method."""
        totals = dict.fromkeys((*_METHODS, "other"), 0)
        names: Sequence[str] = (*_METHODS, "other")
        for index, value in enumerate(self._shared.counts):
            totals[names[index % _SLOTS]] += int(value)
        return totals

    def record(self) -> Record:
        """Every request timed since the last reset, in no particular order."""
        shared = self._shared
        starts: list[float] = []
        ends: list[float] = []
        hosts: list[int] = []
        connections: list[int] = []
        lost = 0
        for slot, seen in enumerate(shared.filled):
            kept = min(seen, shared.capacity)
            lost += seen - kept
            first = slot * shared.capacity
            starts += shared.starts[first : first + kept]
            ends += shared.ends[first : first + kept]
            hosts += shared.hosts[first : first + kept]
            connections += shared.connections[first : first + kept]
        # An answer still being prepared when the run ended has no end: count it as open
        # until the last answer.
        last = max(ends, default=0.0)
        ends = [end or max(last, start) for start, end in zip(starts, ends, strict=True)]
        return Record(starts, ends, hosts, connections, self.requests(), lost)

    def window(self) -> tuple[float, float] | None:
        """time.monotonic() of the first request and of the last answer since the last reset."""
        record = self.record()
        return (min(record.starts), max(record.ends)) if record.starts else None

    def reset(self) -> None:
        shared = self._shared
        for index in range(len(shared.counts)):
            shared.counts[index] = 0
        for index in range(len(shared.filled)):
            shared.filled[index] = 0
