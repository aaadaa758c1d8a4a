"""Bring a guide written in the published text form (the seeds' format) into the library.

`parse_text` reads the layout `guidelint.render.text` writes, strictly: every heading exact
and in published order, paragraphs where paragraphs belong, `- ` items where lists belong,
no blank lines between sections, nothing after the resources. Anything else raises
`TextFormatError` naming the 1-based line and what was expected there, so an editor can fix
the text rather than the tool guessing. What the text cannot say arrives as defaults: every
"What to do now" line becomes a step (sub-steps are not visible in text), and each resource
gets an id derived from its URL and no name (lint asks the editor for one).

`import_text` adds the metadata (id, situation id, jurisdiction, language, review date, a
TODO owner) and `import_to_yaml` writes YAML that passes the schema. The text has no field
for who a step is for, so import reads it from the words (`guidelint.audience`): a step
written for readers under 18, or for a situation involving one ("If anyone in the images
is under 18, …"), gets `audience: under-18`, and `needs_under_18_pathway` says whether the
guide has such a route, so lint holds the guide to it from the first run. Rendering the result as
text gives back the input exactly (`render(import(text)) == text`).
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from guidelint.audience import child_route
from guidelint.render.text import BULLET, LAYOUT
from guidelint.schema import SchemaProblem, guide_schema, validate
from guidelint.yamlwrite import dump_and_load

OWNER_PLACEHOLDER: Final = "TODO: name the owner"
#: A guide is a few KiB; anything far larger is not a guide and is refused before parsing.
MAX_BYTES: Final = 1024 * 1024

_HEADINGS: Final = tuple(heading for _key, heading, _kind in LAYOUT)
_SHORTEST: Final = min(len(heading) for heading in _HEADINGS)
_LONGEST: Final = max(len(heading) for heading in _HEADINGS)
_ORDER: Final = ", ".join(f"'{heading}'" for heading in _HEADINGS)
_URL: Final = re.compile(r"https://[^\s]+\Z")
_OTHER_BULLETS: Final = ("-", "\u2013", "\u2014", "\u2022", "*", "\u00b7", "+")
# Second-level labels that say nothing about the organisation (`org` in `example.org.uk`).
_GENERIC_LABELS: Final = frozenset({"ac", "co", "com", "edu", "gov", "govt", "net", "org"})
_HOST_NOISE: Final = frozenset({"www", "www2", "m"})
_SITUATION_STOPWORDS: Final = frozenset(
    {"a", "an", "and", "are", "for", "i", "if", "in", "is", "of", "on", "or", "the", "to"}
    | {"with", "you", "your", "youre", "what", "do"}
)


class TextFormatError(Exception):
    """The text does not follow the published layout, at a 1-based line and column."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


class MetadataError(ValueError):
    """A metadata value given by the caller (jurisdiction, language, id) is invalid."""


