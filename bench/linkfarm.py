"""A local "link farm": K HTTPS hosts on K loopback addresses with a fixed response latency.

Host k listens on 127.0.0.(k+2) (Linux routes all of 127/8 to the loopback interface), all
on one port, with a certificate from a throwaway CA (trustme) that names every address.
`/page/<n>-<tag>` answers 200 with a small HTML page after `latency` seconds when `<tag>` is
the page's checksum; everything else (the planted `/missing/...` links, and any probe of a
made-up sibling path) answers 404 after the same latency. The server is stateless, so
several processes can share the port (SO_REUSEPORT) when one would be the bottleneck; each
counts the requests it saw in shared memory, so the bench can report requests per tool, and
the times of the first request and of the last answer, which split a tool's wall time into
start-up, requests and wind-down.
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

from guidelint.loader import load_path

ROOT = Path(__file__).resolve().parent.parent
SEED_GUIDE = ROOT / "guides" / "us" / "intimate-images-saved-us.yaml"
_PAGE = re.compile(r"/page/(\d+)-([0-9a-f]{8})\Z")
_METHODS = ("GET", "HEAD")
# Per process: GET, HEAD, other.
_SLOTS = len(_METHODS) + 1


def host(index: int) -> str:
    return f"127.0.0.{index + 2}"


def _tag(number: int) -> str:
    return f"{zlib.crc32(str(number).encode()):08x}"


@dataclass(frozen=True)
class Farm:
    """The URLs the farm serves and which of them are dead (the ground truth)."""

    urls: list[str]
    dead: frozenset[str]


def plan(count: int, hosts: int, port: int, dead_share: float, seed: int = 11) -> Farm:
    rng = random.Random(seed)
    urls: list[str] = []
    dead: set[str] = set()
    for number in range(count):
        address = host(number % hosts)
        if rng.random() < dead_share:
            url = f"https://{address}:{port}/missing/{number}"
            dead.add(url)
        else:
            url = f"https://{address}:{port}/page/{number}-{_tag(number)}"
        urls.append(url)
    return Farm(urls, frozenset(dead))


def write_guides(farm: Farm, out: Path, per_guide: int = 100) -> list[Path]:
    """Schema-valid guides (from the bundled US guide) whose resources are the farm's URLs."""
    loaded = load_path(SEED_GUIDE).document
    if loaded is None:
        raise SystemExit(f"{SEED_GUIDE}: cannot load the bundled guide")
    base: dict[str, Any] = loaded.data
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
            {
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
        stray = [
            url
            for url in re.findall(r"https?://[^\s'\"]+", text)
            if url not in farm.urls[start : start + per_guide]
        ]
        if stray:  # the bench must never send a request off this machine
            raise SystemExit(f"{path}: URLs outside the farm: {stray[:3]}")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def make_tls(hosts: int, folder: Path) -> tuple[Path, Path]:
    """A CA file for the clients and a cert+key file for the server."""
    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert(*(host(index) for index in range(hosts)))
    ca_file = folder / "farm-ca.pem"
    server_file = folder / "farm-server.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    certificate.private_key_and_cert_chain_pem.write_to_path(str(server_file))
    return ca_file, server_file


_BODY = (
    "<!doctype html><html lang=en><head><title>Support service {name}</title></head><body>"
    "<h1>Support service {name}</h1><p>Confidential support, seven days a week. Call "
    "0800 000 {n:04d} or write to help@{name}.example.org.</p>"
    + "<p>About this service.</p>" * 20
    + "</body></html>"
)


def _name(number: int) -> str:
    # Letters, not digits: a title such as "Support service 404" reads as an error page.
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if not number:
            return letters.capitalize()


def _serve(
    hosts: int,
    port: int,
    latency: float,
    certificate: str,
    counts: Any,
    times: Any,
    slot: int,
    ready: Any,
    lifetime: float,
) -> None:
    from aiohttp import web

    base = slot * _SLOTS

    async def handle(request: web.Request) -> web.Response:
        method = request.method
        counts[base + (_METHODS.index(method) if method in _METHODS else len(_METHODS))] += 1
        if not times[2 * slot]:
            times[2 * slot] = time.monotonic()
        await asyncio.sleep(latency)
        match = _PAGE.match(request.path)
        if match is None or _tag(int(match[1])) != match[2]:
            response = web.Response(status=404, text="Not found")
        else:
            number = int(match[1])
            page = _BODY.format(n=number, name=_name(number))
            response = web.Response(text=page, content_type="text/html")
        times[2 * slot + 1] = time.monotonic()
        return response

    async def main() -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificate)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        for index in range(hosts):
            site = web.TCPSite(
                runner, host(index), port, ssl_context=context, reuse_port=True, backlog=1024
            )
            await site.start()
        ready.set()
        try:
            await asyncio.sleep(lifetime)
        finally:
            await runner.cleanup()

    asyncio.run(main())


class Server:
    """`processes` farm servers sharing one port; a context manager that always stops them."""

    def __init__(
        self,
        hosts: int,
        port: int,
        latency: float,
        certificate: Path,
        processes: int = 1,
        lifetime: float = 900.0,
    ) -> None:
        # fork: the bench holds no threads or event loop when the farm starts.
        context = multiprocessing.get_context("fork")
        self.counts: Any = multiprocessing.sharedctypes.RawArray(
            ctypes.c_longlong, processes * _SLOTS
        )
        # Per process: time.monotonic() of the first request and of the last answer.
        self.times: Any = multiprocessing.sharedctypes.RawArray(ctypes.c_double, processes * 2)
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
                    str(certificate),
                    self.counts,
                    self.times,
                    slot,
                    ready,
                    lifetime,
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
        for index, value in enumerate(self.counts):
            totals[names[index % _SLOTS]] += int(value)
        return totals

    def window(self) -> tuple[float, float] | None:
        """time.monotonic() of the first request and of the last answer since the last reset."""
        firsts = [self.times[index] for index in range(0, len(self.times), 2) if self.times[index]]
        lasts = [self.times[index] for index in range(1, len(self.times), 2) if self.times[index]]
        return (min(firsts), max(lasts)) if firsts and lasts else None

    def reset(self) -> None:
        for index in range(len(self.counts)):
            self.counts[index] = 0
        for index in range(len(self.times)):
            self.times[index] = 0.0
