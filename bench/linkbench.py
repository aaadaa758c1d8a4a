"""The link-farm part of `make bench`: guidelint, lychee and the aiohttp floor on each shape.

A shape is a farm (scheme, URLs, hosts, share of planted 404s, page titles) and a way of
writing its URLs into guides (100 per guide, or all in one). Per shape, the three tools run
alternately against one farm, `repeats` times each, with the same engine settings; the
farm's per-request record (`farmrecord`) shows how each run's requests phase went.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import farmrecord
import linkfarm
from measure import Sample, median, run

MB: Final = 1024  # ru_maxrss and VmHWM are in KiB
CONCURRENCY: Final = 64
RUN_TIMEOUT: Final = 600.0


@dataclass(frozen=True)
class Shape:
    name: str
    scheme: str  # "https" or "http"
    urls: int
    hosts: int
    per_guide: int  # URLs per guide: 100, or all of them in one guide
    dead_share: float
    titles: str = "letters"
    large: bool = False  # runs `--large-repeats` times (each run takes minutes)
    rss_limit_mb: int = 100

    @property
    def layout(self) -> str:
        guides = math.ceil(self.urls / self.per_guide)
        return "one guide" if guides == 1 else f"{guides} guides of {self.per_guide}"

    def describe(self) -> str:
        return (
            f"{self.scheme.upper()}, {self.urls:,} URLs on {self.hosts:,} hosts (interleaved), "
            f"{self.layout}, {self.dead_share:.0%} planted 404s, {self.titles} in page titles"
        )


#: Every shape `make bench` runs, in order. The 100k shape pairs with the 10k shape of the
#: same scheme and layout for the linearity target (`LINEAR_PAIRS`).
SHAPES: Final = (
    Shape("https-guides-10k", "https", 10_000, 100, 100, 0.03),
    Shape("http-guides-10k", "http", 10_000, 100, 100, 0.03),
    Shape("https-one-10k", "https", 10_000, 100, 10_000, 0.02),
    # The second shape: plain HTTP, one guide, 2% 404, "Page 404" an alive page.
    Shape("http-one-10k", "http", 10_000, 100, 10_000, 0.02, titles="numbers"),
    Shape("https-guides-100k", "https", 100_000, 1000, 100, 0.03, large=True, rss_limit_mb=200),
)
LINEAR_PAIRS: Final = (("https-guides-10k", "https-guides-100k"),)
#: Targets, as ratios of medians from one run of alternating tools.
FLOOR_TARGET: Final = 1.05
LYCHEE_TARGET: Final = 1.08
LINEAR_TARGET: Final = 1.05  # seconds per URL at 100k over seconds per URL at 10k


@dataclass
class Runs:
    """One tool's runs on one shape."""

    samples: list[Sample] = field(default_factory=list)
    requests: list[dict[str, int]] = field(default_factory=list)
    verdicts: list[tuple[int, int, int]] = field(default_factory=list)  # found, missed, extra
    parts: list[tuple[float, float, float]] = field(default_factory=list)  # start/requests/end
    phases: list[farmrecord.Phase] = field(default_factory=list)
    bounds: list[str] = field(default_factory=list)  # guidelint's own word on what bounded it

    @property
    def walls(self) -> list[float]:
        return [sample.wall for sample in self.samples]

    @property
    def exact(self) -> bool:
        return bool(self.verdicts) and all(not m and not e for _, m, e in self.verdicts)


@dataclass
class ShapeResult:
    shape: Shape
    limit: float  # ceil(N / 64) x latency
    planted: int
    runs: dict[str, Runs]
    broken: list[str] = field(default_factory=list)


# Commands -------------------------------------------------------------------------------


def lychee_command(bin_dir: Path, paths: Sequence[Path], output: Path) -> list[str | Path]:
    # Same engine settings as guidelint's run: 64 in flight, a per-host limit that cannot
    # bind (64 = the global limit), no per-host interval, 10 s timeout, no cache (lychee's
    # default), default retries. The farm's CA comes through SSL_CERT_FILE.
    return [
        bin_dir / "lychee",
        "--no-progress",
        "--max-concurrency", str(CONCURRENCY),
        "--host-concurrency", str(CONCURRENCY),
        "--host-request-interval", "0ms",
        "--timeout", "10",
        "--format", "json",
        "--output", output,
        *paths,
    ]  # fmt: skip