def _snippet(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def looks_like_heading(line: str) -> str | None:
    """The heading `line` looks like a misspelling of, if any."""
    candidate = line.strip()
    # A 0.8 similarity needs lengths within a factor of 1.5 of some heading's (10-22 chars).
    if not _SHORTEST * 2 // 3 <= len(candidate) <= _LONGEST * 3 // 2:
        return None
    lowered = {heading.lower(): heading for heading in _HEADINGS}
    match = difflib.get_close_matches(candidate.lower(), list(lowered), n=1, cutoff=0.8)
    return lowered[match[0]] if match else None


def _is_boundary(line: str) -> bool:
    """A line that cannot belong to a paragraph: a heading, near-heading or list item."""
    return line in _HEADINGS or line.startswith(BULLET) or looks_like_heading(line) is not None


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def error(self, index: int, message: str, column: int = 1) -> TextFormatError:
        return TextFormatError(index + 1, column, message)

    def parse(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.single_line(0, "the title line (such as 'What to do if…')"),
            "situation": self.single_line(1, "the situation line that completes the title"),
        }
        index = 2
        for position, (key, heading, kind) in enumerate(LAYOUT):
            if index >= len(self.lines):
                missing = ", ".join(f"'{name}'" for name in _HEADINGS[position:])
                raise self.error(
                    len(self.lines) - 1,
                    f"the text ends before the heading '{heading}'; missing sections: {missing}",
                    column=len(self.lines[-1]) + 1,
                )
            if self.lines[index] != heading:
                raise self.heading_error(index, position)
            if kind == "paragraph":
                data[key], index = self.paragraph(index, heading)
            else:
                items, index = self.items(index, heading)
                if kind == "items":
                    data[key] = [text for _line, text in items]
                elif kind == "steps":
                    data[key] = [{"text": text} for _line, text in items]
                else:
                    data[key] = self.resources(items)
        if index < len(self.lines):
            raise self.error(
                index,
                f"unexpected text after the last section: '{_HEADINGS[-1]}' holds only "
                f"'- https://…' lines, found '{_snippet(self.lines[index])}'",
            )
        return data

    def single_line(self, index: int, what: str) -> str:
        if index >= len(self.lines):
            raise self.error(len(self.lines) - 1, f"the text ends early; expected {what} next")
        line = self.lines[index]
        if not line.strip():
            raise self.error(index, f"blank line; expected {what}")
        if line in _HEADINGS or line.startswith(BULLET):
            raise self.error(index, f"expected {what}, found '{_snippet(line)}'")
        return line

    def heading_error(self, index: int, position: int) -> TextFormatError:
        line = self.lines[index]
        expected = _HEADINGS[position]
        previous = LAYOUT[position - 1] if position else None
        if not line.strip():
            return self.error(
                index,
                f"blank line; the text form has no blank lines between items or sections "
                f"(expected the heading '{expected}' or a '- ' item)",
            )
        if line in _HEADINGS:
            found = _HEADINGS.index(line)
            if found < position:
                first = self.lines.index(line) + 1
                return self.error(
                    index,
                    f"section '{line}' appears again (first on line {first}); "
                    f"expected the heading '{expected}' here",
                )
            if expected in self.lines[index + 1 :]:
                return self.error(
                    index,
                    f"section '{line}' is out of order: expected the heading '{expected}' "
                    f"here; sections go in this order: {_ORDER}",
                )
            return self.error(
                index, f"missing section '{expected}': expected its heading before '{line}'"
            )
        near = looks_like_heading(line)
        if near is not None:
            if line.strip() == near:
                return self.error(
                    index, f"heading '{near}' has extra spaces around it; remove them"
                )
            hint = "" if near == expected else f"; expected the heading '{expected}' here"
            return self.error(index, f"misspelt heading '{line}': did you mean '{near}'?{hint}")
        if previous is None:
            return self.error(
                index,
                f"expected the heading '{expected}' after the situation line, found "
                f"'{_snippet(line)}' (the title and the situation are one line each)",
            )
        if previous[2] == "paragraph":
            return self.error(
                index,
                f"a '- ' list item where the text of '{previous[1]}' is expected; paragraphs "
                f"have no bullets (expected text, or the heading '{expected}')",
            )
        return self._not_an_item(index, previous[1], f"or the heading '{expected}'")

    def _not_an_item(self, index: int, heading: str, alternative: str) -> TextFormatError:
        line = self.lines[index]
        if not line.strip():
            return self.error(
                index,
                f"blank line; the text form has no blank lines ('- ' items of '{heading}' expected)",
            )
        if line.lstrip().startswith(_OTHER_BULLETS):
            return self.error(
                index,
                f"items of '{heading}' start with '- ' (a hyphen and a space) at the start "
                f"of the line, found '{_snippet(line)}'",
            )
        return self.error(
            index,
            f"text where a '- ' item of '{heading}' is expected ({alternative}), "
            f"found '{_snippet(line)}'",
        )

    def paragraph(self, heading_index: int, heading: str) -> tuple[str, int]:
        start = index = heading_index + 1
        while index < len(self.lines) and not _is_boundary(self.lines[index]):
            index += 1
        body = self.lines[start:index]
        if not any(line.strip() for line in body):
            raise self.error(
                heading_index,
                f"section '{heading}' is empty; write its text on the line after the heading",
            )
        if not body[0].strip():
            raise self.error(
                start, f"blank line; the text of '{heading}' starts on the line after its heading"
            )
        if not body[-1].strip():
            raise self.error(
                index - 1,
                "blank line; the text form has no blank lines between sections",
            )
        return "\n".join(body), index

    def items(self, heading_index: int, heading: str) -> tuple[list[tuple[int, str]], int]:
        index = heading_index + 1
        items: list[tuple[int, str]] = []
        while index < len(self.lines) and self.lines[index].startswith(BULLET):
            text = self.lines[index][len(BULLET) :]
            if not text.strip():
                raise self.error(index, f"empty '- ' item in '{heading}'; write it or remove it")
            items.append((index, text))
            index += 1
        if items:
            return items, index
        at_end = index >= len(self.lines)
        if at_end or self.lines[index] in _HEADINGS or looks_like_heading(self.lines[index]):
            raise self.error(
                heading_index,
                f"section '{heading}' is empty; it needs at least one '- ' item",
            )
        raise self._not_an_item(index, heading, "each item on its own line")

    def resources(self, items: list[tuple[int, str]]) -> list[dict[str, str]]:
        # Each item is kept verbatim, even when it is not a valid https URL: import converts,
        # lint judges, so a bad URL is reported by lint at its own line in the YAML.
        resources: list[dict[str, str]] = []
        taken: set[str] = set()
        for _index, url in items:
            resource_id = resource_id_for(url, taken)
            taken.add(resource_id)
            resources.append({"id": resource_id, "url": url})
        return resources


def normalise_text(text: str) -> str:
    """Line endings as `\\n`, no byte-order mark, no trailing line breaks."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")


def parse_text(text: str) -> dict[str, Any]:
    """The content sections of a guide in the published text form (see the module docstring)."""
    if len(text) > MAX_BYTES:
        raise TextFormatError(1, 1, f"text is longer than {MAX_BYTES // 1024} Ki characters")
    normalised = normalise_text(text)
    if not normalised.strip():
        raise TextFormatError(1, 1, "the text is empty; expected a guide in the published form")
    return _Parser(normalised).parse()


def slug(text: str, max_length: int = 60, stopwords: frozenset[str] = frozenset()) -> str:
    """Kebab-case ASCII words of `text`, whole words only, at most `max_length` characters."""
    folded = unicodedata.normalize("NFKD", text.replace("\u2019", "")).encode("ascii", "ignore")
    words = [
        word
        for word in re.findall(r"[a-z0-9]+", folded.decode("ascii").lower().replace("'", ""))
        if word not in stopwords
    ]
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word[:max_length]
        if len(candidate) > max_length:
            break
        result = candidate
    return result


def resource_id_for(url: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable kebab-case id from the URL's host and last path segment, unique in `taken`."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:  # an unbalanced IPv6 bracket; lint reports the URL itself
        parts, host = urlsplit(""), ""
    labels = [label for label in host.split(".") if label]
    while labels and labels[0] in _HOST_NOISE:
        labels.pop(0)
    if len(labels) > 1:
        labels.pop()  # the top-level domain
    if len(labels) > 1 and labels[-1] in _GENERIC_LABELS:
        labels.pop()
    segments = [segment for segment in parts.path.split("/") if segment]
    last = re.sub(r"\.(html?|php|aspx?|jsp)\Z", "", segments[-1]) if segments else ""
    base = slug(" ".join([*labels, last]), max_length=48) or "resource"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _pattern(*path: str) -> re.Pattern[str]:
    node: Any = guide_schema()
    for part in path:
        node = node[part]
    return re.compile(node["pattern"])


def check_jurisdiction(value: str) -> str:
    """An ISO 3166-1 alpha-2 or 3166-2 code, upper-cased (`us-ca` → `US-CA`)."""
    code = value.strip().upper()
    if not _pattern("properties", "jurisdiction").match(code):
        raise MetadataError(
            f"jurisdiction '{value}' is not an ISO 3166 code such as 'US', 'GB' or 'US-CA'"
        )
    return code


def check_language(value: str | None, jurisdiction: str) -> str:
    """The BCP 47 tag given, or English for the jurisdiction's country (`en-GB`)."""
    language = value if value is not None else f"en-{jurisdiction.split('-', 1)[0]}"
    if not _pattern("properties", "language").match(language):
        raise MetadataError(
            f"language '{language}' is not a BCP 47 tag with a region such as 'en-US' or 'en-GB'"
        )
    return language


def check_id(value: str, what: str) -> str:
    if not _pattern("properties", "id").match(value) or len(value) > 120:
        raise MetadataError(
            f"{what} '{value}' must be kebab-case: lower-case letters and digits joined by "
            "single hyphens, such as 'intimate-images-saved'"
        )
    return value


def import_text(
    text: str,
    *,
    jurisdiction: str,
    today: datetime.date,
    language: str | None = None,
    guide_id: str | None = None,
    situation_id: str | None = None,
) -> dict[str, Any]:
    """A complete guide (metadata and content) from text in the published form."""
    content = parse_text(text)
    if situation_id is None:
        situation_id = slug(content["situation"], 40, _SITUATION_STOPWORDS) or "situation"
    marked = False
    for step in content["steps"]:
        if child_route(step["text"]):
            step["audience"] = "under-18"
            marked = True
    metadata = guide_metadata(situation_id, jurisdiction, language, guide_id, today)
    return {**metadata, "needs_under_18_pathway": marked, **content}


def guide_metadata(
    situation_id: str,
    jurisdiction: str,
    language: str | None,
    guide_id: str | None,
    today: datetime.date,
) -> dict[str, Any]:
    """Checked metadata for a guide that has no reviewer or owner yet (import and `new`)."""
    code = check_jurisdiction(jurisdiction)
    tag = check_language(language, code)
    check_id(situation_id, "situation id")
    guide_id = check_id(guide_id or f"{situation_id}-{code.lower()}", "guide id")
    return {
        "id": guide_id,
        "situation_id": situation_id,
        "jurisdiction": code,
        "language": tag,
        "last_reviewed": today.isoformat(),
        "owner": OWNER_PLACEHOLDER,
    }


def to_yaml(data: Mapping[str, Any], schema_ref: str) -> str:
    """YAML for a guide built here, checked against the schema before it is handed out."""
    text, _url_problems = to_yaml_checked(data, schema_ref)
    return text


def to_yaml_checked(data: Mapping[str, Any], schema_ref: str) -> tuple[str, list[SchemaProblem]]:
    """YAML plus the resource URLs that fail the schema (kept for lint to report in place).

    Anything else failing the schema is a bug in the importer, never the author's text.
    """
    text, document = dump_and_load(data, schema_ref)
    problems = validate(document)
    url_problems = [
        p for p in problems if p.pointer[:1] == ("resources",) and p.pointer[-1:] == ("url",)
    ]
    others = [p for p in problems if p not in url_problems]
    if others:
        raise MetadataError(f"the generated guide does not pass the schema: {others[0].message}")
    return text, url_problems
