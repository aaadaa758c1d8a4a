"""Generate a realistic library of guides for the lint benchmark.

Every generated guide starts from one of the bundled guides and is varied the way a real
library varies: its own situation id and id (equal to its file name), a jurisdiction from the
package's jurisdiction data (sometimes a subdivision such as `US-CA`), the emergency numbers
of that jurisdiction in its text, fewer or more steps, and resources that serve it. Every
file is schema-valid, so the run measures the whole pipeline (load, schema, every rule), not
an early exit on a broken file.

    python bench/lintcorpus.py OUT_DIR --count 5000
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from guidelint import jurisdictions
from guidelint.loader import load_path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "guides").glob("*/*.yaml"))

# Which English tag a jurisdiction's guides are written in, and which bundled guide's
# spelling convention they therefore share.
_LANGUAGE = {
    "US": "en-US",
    "CA": "en-CA",
    "GB": "en-GB",
    "IE": "en-IE",
    "AU": "en-AU",
    "NZ": "en-NZ",
    "IN": "en-IN",
}
VARIANTS = 4
_SUBDIVISIONS = {"US": ["CA", "NY", "TX", "WA"], "GB": ["SCT", "WLS", "NIR"], "AU": ["NSW", "VIC"]}
_TOPICS = [
    "intimate-images-saved",
    "intimate-images-shared",
    "sextortion-threat",
    "account-hacked",
    "stalkerware-suspected",
    "deepfake-posted",
    "location-tracked",
    "harassment-online",
    "doxxing",
    "impersonation-profile",
]


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Never anchors: guides refuse anchors and aliases, and copies share no objects anyway."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _sources() -> list[dict[str, Any]]:
    guides = []
    for path in SOURCES:
        result = load_path(path)
        if result.document is None or not isinstance(result.document.data, dict):
            raise SystemExit(f"{path}: cannot load the bundled guide to build the corpus from")
        guides.append(result.document.data)
    return guides


def _emergency(code: str) -> tuple[str, ...]:
    found = jurisdictions.lookup(code)
    return found.emergency if found is not None else ("112",)


def _retarget(text: str, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    for before, after in zip(old, new, strict=False):
        text = re.sub(rf"\b{re.escape(before)}\b", after, text)
    return text


def make_guide(
    source: dict[str, Any], rng: random.Random, index: int, country: str
) -> tuple[str, dict[str, Any]]:
    """One varied guide; returns (relative path, data)."""
    data = copy.deepcopy(source)
    code = country
    if country in _SUBDIVISIONS and rng.random() < 0.3:
        code = f"{country}-{rng.choice(_SUBDIVISIONS[country])}"
    # Variants of one situation in VARIANTS consecutive jurisdictions share its id and size,
    # as jurisdiction variants do in a real library (the library-wide rules compare them).
    group = index // VARIANTS
    topic = _TOPICS[group % len(_TOPICS)]
    situation = f"{topic}-{group:05d}"
    size = random.Random(group).choice([3, 5, 8, 8, 12, 16])
    guide_id = f"{situation}-{code.lower()}"
    old, new = _emergency(str(source["jurisdiction"])), _emergency(code)

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return _retarget(value, old, new)
        if isinstance(value, list):
            return [fix(item) for item in value]
        if isinstance(value, dict):
            return {key: fix(item) for key, item in value.items()}
        return value

    data = fix(data)
    data["id"] = guide_id
    data["situation_id"] = situation
    data["jurisdiction"] = code
    data["language"] = _LANGUAGE.get(country, "en-GB")
    data["last_reviewed"] = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
    for resource in data["resources"]:
        if resource.get("jurisdictions") and resource["jurisdictions"] != ["INT"]:
            resource["jurisdictions"] = [country]
    data["steps"] = _vary_steps(data["steps"], size)
    return f"{code.split('-')[0].lower()}/{guide_id}.yaml", data


def _vary_steps(steps: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    # Small guides keep the first few steps; large ones repeat steps as new, numbered ones.
    chosen: list[dict[str, Any]] = []
    for number in range(size):
        step = copy.deepcopy(steps[number % len(steps)])
        if number >= len(steps) and "slot" in step:
            step["slot"] = f"{step['slot']}-{number + 1}"
        chosen.append(step)
    return chosen


def dump(data: dict[str, Any]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return f"# yaml-language-server: $schema=../../schema/guide.schema.json\n{body}"


def generate(out: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` guides under `out` (one folder per country); returns their paths."""
    rng = random.Random(seed)
    sources = _sources()
    countries = sorted(code for code in jurisdictions.table() if code != "EU")
    paths = []
    for index in range(count):
        country = countries[index % len(countries)]
        american = _LANGUAGE.get(country) in ("en-US", "en-CA")
        source = next(s for s in sources if (s["language"] == "en-US") == american)
        relative, data = make_guide(source, rng, index, country)
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.count, args.seed)
    print(f"wrote {len(paths)} guides under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