def guidelint_links_config(folder: Path, ca_file: Path | None) -> Path:
    """The same engine settings in guidelint's terms, as a config file (`[links]` keys)."""
    path = folder / "guidelint.toml"
    path.write_text(
        "[links]\n"
        f"concurrency = {CONCURRENCY}\n"
        f"per-host = {CONCURRENCY}\n"
        "min-interval-ms = 0\n"
        "timeout = 10\n"
        # The farm lives on 127.0.0.0/8, which the address guard refuses unless allowed.
        'allow = ["127.0.0.0/8"]\n'
        + (f"ca-file = {json.dumps(str(ca_file))}\n" if ca_file is not None else ""),
        "utf-8",
    )
    return path


def guidelint_links_command(
    bin_dir: Path, folder: Path, output: Path, config: Path
) -> list[str | Path]:
    return [
        bin_dir / "guidelint",
        "links",
        "--config", config,
        "--format", "json",
        "--output", output,
        "--no-progress",
        folder,
    ]  # fmt: skip


def floor_command(bin_dir: Path, urls: Path, output: Path, *extra: str) -> list[str | Path]:
    return [bin_dir / "python", Path(__file__).parent / "floor.py", urls, output, *extra]


def _lychee_dead(output: Path) -> set[str]:
    data = json.loads(output.read_text("utf-8"))
    return {entry["url"] for entries in data.get("error_map", {}).values() for entry in entries}


def _guidelint_dead(output: Path) -> set[str]:
    data = json.loads(output.read_text("utf-8"))
    return {link["url"] for link in data["links"] if link["dead"]}


def _bound_text(output: Path) -> str:
    """What guidelint's JSON report says bounded its run (`bound`, its run summary)."""
    bound = json.loads(output.read_text("utf-8")).get("bound")
    return str(bound["text"]) if bound else "no bound"


def _floor_dead(output: Path) -> set[str]:
    return set(json.loads(output.read_text("utf-8"))["failed"])


FLOOR: Final = "aiohttp floor"
#: The floor judging each page with guidelint's own code: not run unless asked (--tools).
PAGES: Final = "floor with page verdicts"
TOOLS: Final = ("lychee", "guidelint", FLOOR)


