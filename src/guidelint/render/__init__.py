"""Published forms of a guide: pure functions from a schema-valid `Guide` to text.

`RENDERERS` is the registry the CLI's `--format` choices come from. Loading is here too, so
every caller renders only guides that load cleanly and pass the schema. `RenderOptions`
(from `[tool.guidelint.render]`, see `options`) carries what a page needs beyond the guide;
formats without such settings ignore it. Passing the schema is not enough to publish:
`publish_blockers` gives the lint errors ("call 911" in an Irish guide, a TODO) that stop a
render unless the publisher allows them (`--allow-errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import quote

from guidelint.diagnostics import Diagnostic, Severity
from guidelint.files import Trees, load_guide_file
from guidelint.guide import Guide
from guidelint.loader import FATAL_CODES
from guidelint.render import html, markdown, text
from guidelint.render.options import DEFAULT_OPTIONS, RenderOptions
from guidelint.schema import SCHEMA_CODE, validate

if TYPE_CHECKING:
    from guidelint.lint import Selection

__all__ = [
    "EXTENSIONS",
    "INDEXES",
    "RENDERERS",
    "IndexRenderer",
    "LoadProblem",
    "RenderOptions",
    "Renderer",
    "load_guide",
    "output_name",
    "publish_blockers",
    "render_library",
]


class Renderer(Protocol):
    def __call__(self, guide: Guide, options: RenderOptions = ..., /) -> str: ...


IndexRenderer = Callable[[Sequence[tuple[str, Mapping[str, Any]]], RenderOptions], str]


def _plain(render: Callable[[Guide], str]) -> Renderer:
    def with_options(guide: Guide, options: RenderOptions = DEFAULT_OPTIONS, /) -> str:
        return render(guide)

    return with_options


RENDERERS: Final[dict[str, Renderer]] = {
    "text": _plain(text.render),
    "markdown": _plain(markdown.render),
    "html": html.render,
}

EXTENSIONS: Final[dict[str, str]] = {"text": ".txt", "markdown": ".md", "html": ".html"}

#: Formats whose folder render adds an index page, and its file name.
INDEXES: Final[dict[str, tuple[str, IndexRenderer]]] = {
    "markdown": ("index.md", lambda entries, _options: markdown.render_index(entries)),
    "html": ("index.html", lambda entries, options: html.render_index(entries, options=options)),
}


@dataclass(frozen=True)
class LoadProblem:
    """Why a guide cannot be rendered, located in its YAML file."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


def load_guide(
    path: Path, shown: str | None = None, trees: Trees | None = None
) -> Guide | list[LoadProblem]:
    """The guide at `path`, or the problems that stop it from being rendered.

    Non-fatal loader findings (an unquoted `no`, say) are lint's business; only what makes
    the data untrustworthy, or breaks the schema, stops a render. `trees`: see
    `files.Trees` (None: the file must lie in the current folder, links followed or not).
    """
    name = shown if shown is not None else str(path)
    result = load_guide_file(path, name, trees)
    fatal = [
        LoadProblem(name, problem.line, problem.column, problem.code, problem.message)
        for problem in result.problems
        if problem.code in FATAL_CODES
    ]
    if result.document is None or fatal:
        return fatal
    problems = [
        LoadProblem(name, item.position.line, item.position.column, SCHEMA_CODE, item.message)
        for item in validate(result.document)
    ]
    return problems or Guide(result.document)


def publish_blockers(
    files: Sequence[Path], selection: Selection, trees: Trees | None = None
) -> list[Diagnostic]:
    """The error-severity lint findings of `files`, with the project's rule selection: a
    guide with any of them is not fit to publish. Warnings and information never block."""
    from guidelint.lint import lint_files  # the rules: only a render that publishes needs them

    result = lint_files(files, selection, trees=trees)
    return [d for d in result.diagnostics if d.severity is Severity.ERROR]


def output_name(source: PurePosixPath, fmt: str) -> PurePosixPath:
    """Where the render of the guide at `source` (relative to the input folder) goes."""
    return source.with_suffix(EXTENSIONS[fmt])


def render_library(
    guides: Sequence[tuple[PurePosixPath, Guide]],
    fmt: str,
    options: RenderOptions = DEFAULT_OPTIONS,
) -> dict[PurePosixPath, str]:
    """Rendered files by relative output path, mirroring the guides' relative paths, plus an
    index page for formats that have one."""
    render = RENDERERS[fmt]
    outputs = {output_name(source, fmt): render(guide, options) for source, guide in guides}
    if fmt in INDEXES:
        name, render_index = INDEXES[fmt]
        entries = [
            (quote(output_name(source, fmt).as_posix()), guide.data) for source, guide in guides
        ]
        outputs[PurePosixPath(name)] = render_index(entries, options)
    return outputs
