"""A guide as one self-contained, accessible HTML page.

Everything from the guide is escaped (`html.escape`, quotes included): guide text is prose,
and a `<script>` in it must print, not run. The page has the guide's language in `lang`, one
`h1`, an `h2` per section, real lists (`ol` for steps, nested `ul` for sub-steps), links whose
text is the resource name, an inline stylesheet and nothing external. The markup is also
well-formed XML (void elements closed, no bare `&`), so XML tools can read it too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from guidelint.guide import Guide
from guidelint.render.markdown import group, heading_text
from guidelint.render.text import LAYOUT

_STYLE: Final = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:42rem;"
    "margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}"
    "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.75rem}"
    "li{margin:.35rem 0}a{color:#0b57d0}a:focus{outline:3px solid #f9ab00}"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _anchor(key: str) -> str:
    return key.replace("_", "-")


def _paragraphs(text: str) -> Iterator[str]:
    # A blank line starts a new paragraph; a single line break is kept as a break.
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        if block.strip():
            yield "<p>" + "<br/>\n".join(_e(line) for line in block.split("\n")) + "</p>"


def _page(lang: str, title: str, body: Iterator[str]) -> str:
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"


def render(guide: Guide) -> str:
    return render_data(guide.data)


def render_data(data: Mapping[str, Any]) -> str:
    title = heading_text(data)
    return _page(data["language"], title, _body(data, title))


def _body(data: Mapping[str, Any], title: str) -> Iterator[str]:
    yield f"<h1>{_e(title)}</h1>"
    for key, heading, kind in LAYOUT:
        anchor = _anchor(key)
        yield f'<section aria-labelledby="{anchor}">'
        yield f'<h2 id="{anchor}">{_e(heading)}</h2>'
        if kind == "paragraph":
            yield from _paragraphs(data[key])
        elif kind == "items":
            yield "<ul>"
            yield from (f"<li>{_e(item.strip())}</li>" for item in data[key])
            yield "</ul>"
        elif kind == "steps":
            yield from _steps(data[key], data["resources"])
        else:
            yield "<ul>"
            yield from (f"<li>{_resource(resource)}</li>" for resource in data[key])
            yield "</ul>"
        yield "</section>"


def _steps(
    steps: Sequence[Mapping[str, Any]], resources: Sequence[Mapping[str, Any]]
) -> Iterator[str]:
    by_id = {resource["id"]: resource for resource in resources}
    yield "<ol>"
    for step in steps:
        item = _e(step["text"].strip()) + _refs(step, by_id)
        substeps = step.get("substeps", ())
        if not substeps:
            yield f"<li>{item}</li>"
            continue
        yield f"<li>{item}"
        yield "<ul>"
        for sub in substeps:
            yield f"<li>{_e(sub['text'].strip())}{_refs(sub, by_id)}</li>"
        yield "</ul>"
        yield "</li>"
    yield "</ol>"


def _refs(step: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> str:
    """The resources a step refers to, as links right where the reader needs them."""
    links = [_link(by_id[ref]) for ref in step.get("resources", ()) if ref in by_id]
    return f' <span class="refs">({", ".join(links)})</span>' if links else ""


def _link(resource: Mapping[str, Any]) -> str:
    url = resource["url"]
    name = resource.get("name") or url
    return f'<a href="{_e(url)}">{_e(name.strip())}</a>'


def _resource(resource: Mapping[str, Any]) -> str:
    item = _link(resource)
    phone = resource.get("phone")
    if phone:
        dial = "".join(char for char in phone if char.isdigit() or char == "+")
        item += f' — <a href="tel:{_e(dial)}">{_e(phone)}</a>'
    return item


def render_index(entries: Sequence[tuple[str, Mapping[str, Any]]], lang: str = "en") -> str:
    """An index page of rendered guides, given as (relative link, guide data) pairs, grouped
    by situation and then jurisdiction."""

    def body() -> Iterator[str]:
        yield "<h1>Guides</h1>"
        for situation, items in group(entries):
            yield "<section>"
            yield f"<h2>{_e(situation)}</h2>"
            yield "<ul>"
            for link, data in items:
                where = f"{data['jurisdiction']} ({data['language']})"
                yield (
                    f'<li>{_e(where)}: <a href="{_e(link)}" hreflang="{_e(data["language"])}">'
                    f"{_e(heading_text(data))}</a></li>"
                )
            yield "</ul>"
            yield "</section>"

    return _page(lang, "Guides", body())