def guidelint_has_links(bin_dir: Path) -> bool:
    probe = subprocess.run(
        [bin_dir / "guidelint", "links", "--help"], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((linkfarm.host(0), 0))
        port: int = probe.getsockname()[1]
        return port


# One shape ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tool:
    command: Callable[[Path], list[str | Path]]  # for an output file
    allowed: tuple[int, ...]  # exit codes
    dead_in: Callable[[Path], set[str]]  # the URLs its report calls dead


def run_shape(
    shape: Shape,
    work: Path,
    bin_dir: Path,
    *,
    repeats: int,
    latency: float,
    processes: int,
    with_guidelint: bool = True,
    only: Sequence[str] = TOOLS,
    log: Callable[[str], None] = print,
) -> ShapeResult:
    """Every tool on one shape, alternating, `repeats` times each, against one farm."""
    folder = work / shape.name
    folder.mkdir(parents=True, exist_ok=True)
    # guidelint's run history: the runs of one bench only (a --keep folder keeps the last).
    shutil.rmtree(folder / ".guidelint", ignore_errors=True)
    port = free_port()
    farm = linkfarm.plan(shape.urls, shape.hosts, port, shape.dead_share, scheme=shape.scheme)
    paths = linkfarm.write_guides(farm, folder / "guides", per_guide=shape.per_guide)
    ca_file = certificates = None
    env = {**os.environ, "NO_COLOR": "1"}
    if shape.scheme == "https":
        ca_file, certificates = linkfarm.make_tls(shape.hosts, folder)
        env["SSL_CERT_FILE"] = str(ca_file)
    urls_file = folder / "urls.txt"
    urls_file.write_text("\n".join(farm.urls) + "\n", "utf-8")
    config = guidelint_links_config(folder, ca_file)
    tools: dict[str, Tool] = {
        "lychee": Tool(lambda out: lychee_command(bin_dir, paths, out), (0, 2), _lychee_dead)
    }
    if with_guidelint:
        tools["guidelint"] = Tool(
            lambda out: guidelint_links_command(bin_dir, folder / "guides", out, config),
            (0, 1),
            _guidelint_dead,
        )
    tools[FLOOR] = Tool(lambda out: floor_command(bin_dir, urls_file, out), (0,), _floor_dead)
    tools[PAGES] = Tool(
        lambda out: floor_command(bin_dir, urls_file, out, "--pages"), (0,), _floor_dead
    )
    tools = {name: tool for name, tool in tools.items() if name in only}
    result = ShapeResult(
        shape,
        math.ceil(shape.urls / CONCURRENCY) * latency,
        len(farm.dead),
        {name: Runs() for name in tools},
    )
    with linkfarm.Server(
        shape.hosts,
        port,
        latency,
        certificates,
        processes=processes,
        titles=shape.titles,
        capacity=int(shape.urls * 1.2) + 1000,
    ) as server:
        for attempt in range(repeats):
            for name, tool in tools.items():
                output = folder / f"{name.replace(' ', '-')}-links.json"
                output.unlink(missing_ok=True)
                server.reset()
                # cwd: guidelint keeps its run history in .guidelint/ there, so later runs
                # read what the first recorded, as a weekly run does.
                sample = run(tool.command(output), timeout=RUN_TIMEOUT, env=env, cwd=folder)
                _note(result, name, sample, tool.allowed)
                _measure(result.runs[name], sample, server, latency)
                try:
                    reported = tool.dead_in(output)
                except (OSError, ValueError, KeyError) as error:
                    result.broken.append(f"{shape.name}: {name}: unreadable report ({error})")
                    continue
                missed, extra = farm.dead - reported, reported - farm.dead
                result.runs[name].verdicts.append(
                    (len(reported & farm.dead), len(missed), len(extra))
                )
                if name == "guidelint":
                    result.runs[name].bounds.append(_bound_text(output))
                    if extra:
                        log(f"    guidelint reported alive URLs as dead, e.g. {sorted(extra)[:3]}")
                parts = result.runs[name].parts
                split = " ({:.2f} / {:.2f} / {:.2f})".format(*parts[-1]) if parts else ""
                log(
                    f"    {shape.name} run {attempt + 1}/{repeats} {name}: {sample.wall:.2f} s"
                    f"{split}, {sample.max_rss_kb / MB:.0f} MB"
                )
    return result


def _note(result: ShapeResult, name: str, sample: Sample, allowed: Sequence[int]) -> None:
    label = f"{result.shape.name}: {name}"
    if sample.timed_out:
        result.broken.append(f"{label}: timed out")
    elif sample.returncode not in allowed:
        result.broken.append(f"{label}: exit code {sample.returncode}")


def _measure(runs: Runs, sample: Sample, server: linkfarm.Server, latency: float) -> None:
    runs.samples.append(sample)
    record = server.record()
    runs.requests.append(record.methods)
    if record.starts:
        first, last = min(record.starts), max(record.ends)
        runs.parts.append((first - sample.started, last - first, sample.ended - last))
    found = farmrecord.phase(record, CONCURRENCY, latency)
    if found is not None:
        runs.phases.append(found)


# Figures --------------------------------------------------------------------------------


def spread(values: Sequence[float], digits: int = 2) -> str:
    """'8.31-8.35 (median 8.33)', or one figure for one value."""
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{min(values):.{digits}f}-{max(values):.{digits}f} (median {median(values):.{digits}f})"


def ratios(ours: Runs, theirs: Runs) -> list[float]:
    """Per repeat: our wall over theirs in the same round (the runs alternate)."""
    return [a / b for a, b in zip(ours.walls, theirs.walls, strict=False) if b]


def median_ratio(ours: Runs, theirs: Runs) -> float:
    return median(ours.walls) / median(theirs.walls)


def verdict_line(runs: Runs, planted: int) -> str:
    lines = [
        f"{found}/{planted} found, {missed} missed, {extra} wrongly reported"
        for found, missed, extra in runs.verdicts
    ]
    return " | ".join(dict.fromkeys(lines)) or "no report"


def median_phase(runs: Runs) -> farmrecord.Phase | None:
    """The requests phase of the run with the median wall time."""
    if not runs.phases or len(runs.phases) != len(runs.samples):
        return runs.phases[0] if runs.phases else None
    order = sorted(range(len(runs.samples)), key=lambda index: runs.samples[index].wall)
    return runs.phases[order[len(order) // 2]]
