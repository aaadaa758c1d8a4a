"""A guide as Markdown (CommonMark): headings, nested lists, resources as named links.

Guide text is prose, never markup: every character Markdown would read as syntax is
escaped, so `*`, `_`, `<b>` or `[x](y)` in a guide print as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from guidelint.guide import Guide
from guidelint.render.library import Entry, by_jurisdiction, heading_text, long_date
from guidelint.render.text import LAYOUT

__all__ = ["escape", "heading_text", "link_target", "render", "render_data", "render_index"]

# Escaped wherever they appear: inline syntax, HTML, entities, GFM tables and strikethrough.
_INLINE: Final = re.compile(r"([\\`*_\[\]<>&#|~!{}])")
# Block syntax only counts at the start of a line: list markers, ordered-list numbers,
# setext underlines.
_LINE_START: Final = re.compile(r"^([-+=]|[0-9]+(?=[.)]))")


def escape(text: str) -> str:
    """Text that renders literally in Markdown, one output line per input line."""
    lines = []
    for line in text.split("\n"):
        escaped = _INLINE.sub(r"\\\1", line.strip())
        match = _LINE_START.match(escaped)
        if match and match.group(1)[0].isdigit():
            end = match.end()
            escaped = f"{escaped[:end]}\\{escaped[end:]}"
        elif match:
            escaped = "\\" + escaped
        lines.append(escaped)
    return "\n".join(lines)


def _inline(text: str) -> str:
    # List items and headings are single lines in Markdown.
    return escape(" ".join(text.strip("\n").split("\n")))


def link_target(url: str) -> str:
    """A URL safe inside `(...)`: the schema forbids spaces; parentheses and angles are encoded."""
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def render(guide: Guide) -> str:
    return render_data(guide.data)


def render_data(data: Mapping[str, Any]) -> str:
    return "\n".join(_blocks(data)) + "\n"


def _blocks(data: Mapping[str, Any]) -> Iterator[str]:
    yield f"# {_inline(heading_text(data))}"
    for key, heading, kind in LAYOUT:
        yield ""
        yield f"## {escape(heading)}"
        yield ""
        if kind == "paragraph":
            yield escape(data[key].strip("\n"))
        elif kind == "items":
            yield from (f"- {_inline(item)}" for item in data[key])
        elif kind == "steps":
            yield from _steps(data[key], data["resources"])
        else:
            yield from (f"- {_resource(resource)}" for resource in data[key])


def _steps(
    steps: Sequence[Mapping[str, Any]], resources: Sequence[Mapping[str, Any]]
) -> Iterator[str]:
    by_id = {resource["id"]: resource for resource in resources}
    for number, step in enumerate(steps, start=1):
        marker = f"{number}. "
        yield marker + _inline(step["text"]) + _refs(step, by_id)
        # A nested list must start at the parent item's content column.
        indent = " " * len(marker)
        for sub in step.get("substeps", ()):
            yield f"{indent}- {_inline(sub['text'])}{_refs(sub, by_id)}"


def _refs(step: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> str:
    """The resources a step refers to, as links right where the reader needs them."""
    links = [_link(by_id[ref]) for ref in step.get("resources", ()) if ref in by_id]
    return f" ({', '.join(links)})" if links else ""


def _link(resource: Mapping[str, Any]) -> str:
    url = resource["url"]
    text = _inline(resource["name"]) if resource.get("name") else escape(url)
    return f"[{text}]({link_target(url)})"


def _resource(resource: Mapping[str, Any]) -> str:
    line = _link(resource)
    if resource.get("phone"):
        line += f" — {escape(resource['phone'])}"
    return line


def render_index(entries: Sequence[Entry]) -> str:
    """An index of rendered guides, given as (relative link, guide data) pairs: a section per
    jurisdiction, each guide by its title with its review date."""
    lines = ["# Guides"]
    for name, items in by_jurisdiction(entries):
        lines += ["", f"## {_inline(name)}", ""]
        for link, data in items:
            reviewed = long_date(data["last_reviewed"], data["language"])
            lines.append(
                f"- [{_inline(heading_text(data))}]({link_target(link)}) — "
                f"last reviewed {escape(reviewed)}"
            )
    return "\n".join(lines) + "\n"
