"""What each rule costs per guide: the figure that limits a whole-library lint.

Loads and validates the given guides once, then times every per-guide rule on each of them
and every library-wide rule on all of them, in this process (no pool), with default options.

    python bench/rulecost.py GUIDE_OR_FOLDER ...
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guidelint import loader
from guidelint.files import discover
from guidelint.guide import Guide
from guidelint.rules import RULES
from guidelint.schema import validate


@dataclass(frozen=True)
class Cost:
    code: str
    name: str
    ms_per_guide: float
    findings: int


def load_guides(files: Sequence[Path]) -> tuple[list[Guide], float]:
    """Schema-valid guides among `files`, and the load+validate time per file in ms."""
    guides = []
    started = time.perf_counter()
    for path in files:
        document = loader.load_path(path).document
        if document is not None and not validate(document):
            guides.append(Guide(document))
    return guides, (time.perf_counter() - started) * 1000 / max(len(files), 1)


def rule_costs(guides: Sequence[Guide]) -> list[Cost]:
    """Every rule's time per guide, slowest first."""
    costs = []
    for rule in RULES.values():
        found = 0
        started = time.perf_counter()
        if rule.check is not None:
            for guide in guides:
                found += sum(1 for _ in rule.check(guide, rule.options))
        elif rule.check_library is not None:
            found = sum(1 for _ in rule.check_library(guides, rule.options))
        else:
            continue
        elapsed = (time.perf_counter() - started) * 1000 / max(len(guides), 1)
        costs.append(Cost(rule.code, rule.name, elapsed, found))
    return sorted(costs, key=lambda cost: cost.ms_per_guide, reverse=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    guides, load_ms = load_guides(discover(args.paths))
    costs = rule_costs(guides)
    print(f"{len(guides)} valid guides; load and schema {load_ms:.2f} ms/guide")
    print(f"rules: {sum(cost.ms_per_guide for cost in costs):.2f} ms/guide in all")
    for cost in costs:
        print(
            f"  {cost.code} {cost.name}: {cost.ms_per_guide:.3f} ms/guide, {cost.findings} findings"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
