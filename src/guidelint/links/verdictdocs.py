"""The verdict table of docs/links-json.md, generated from `links.model.VERDICTS`.

`make docs` rewrites the table between its markers; a test fails while the file is stale,
so what a verdict means is written once, next to the code that acts on it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

from guidelint.atomic import write_text
from guidelint.links.model import RECHECK_ACTION, VERDICTS

BEGIN: Final = "<!-- verdicts: generated from guidelint.links.model.VERDICTS by `make docs` -->"
END: Final = "<!-- end of generated verdicts -->"


def render_table() -> str:
    rows = ["| verdict | dead | meaning | action |", "|---|---|---|---|"]
    for verdict, info in VERDICTS.items():
        action = info.action
        if info.transient:
            action = f"until the run history confirms it: {RECHECK_ACTION}; then: {info.action}"
        rows.append(
            f"| `{verdict.value}` | {'yes' if info.dead else 'no'} | {_cell(info.meaning)} "
            f"| {_cell(action)} |"
        )
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def updated(document: str) -> str:
    """`document` with the text between the markers replaced by the current table."""
    start = document.index(BEGIN) + len(BEGIN)
    end = document.index(END, start)
    return f"{document[:start]}\n{render_table()}{document[end:]}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m guidelint.links.verdictdocs docs/links-json.md\n")
        return 2
    path = Path(argv[0])
    write_text(path, updated(path.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
