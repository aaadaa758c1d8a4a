"""A guide as one self-contained, accessible HTML page.

Everything from the guide is escaped (`html.escape`, quotes included): guide text is prose,
and a `<script>` in it must print, not run. The page has the guide's language in `lang`, one
`h1` and its review date, an `h2` per section, real lists (`ol` for steps, nested `ul` for
sub-steps), links whose text is the resource name, phone numbers as `tel:` links (see
`phones`), and the shell from `page`: an "Exit this page" control, inline styles and
script under a strict Content-Security-Policy, nothing external. The markup is also
well-formed XML (void elements closed, no bare `&`), so XML tools can read it too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from guidelint.guide import Guide
from guidelint.render import page
from guidelint.render.library import Entry, by_jurisdiction, heading_text, long_date
from guidelint.render.options import DEFAULT_OPTIONS, RenderOptions
from guidelint.render.phones import dial_href, phone_links
from guidelint.render.text import LAYOUT


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _anchor(key: str) -> str:
    return key.replace("_", "-")


def _prose(text: str, jurisdiction: str) -> str:
    """Escaped text with each phone number in it as a `tel:` link, its text as written."""
    parts = []
    position = 0
    for link in phone_links(text, jurisdiction):
        parts.append(_e(text[position : link.start]))
        parts.append(f'<a href="{_e(link.href)}">{_e(text[link.start : link.end])}</a>')
        position = link.end
    parts.append(_e(text[position:]))
    return "".join(parts)


def _paragraphs(text: str, jurisdiction: str) -> Iterator[str]:
    # A blank line starts a new paragraph; a single line break is kept as a break.
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        if block.strip():
            lines = (_prose(line, jurisdiction) for line in block.split("\n"))
            yield "<p>" + "<br/>\n".join(lines) + "</p>"


def render(guide: Guide, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return render_data(guide.data, options)


def render_data(data: Mapping[str, Any], options: RenderOptions = DEFAULT_OPTIONS) -> str:
    title = heading_text(data)
    return page.document(data["language"], title, _body(data, title), options)


def _reviewed(data: Mapping[str, Any]) -> str:
    iso = data["last_reviewed"]
    return (
        f'<p class="reviewed">Last reviewed <time datetime="{_e(iso)}">'
        f"{_e(long_date(iso, data['language']))}</time></p>"
    )


def _body(data: Mapping[str, Any], title: str) -> Iterator[str]:
    where = data["jurisdiction"]
    yield f"<h1>{_e(title)}</h1>"
    yield _reviewed(data)
    for key, heading, kind in LAYOUT:
        anchor = _anchor(key)
        yield f'<section aria-labelledby="{anchor}">'
        yield f'<h2 id="{anchor}">{_e(heading)}</h2>'
        if kind == "paragraph":
            yield from _paragraphs(data[key], where)
        elif kind == "items":
            yield "<ul>"
            yield from (f"<li>{_prose(item.strip(), where)}</li>" for item in data[key])
            yield "</ul>"
        elif kind == "steps":
            yield from _steps(data[key], data["resources"], where)
        else:
            yield "<ul>"
            yield from (f"<li>{_resource(resource, where)}</li>" for resource in data[key])
            yield "</ul>"
        yield "</section>"


def _steps(
    steps: Sequence[Mapping[str, Any]], resources: Sequence[Mapping[str, Any]], where: str
) -> Iterator[str]:
    by_id = {resource["id"]: resource for resource in resources}
    yield "<ol>"
    for step in steps:
        item = _prose(step["text"].strip(), where) + _refs(step, by_id)
        substeps = step.get("substeps", ())
        if not substeps:
            yield f"<li>{item}</li>"
            continue
        yield f"<li>{item}"
        yield "<ul>"
        for sub in substeps:
            yield f"<li>{_prose(sub['text'].strip(), where)}{_refs(sub, by_id)}</li>"
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


def _resource(resource: Mapping[str, Any], where: str) -> str:
    item = _link(resource)
    phone = resource.get("phone")
    if phone:
        item += f' — <a href="{_e(dial_href(phone, where))}">{_e(phone.strip())}</a>'
    return item


def render_index(
    entries: Sequence[Entry], lang: str = "en", options: RenderOptions = DEFAULT_OPTIONS
) -> str:
    """The site index of rendered guides, given as (relative link, guide data) pairs: one
    section per jurisdiction, each guide by its title with its review date."""

    def body() -> Iterator[str]:
        yield "<h1>Guides</h1>"
        for number, (name, items) in enumerate(by_jurisdiction(entries), start=1):
            yield f'<section aria-labelledby="jurisdiction-{number}">'
            yield f'<h2 id="jurisdiction-{number}">{_e(name)}</h2>'
            yield '<ul class="guides">'
            for link, data in items:
                yield (
                    f'<li><a href="{_e(link)}" hreflang="{_e(data["language"])}">'
                    f"{_e(heading_text(data))}</a><br/>"
                    f'<span class="meta">Last reviewed <time datetime="'
                    f'{_e(data["last_reviewed"])}">'
                    f"{_e(long_date(data['last_reviewed'], data['language']))}</time></span></li>"
                )
            yield "</ul>"
            yield "</section>"

    return page.document(lang, "Guides", body(), options)
