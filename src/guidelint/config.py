"""Configuration from `[tool.guidelint]` in pyproject.toml, or from guidelint.toml.

Unknown keys are errors that name the key: a typo in a config file must never silently turn
a check off.
"""

# No `from __future__ import annotations` here: Config's annotations are read on every run
# with a config file, and evaluating them from bytecode at import (0.2 ms) costs less than
# compiling them from strings when the file is read (0.45 ms, measured).
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

from guidelint import options
from guidelint.diagnostics import Severity
from guidelint.options import ConfigError as ConfigError
from guidelint.options import Key, Option, Record, Where

if TYPE_CHECKING:
    from guidelint.links.settings import LinkSettings

CONFIG_FILES: Final = ("guidelint.toml", "pyproject.toml")
#: The table a pyproject.toml keeps guidelint's settings in.
TOOL_TABLE: Final = "tool.guidelint"


def _selectors(value: Any, at: Key) -> tuple[str, ...]:
    # A lone string is one selector: `select = "GL1"`.
    return (value,) if isinstance(value, str) else options.strings(value, at)


def _per_file_ignores(value: Any, at: Key) -> Mapping[str, tuple[str, ...]]:
    return {
        pattern: _selectors(codes, at.child(pattern))
        for pattern, codes in options.table(value, at).items()
    }


_LEVELS: Final = tuple(level.value for level in Severity)


def _severities(value: Any, at: Key) -> Mapping[str, Severity]:
    found = {}
    for selector, level in options.table(value, at).items():
        if level not in _LEVELS:
            at.child(selector).fail("one of " + ", ".join(_LEVELS), level)
        found[selector] = Severity(level)
    return found


def _rule_tables(value: Any, at: Key) -> Mapping[str, Mapping[str, Any]]:
    # Checked here, so every command fails early on a bad rule option: naming a rule's
    # Options needs the rule registry, 10 ms of `guidelint links`' 190 ms of imports, and
    # only when a config has the table. The lint selection reads the tables into typed
    # options again (a Config built in code is checked there).
    from guidelint.rules import read_options

    tables = {
        rule: options.table(table, at.child(rule))
        for rule, table in options.table(value, at).items()
    }
    read_options(tables, at.where.sub(at.path))
    return tables


def _links(value: Any, at: Key) -> "LinkSettings":
    # Read as the config loads, so `guidelint lint` fails on a bad link setting too; imported
    # only when the table exists: a one-file lint without one pays nothing for it.
    from guidelint.links.settings import LinkSettings

    return options.parse(LinkSettings, options.table(value, at), at.where.sub(at.path))


class Config(Record):
    """Settings: a frozen record, so the `{}` defaults below are shared (typed read-only)."""

    root: Path
    source: Path | None = None
    #: The table the settings came from, for messages about them.
    where: Where = Where(source="config", table=TOOL_TABLE)
    paths: Annotated[
        tuple[str, ...],
        Option(
            parse=_selectors,
            kind="a list of strings",
            doc="Guide files and folders linted when none are given (relative to this file).",
        ),
    ] = ("guides",)
    select: Annotated[
        tuple[str, ...] | None,
        Option(parse=_selectors, kind="a list of rules", doc="Rules to run (default: all)."),
    ] = None
    extend_select: Annotated[
        tuple[str, ...],
        Option(
            key="extend-select",
            parse=_selectors,
            kind="a list of rules",
            doc="Rules to run on top of `select`.",
        ),
    ] = ()
    ignore: Annotated[
        tuple[str, ...],
        Option(parse=_selectors, kind="a list of rules", doc="Rules not to run."),
    ] = ()
    per_file_ignores: Annotated[
        Mapping[str, tuple[str, ...]],
        Option(
            key="per-file-ignores",
            parse=_per_file_ignores,
            kind="a table of file patterns to lists of rules",
            doc="Rules not to run on the files a glob pattern matches.",
        ),
    ] = {}
    severity: Annotated[
        Mapping[str, Severity],
        Option(
            parse=_severities,
            kind="a table of rules to error, warning or info",
            doc="Severity overrides.",
        ),
    ] = {}
    rule_options: Annotated[
        Mapping[str, Mapping[str, Any]],
        Option(
            key="rules",
            parse=_rule_tables,
            kind="a table of rule codes or names to option tables",
            doc="Per-rule options, e.g. `[tool.guidelint.rules.GL403]`.",
        ),
    ] = {}
    baseline: Annotated[
        str | None,
        Option(
            parse=options.string,
            kind="a file path",
            doc="Lint findings accepted as they are (`guidelint lint --update-baseline`): "
            "only findings not in this file are reported. Relative to this file.",
        ),
    ] = None
    links: Annotated[
        # Quoted: the class is imported for type checking only, and at run time only when a
        # config has the table.
        "LinkSettings | None",
        Option(parse=_links, kind="a table", doc="Link checking and link health."),
    ] = None  # None: no table, the defaults
    render: Annotated[
        Mapping[str, Any],
        # Read by `guidelint render` (render.options.RenderOptions), not here: that module
        # comes with the whole render package, a large import a one-file lint would pay for.
        Option(parse=options.table, kind="a table", doc="The published pages."),
    ] = {}


def find_config(start: Path) -> Path | None:
    """The nearest guidelint.toml, or pyproject.toml with a [tool.guidelint] table."""
    found = _find(start)
    return found[0] if found else None


def _find(start: Path) -> tuple[Path, dict[str, Any] | None] | None:
    """`find_config`, with the file's table when reading it was needed to decide."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate, None
            try:
                table = _read_toml(candidate)
            except ConfigError:
                return candidate, None  # let load_config report the broken file
            tool = table.get("tool")
            if isinstance(tool, dict) and "guidelint" in tool:
                return candidate, table  # read once: TOML parsing is a start-up cost
    return None


#: A config file is a few dozen lines; anything this big is not one.
MAX_CONFIG_BYTES: Final = 1024 * 1024


def _read_toml(path: Path) -> dict[str, Any]:
    from guidelint.bounded import FileRefused, read_bytes

    try:
        raw = read_bytes(path, MAX_CONFIG_BYTES, "config file")
    except FileRefused as error:
        raise ConfigError(str(error)) from None
    if raw is None:
        raise ConfigError(f"{path}: config file not found")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def load_config(path: Path | None, cwd: Path) -> Config:
    """Read `path` (or search from `cwd` when None); no file means the defaults.

    Every setting is checked here, link settings and rule options included.
    """
    table: dict[str, Any] | None = None
    if path is None:
        found = _find(cwd)
        if found is None:
            return Config(root=cwd)
        path, table = found
    elif not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    if table is None:
        table = _read_toml(path)
    where = Where(source=str(path))
    tool = table.get("tool")
    if path.name == "pyproject.toml" or (isinstance(tool, Mapping) and "guidelint" in tool):
        where = Where(source=str(path), table=TOOL_TABLE)
        table = tool.get("guidelint", {}) if isinstance(tool, Mapping) else {}
    base = Config(root=path.parent.resolve(), source=path, where=where)
    return options.parse(Config, table, where, base=base)
